import { readSync } from "node:fs";
import { crc32 } from "node:zlib";
import { HistoryIndex } from "./history-index.js";
import type { RawIdentity } from "./history-index.js";

/** An open cache file: only its descriptor is used, for synchronous positioned reads (see readAtSync). */
export interface OpenFile {
  readonly fd: number;
}

/** What a cache file says about the history it holds. */
export interface ScanCacheMeta {
  /** Real path of the repository, so a file copied from elsewhere is not trusted. */
  repository: string;
  /** The commit the history was read from: everything reachable from it, nothing else. */
  tip: string;
  /** Shallow boundary, grafts and replace refs: when they change, the same tip has another history. */
  fingerprint: string;
}

/**
 * One block of a cache file: the first holds the history up to a tip, each later one the
 * commits added up to the next tip (`from` names the tip it continues). Binary, and read
 * in pieces: a run reads the headers, binary-searches each block's sorted times and reads
 * only the rows of its windows, so its cost follows the new commits, not the history.
 */
export interface BlockHeader extends ScanCacheMeta {
  schema: typeof SCHEMA;
  from: string | null;
  count: number;
  /** Authors first seen in this block; an author's id is its place over all blocks' lists. */
  authors: [string, string][];
  /** Earliest committer time (seconds) of every author so far, by id: who was active before a window. */
  firstSeen: number[];
  /** Newest committer time (seconds) so far, null without commits. */
  newest: number | null;
  /** CRC-32 of the block's columns: a torn block (kill -9 while appending) is noticed. */
  crc: number;
}

/** A block found in a file: its header and where its columns start. */
export interface Block {
  header: BlockHeader;
  offset: number;
  /** The times a search read last (rows `lo` on), for the next search nearby. */
  lastRead?: { lo: number; times: Float64Array };
}

// Layout of a block: MAGIC, u32 header length, u32 columns length, header JSON, zero padding
// to 8, then the columns sorted by committer time: times (f64 x n), authors (u32 x n), merge
// flags (u8 x n, padded to 8), shas (20 bytes x n).
const MAGIC = Buffer.from("SPKYGSC2", "latin1");
const SCHEMA = "sparky.git-scan-cache/2";
const PREFIX = MAGIC.length + 8;

const pad8 = (n: number) => Math.ceil(n / 8) * 8;
const columnsLength = (n: number) => n * 12 + pad8(n) + n * 20;

/**
 * The bytes of one block over `index`: a header part, then the columns with the rows in
 * committer-time order (see `timeOrder`), to be written one after the other. The columns
 * are filled straight from the index in that order: the history is neither sorted into a
 * copy first nor copied again to join the parts (tens of MiB at half a million commits).
 */
export function encodeBlock(header: Omit<BlockHeader, "schema" | "count" | "crc">, index: HistoryIndex): [Buffer, Buffer] {
  const n = index.count;
  const order = index.timeOrder();
  const bytes = new ArrayBuffer(columnsLength(n));
  const times = new Float64Array(bytes, 0, n);
  const authors = new Uint32Array(bytes, n * 8, n);
  const merges = new Uint8Array(bytes, n * 12, n);
  const columns = Buffer.from(bytes);
  const shas = n * 12 + pad8(n);
  for (let to = 0; to < n; to++) {
    const from = order[to]!;
    times[to] = index.times[from]!;
    authors[to] = index.authorOf[from]!;
    merges[to] = index.merges[from]!;
    index.shas.copy(columns, shas + to * 20, from * 20, from * 20 + 20);
  }
  const json = Buffer.from(JSON.stringify({ schema: SCHEMA, ...header, count: n, crc: crc32(columns) }), "utf8");
  const headerEnd = PREFIX + json.length;
  const head = Buffer.alloc(pad8(headerEnd));
  MAGIC.copy(head);
  head.writeUInt32LE(json.length, MAGIC.length);
  head.writeUInt32LE(columns.length, MAGIC.length + 4);
  json.copy(head, PREFIX);
  return [head, columns];
}

/**
 * The blocks of a file that form one unbroken chain from its first block, and the length
 * they take: a torn or foreign block ends the chain there (what follows is ignored and
 * overwritten by the next write). Throws, saying why, when not even the first block holds.
 */
export async function readBlocks(file: OpenFile, size: number): Promise<{ blocks: Block[]; validLength: number }> {
  const blocks: Block[] = [];
  let offset = 0;
  while (offset < size) {
    const block = await readBlock(file, offset, size, blocks.at(-1)?.header ?? null).catch((error: Error) => {
      if (blocks.length === 0) throw error;
      return null;
    });
    if (!block) break;
    blocks.push(block.block);
    offset = block.end;
  }
  if (blocks.length === 0) throw new Error("the file is empty");
  return { blocks, validLength: offset };
}

async function readBlock(file: OpenFile, offset: number, size: number, previous: BlockHeader | null) {
  const prefix = await readAt(file, offset, PREFIX, size);
  if (!prefix.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error("not a Sparky git scan cache (unknown format or version)");
  const headerLength = prefix.readUInt32LE(MAGIC.length);
  const columns = prefix.readUInt32LE(MAGIC.length + 4);
  const json = await readAt(file, offset + PREFIX, headerLength, size);
  let header: BlockHeader;
  try {
    header = checkHeader(JSON.parse(json.toString("utf8")));
  } catch (error) {
    throw new Error(`its header is unreadable (${(error as Error).message})`);
  }
  const start = offset + pad8(PREFIX + headerLength);
  if (columns !== columnsLength(header.count) || start + columns > size) throw new Error("the file is cut short");
  if (previous) {
    // A block continues the one before it, or it is not part of this history.
    const joins = header.from === previous.tip && header.repository === previous.repository && header.fingerprint === previous.fingerprint;
    const authors = previous.firstSeen.length + header.authors.length === header.firstSeen.length;
    if (!joins || !authors) throw new Error("a block does not continue the one before it");
    // Later blocks are small: check them whole. The first is written by rename after a flush.
    if (crc32(await readAt(file, start, columns, size)) !== header.crc) throw new Error("a block's checksum does not match");
  } else if (header.from !== null || header.firstSeen.length !== header.authors.length) {
    throw new Error("its first block is not a whole history");
  }
  return { block: { header, offset: start }, end: start + columns };
}

/** Rows of a block whose time is in [start, end) seconds, found by binary search over its sorted times. */
export async function readRange(file: OpenFile, block: Block, start: number, end: number): Promise<HistoryIndex> {
  const n = block.header.count;
  const first = lowerBoundSync(file, block, start);
  const last = lowerBoundSync(file, block, end);
  const k = Math.max(0, last - first);
  const index = new HistoryIndex(0);
  if (k === 0) return index;
  const times = await readAt(file, block.offset + first * 8, k * 8);
  const authors = await readAt(file, block.offset + n * 8 + first * 4, k * 4);
  const merges = await readAt(file, block.offset + n * 12 + first, k);
  const shas = await readAt(file, block.offset + n * 12 + pad8(n) + first * 20, k * 20);
  return HistoryIndex.of({
    count: k,
    times: new Float64Array(Uint8Array.from(times).buffer),
    authorOf: new Uint32Array(Uint8Array.from(authors).buffer),
    merges: Uint8Array.from(merges),
    shas,
    authors: [],
  });
}

/** Whether a block holds the commit `sha`, whose committer time is `seconds`: a binary search, then the rows of that second. */
export function blockHas(file: OpenFile, block: Block, sha: Buffer, seconds: number): boolean {
  const n = block.header.count;
  const shas = block.offset + n * 12 + pad8(n);
  for (let at = lowerBoundSync(file, block, seconds); at < n && timeAtSync(file, block, at) === seconds; at++) {
    if (readAtSync(file, shas + at * 20, 20).equals(sha)) return true;
  }
  return false;
}

/** How many rows of a block have a committer time at or after `seconds`. */
export function countFrom(file: OpenFile, block: Block, seconds: number): number {
  return block.header.count - lowerBoundSync(file, block, seconds);
}

/** Every row of a block (to merge blocks into one). */
export function readAll(file: OpenFile, block: Block): Promise<HistoryIndex> {
  return readRange(file, block, -Infinity, Infinity);
}

/** The identities of all blocks, by id. */
export function authorsOf(blocks: readonly Block[]): RawIdentity[] {
  return blocks.flatMap((block) => block.header.authors.map(([name, email]) => ({ name, email })));
}

function timeAtSync(file: OpenFile, block: Block, at: number): number {
  return readAtSync(file, block.offset + at * 8, 8).readDoubleLE(0);
}

/** Rows a binary search narrows down to before reading them at once: one 4 KiB read instead of nine 8-byte ones. */
const SPAN = 512;

/**
 * First row with a time at or after `seconds`: probes while the range is wide, then one
 * read of what is left. The rows read last are kept on the block: a day's new commits
 * are looked up one after the other at nearly the same times, and then need no read.
 */
function lowerBoundSync(file: OpenFile, block: Block, seconds: number): number {
  const near = block.lastRead;
  if (near && near.times.length > 1 && near.times[0]! < seconds && seconds <= near.times[near.times.length - 1]!) {
    return near.lo + lowerBoundIn(near.times, seconds);
  }
  let lo = 0;
  let hi = block.header.count;
  while (hi - lo > SPAN) {
    const mid = (lo + hi) >>> 1;
    if (timeAtSync(file, block, mid) >= seconds) hi = mid;
    else lo = mid + 1;
  }
  if (lo === hi) return lo;
  const times = new Float64Array(hi - lo);
  readIntoSync(file, block.offset + lo * 8, times);
  block.lastRead = { lo, times };
  return lo + lowerBoundIn(times, seconds);
}

function lowerBoundIn(times: Float64Array, seconds: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! >= seconds) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// Synchronous on purpose: a binary search makes dozens of 8-byte reads from the page cache,
// a few microseconds each, where a trip through libuv's thread pool costs far more under load.
async function readAt(file: OpenFile, position: number, length: number, size = Infinity): Promise<Buffer> {
  return readAtSync(file, position, length, size);
}

function readIntoSync(file: OpenFile, position: number, into: Float64Array): void {
  if (readSync(file.fd, into, 0, into.byteLength, position) !== into.byteLength) throw new Error("the file is cut short");
}

function readAtSync(file: OpenFile, position: number, length: number, size = Infinity): Buffer {
  if (position + length > size) throw new Error("the file is cut short");
  const buffer = Buffer.alloc(length);
  const bytesRead = readSync(file.fd, buffer, 0, length, position);
  if (bytesRead !== length) throw new Error("the file is cut short");
  return buffer;
}

function checkHeader(value: unknown): BlockHeader {
  const header = value as Partial<BlockHeader> | null;
  const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  const isSha = (x: unknown) => typeof x === "string" && /^[0-9a-f]{40}$/.test(x);
  if (header?.schema !== SCHEMA) throw new Error(`schema is not ${SCHEMA}`);
  if (typeof header.repository !== "string" || typeof header.fingerprint !== "string") throw new Error("repository or fingerprint missing");
  if (!isSha(header.tip) || (header.from !== null && !isSha(header.from))) throw new Error("tip or from is not a sha");
  if (!isCount(header.count) || !isCount(header.crc)) throw new Error("count or crc is not a whole number");
  if (header.newest !== null && typeof header.newest !== "number") throw new Error("newest is not a time");
  const authorsOk =
    Array.isArray(header.authors) &&
    header.authors.every((a) => Array.isArray(a) && a.length === 2 && typeof a[0] === "string" && typeof a[1] === "string");
  if (!authorsOk) throw new Error("authors is not a list of [name, email]");
  if (!Array.isArray(header.firstSeen) || !header.firstSeen.every((t) => typeof t === "number")) throw new Error("firstSeen is not a list of times");
  return header as BlockHeader;
}

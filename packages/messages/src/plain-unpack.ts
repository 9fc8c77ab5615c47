/**
 * MessagePack reader for plain data, giving what msgpackr (`useRecords: false`) gives for the
 * same bytes. It reads only what it can read exactly as msgpackr would: nil, booleans, ints up
 * to 32 bits, floats, valid UTF-8 strings, arrays, maps with string keys. For anything else
 * (64-bit ints, bin, ext, 0xc1, invalid UTF-8, a "__proto__" key, truncated or trailing bytes)
 * it returns NOT_PLAIN, and the caller asks msgpackr, so odd frames get msgpackr's value or
 * its error, unchanged.
 *
 * Why not msgpackr for everything: on an 80-byte envelope its per-call set-up and its native
 * string extraction cost ~2 us of a ~30 us inproc round trip, twice per round trip.
 */
import { ENVELOPE_KEYS } from "./envelope-keys.js";

export const NOT_PLAIN: unique symbol = Symbol("not plain");

/** Thrown inside the reader; never escapes this module. */
const BAIL = { bail: true } as const;

// Node's Buffer slices ASCII to a string in one native call; `toString` adds argument checks
// to it that cost more than the copy on short strings.
type Frame = Buffer & { latin1Slice(start: number, end: number): string };
const EMPTY = Buffer.alloc(0) as Frame;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

let src: Frame = EMPTY;
let pos = 0;
let end = 0;
// A small frame as Latin-1, made on its first string of 8 bytes or more: ASCII strings are
// then substrings of it, one native call per frame instead of one per string. Not for big
// frames: a substring can keep its whole parent string alive.
let text = "";
const WHOLE_FRAME_TEXT = 4096;
// Floats are copied here to be read: no DataView made per frame.
const scratch = new Uint8Array(8);
const scratchView = new DataView(scratch.buffer);

export function unpackPlain(frame: Uint8Array): unknown {
  src = (Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength)) as Frame;
  pos = 0;
  end = frame.byteLength;
  try {
    const value = src[0] === 0xde && src[1] === 0 && src[2] === ENVELOPE_KEYS.length ? readEnvelope() : read();
    return pos === end ? value : NOT_PLAIN; // trailing bytes: msgpackr's error to give
  } catch {
    // BAIL, or a frame nested deeper than the stack: msgpackr decides either way.
    return NOT_PLAIN;
  } finally {
    src = EMPTY; // do not keep the last frame alive
    text = "";
  }
}

/**
 * The envelope as createMessage builds it, keys in their usual order, read into one object
 * literal (one allocation of a fixed shape instead of six keyed stores). The same value and
 * key order as the generic reader; any other layout goes to it.
 */
function readEnvelope(): unknown {
  pos = 3;
  if (!nextKey(0)) return rewind();
  const v = read();
  if (!nextKey(1)) return rewind();
  const id = read();
  if (!nextKey(2)) return rewind();
  const type = readType();
  if (!nextKey(3)) return rewind();
  const time = read();
  if (!nextKey(4)) return rewind();
  const runId = read();
  if (!nextKey(5)) return rewind();
  const payload = read();
  return { v, id, type, time, runId, payload };
}

/**
 * The type, from the key cache when it is a short string: a few types make up all traffic,
 * and a string handed back from the cache already has the hash that the lookups of its
 * type (known types, payload checks) need.
 */
function readType(): unknown {
  const token = src[pos]!;
  if (token < 0xa0 || token >= 0xc0) return read();
  pos++;
  return cachedKey(token - 0xa0);
}

function rewind(): unknown {
  pos = 0;
  return read();
}

/** Whether the next key is ENVELOPE_KEYS[index], as a fixstr; moves past it if so. */
function nextKey(index: number): boolean {
  const key = ENVELOPE_KEYS[index]!;
  const length = key.length;
  if (pos + 1 + length > end || src[pos] !== (0xa0 | length)) return false;
  for (let i = 0; i < length; i++) if (src[pos + 1 + i] !== key.charCodeAt(i)) return false;
  pos += 1 + length;
  return true;
}

function need(bytes: number): void {
  if (pos + bytes > end) throw BAIL;
}

function uint16(): number {
  need(2);
  const value = (src[pos]! << 8) | src[pos + 1]!;
  pos += 2;
  return value;
}

function uint32(): number {
  need(4);
  const value = src[pos]! * 0x1000000 + ((src[pos + 1]! << 16) | (src[pos + 2]! << 8) | src[pos + 3]!);
  pos += 4;
  return value;
}

function float(bytes: 4 | 8): number {
  need(bytes);
  for (let i = 0; i < bytes; i++) scratch[i] = src[pos++]!;
  return bytes === 4 ? scratchView.getFloat32(0) : scratchView.getFloat64(0);
}

function read(): unknown {
  need(1);
  const token = src[pos++]!;
  if (token < 0x80) return token;
  if (token < 0x90) return readMap(token - 0x80);
  if (token < 0xa0) return readArray(token - 0x90);
  if (token < 0xc0) return readString(token - 0xa0);
  if (token >= 0xe0) return token - 0x100;
  switch (token) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xca:
      return float(4);
    case 0xcb:
      return float(8);
    case 0xcc:
      need(1);
      return src[pos++];
    case 0xcd:
      return uint16();
    case 0xce:
      return uint32();
    case 0xd0:
      need(1);
      return (src[pos++]! << 24) >> 24;
    case 0xd1:
      return (uint16() << 16) >> 16;
    case 0xd2:
      return uint32() | 0;
    case 0xd9:
      need(1);
      return readString(src[pos++]!);
    case 0xda:
      return readString(uint16());
    case 0xdb:
      return readString(uint32());
    case 0xdc:
      return readArray(uint16());
    case 0xdd:
      return readArray(uint32());
    case 0xde:
      return readMap(uint16());
    case 0xdf:
      return readMap(uint32());
    default:
      // 0xc1, bin, ext and fixext (undefined, timestamps...), 64-bit ints (bigint): msgpackr's.
      throw BAIL;
  }
}

function readArray(length: number): unknown[] {
  // Every item takes a byte at least: a count the frame cannot hold is refused before allocating.
  need(length);
  const array = new Array<unknown>(length);
  for (let i = 0; i < length; i++) array[i] = read();
  return array;
}

function readMap(size: number): Record<string, unknown> {
  need(size * 2);
  const object: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) {
    const key = readKey();
    object[key] = read();
  }
  return object;
}

function readKey(): string {
  need(1);
  const token = src[pos++]!;
  let key: string;
  if (token >= 0xa0 && token < 0xc0) key = cachedKey(token - 0xa0);
  else if (token === 0xd9) {
    need(1);
    key = readString(src[pos++]!);
  } else {
    // Numbers, nil or booleans as keys: msgpackr turns them into strings, or refuses.
    throw BAIL;
  }
  if (key === "__proto__") throw BAIL; // msgpackr renames it
  return key;
}

// Keys repeat in every message (service, jobId, window...): a small cache of short ASCII keys
// hands back the same string instead of building a new one each time.
const KEY_SLOTS = 512;
const keyCache: string[] = new Array<string>(KEY_SLOTS).fill("");

function cachedKey(length: number): string {
  need(length);
  if (length === 0 || length > 16) return readString(length);
  // The second and next-to-last bytes too: "ping" and "pong" (first, last and length alike)
  // took turns in one slot and missed on every message of a round trip.
  const slot =
    (length * 61 + src[pos]! * 7 + src[pos + (length > 1 ? 1 : 0)]! * 131 + src[pos + (length > 2 ? length - 2 : 0)]! * 17 + src[pos + length - 1]!) &
    (KEY_SLOTS - 1);
  const hit = keyCache[slot]!;
  if (hit.length === length) {
    // The cache holds ASCII only, so equal code units mean equal bytes.
    let i = 0;
    while (i < length && hit.charCodeAt(i) === src[pos + i]) i++;
    if (i === length) {
      pos += length;
      return hit;
    }
  }
  const start = pos;
  const key = readString(length);
  if (pos - start === key.length) keyCache[slot] = key; // ASCII: one byte per unit
  return key;
}

function readString(length: number): string {
  need(length);
  const stop = pos + length;
  for (let i = pos; i < stop; i++) {
    if (src[i]! >= 0x80) return utf8String(length);
  }
  if (text === "") {
    if (length < 8) {
      let short = "";
      while (pos < stop) short += String.fromCharCode(src[pos++]!);
      return short;
    }
    if (end > WHOLE_FRAME_TEXT) {
      const value = src.latin1Slice(pos, stop);
      pos = stop;
      return value;
    }
    text = src.latin1Slice(0, end);
  }
  const value = text.substring(pos, stop);
  pos = stop;
  return value;
}

function utf8String(length: number): string {
  let value: string;
  try {
    value = utf8.decode(src.subarray(pos, pos + length));
  } catch {
    throw BAIL; // not valid UTF-8: whatever msgpackr makes of it, it decides
  }
  pos += length;
  return value;
}

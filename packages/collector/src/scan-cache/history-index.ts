/** One author as git recorded it (`%an`, `%ae`), before .mailmap: the mapping can change, the record cannot. */
export interface RawIdentity {
  name: string;
  email: string;
}

/**
 * Every commit reachable from one tip, reduced to what a window's scan needs from the
 * whole history: committer time, author and whether it is a merge, keyed by sha. Stored in
 * columns (typed arrays) so half a million commits cost tens of MiB, not hundreds, and a
 * query is a linear pass over numbers. Order is git's walk order; nothing needs it sorted.
 */
export class HistoryIndex {
  count = 0;
  /** Committer times in seconds. */
  times: Float64Array;
  /** Index into `authors`. */
  authorOf: Uint32Array;
  /** 1 for a merge (more than one parent). */
  merges: Uint8Array;
  /** 20 bytes per commit. */
  shas: Buffer;
  readonly authors: RawIdentity[];
  private readonly authorIds = new Map<string, number>();

  constructor(capacity = 1024, authors: RawIdentity[] = []) {
    this.times = new Float64Array(capacity);
    this.authorOf = new Uint32Array(capacity);
    this.merges = new Uint8Array(capacity);
    this.shas = Buffer.alloc(capacity * 20);
    this.authors = authors;
    authors.forEach((author, id) => this.authorIds.set(identityId(author), id));
  }

  /** Wrap columns read from a file, without copying them. */
  static of(columns: { count: number; times: Float64Array; authorOf: Uint32Array; merges: Uint8Array; shas: Buffer; authors: RawIdentity[] }): HistoryIndex {
    const index = new HistoryIndex(0, columns.authors);
    index.count = columns.count;
    index.times = columns.times;
    index.authorOf = columns.authorOf;
    index.merges = columns.merges;
    index.shas = columns.shas;
    return index;
  }

  add(sha: string, committedSeconds: number, author: RawIdentity, isMerge: boolean): void {
    if (this.count === this.times.length) this.grow(Math.max(1024, this.count * 2));
    const at = this.count++;
    this.times[at] = committedSeconds;
    this.authorOf[at] = this.authorId(author);
    this.merges[at] = isMerge ? 1 : 0;
    if (this.shas.write(sha, at * 20, 20, "hex") !== 20) throw new Error(`not a full sha: ${sha}`);
  }

  /** Add every row of `rows`, whose author ids are already this index's. */
  append(rows: HistoryIndex): void {
    if (this.count + rows.count > this.times.length) this.grow(Math.max(1024, (this.count + rows.count) * 2));
    this.times.set(rows.times.subarray(0, rows.count), this.count);
    this.authorOf.set(rows.authorOf.subarray(0, rows.count), this.count);
    this.merges.set(rows.merges.subarray(0, rows.count), this.count);
    rows.shas.copy(this.shas, this.count * 20, 0, rows.count * 20);
    this.count += rows.count;
  }

  sha(at: number): string {
    return this.shas.toString("hex", at * 20, at * 20 + 20);
  }

  /** Newest committer time in seconds, null without commits. */
  newest(): number | null {
    let newest: number | null = null;
    for (let at = 0; at < this.count; at++) if (newest === null || this.times[at]! > newest) newest = this.times[at]!;
    return newest;
  }

  /**
   * Earliest committer time of each author, by id, lowered from `known` (the times so far):
   * whether someone was active before a window is then a look-up, not a pass over history.
   */
  firstSeen(known: readonly number[] = []): number[] {
    const first = this.authors.map((_, id) => known[id] ?? Infinity);
    for (let at = 0; at < this.count; at++) {
      const id = this.authorOf[at]!;
      if (this.times[at]! < first[id]!) first[id] = this.times[at]!;
    }
    return first;
  }

  /**
   * Row numbers in committer-time order (ties in row order), as a cache block stores them.
   * Plain loops over typed arrays: `TypedArray.from(source, map)` first lists the whole
   * source as JS numbers, tens of MiB of garbage for half a million commits.
   */
  timeOrder(): Uint32Array {
    const n = this.count;
    const times = this.times;
    const order = new Uint32Array(n);
    // Fast path: time and position packed in one exact double, sorted natively (a comparator
    // sort of 500,000 rows takes over a second). Times up to 2106, up to 2 million commits.
    let packable = n <= 2 ** 21;
    for (let at = 0; packable && at < n; at++) {
      const time = times[at]!;
      packable = time >= 0 && time < 2 ** 32 && Number.isInteger(time);
    }
    if (!packable) {
      const rows = Array.from({ length: n }, (_, at) => at).sort((a, b) => times[a]! - times[b]! || a - b);
      order.set(rows);
      return order;
    }
    const keys = new Float64Array(n);
    for (let at = 0; at < n; at++) keys[at] = times[at]! * 2 ** 21 + at;
    keys.sort();
    for (let at = 0; at < n; at++) order[at] = keys[at]! % 2 ** 21;
    return order;
  }

  private authorId(author: RawIdentity): number {
    const key = identityId(author);
    let id = this.authorIds.get(key);
    if (id === undefined) {
      id = this.authors.length;
      this.authors.push({ name: author.name, email: author.email });
      this.authorIds.set(key, id);
    }
    return id;
  }

  private grow(capacity: number): void {
    const times = new Float64Array(capacity);
    times.set(this.times.subarray(0, this.count));
    const authorOf = new Uint32Array(capacity);
    authorOf.set(this.authorOf.subarray(0, this.count));
    const merges = new Uint8Array(capacity);
    merges.set(this.merges.subarray(0, this.count));
    const shas = Buffer.alloc(capacity * 20);
    this.shas.copy(shas, 0, 0, this.count * 20);
    this.times = times;
    this.authorOf = authorOf;
    this.merges = merges;
    this.shas = shas;
  }
}

// A separator that cannot occur in a git identity (git strips control characters from them).
function identityId(author: RawIdentity): string {
  return `${author.name}\n${author.email}`;
}

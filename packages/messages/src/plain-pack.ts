/**
 * MessagePack writer for plain data (null, booleans, numbers, strings, arrays, plain objects),
 * byte for byte what msgpackr writes with `useRecords: false`, so frames do not change on
 * the wire and an older peer reads them as before. Anything else (undefined, bigint, Date,
 * Buffer, Map, class instances) returns undefined and the caller hands the value to msgpackr.
 *
 * Why not msgpackr for everything: per message it sets up state for records, bundled strings
 * and shared structures that plain messages never use; on an 80-byte envelope that set-up was
 * most of the ~2 us it took, against a ~30 us inproc round trip.
 */

// Frames are written into a shared slab and returned as views of it, never overwritten:
// a view handed to zeromq stays valid until the socket is done with it. A new slab is taken
// when one fills up, so the per-message cost is one small view object.
const SLAB_BYTES = 64 * 1024;
let buf = Buffer.allocUnsafeSlow(SLAB_BYTES);
let view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
let pos = 0;
let start = 0;

/** Thrown inside the writer for a value it does not handle; never escapes this module. */
const NOT_PLAIN: unique symbol = Symbol("not plain");

export function packPlain(value: unknown): Buffer | undefined {
  start = pos;
  try {
    write(value);
  } catch {
    // NOT_PLAIN, or anything msgpackr may handle or report its own way (a deep stack...).
    pos = start;
    return undefined;
  }
  const frame = buf.subarray(start, pos);
  // A slab nearly full is left to the frames that view it; the next one starts afresh.
  if (pos > buf.length - 256) {
    buf = Buffer.allocUnsafeSlow(SLAB_BYTES);
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    pos = 0;
  }
  return frame;
}

/** Room for `bytes` more, moving the frame written so far to a bigger slab when needed. */
function ensure(bytes: number): void {
  if (pos + bytes > buf.length) takeSlab(pos - start + bytes);
}

function takeSlab(needed: number): void {
  const written = pos - start;
  const next = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, 2 * needed));
  buf.copy(next, 0, start, pos);
  buf = next;
  view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  start = 0;
  pos = written;
}

function write(value: unknown): void {
  switch (typeof value) {
    case "string":
      writeString(value);
      return;
    case "number":
      writeNumber(value);
      return;
    case "boolean":
      ensure(1);
      buf[pos++] = value ? 0xc3 : 0xc2;
      return;
    case "object": {
      if (value === null) {
        ensure(1);
        buf[pos++] = 0xc0;
        return;
      }
      // The same test msgpackr makes first; other constructors take its extension paths.
      const constructor = (value as { constructor?: unknown }).constructor;
      if (constructor === Object) writeObject(value as Record<string, unknown>);
      else if (constructor === Array) writeArray(value as unknown[]);
      else throw NOT_PLAIN;
      return;
    }
    default:
      throw NOT_PLAIN;
  }
}

function writeObject(object: Record<string, unknown>): void {
  // msgpackr always writes map 16 here and fills in the count afterwards.
  ensure(3);
  buf[pos++] = 0xde;
  const countAt = pos - start; // relative: the frame may move to a new slab meanwhile
  pos += 2;
  let count = 0;
  for (const key in object) {
    if (typeof object.hasOwnProperty !== "function" || object.hasOwnProperty(key)) {
      writeString(key);
      write(object[key]);
      count++;
    }
  }
  if (count > 0xffff) throw NOT_PLAIN; // msgpackr refuses it with its own message
  buf[start + countAt] = count >> 8;
  buf[start + countAt + 1] = count & 0xff;
}

function writeArray(array: unknown[]): void {
  const length = array.length;
  ensure(5);
  if (length < 0x10) {
    buf[pos++] = 0x90 | length;
  } else if (length < 0x10000) {
    buf[pos++] = 0xdc;
    buf[pos++] = length >> 8;
    buf[pos++] = length & 0xff;
  } else {
    buf[pos++] = 0xdd;
    view.setUint32(pos, length);
    pos += 4;
  }
  for (let i = 0; i < length; i++) write(array[i]);
}

function writeNumber(value: number): void {
  ensure(9);
  if (value >>> 0 === value) {
    // Up to 0x7f is a positive fixint: msgpackr's choice when records are off.
    if (value < 0x80) {
      buf[pos++] = value;
    } else if (value < 0x100) {
      buf[pos++] = 0xcc;
      buf[pos++] = value;
    } else if (value < 0x10000) {
      buf[pos++] = 0xcd;
      buf[pos++] = value >> 8;
      buf[pos++] = value & 0xff;
    } else {
      buf[pos++] = 0xce;
      view.setUint32(pos, value);
      pos += 4;
    }
  } else if (value >> 0 === value) {
    if (value >= -0x20) {
      buf[pos++] = 0x100 + value;
    } else if (value >= -0x80) {
      buf[pos++] = 0xd0;
      buf[pos++] = value + 0x100;
    } else if (value >= -0x8000) {
      buf[pos++] = 0xd1;
      view.setInt16(pos, value);
      pos += 2;
    } else {
      buf[pos++] = 0xd2;
      view.setInt32(pos, value);
      pos += 4;
    }
  } else {
    // Fractions, NaN, infinities and integers beyond 32 bits: float 64, as msgpackr does.
    buf[pos++] = 0xcb;
    view.setFloat64(pos, value);
    pos += 8;
  }
}

function writeString(value: string): void {
  const length = value.length;
  // UTF-8 takes at most 3 bytes per UTF-16 unit; the header, at most 5.
  ensure(length * 3 + 5);
  // The header size is guessed from the unit count; UTF-8 is never shorter, so the guess
  // is only ever too small, and then the bytes move up, as in msgpackr.
  const guess = length < 0x20 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
  let bytes: number;
  if (length < 0x40) {
    // msgpackr's own loop for short strings (a lone surrogate becomes 3 bytes, not U+FFFD).
    let at = pos + guess;
    for (let i = 0; i < length; i++) {
      let c1 = value.charCodeAt(i);
      let c2: number;
      if (c1 < 0x80) {
        buf[at++] = c1;
      } else if (c1 < 0x800) {
        buf[at++] = (c1 >> 6) | 0xc0;
        buf[at++] = (c1 & 0x3f) | 0x80;
      } else if ((c1 & 0xfc00) === 0xd800 && ((c2 = value.charCodeAt(i + 1)) & 0xfc00) === 0xdc00) {
        c1 = 0x10000 + ((c1 & 0x03ff) << 10) + (c2 & 0x03ff);
        i++;
        buf[at++] = (c1 >> 18) | 0xf0;
        buf[at++] = ((c1 >> 12) & 0x3f) | 0x80;
        buf[at++] = ((c1 >> 6) & 0x3f) | 0x80;
        buf[at++] = (c1 & 0x3f) | 0x80;
      } else {
        buf[at++] = (c1 >> 12) | 0xe0;
        buf[at++] = ((c1 >> 6) & 0x3f) | 0x80;
        buf[at++] = (c1 & 0x3f) | 0x80;
      }
    }
    bytes = at - pos - guess;
  } else {
    bytes = buf.write(value, pos + guess, buf.length - pos - guess, "utf8");
  }
  if (bytes < 0x20) {
    buf[pos++] = 0xa0 | bytes;
  } else if (bytes < 0x100) {
    if (guess < 2) buf.copyWithin(pos + 2, pos + 1, pos + 1 + bytes);
    buf[pos++] = 0xd9;
    buf[pos++] = bytes;
  } else if (bytes < 0x10000) {
    if (guess < 3) buf.copyWithin(pos + 3, pos + guess, pos + guess + bytes);
    buf[pos++] = 0xda;
    buf[pos++] = bytes >> 8;
    buf[pos++] = bytes & 0xff;
  } else {
    if (guess < 5) buf.copyWithin(pos + 5, pos + guess, pos + guess + bytes);
    buf[pos++] = 0xdb;
    view.setUint32(pos, bytes);
    pos += 4;
  }
  pos += bytes;
}

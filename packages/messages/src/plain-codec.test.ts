import { describe, expect, it } from "vitest";
import { Packr } from "msgpackr";
import { packPlain } from "./plain-pack.js";
import { NOT_PLAIN, unpackPlain } from "./plain-unpack.js";

// The reference: msgpackr as the codec used it before it had its own reader and writer.
const msgpackr = new Packr({ useRecords: false, moreTypes: false });

/** A small seeded generator, so a failure names a seed that reproduces it. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof random>;

// Each boundary where MessagePack changes format, on both sides.
const NUMBERS = [
  0, 1, 0x1f, 0x20, 0x3f, 0x40, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0xffffffff, 0x100000000,
  -1, -0x20, -0x21, -0x80, -0x81, -0x8000, -0x8001, -0x80000000, -0x80000001,
  Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1.5, -2.25, 0.1, 1e300, -1e-300, 5e-324,
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1700000000000,
];
const PIECES = ["a", "Z", "0", " ", "é", "ß", "中文", "😀", "\u{10ffff}", "\ufeff", "\u0000", "\u007f", "\u0080", "\u07ff", "\u0800", "\uffff", "/", '"'];
// Lengths around the str 8 / str 16 headers and msgpackr's short-string cut-off (64 units).
const LENGTHS = [0, 1, 7, 8, 15, 16, 31, 32, 63, 64, 100, 255, 256, 1000, 65535, 65536];

function string(r: Random): string {
  const length = r.next() < 0.05 ? r.pick(LENGTHS) : r.int(40);
  const ascii = r.next() < 0.5;
  let text = "";
  while (text.length < length) text += ascii ? String.fromCharCode(0x20 + r.int(95)) : r.pick(PIECES);
  return whole(text.slice(0, length));
}

/** Cutting a string may split a surrogate pair; lone surrogates have their own test. */
const whole = (text: string) => text.replace(/[\ud800-\udbff]$/, "x");

function value(r: Random, depth: number): unknown {
  const kind = depth > 3 ? r.int(4) : r.int(7);
  switch (kind) {
    case 0:
      return r.pick([null, true, false]);
    case 1:
      return r.next() < 0.5 ? r.pick(NUMBERS) : (r.next() - 0.5) * 10 ** r.int(12);
    case 2:
    case 3:
      return string(r);
    case 4:
      return Array.from({ length: r.next() < 0.1 ? r.pick([15, 16, 17]) : r.int(5) }, () => value(r, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const size = r.next() < 0.1 ? r.pick([15, 16, 17]) : r.int(6);
      for (let i = 0; i < size; i++) object[r.next() < 0.2 ? String(r.int(100)) : whole(string(r).slice(0, 12))] = value(r, depth + 1);
      return object;
    }
  }
}

function envelope(r: Random): Record<string, unknown> {
  return {
    v: 1,
    id: `b59b24dc-74d9-4505-ab44-${r.int(1e12).toString(16).padStart(12, "0")}`,
    type: r.pick(["ping", "pong", "collect", "job.state", "collect.progress"]),
    time: new Date(1.7e12 + r.int(1e11)).toISOString(),
    runId: r.next() < 0.5 ? null : `daily-2026-11-${10 + r.int(18)}`,
    payload: value(r, 1),
  };
}

function samples(count: number, seed: number): unknown[] {
  const r = random(seed);
  return Array.from({ length: count }, (_, i) => (i % 2 ? envelope(r) : value(r, 0)));
}

/**
 * Equal values with equal key order (toEqual ignores order) and Object.is on numbers
 * (toEqual treats -0 and 0 alike).
 */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((key, i) => key === kb[i] && same((a as never)[key], (b as never)[key]));
}

describe("packPlain writes msgpackr's bytes", () => {
  it("for thousands of generated values and envelopes", () => {
    for (const [i, sample] of samples(1500, 14).entries()) {
      const ours = packPlain(sample);
      expect(ours, `sample ${i}`).toBeDefined();
      expect(Buffer.compare(ours!, msgpackr.pack(sample)), `sample ${i}`).toBe(0);
    }
  });

  it("for lone surrogates, long and short (a JS string may hold one)", () => {
    for (const text of ["\ud800", "a\udc00b", "\ud800".repeat(40), `${"x".repeat(70)}\udfff`]) {
      expect(Buffer.compare(packPlain({ text })!, msgpackr.pack({ text }))).toBe(0);
    }
  });

  it("and leaves what is not plain data to msgpackr", () => {
    for (const odd of [undefined, { a: undefined }, [1, undefined], new Date(0), 10n, new Map([[1, 2]]), Buffer.from("x"), new Uint8Array(2), Object.create(null), { f: () => 1 }, Symbol("s")]) {
      expect(packPlain(odd)).toBeUndefined();
    }
  });

  it("keeps every frame it returned intact while it writes more, across new slabs", () => {
    const values = samples(1000, 7);
    const frames = values.map((sample) => packPlain(sample)!);
    const big = { text: "x".repeat(200_000) }; // larger than a slab
    const bigFrame = packPlain(big)!;
    frames.push(...samples(200, 8).map((sample) => packPlain(sample)!));
    for (const [i, sample] of values.entries()) expect(same(msgpackr.unpack(frames[i]!), sample), `sample ${i}`).toBe(true);
    expect(msgpackr.unpack(bigFrame)).toEqual(big);
  });
});

describe("unpackPlain reads what msgpackr reads", () => {
  it("for everything msgpackr writes: the same value and key order, or NOT_PLAIN", () => {
    const extra = [undefined, { a: undefined }, new Date(0), 2n ** 63n - 1n, -(2n ** 63n), Buffer.from("bin"), JSON.parse('{"__proto__":{"x":1},"a":1}')];
    let plain = 0;
    for (const [i, sample] of [...samples(1500, 15), ...extra].entries()) {
      const frame = msgpackr.pack(sample);
      const ours = unpackPlain(frame);
      if (ours === NOT_PLAIN) continue;
      plain++;
      expect(same(ours, msgpackr.unpack(frame)), `sample ${i}`).toBe(true);
    }
    expect(plain).toBeGreaterThanOrEqual(1500);
  });

  it("for the forms other MessagePack writers choose (fixmap, float 32, minimal headers)", () => {
    // variableMapSize writes fixmap / map 16 / map 32 by size; useFloat32 writes float 32.
    const other = new Packr({ useRecords: false, variableMapSize: true, useFloat32: 1 });
    for (const [i, sample] of samples(800, 16).entries()) {
      const frame = other.pack(sample);
      const ours = unpackPlain(frame);
      expect(ours, `sample ${i}`).not.toBe(NOT_PLAIN);
      expect(same(ours, msgpackr.unpack(frame)), `sample ${i}`).toBe(true);
    }
    // str 8 keys, and a str 32 and array 32 / map 32 that msgpackr itself never writes small.
    const hand = Uint8Array.from([0x81, 0xd9, 0x01, 0x6b, 0xdd, 0, 0, 0, 2, 0xdb, 0, 0, 0, 1, 0x41, 0xdf, 0, 0, 0, 0]);
    expect(unpackPlain(hand)).toEqual({ k: ["A", {}] });
    expect(same(unpackPlain(hand), msgpackr.unpack(hand))).toBe(true);
  });

  it("hands every truncated, extended or corrupted frame to msgpackr, or reads it as msgpackr does", () => {
    const r = random(17);
    for (const sample of samples(300, 18)) {
      const frame = msgpackr.pack(sample);
      const variants: Uint8Array[] = [frame.subarray(0, r.int(frame.length)), Buffer.concat([frame, Buffer.from([r.int(256)])])];
      for (let k = 0; k < 5; k++) {
        const bad = Buffer.from(frame);
        bad[r.int(bad.length)] = r.int(256);
        variants.push(bad);
      }
      for (const variant of variants) {
        const ours = unpackPlain(variant);
        if (ours === NOT_PLAIN) continue;
        // msgpackr must read it too, to the same value; a frame it refuses never gets past us.
        expect(same(ours, msgpackr.unpack(variant))).toBe(true);
      }
    }
  });

  it("refuses invalid UTF-8, 64-bit ints, ext types, 0xc1 and huge counts without reading them", () => {
    for (const bytes of [
      [0xa2, 0xc3, 0x28], // invalid UTF-8 continuation
      [0xa3, 0xed, 0xa0, 0x80], // an encoded surrogate
      [0xcf, 0, 0, 0, 0, 0, 0, 0, 1],
      [0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
      [0xd4, 0, 0],
      [0xc1],
      [0xc4, 1, 0],
      [0xdd, 0xff, 0xff, 0xff, 0xff],
      [0xdf, 0xff, 0xff, 0xff, 0xff],
      [0x81, 0x01, 0x02], // a number as key
      [],
    ]) {
      expect(unpackPlain(Uint8Array.from(bytes))).toBe(NOT_PLAIN);
    }
  });

  it("keeps a leading byte-order mark in a string, as msgpackr does", () => {
    const frame = msgpackr.pack("\ufeffhé");
    expect(unpackPlain(frame)).toBe("\ufeffhé");
  });

  it("reads plain Uint8Arrays as well as Buffers", () => {
    const frame = msgpackr.pack({ id: "0123456789abcdef0123", n: [1, -1, 1.5] });
    expect(unpackPlain(new Uint8Array(frame))).toEqual({ id: "0123456789abcdef0123", n: [1, -1, 1.5] });
  });
});

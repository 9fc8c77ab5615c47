import { describe, expect, it } from "vitest";
import { CommandSchema } from "./protocol.js";
import { MessageError, createMessage, decode, encode, typesOf } from "./codec.js";
import { RawManifestSchema } from "./models/raw.js";
import { periodFor } from "./period.js";
import type { Command } from "./protocol.js";

const types = typesOf(CommandSchema);
const ref = periodFor("daily", "2026-11-26", "UTC");
const base = { runId: ref.runId, period: ref.period, key: ref.key, window: ref.window, timezone: ref.timezone };

/** A small deterministic generator (mulberry32): the same hostile values on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_PARTS = [
  "../", "..\\", "/", "/etc/passwd", "\u0000", "\n", "%2e%2e%2f", "．．／", "\u2025", "\u2010", "\u2215", "\u202e", "\u200b",
  "２０２６", "~", "-", "--upload-pack=x", "C:\\", "\uff0f", "e\u0301",
];

/** Traversal, absolute paths, NUL bytes, very long values and unicode look-alikes, mixed into a valid value. */
function hostileValues(valid: string, count: number, seed: number): string[] {
  const next = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const fixed = [
    "../../../escape-collect", "/tmp/escape", "2026-11-26/../../x", "2026-11-26\u0000", "x".repeat(5000),
    "2026\u201011\u201026", "２０２６-11-26", "2026-11-26\u200b", "", ".", "..", "-rf",
  ];
  const random: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = Math.floor(next() * (valid.length + 1));
    const parts = [pick(HOSTILE_PARTS), pick(HOSTILE_PARTS)];
    random.push(next() < 0.5 ? valid.slice(0, at) + parts.join("") + valid.slice(at) : parts.join("") + valid);
  }
  return [...fixed, ...random];
}

function refusal(command: Record<string, unknown>): MessageError | null {
  const frame = encode(createMessage<Command>(command.type as Command["type"], command.payload as never, { runId: base.runId }));
  try {
    decode(frame, CommandSchema, types);
    return null;
  } catch (error) {
    return error as MessageError;
  }
}

describe("path fields are refused at every service boundary", () => {
  it("accepts what Sparky itself sends", () => {
    expect(refusal({ type: "collect", payload: { ...base, repos: ["/srv/git/api", "../web", "./my repo ü"] } })).toBeNull();
    expect(refusal({ type: "collect", payload: { ...base, org: "acme-corp" } })).toBeNull();
    for (const stage of ["analyze", "generate", "publish"]) expect(refusal({ type: stage, payload: { ...base, fence: 3 } })).toBeNull();
    for (const [period, date] of [["weekly", "2026-11-26"], ["monthly", "2026-11-26"]] as const) {
      const spec = periodFor(period, date, "UTC");
      expect(refusal({ type: "analyze", payload: { ...base, runId: spec.runId, period, key: spec.key } })).toBeNull();
    }
  });

  const fields: [string, (value: string) => Record<string, unknown>, string][] = [
    ["collect key", (key) => ({ type: "collect", payload: { ...base, key, repos: ["/srv/a"] } }), "2026-11-26"],
    ["collect run id", (runId) => ({ type: "collect", payload: { ...base, runId, repos: ["/srv/a"] } }), "daily-2026-11-26"],
    ["collect organisation", (org) => ({ type: "collect", payload: { ...base, org } }), "acme"],
    ["analyze key", (key) => ({ type: "analyze", payload: { ...base, key } }), "2026-11-26"],
    ["generate run id", (runId) => ({ type: "generate", payload: { ...base, runId } }), "daily-2026-11-26"],
    ["publish key", (key) => ({ type: "publish", payload: { ...base, key } }), "2026-11-26"],
  ];
  it.each(fields)("%s: traversal, absolute, NUL, long and look-alike values get SPARKY_MSG_INVALID", (_name, build, valid) => {
    for (const value of hostileValues(valid, 200, valid.length)) {
      const error = refusal(build(value));
      expect(error, `accepted ${JSON.stringify(value)}`).not.toBeNull();
      expect(error!.code).toBe("SPARKY_MSG_INVALID");
    }
  });

  it("repository paths: NUL, control and invisible characters, option-like and overlong values are refused", () => {
    for (const repo of ["/srv/a\u0000/etc", "/srv/a\n", "-C/etc", "/srv/\u202eevil", "/srv/\u200ba", "/".repeat(2000), "e\u0301"]) {
      const error = refusal({ type: "collect", payload: { ...base, repos: [repo] } });
      expect(error, `accepted ${JSON.stringify(repo)}`).not.toBeNull();
      expect(error!.message).toMatch(/invalid collect message: payload\.repos\.0: invalid repository path/);
    }
  });

  it("a run id that names another folder than its key is refused", () => {
    const error = refusal({ type: "analyze", payload: { ...base, runId: "daily-2026-11-27" } });
    expect(error?.message).toMatch(/runId must be <period>-<key>/);
  });

  it("a manifest cannot point a reader outside its folder", () => {
    const manifest = {
      ...base,
      schema: "sparky.raw.manifest/1",
      collectedAt: "2026-11-27T00:00:00.000Z",
      complete: true,
      repositories: [{ owner: "local", name: "a", file: "local/a.json", commits: 1, merges: 0, newestCommitAt: null }],
    };
    expect(RawManifestSchema.safeParse(manifest).success).toBe(true);
    for (const file of hostileValues("local/a.json", 100, 7).filter((f) => f.split("/").some((p) => p === ".." || p === "" || p === "." || /[\\\u0000-\u001f]/.test(p)) || f.startsWith("/"))) {
      const bad = { ...manifest, repositories: [{ ...manifest.repositories[0], file }] };
      expect(RawManifestSchema.safeParse(bad).success, `accepted ${JSON.stringify(file)}`).toBe(false);
    }
  });
});

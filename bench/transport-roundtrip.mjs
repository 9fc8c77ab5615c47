#!/usr/bin/env node
// Command round trip through @sparky/transport (Lazy Pirate REQ client + always-reply REP
// loop, MessagePack envelope validated on both sides) against raw zeromq REQ-REP
// carrying the same bytes, measured in the same run, over tcp loopback and inproc.
// Usage: node bench/transport-roundtrip.mjs [iterations]   (run `pnpm build` first)
import { PerformanceObserver } from "node:perf_hooks";
import * as zmq from "zeromq";
import { createRequester, startReplier } from "../packages/transport/dist/index.js";
import { CommandSchema, ReplySchema, createMessage, decode, encode, typesOf } from "../packages/messages/dist/index.js";

const commandTypes = typesOf(CommandSchema);
const replyTypes = typesOf(ReplySchema);

const N = Number(process.argv[2] ?? 20000);
// Long enough for V8 to optimise the heavier path too: short warm-ups charge JIT time to it.
const WARMUP = Math.min(2000, N / 5);

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const us = (ns) => (Number(ns) / 1000).toFixed(1);

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { p50: pct(sorted, 50), p99: pct(sorted, 99) };
}

/**
 * Raw zeromq REQ-REP. With `codec`, each side also builds, encodes, decodes and validates
 * the envelope the way @sparky does, with no socket helpers: it splits the overhead into
 * the contract's cost and the helpers' cost.
 */
async function raw(endpoint, codec = false) {
  const rep = new zmq.Reply({ linger: 0 });
  await rep.bind(endpoint);
  const bound = rep.lastEndpoint ?? endpoint;
  const pong = encode(createMessage("pong", { service: "bench", pid: process.pid, uptimeMs: 1 }));
  const serving = (async () => {
    for await (const [msg] of rep) {
      if (!codec) {
        await rep.send(pong);
        continue;
      }
      decode(msg, CommandSchema, commandTypes);
      await rep.send(encode(createMessage("pong", { service: "bench", pid: process.pid, uptimeMs: 1 })));
    }
  })().catch(() => {});
  const req = new zmq.Request({ linger: 0 });
  req.connect(bound);
  const frame = encode(createMessage("ping", {}));
  const samples = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const t = process.hrtime.bigint();
    await req.send(codec ? encode(createMessage("ping", {})) : frame);
    const [reply] = await req.receive();
    if (codec) decode(reply, ReplySchema, replyTypes);
    if (i >= WARMUP) samples.push(process.hrtime.bigint() - t);
  }
  req.close();
  rep.close();
  await serving;
  return samples;
}

async function sparky(endpoint) {
  const replier = await startReplier({
    endpoint,
    handle: async () => createMessage("pong", { service: "bench", pid: process.pid, uptimeMs: 1 }),
  });
  const client = createRequester({ endpoint: replier.endpoint, timeoutMs: 2000, retries: 0 });
  const samples = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const t = process.hrtime.bigint();
    await client.request(createMessage("ping", {}));
    if (i >= WARMUP) samples.push(process.hrtime.bigint() - t);
  }
  client.close();
  await replier.close();
  return samples;
}

// Garbage collections during each case: the tail's first suspect is GC from per-message allocation.
const gcTally = { count: 0, ms: 0, max: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcTally.count++;
    gcTally.ms += entry.duration;
    gcTally.max = Math.max(gcTally.max, entry.duration);
  }
}).observe({ entryTypes: ["gc"] });
async function withGc(run, into) {
  Object.assign(gcTally, { count: 0, ms: 0, max: 0 });
  const samples = await run();
  await new Promise((r) => setImmediate(r)); // observer entries arrive asynchronously
  into.count += gcTally.count;
  into.ms += gcTally.ms;
  into.max = Math.max(into.max, gcTally.max);
  return samples;
}
const gcLine = (g) => `${g.count} GCs, ${g.ms.toFixed(1)} ms in GC, longest ${g.max.toFixed(2)} ms`;

const ROUNDS = 5;
const TARGET = 1.2;
console.log(`round trips per case: ${ROUNDS} rounds x ${N} (after ${WARMUP} warm-up each), rounds alternate raw, raw + codec and @sparky`);
const pingBytes = encode(createMessage("ping", {})).length;
const pongBytes = encode(createMessage("pong", { service: "bench", pid: process.pid, uptimeMs: 1 })).length;
console.log(`payload: one ping command (${pingBytes} bytes) and one pong reply (${pongBytes} bytes), MessagePack envelopes; raw zeromq sends the same bytes`);
const range = (xs, f) => `${f(Math.min(...xs))}-${f(Math.max(...xs))}`;
for (const [name, base] of [
  ["tcp", "tcp://127.0.0.1:0"],
  ["inproc", "inproc://bench"],
]) {
  // Alternate the cases so machine noise hits them alike; pool the samples of all rounds,
  // and keep each round's own ratios to show the spread (one noisy round neither passes nor fails it).
  const rawSamples = [];
  const codecSamples = [];
  const ourSamples = [];
  const rounds = [];
  const gcs = { raw: { count: 0, ms: 0, max: 0 }, codec: { count: 0, ms: 0, max: 0 }, sparky: { count: 0, ms: 0, max: 0 } };
  for (let round = 0; round < ROUNDS; round++) {
    globalThis.gc?.();
    const r = await withGc(() => raw(base.replace("bench", `bench-raw-${round}`)), gcs.raw);
    globalThis.gc?.();
    const c = await withGc(() => raw(base.replace("bench", `bench-codec-${round}`), true), gcs.codec);
    globalThis.gc?.();
    const o = await withGc(() => sparky(base.replace("bench", `bench-sparky-${round}`)), gcs.sparky);
    rawSamples.push(...r);
    codecSamples.push(...c);
    ourSamples.push(...o);
    const [rs, os] = [summarize(r), summarize(o)];
    rounds.push({ p50: Number(os.p50) / Number(rs.p50), p99: Number(os.p99) / Number(rs.p99), raw99: rs.p99, our99: os.p99 });
  }
  const r = summarize(rawSamples);
  const s = summarize(ourSamples);
  const c = summarize(codecSamples);
  const ratio50 = Number(s.p50) / Number(r.p50);
  const ratio99 = Number(s.p99) / Number(r.p99);
  const x = (v) => `${v.toFixed(2)}x`;
  const verdict = (v) => (v <= TARGET ? "OK" : "OVER");
  console.log(
    `${name.padEnd(6)} raw zeromq   p50 ${us(r.p50).padStart(7)} us  p99 ${us(r.p99).padStart(7)} us  ${gcLine(gcs.raw)}\n` +
      `${name.padEnd(6)} raw + codec  p50 ${us(c.p50).padStart(7)} us  p99 ${us(c.p99).padStart(7)} us  ${gcLine(gcs.codec)} (envelope built, encoded, decoded, validated; no helpers)\n` +
      `${name.padEnd(6)} @sparky      p50 ${us(s.p50).padStart(7)} us  p99 ${us(s.p99).padStart(7)} us  ${gcLine(gcs.sparky)}\n` +
      `${name.padEnd(6)} per round    p50 ${range(rounds.map((q) => q.p50), x)}  p99 ${range(rounds.map((q) => q.p99), x)}  (spread of the ${ROUNDS} rounds' ratios)\n` +
      `${name.padEnd(6)} ratio        p50 ${x(ratio50)}  p99 ${x(ratio99)}  (all rounds pooled; target <= ${TARGET}x)\n` +
      `${name.padEnd(6)} verdict      p50 ${verdict(ratio50)}  p99 ${verdict(ratio99)}`,
  );
}

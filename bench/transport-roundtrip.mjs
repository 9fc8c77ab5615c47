#!/usr/bin/env node
// Command round trip through @sparky/transport (Lazy Pirate REQ client + always-reply REP
// loop, MessagePack envelope validated with zod on both sides) against raw zeromq REQ-REP
// carrying the same bytes, measured in the same run, over tcp loopback and inproc.
// Usage: node bench/transport-roundtrip.mjs [iterations]   (run `pnpm build` first)
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

const ROUNDS = 3;
console.log(`round trips per case: ${ROUNDS} rounds x ${N} (after ${WARMUP} warm-up each), rounds alternate raw, raw + codec and @sparky`);
console.log("payload: one ping command and one pong reply (MessagePack envelope, ~80 bytes)");
for (const [name, base] of [
  ["tcp", "tcp://127.0.0.1:0"],
  ["inproc", "inproc://bench"],
]) {
  // Alternate the two so machine noise hits both alike; pool the samples of all rounds.
  const rawSamples = [];
  const codecSamples = [];
  const ourSamples = [];
  for (let round = 0; round < ROUNDS; round++) {
    globalThis.gc?.();
    rawSamples.push(...(await raw(base.replace("bench", `bench-raw-${round}`))));
    globalThis.gc?.();
    codecSamples.push(...(await raw(base.replace("bench", `bench-codec-${round}`), true)));
    globalThis.gc?.();
    ourSamples.push(...(await sparky(base.replace("bench", `bench-sparky-${round}`))));
  }
  const r = summarize(rawSamples);
  const s = summarize(ourSamples);
  const c = summarize(codecSamples);
  const ratio50 = Number(s.p50) / Number(r.p50);
  const ratio99 = Number(s.p99) / Number(r.p99);
  console.log(
    `${name.padEnd(6)} raw zeromq   p50 ${us(r.p50).padStart(7)} us  p99 ${us(r.p99).padStart(7)} us\n` +
      `${name.padEnd(6)} raw + codec  p50 ${us(c.p50).padStart(7)} us  p99 ${us(c.p99).padStart(7)} us  (envelope built, encoded, decoded, validated; no helpers)\n` +
      `${name.padEnd(6)} @sparky      p50 ${us(s.p50).padStart(7)} us  p99 ${us(s.p99).padStart(7)} us\n` +
      `${name.padEnd(6)} ratio        p50 ${ratio50.toFixed(2)}x  p99 ${ratio99.toFixed(2)}x  (target <= 1.5x) ${ratio50 <= 1.5 && ratio99 <= 1.5 ? "OK" : "OVER"}`,
  );
}

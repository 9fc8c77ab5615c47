#!/usr/bin/env node
// Where the round trip's overhead over raw zeromq goes: the same bare REQ-REP exchange as
// bench/transport-roundtrip.mjs, once as-is, once with only the envelope built and encoded
// per message (both sides), once with only each frame decoded and validated (both sides),
// once with both, and once through @sparky/transport, in alternating rounds of one run.
// Usage: node bench/transport-codec-split.mjs [iterations] [tcp|inproc]   (run `pnpm build` first)
import * as zmq from "zeromq";
import { createRequester, startReplier } from "../packages/transport/dist/index.js";
import { CommandSchema, ReplySchema, createMessage, decode, encode, typesOf } from "../packages/messages/dist/index.js";

const commandTypes = typesOf(CommandSchema);
const replyTypes = typesOf(ReplySchema);
const N = Number(process.argv[2] ?? 5000);
const WARMUP = Math.min(1000, N / 5);
const ROUNDS = 4;
const transport = process.argv[3] ?? "tcp";
const base = transport === "inproc" ? "inproc://split-NAME" : "tcp://127.0.0.1:0";
const pongOf = () => createMessage("pong", { service: "bench", pid: process.pid, uptimeMs: 1 });
const CASES = {
  "raw zeromq": { enc: false, dec: false },
  "+ encode": { enc: true, dec: false },
  "+ decode": { enc: false, dec: true },
  "+ both": { enc: true, dec: true },
  // As "+ both", with the time spent inside the codec calls summed (not shown as a latency
  // line: its clock reads would tint it).
  timed: { enc: true, dec: true, timed: true },
};
// REQ-REP is lockstep: the server side handles request i while the client waits on it.
const codecNs = { sum: 0n, count: 0, counting: false };
const now = () => process.hrtime.bigint();

async function bare(endpoint, { enc, dec, timed }) {
  const rep = new zmq.Reply({ linger: 0 });
  await rep.bind(endpoint);
  const pong = encode(pongOf());
  const serving = (async () => {
    for await (const [msg] of rep) {
      const t = timed ? now() : 0n;
      if (dec) decode(msg, CommandSchema, commandTypes);
      const frame = enc ? encode(pongOf()) : pong;
      if (timed && codecNs.counting) codecNs.sum += now() - t;
      await rep.send(frame);
    }
  })().catch(() => {});
  const req = new zmq.Request({ linger: 0 });
  req.connect(rep.lastEndpoint ?? endpoint);
  const frame = encode(createMessage("ping", {}));
  const samples = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const t = process.hrtime.bigint();
    codecNs.counting = timed && i >= WARMUP;
    const request = enc ? encode(createMessage("ping", {})) : frame;
    if (timed && i >= WARMUP) codecNs.sum += now() - t;
    await req.send(request);
    const [reply] = await req.receive();
    const d = timed ? now() : 0n;
    if (dec) decode(reply, ReplySchema, replyTypes);
    if (timed && i >= WARMUP) {
      codecNs.sum += now() - d;
      codecNs.count++;
    }
    if (i >= WARMUP) samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  req.close();
  rep.close();
  await serving;
  return samples;
}

async function sparky(endpoint) {
  const replier = await startReplier({ endpoint, handle: async () => pongOf() });
  const client = createRequester({ endpoint: replier.endpoint, timeoutMs: 2000, retries: 0 });
  const samples = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const t = process.hrtime.bigint();
    await client.request(createMessage("ping", {}));
    if (i >= WARMUP) samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  client.close();
  await replier.close();
  return samples;
}

const names = [...Object.keys(CASES), "@sparky"];
const shown = names.filter((name) => name !== "timed");
const results = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, name] of names.entries()) {
    const endpoint = base.replace("NAME", `${round}-${i}`);
    results[name].push(...(name === "@sparky" ? await sparky(endpoint) : await bare(endpoint, CASES[name])));
  }
}
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const raw = [...results["raw zeromq"]].sort((a, b) => a - b);
console.log(`${transport}: ${ROUNDS} alternating rounds x ${N} round trips per case (after ${WARMUP} warm-up), pooled`);
for (const name of shown) {
  const s = [...results[name]].sort((a, b) => a - b);
  console.log(
    `${name.padEnd(11)} p50 ${pct(s, 50).toFixed(1).padStart(7)} us  p90 ${pct(s, 90).toFixed(1).padStart(7)} us  p99 ${pct(s, 99).toFixed(1).padStart(7)} us` +
      (name === "raw zeromq" ? "  baseline" : `  p50 ${(pct(s, 50) / pct(raw, 50)).toFixed(2)}x  p99 ${(pct(s, 99) / pct(raw, 99)).toFixed(2)}x`),
  );
}

// The same codec calls back to back, hot: what they cost without the exchange around them.
const ping = encode(createMessage("ping", {}));
const pongFrame = encode(pongOf());
const loop = () => {
  encode(createMessage("ping", {}));
  decode(ping, CommandSchema, commandTypes);
  encode(pongOf());
  decode(pongFrame, ReplySchema, replyTypes);
};
for (let i = 0; i < 20_000; i++) loop();
const t = now();
for (let i = 0; i < 100_000; i++) loop();
const hot = Number(now() - t) / 100_000 / 1000;
const inExchange = Number(codecNs.sum) / codecNs.count / 1000;
console.log(
  `codec work per round trip (2 envelopes built and encoded, 2 decoded and validated): ${inExchange.toFixed(1)} us inside the exchange, ` +
    `${hot.toFixed(1)} us back to back; ${((inExchange / pct(raw, 50)) * 100).toFixed(0)}% of raw zeromq's p50`,
);
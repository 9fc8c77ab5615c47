#!/usr/bin/env node
// Idle RSS of each stage service (`sparky serve collector|analyzer|generator|publisher`) once
// it answers /health and has sat idle for a moment, against an idle `node` in the same run.
// The analyzer and generator check Ollama as they start: each is measured with nothing at the
// default Ollama address (the laptop default), and again with a stand-in Ollama answering
// (a deployment), whose check makes the service's first HTTP requests to Ollama.
// Linux only (reads /proc/<pid>/status). Usage: node bench/service-idle-rss.mjs [rounds]
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROUNDS = Number(process.argv[2] ?? 3);
const TARGET_MIB = 80;
const SPARKY = process.env.SPARKY_BENCH_BIN ?? fileURLToPath(new URL("../packages/cli/bin/sparky.js", import.meta.url));
const STAGES = ["collector", "analyzer", "generator", "publisher"];
const LLM_STAGES = ["analyzer", "generator"];
const CASES = [...STAGES.map((stage) => ({ stage, ollama: false })), ...LLM_STAGES.map((stage) => ({ stage, ollama: true }))];
const label = ({ stage, ollama }) => `serve ${stage}${ollama ? " (Ollama up)" : ""}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The services start the way the image starts them: with the node flags of its ENTRYPOINT.
const ENTRYPOINT = /^ENTRYPOINT (\[.*\])$/m.exec(await readFile(new URL("../Dockerfile", import.meta.url), "utf8"))?.[1];
const entry = ENTRYPOINT ? JSON.parse(ENTRYPOINT) : [];
const NODE_FLAGS = entry.slice(entry.indexOf("node") + 1).filter((a) => a.startsWith("--"));

async function freePort() {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const ok = await new Promise((resolve) => {
      const server = createServer().once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

const rssMiB = async (pid) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, "utf8"))[1]) / 1024;

/** Start ARGS, wait until `ready()` says so, let it idle, read its RSS, stop it. */
async function idleRss(args, env, ready) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const exited = new Promise((resolve) => child.on("exit", resolve));
  try {
    for (let i = 0; !(await ready()); i++) {
      if (child.exitCode !== null || i > 600) throw new Error(`${args.join(" ")} did not start: ${err}`);
      await sleep(100);
    }
    await sleep(2000); // idle: start-up garbage collected, timers settled
    return await rssMiB(child.pid);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

const { startFakeOllama } = await import("../packages/llm/dist/testing/index.js");
const ollama = await startFakeOllama({ script: () => ({ content: "{}" }) });
const dir = await mkdtemp(join(tmpdir(), "sparky-bench-idle-"));
try {
  const results = { node: [], ...Object.fromEntries(CASES.map((c) => [label(c), []])) };
  for (let round = 0; round < ROUNDS; round++) {
    results.node.push(await idleRss(["-e", "setInterval(() => {}, 1000)"], {}, async () => true));
    for (const c of CASES) {
      const { stage } = c;
      const [http, rep] = [await freePort(), await freePort()];
      const env = {
        SPARKY_DATA_DIR: join(dir, "data"),
        SPARKY_LOG_LEVEL: "warn",
        [`SPARKY_${stage.toUpperCase()}_HTTP_PORT`]: String(http),
        [`SPARKY_${stage.toUpperCase()}_ENDPOINT`]: `tcp://127.0.0.1:${rep}`,
        ...(c.ollama ? { [`SPARKY_${stage.toUpperCase()}_OLLAMA_URL`]: ollama.url } : {}),
      };
      const health = () => fetch(`http://127.0.0.1:${http}/health`).then((r) => r.ok, () => false);
      results[label(c)].push(await idleRss([...NODE_FLAGS, SPARKY, "serve", stage], env, health));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const spread = (xs) => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
  console.log(`idle RSS after /health answers and 2 s idle; ${ROUNDS} alternating rounds, median (spread); node flags as the image's ENTRYPOINT: ${NODE_FLAGS.join(" ") || "none"}`);
  console.log(`${"node (idle timer)".padEnd(30)} ${median(results.node).toFixed(1).padStart(6)} MiB (${spread(results.node)})  baseline`);
  for (const c of CASES) {
    const m = median(results[label(c)]);
    console.log(
      `${label(c).padEnd(30)} ${m.toFixed(1).padStart(6)} MiB (${spread(results[label(c)])})  ${(m / median(results.node)).toFixed(2)}x node  (target <= ${TARGET_MIB} MiB) ${m <= TARGET_MIB ? "OK" : "OVER"}`,
    );
  }
} finally {
  await ollama.close();
  await rm(dir, { recursive: true, force: true });
}

import { resolve } from "node:path";
import { readDataDir } from "@sparky/harness/config-file";
import { dataLayout } from "@sparky/messages/layout";
import type { RunRow } from "@sparky/orchestrator/run-index";
import { COMMON_OPTIONS, parse, positiveInt } from "../args.js";
import { EXIT, UsageError } from "../cli-error.js";
import { readRuns, readStatus } from "../state-read.js";
import { table } from "../table.js";
import type { Io } from "../io.js";

// These two answer at node's start-up speed: they import no service, no zod and no socket
// library, and read the run index instead of every run file (state-read.ts).

export const STATUS_HELP = `Usage: sparky status [--json] [--config FILE] [--data-dir DIR]

What the orchestrator is doing and how the last runs went, read from
data/state/ directly: it answers even when no service is running.
`;

export const TASKS_HELP = `Usage: sparky tasks [--status pending|running|succeeded|failed] [--limit N] [--json]

List runs (most recently updated first) with their stage, attempts and, for a
failed run, why. Reads data/state/ directly.
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function statusCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse("status", args, { ...COMMON_OPTIONS, json: { type: "boolean", default: false } });
  if (values.help) {
    io.stdout.write(STATUS_HELP);
    return EXIT.ok;
  }
  const dataDir = dataDirOf(values, io.cwd);
  const status = await readStatus(dataDir);
  // The table's five, --json's ten; "Last run" and the notes come with the index's head.
  const { rows: runs, lastFinished, noted } = await readRuns(dataDir, (rows) => rows.length >= 10);
  const orchestrator = status?.orchestrator ?? null;
  // The process that last wrote the state is checked by pid (same host, or the same pod
  // under `just status`); a served one elsewhere is judged by its 30 s heartbeat.
  const heartbeat = status?.lastCheck ? io.now().getTime() - Date.parse(status.lastCheck) < 90_000 : false;
  const up = orchestrator !== null && (alive(orchestrator.pid) || (orchestrator.mode === "served" && heartbeat));
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ status, orchestratorRunning: up, runs: runs.slice(0, 10) })}\n`);
    return EXIT.ok;
  }
  if (!status) {
    io.stdout.write(`No orchestrator state in ${dataLayout(dataDir).stateDir} yet: run \`sparky digest\` or \`sparky serve orchestrator\`.\n`);
    return EXIT.ok;
  }
  // Run records are written first and are the truth; status.json may trail them by a moment.
  const lastRun = lastFinished ?? status.lastRun;
  const who = orchestrator?.mode === "embedded" ? "in `sparky digest`" : "served";
  const running = status.running.map((r) => `${r.runId}${r.stage ? ` (${r.stage})` : ""} since ${r.since}`).join(", ");
  // A run still marked running whose process is gone was interrupted (Ctrl-C, kill, a crash).
  const interrupted = status.running
    .map((r) => `${r.runId} was interrupted${r.stage ? ` during ${r.stage}` : ""} (pid ${orchestrator?.pid} has ended): continue it with \`sparky resume ${r.runId}\``)
    .join("; ");
  const lines = [
    `Orchestrator: ${up ? `running ${who} (pid ${orchestrator!.pid}, since ${orchestrator!.startedAt})` : `not running (last seen ${status.updatedAt}${orchestrator ? `, ${who}` : ""})`}`,
    `Last check:   ${status.lastCheck ?? "never"}`,
    `Running:      ${!status.running.length ? "nothing" : up ? running : `nothing; ${interrupted}`}`,
    `Pending:      ${status.pending.length ? status.pending.join(", ") : "nothing"}`,
    `Last run:     ${lastRun ? `${lastRun.runId} ${lastRun.state}${lastRun.reason ? `: ${lastRun.reason}` : ""}` : "none"}`,
  ];
  // A partial collection, or a wait for GitHub's quota: what the state and reason alone do not say.
  for (const { runId, note } of noted) lines.push(`Note:         ${runId}: ${note}`);
  io.stdout.write(`${lines.join("\n")}\n`);
  if (runs.length) io.stdout.write(`\nRecent runs:\n${runsTable(runs.slice(0, 5))}`);
  return EXIT.ok;
}

/** --data-dir, else the config's data_dir: the only key these commands need. */
function dataDirOf(values: { config?: string | undefined; "data-dir"?: string | undefined }, cwd: string): string {
  return values["data-dir"] ? resolve(cwd, values["data-dir"]) : readDataDir({ file: values.config, cwd });
}

function runsTable(rows: RunRow[]): string {
  return table(
    ["RUN", "STATE", "STAGE", "ATTEMPTS", "UPDATED", "REASON"],
    rows.map((r) => [r.runId, r.state, r.stage ?? "-", String(r.attempts), r.updatedAt, r.reason ?? r.note ?? ""]),
  );
}

export async function tasksCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse("tasks", args, {
    ...COMMON_OPTIONS,
    status: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean", default: false },
  });
  if (values.help) {
    io.stdout.write(TASKS_HELP);
    return EXIT.ok;
  }
  const states = ["pending", "running", "succeeded", "failed"];
  if (values.status && !states.includes(values.status)) {
    throw new UsageError(`tasks: --status must be one of ${states.join(", ")}, got "${values.status}"`);
  }
  const limit = positiveInt("tasks", "limit", values.limit, 20);
  const dataDir = dataDirOf(values, io.cwd);
  const matching = (r: RunRow) => !values.status || r.state === values.status;
  let seen = 0;
  let matched = 0;
  // Called after each row read: count the new ones only.
  const enough = (rows: RunRow[]) => {
    for (; seen < rows.length; seen++) if (matching(rows[seen]!)) matched++;
    return matched >= limit;
  };
  const { rows: runs } = await readRuns(dataDir, enough);
  const rows = runs.filter(matching).slice(0, limit);
  if (values.json) io.stdout.write(`${JSON.stringify(rows)}\n`);
  else if (!rows.length) io.stdout.write(`No runs${values.status ? ` with status ${values.status}` : ""} in ${dataLayout(dataDir).runsDir}.\n`);
  else io.stdout.write(runsTable(rows));
  return EXIT.ok;
}

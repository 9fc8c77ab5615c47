import { COMMON_OPTIONS, parse } from "../args.js";
import { EXIT, UsageError } from "../cli-error.js";
import { NOTIFY_GRACE_MS, startEmbedded } from "../embedded.js";
import { humanLogStream } from "../human-log.js";
import { failRunOnInterrupt } from "../interrupt.js";
import { loadWithFlags } from "../load.js";
import { describeEvent } from "../progress.js";
import { digestJson } from "./digest.js";
import type { Io } from "../io.js";

export const RESUME_HELP = `Usage: sparky resume RUN_ID [--json] [--quiet] [--config FILE] [--data-dir DIR]

Continue a run (e.g. daily-2026-11-26) in this process from its first stage whose
output is missing or no longer passes its gate. Stages that succeeded are kept.
Re-running never commits the same digest to the docs repository twice.
`;

export async function resumeCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    "resume",
    args,
    {
      ...COMMON_OPTIONS,
      "output-dir": { type: "string" },
      "docs-repo": { type: "string" },
      json: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(RESUME_HELP);
    return EXIT.ok;
  }
  const runId = positionals[0];
  if (!runId || positionals.length > 1) throw new UsageError("resume: give one run id, e.g. `sparky resume daily-2026-11-26` (see `sparky tasks`)");
  const config = loadWithFlags(values, io.cwd);
  // Readable warnings for a person; JSON when --log-level asks for the logs themselves.
  const embedded = await startEmbedded(config, {
    logLevel: values["log-level"] ?? "warn",
    destination: values["log-level"] ? undefined : humanLogStream(io.stderr),
  });
  const release = failRunOnInterrupt(embedded.orchestrator, runId, io);
  const unsubscribe = embedded.orchestrator.onEvent((event) => {
    const line = event.runId === runId ? describeEvent(event) : null;
    if (line && !values.quiet) io.stderr.write(`  ${line}\n`);
  });
  let record;
  try {
    record = await embedded.orchestrator.resume(runId);
  } finally {
    unsubscribe();
    release();
    embedded.notifier.announce(runId);
    await embedded.stop();
  }
  const summary = digestJson(record, record.key);
  if (values.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else if (record.state === "succeeded") io.stdout.write(`${runId} succeeded: ${summary.digestPath}\n`);
  if (record.state !== "succeeded") io.stderr.write(`sparky: ${runId} failed: ${record.reason}\n`);
  await embedded.notifier.stop(NOTIFY_GRACE_MS);
  return record.state === "succeeded" ? EXIT.ok : EXIT.failed;
}

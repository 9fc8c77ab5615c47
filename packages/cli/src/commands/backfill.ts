import { PERIODS, countOf, localDay, parseDate, yesterday } from "@sparky/messages";
import type { Period } from "@sparky/messages";
import type { BackfillRecord } from "@sparky/orchestrator";
import { COMMON_OPTIONS, parse } from "../args.js";
import { formatDuration, progressWriter } from "../backfill-progress.js";
import { EXIT, UsageError } from "../cli-error.js";
import { NOTIFY_GRACE_MS, startEmbedded } from "../embedded.js";
import { humanLogStream } from "../human-log.js";
import { loadWithFlags } from "../load.js";
import type { Io } from "../io.js";

export const BACKFILL_HELP = `Usage: sparky backfill --from DATE [--to DATE] [--period P] [options]

Make the digest of every period from --from to --to, oldest first, one at a time, all in
this process (the five services over inproc:// sockets, as \`sparky digest\`). Runs are
recorded with trigger "backfill"; a quiet period makes a quiet digest.

  - Periods whose run already succeeded are skipped: after an interrupt (Ctrl-C) or a
    failure, the same command carries on where it stopped and retries only what failed.
  - A failed period does not stop the rest; the summary lists each failure and the
    command that retries them.
  - Collections already complete are reused (local git and GitHub alike); with GitHub,
    quota is waited out under the same visible, capped rule as a single run.

Options:
  --period P           daily | weekly | monthly (default: daily)
  --from DATE          YYYY-MM-DD: the first period is the one containing it (required)
  --to DATE            YYYY-MM-DD, "today" or "yesterday": the last period is the one
                       containing it (default: yesterday in the configured time zone)
  --repo PATH          Git repository to collect (repeat for several; default: [collector] repos)
  --org NAME           GitHub organisation to collect instead (token from GITHUB_TOKEN)
  --data-dir DIR       Where raw, processed and state files go (default: [data_dir], ./data)
  --output-dir DIR     Where digests are written (default: [generator] output_dir, ./output)
  --docs-repo PATH     Git repository the digests are committed to (default: [publisher] git_repo)
  --json               Print the backfill record (periods, failures) as JSON on stdout
  --quiet              No progress on stderr
  --config FILE        TOML config (default: config/$SPARKY_ENV.toml, SPARKY_ENV=development)
  --log-level LEVEL    Service logs on stderr (default: warn)
  -h, --help           This help

Progress goes to stderr: on a terminal one line updated in place (done/total, periods
already succeeded, failures so far, the period running, ETA); otherwise one plain line
as each period starts. A served orchestrator takes the same request as POST /backfill.

Examples:
  sparky backfill --period daily --from 2026-09-01 --to 2026-11-30
  sparky backfill --period weekly --from 2026-01-01 --repo ../api --repo ../web

Exit status: 0 every period succeeded, 1 some failed (listed), 2 bad arguments or
config, 130 interrupted (run the same command again to carry on).
`;

/** Quote an argument for a POSIX shell when it needs it, so the printed command can be pasted. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function resolveTo(text: string | undefined, now: Date, timezone: string): string {
  if (text === undefined || text === "yesterday") return yesterday(now, timezone);
  if (text === "today") return localDay(now.getTime(), timezone);
  parseDate(text);
  return text;
}

function summary(record: BackfillRecord, retry: string): string {
  const lines = [
    `Backfill ${record.period} ${record.from} to ${record.to}: ${countOf(record.runIds.length, "period")}, ` +
      `${record.succeeded} succeeded, ${record.skipped} already succeeded before, ${record.failed.length} failed`,
  ];
  if (record.failed.length) {
    lines.push("Failed:");
    for (const f of record.failed) lines.push(`  ${f.runId}: ${f.reason}`);
    lines.push(`Retry the failures (periods that succeeded are skipped): ${retry}`);
    lines.push(`  or one at a time: ${record.failed.map((f) => `sparky resume ${f.runId}`).join("; ")}`);
  }
  return `${lines.join("\n")}\n`;
}

export async function backfillCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse("backfill", args, {
    ...COMMON_OPTIONS,
    period: { type: "string", default: "daily" },
    from: { type: "string" },
    to: { type: "string" },
    repo: { type: "string", multiple: true },
    org: { type: "string" },
    "output-dir": { type: "string" },
    "docs-repo": { type: "string" },
    json: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  });
  if (values.help) {
    io.stdout.write(BACKFILL_HELP);
    return EXIT.ok;
  }
  if (!(PERIODS as readonly string[]).includes(values.period!)) {
    throw new UsageError(`backfill: --period must be daily, weekly or monthly, got "${values.period}"`);
  }
  if (!values.from) throw new UsageError("backfill: --from DATE is required, e.g. --from 2026-09-01; see `sparky backfill --help`");
  if (values.org !== undefined && values.repo?.length) throw new UsageError("backfill: give either --org or --repo, not both");
  if (values.org !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(values.org)) {
    throw new UsageError(`backfill: --org must be a GitHub organisation login such as "my-org", got "${values.org}"`);
  }
  const period = values.period as Period;
  const config = loadWithFlags(values, io.cwd);
  const org = values.org ?? (values.repo?.length ? null : config.collector.github_org || null);
  const repos = org ? [] : values.repo?.length ? values.repo.map((r) => io.resolve(r)) : config.collector.repos;
  const to = resolveTo(values.to, io.now(), config.timezone);
  const retry = ["sparky", "backfill", ...args].map(shellQuote).join(" ");

  const embedded = await startEmbedded(config, {
    logLevel: values["log-level"] ?? "warn",
    destination: values["log-level"] ? undefined : humanLogStream(io.stderr),
  });
  const progress = progressWriter(io.stderr);
  let current: string | null = null;
  const started = Date.now();
  // Ctrl-C: the period running is recorded as interrupted; the same command carries on.
  const onSignal = (signal: NodeJS.Signals) => {
    void (async () => {
      progress.end();
      const runId = current;
      const record = runId ? await embedded.orchestrator.store.loadRun(runId).catch(() => null) : null;
      if (record && (record.state === "running" || record.state === "pending")) {
        record.state = "failed";
        record.reason = `interrupted by ${signal}; continue it with \`sparky resume ${record.runId}\` or the backfill again`;
        record.finishedAt = record.updatedAt = io.now().toISOString();
        await embedded.orchestrator.store.saveRun(record).catch(() => undefined);
      }
      io.stderr.write(`sparky: backfill interrupted by ${signal}${runId ? ` during ${runId}` : ""}; carry on with: ${retry}\n`);
      process.exit(130);
    })();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let record: BackfillRecord;
  try {
    record = await embedded.orchestrator.backfills.run(
      { period, from: values.from, to, requestedBy: "cli", ...(org ? { org } : { repos }) },
      (p) => {
        current = p.current;
        if (!values.quiet) progress.update(p);
      },
    );
  } finally {
    progress.end();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await embedded.stop();
  }
  if (values.json) io.stdout.write(`${JSON.stringify(record)}\n`);
  else io.stdout.write(summary(record, retry) + `Took ${formatDuration(Date.now() - started)}.\n`);
  await embedded.notifier.stop(NOTIFY_GRACE_MS);
  return record.failed.length ? EXIT.failed : EXIT.ok;
}

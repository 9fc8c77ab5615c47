import { relative } from "node:path";
import { SparkyError, countOf, dataLayout, localDay, parseDate, periodFor, yesterday, PERIODS } from "@sparky/messages";
import type { Period, RunRecord, StageResults } from "@sparky/messages";
import { createLogger } from "@sparky/harness";
import type { SparkyConfig } from "@sparky/harness";
import { newestCommitTime } from "@sparky/collector";
import { COMMON_OPTIONS, parse } from "../args.js";
import { EXIT, UsageError } from "../cli-error.js";
import { NOTIFY_GRACE_MS, startEmbedded } from "../embedded.js";
import { humanLogStream } from "../human-log.js";
import { failRunOnInterrupt } from "../interrupt.js";
import { loadWithFlags } from "../load.js";
import { describeEvent } from "../progress.js";
import type { Io } from "../io.js";

export const DIGEST_HELP = `Usage: sparky digest [options]

Run the whole pipeline (collect, analyze, generate, publish) in this process, the
five services wired over inproc:// sockets, and write the digest of one period.

Options:
  --repo PATH          Git repository to collect (repeat for several; default: [collector] repos, i.e. ".")
  --org NAME           GitHub organisation to collect instead (token from GITHUB_TOKEN, or several
                       in GITHUB_TOKENS; API from [collector] github_api_url). Without --org or
                       --repo, [collector] github_org is collected when set, else [collector] repos
  --refresh            Fetch from GitHub again even when this period was already collected completely
  --period P           daily | weekly | monthly (default: daily)
  --date D             YYYY-MM-DD, "today", "yesterday" or "latest" (the day of the newest commit
                       in the repositories); the digest covers the period containing it
                       (default: yesterday in the configured time zone)
  --data-dir DIR       Where raw, processed and state files go (default: [data_dir], ./data)
  --output-dir DIR     Where digests are written (default: [generator] output_dir, ./output)
  --docs-repo PATH     Git repository the digest is committed to (default: [publisher] git_repo,
                       the output folder itself; created when missing)
  --allow-empty        Do not fail when the period has no activity (default: fail and say where
                       the newest commit is); a quiet day then gets what [generator] empty_days
                       says: "skip" (default) writes no digest, "note" a short note, "digest" all of it
  --json               Print one JSON object on stdout instead of the human summary
  --quiet              No progress lines on stderr
  --config FILE        TOML config (default: config/$SPARKY_ENV.toml, SPARKY_ENV=development)
  --log-level LEVEL    Service logs on stderr (default: warn)
  -h, --help           This help

Exit status: 0 digest written (or a quiet day skipped, see --allow-empty), 1 run failed
(the reason is printed and kept for \`sparky status\`; continue it with
\`sparky resume RUN_ID\`), 2 bad arguments or config.
`;

async function resolveDate(text: string | undefined, config: SparkyConfig, repos: string[], now: Date): Promise<string> {
  const tz = config.timezone;
  if (text === undefined || text === "yesterday") return yesterday(now, tz);
  if (text === "today") return localDay(now.getTime(), tz);
  if (text === "latest") {
    let newest: Date | null = null;
    // The collector's scan cache answers without reading the whole history (issue 14).
    const cache = { cacheDir: dataLayout(config.data_dir).cacheDir, log: createLogger({ service: "cli", level: "error" }) };
    for (const repo of repos) {
      const time = await newestCommitTime(repo, cache);
      if (time && (!newest || time > newest)) newest = time;
    }
    if (!newest) throw new SparkyError("SPARKY_EMPTY_WINDOW", `--date latest: the repositories have no commits (${repos.join(", ")})`);
    return localDay(newest.getTime(), tz);
  }
  parseDate(text);
  return text;
}

/** Repositories collected, from the analyze result (older results: the active ones). */
function analysisRepositories(record: RunRecord): number {
  const result = record.stages.find((r) => r.stage === "analyze")?.result as StageResults["analyze"] | null | undefined;
  return result?.repositoriesCollected ?? result?.repositories ?? record.repos.length;
}

export function digestJson(record: RunRecord, date: string) {
  const stage = <S extends keyof StageResults>(s: S) =>
    (record.stages.find((r) => r.stage === s)?.result ?? null) as StageResults[S] | null;
  const analysis = stage("analyze");
  const generated = stage("generate");
  const published = stage("publish");
  return {
    runId: record.runId,
    state: record.state,
    period: record.period,
    key: record.key,
    date,
    window: record.window,
    org: record.org,
    commits: analysis?.commits ?? null,
    merges: analysis?.merges ?? null,
    contributors: analysis?.contributors ?? null,
    repositories: analysis?.repositories ?? null,
    // A quiet day skipped under [generator] empty_days = "skip" has no digest, and says why.
    digestPath: generated?.digest || null,
    skipped: generated?.skipped ?? null,
    published: published ?? { commit: null, created: false, pushed: false, reason: record.reason ?? "not published" },
    reason: record.reason,
    /** What collecting from GitHub cost; null for local repositories. */
    collection: record.collection,
    /** Which themes and opening paragraph the digest shows: the LLM's, or the stand-ins. */
    themes: analysis ? { source: analysis.themesSource, reason: analysis.themesReason, count: analysis.themes } : null,
    narrative: generated ? { source: generated.narrativeSource, reason: generated.narrativeReason } : null,
    // GitHub's figures, only when the run has them: a local run's JSON keeps its old keys.
    ...(analysis?.pulls ? { pulls: analysis.pulls } : {}),
    ...(analysis?.issues ? { issues: analysis.issues } : {}),
    ...(analysis?.releases !== undefined ? { releases: analysis.releases } : {}),
  };
}

export async function digestCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse("digest", args, {
    ...COMMON_OPTIONS,
    repo: { type: "string", multiple: true },
    org: { type: "string" },
    refresh: { type: "boolean", default: false },
    period: { type: "string", default: "daily" },
    date: { type: "string" },
    "output-dir": { type: "string" },
    "docs-repo": { type: "string" },
    "allow-empty": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  });
  if (values.help) {
    io.stdout.write(DIGEST_HELP);
    return EXIT.ok;
  }
  if (!(PERIODS as readonly string[]).includes(values.period!)) {
    throw new UsageError(`digest: --period must be daily, weekly or monthly, got "${values.period}"`);
  }
  const period = values.period as Period;
  const config = loadWithFlags(values, io.cwd);
  if (values.org !== undefined && values.repo?.length) {
    throw new UsageError("digest: give either --org or --repo, not both");
  }
  if (values.org !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(values.org)) {
    throw new UsageError(`digest: --org must be a GitHub organisation login such as "my-org", got "${values.org}"`);
  }
  // Most explicit first: --org, --repo, then [collector] github_org, then [collector] repos.
  const org = values.org ?? (values.repo?.length ? null : config.collector.github_org || null);
  const repos = org ? [] : values.repo?.length ? values.repo.map((r) => io.resolve(r)) : config.collector.repos;
  if (org && values.date === "latest") {
    throw new UsageError(`digest: --date latest reads local repositories; for GitHub organisation ${org} give --date YYYY-MM-DD, today or yesterday`);
  }
  const date = await resolveDate(values.date, config, repos, io.now());
  const spec = periodFor(period, date, config.timezone);
  const say = (line: string) => {
    if (!values.quiet) io.stderr.write(`${line}\n`);
  };
  const source = org ? `GitHub organisation ${org}` : countOf(repos.length, "repository", "repositories");
  say(`sparky: ${spec.runId}: ${spec.window.start} to ${spec.window.end}, ${source}`);

  // Readable warnings for a person; JSON when --log-level asks for the logs themselves.
  const embedded = await startEmbedded(config, {
    logLevel: values["log-level"] ?? "warn",
    destination: values["log-level"] ? undefined : humanLogStream(io.stderr),
  });
  const release = failRunOnInterrupt(embedded.orchestrator, spec.runId, io);
  const unsubscribe = embedded.orchestrator.onEvent((event) => {
    if (event.runId !== spec.runId) return;
    const line = describeEvent(event);
    if (line && !event.type.startsWith("run.completed") && !event.type.startsWith("run.failed")) say(`  ${line}`);
  });
  let record: RunRecord;
  try {
    record = await embedded.orchestrator.submit({
      period,
      date,
      ...(org ? { org } : { repos }),
      refresh: values.refresh,
      trigger: "cli",
      allowEmpty: values["allow-empty"],
    });
  } finally {
    unsubscribe();
    release();
    // The run's own event may still be on its way through the bus: ask directly (announced once either way).
    embedded.notifier.announce(spec.runId);
    await embedded.stop();
  }

  const summary = digestJson(record, date);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(summary)}\n`);
  } else if (record.state === "succeeded") {
    const where = summary.digestPath ? relative(io.cwd, summary.digestPath) || summary.digestPath : "?";
    const p = summary.published;
    const headline = summary.skipped
      ? `No digest: ${summary.skipped}, no activity in ${countOf(analysisRepositories(record), "repository", "repositories")} ([generator] empty_days = "skip"; the index lists the day)\n`
      : `Digest: ${where}\n`;
    io.stdout.write(
      headline +
        `  ${countOf(summary.commits ?? 0, "commit")}, ${countOf(summary.merges ?? 0, "merge")}, ${countOf(summary.contributors ?? 0, "contributor")}, ${countOf(summary.repositories ?? 0, "active repository", "active repositories")}\n` +
        (summary.pulls && summary.issues
          ? `  ${countOf(summary.pulls.opened, "pull request")} opened, ${summary.pulls.merged} merged; ` +
            `${countOf(summary.issues.opened, "issue")} opened, ${summary.issues.closed} closed; ${countOf(summary.releases ?? 0, "release")}\n`
          : "") +
        `Published: ${p.commit ? `${config.publisher.git_repo} @ ${p.commit.slice(0, 12)} (${p.reason})` : p.reason}\n`,
    );
    // Suggested, never applied: the user decides (see `sparky identities --help`).
    const doubles = record.stages.find((r) => r.stage === "analyze")?.result?.identitySuggestions;
    if (Array.isArray(doubles) && doubles.length > 0) {
      io.stdout.write(
        `People: ${countOf(doubles.length, "person", "people")} may be counted under two names: \`sparky identities --suggest --run ${record.runId}\`\n`,
      );
    }
    const c = summary.collection;
    if (c) {
      const left = c.rateLimit ? `, rate limit left ${c.rateLimit.remaining}/${c.rateLimit.limit}` : "";
      io.stdout.write(
        `GitHub: ${countOf(c.requests, "request")} (${c.notModified} not modified)${left}, waited ${(c.waitedMs / 1000).toFixed(1)} s` +
          `${c.reused ? `, ${c.reused} repositories kept from the earlier complete collection` : ""}\n`,
      );
      if (c.partial) {
        io.stdout.write(
          `Partial: ${c.skipped.map((s) => `${s.repository} (${s.reason})`).join("; ")}; the digest says so. ` +
            `\`sparky resume ${record.runId}\` collects ${c.skipped.length === 1 ? "it" : "them"} once reachable.\n`,
        );
      }
    }
  }
  if (record.state !== "succeeded") {
    io.stderr.write(`sparky: ${record.runId} failed: ${record.reason}\n`);
    if (record.reason && !/EMPTY_WINDOW|no commits(, pull requests, reviews, issues or releases)? between/.test(record.reason)) {
      io.stderr.write(`sparky: fix the cause, then continue with \`sparky resume ${record.runId}\`\n`);
    }
  }
  // After the result is out: a slow receiver holds the exit, never the digest.
  await embedded.notifier.stop(NOTIFY_GRACE_MS);
  return record.state === "succeeded" ? EXIT.ok : EXIT.failed;
}

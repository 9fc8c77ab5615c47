import { readdir } from "node:fs/promises";
import { dirname } from "node:path";
import { mailmapLines } from "@sparky/analyzer";
import { readJson } from "@sparky/harness";
import { AnalysisSchema, PERIODS, SparkyError, dataLayout, periodFromRunId, byText } from "@sparky/messages";
import type { Analysis, IdentitySuggestion } from "@sparky/messages";
import { COMMON_OPTIONS, parse } from "../args.js";
import { EXIT, UsageError } from "../cli-error.js";
import { loadWithFlags } from "../load.js";
import type { Io } from "../io.js";

export const IDENTITIES_HELP = `Usage: sparky identities --suggest [--run RUN_ID] [--json]

People who are likely one person under several identities in the latest analyses
(the newest of each period in data/processed/, or the run given with --run): the
same name once case, spacing and accents are set aside; the same email local part;
a GitHub login that matches a name or an email. Each comes with a [[person]] block
to paste into the identities file ([collector] identities_file), which GitHub
collections read; for local git collections, the same as .mailmap lines. Nothing
is merged until you paste them; the next runs then count them as one.

Options:
  --suggest         List the suggestions (the only action so far)
  --run RUN_ID      Read this run's analysis, e.g. daily-2026-11-26 or weekly-2026-W48
  --json            One JSON object: {analyses, identitiesFile, suggestions}
`;

const REASONS: Record<IdentitySuggestion["reason"], string> = {
  name: "the same name once case, spacing and accents are set aside",
  email: "the same email local part",
  login: "a GitHub login that matches a name or an email",
};

export async function identitiesCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse("identities", args, {
    ...COMMON_OPTIONS,
    suggest: { type: "boolean", default: false },
    run: { type: "string" },
    json: { type: "boolean", default: false },
  });
  if (values.help) {
    io.stdout.write(IDENTITIES_HELP);
    return EXIT.ok;
  }
  if (!values.suggest) throw new UsageError("identities: say what to do: `sparky identities --suggest` lists likely duplicate people");
  const config = loadWithFlags(values, io.cwd);
  const analyses = await readAnalyses(config.data_dir, values.run, config.timezone);
  const suggestions = mergeSuggestions(analyses);
  const identitiesFile = config.collector.identities_file || null;
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ analyses: analyses.map((a) => a.runId), identitiesFile, suggestions })}\n`);
    return EXIT.ok;
  }
  const read = analyses.map((a) => a.runId).join(", ");
  if (suggestions.length === 0) {
    io.stdout.write(`No likely duplicate identities in ${read}.\n`);
    return EXIT.ok;
  }
  const lines = [`${suggestions.length} likely duplicate ${suggestions.length === 1 ? "identity" : "identities"} in ${read}:`, ""];
  suggestions.forEach((s, i) => {
    lines.push(`${i + 1}. ${REASONS[s.reason]}:`);
    for (const p of s.people) lines.push(`     ${p.name} (${p.key})`);
    lines.push("", ...s.toml.trimEnd().split("\n").map((l) => `   ${l}`), "");
  });
  const target = identitiesFile
    ? `the identities file ${identitiesFile} ([collector] identities_file)`
    : 'an identities file, and point [collector] identities_file at it (e.g. identities_file = "config/identities.toml")';
  lines.push(`To merge people in GitHub collections, paste the [[person]] blocks you agree with into ${target}.`);
  // Local git collections read .mailmap, as git itself does, not the identities file.
  const mailmap = analyses.some((a) => a.github === undefined) ? suggestions.map((s) => mailmapLines(s.people)).filter((l) => l !== null) : [];
  if (mailmap.length > 0) {
    lines.push("For local git repositories, add the lines you agree with to the repository's .mailmap (or the file git's mailmap.file names):", "");
    lines.push(...mailmap.join("").trimEnd().split("\n").map((l) => `   ${l}`), "");
  }
  lines.push("Nothing is merged until you do; the runs after that count each as one.");
  io.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.ok;
}

/** The analysis of `runId`, or the newest of each period; an error names what to run first. */
async function readAnalyses(dataDir: string, runId: string | undefined, timezone: string): Promise<Analysis[]> {
  const layout = dataLayout(dataDir);
  const read = (period: Analysis["period"], key: string) => readJson(layout.analysis(period, key), AnalysisSchema, "analysis");
  if (runId !== undefined) {
    const spec = periodFromRunId(runId, timezone);
    try {
      return [await read(spec.period, spec.key)];
    } catch (error) {
      if (!(error instanceof SparkyError) || error.code !== "SPARKY_FILE_MISSING") throw error;
      throw new SparkyError("SPARKY_NO_ANALYSIS", `no analysis of ${runId} in ${dataDir}: run \`sparky digest\` for it first, or leave out --run`);
    }
  }
  const analyses: Analysis[] = [];
  for (const period of PERIODS) {
    const keys = (await readdir(dirname(layout.analysis(period, "any"))).catch(() => []))
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -".json".length))
      // Keys of one period (2026-11-26, 2026-W48, 2026-11) sort by date as plain text.
      .sort(byText);
    const newest = keys.at(-1);
    if (newest !== undefined) analyses.push(await read(period, newest));
  }
  if (analyses.length === 0) {
    throw new SparkyError("SPARKY_NO_ANALYSIS", `no analyses in ${dirname(dirname(layout.analysis("daily", "any")))}: run \`sparky digest\` first`);
  }
  return analyses;
}

/** Each group once, though a day and its week both suggest it; a larger group replaces a smaller one it contains. */
function mergeSuggestions(analyses: readonly Analysis[]): IdentitySuggestion[] {
  const all = analyses.flatMap((a) => a.identitySuggestions ?? []);
  const keysOf = (s: IdentitySuggestion) => new Set(s.people.map((p) => p.key));
  const kept: IdentitySuggestion[] = [];
  for (const s of [...all].sort((a, b) => b.people.length - a.people.length)) {
    const keys = keysOf(s);
    if (kept.some((k) => [...keys].every((key) => keysOf(k).has(key)))) continue;
    kept.push(s);
  }
  return kept;
}

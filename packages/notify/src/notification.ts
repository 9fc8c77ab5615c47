import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { StageResultSchemas } from "@sparky/messages";
import type { RunRecord } from "@sparky/messages";

/**
 * The body of a `webhook` target, and what a `slack` target's text is made from. Versioned
 * by `schema`; fields are only ever added. Documented in the README ("Notifications").
 */
export interface Notification {
  schema: "sparky.notification/1";
  /** `run.succeeded` or `run.failed`. */
  event: "run.succeeded" | "run.failed";
  runId: string;
  period: string;
  key: string;
  trigger: string;
  finishedAt: string | null;
  /** Why the run failed, null when it succeeded. */
  reason: string | null;
  /** The digest, null when the run failed before writing one or a quiet day was skipped without one. */
  digest: {
    title: string;
    /** The digest's opening paragraph: its summary of the period. */
    summary: string;
    /** Path in the docs repository, e.g. `daily/2026-11-26.md` (under `[publisher] docs_subdir` when set). */
    path: string;
    /** `[publisher] docs_web_url` with the path filled in, null when not configured. */
    url: string | null;
    /** The docs-repository commit holding it, null when not published. */
    commit: string | null;
    pushed: boolean;
  } | null;
  /** The period's figures, null when the analysis did not finish. */
  figures: {
    commits: number;
    merges: number;
    contributors: number;
    repositories: number;
    pulls?: { opened: number; merged: number; closed: number };
    issues?: { opened: number; closed: number };
    releases?: number;
  } | null;
}

const result = <S extends z.ZodType>(record: RunRecord, stage: string, schema: S): z.infer<S> | null => {
  const parsed = schema.safeParse(record.stages.find((s) => s.stage === stage)?.result);
  return parsed.success ? parsed.data : null;
};

/** The title (front matter) and the first paragraph after the heading of a digest. */
export function digestHead(markdown: string): { title: string; summary: string } {
  const title = /^title: "((?:[^"\\]|\\.)*)"$/m.exec(markdown)?.[1]?.replace(/\\(.)/g, "$1") ?? "";
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, "");
  const afterHeading = body.split(/^# .*$/m)[1] ?? body;
  const summary = afterHeading.split(/\n\s*\n/).map((p) => p.trim()).find((p) => p && !p.startsWith("#") && !p.startsWith("_")) ?? "";
  return { title, summary: summary.replace(/\s*\n\s*/g, " ") };
}

export async function buildNotification(
  record: RunRecord,
  options: { outputDir: string; docsWebUrl: string; docsSubdir?: string },
): Promise<Notification> {
  const analyze = result(record, "analyze", StageResultSchemas.analyze);
  const generate = result(record, "generate", StageResultSchemas.generate);
  const publish = result(record, "publish", StageResultSchemas.publish);
  let digest: Notification["digest"] = null;
  // A quiet day skipped without a digest has none to link; the figures still say it was quiet.
  if (generate && !generate.skipped) {
    // docs_web_url takes the path in the docs repository, under docs_subdir when set.
    const inRepo = options.docsSubdir ? `${options.docsSubdir}/${generate.relativePath}` : generate.relativePath;
    const markdown = await readFile(join(options.outputDir, generate.relativePath), "utf8").catch(() => "");
    const head = digestHead(markdown);
    digest = {
      title: head.title || `${record.period} digest ${record.key}`,
      summary: head.summary,
      path: inRepo,
      url: options.docsWebUrl ? options.docsWebUrl.replace("{path}", inRepo.split("/").map(encodeURIComponent).join("/")) : null,
      commit: publish?.commit ?? null,
      pushed: publish?.pushed ?? false,
    };
  }
  const figures: Notification["figures"] = analyze
    ? {
        commits: analyze.commits,
        merges: analyze.merges,
        contributors: analyze.contributors,
        repositories: analyze.repositories,
        ...(analyze.pulls ? { pulls: analyze.pulls } : {}),
        ...(analyze.issues ? { issues: analyze.issues } : {}),
        ...(analyze.releases !== undefined ? { releases: analyze.releases } : {}),
      }
    : null;
  return {
    schema: "sparky.notification/1",
    event: record.state === "succeeded" ? "run.succeeded" : "run.failed",
    runId: record.runId,
    period: record.period,
    key: record.key,
    trigger: record.trigger,
    finishedAt: record.finishedAt,
    reason: record.state === "succeeded" ? null : record.reason,
    digest,
    figures,
  };
}

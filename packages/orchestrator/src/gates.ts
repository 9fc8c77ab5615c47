import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { access, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { AnalysisSchema, OUTPUT_FILES, QuietDaysSchema, RawManifestSchema, SparkyError, dataLayout } from "@sparky/messages";
import type { RunRef, Stage, StageResults } from "@sparky/messages";
import { readJson } from "@sparky/harness";

const exec = promisify(execFile);

export interface GateContext {
  dataDir: string;
  docsRepo: string;
}

function gateError(stage: Stage, message: string): SparkyError {
  return new SparkyError("SPARKY_GATE_FAILED", `${stage} gate: ${message}`);
}

function coversRun(stage: Stage, what: RunRef, ref: RunRef): void {
  if (what.runId !== ref.runId || what.window.start !== ref.window.start || what.window.end !== ref.window.end) {
    throw gateError(stage, `output is for ${what.runId} ${what.window.start}..${what.window.end}, not ${ref.runId} ${ref.window.start}..${ref.window.end}`);
  }
}

/**
 * A stage's output is trusted only after its gate: the manifest exists on disk,
 * validates, and covers the requested window. What the stage said about itself in
 * its completion event is not enough: the next stage reads the disk, so the gate does.
 */
export async function checkGate<S extends Stage>(stage: S, result: StageResults[S], ref: RunRef, ctx: GateContext): Promise<void> {
  const layout = dataLayout(ctx.dataDir);
  try {
    switch (stage) {
      case "collect": {
        const manifest = await readJson(layout.rawManifest(ref.key), RawManifestSchema, "raw manifest");
        if (!manifest.complete) throw gateError(stage, "the collection is marked incomplete");
        coversRun(stage, manifest, ref);
        const folder = dirname(layout.rawManifest(ref.key));
        for (const repo of manifest.repositories) {
          await access(join(folder, repo.file)).catch(() => {
            throw gateError(stage, `manifest lists ${repo.file} but the file is missing`);
          });
        }
        return;
      }
      case "analyze": {
        coversRun(stage, await readJson(layout.analysis(ref.period, ref.key), AnalysisSchema, "analysis"), ref);
        return;
      }
      case "generate": {
        const { digest, sha256, skipped, index } = result as StageResults["generate"];
        if (skipped !== undefined) {
          // No digest by design (a quiet day): the generator's ledger must say so, for this run.
          const ledger = join(dirname(index), OUTPUT_FILES.quietDays);
          const { days } = await readJson(ledger, QuietDaysSchema, "quiet-day ledger");
          if (!days.some((day) => day.key === ref.key && day.runId === ref.runId)) {
            throw gateError(stage, `no digest was written (${skipped}) but ${ledger} does not list ${ref.runId}`);
          }
          return;
        }
        const bytes = await readFile(digest).catch(() => {
          throw gateError(stage, `digest ${digest} is missing`);
        });
        if (createHash("sha256").update(bytes).digest("hex") !== sha256) {
          throw gateError(stage, `digest ${digest} changed after it was generated`);
        }
        if (!new RegExp(`^run_id: "?${ref.runId}"?$`, "m").test(bytes.toString("utf8"))) {
          throw gateError(stage, `digest ${digest} is not for run ${ref.runId}`);
        }
        return;
      }
      case "publish": {
        const { commit } = result as StageResults["publish"];
        if (commit === null) return;
        await exec("git", ["-C", ctx.docsRepo, "cat-file", "-e", `${commit}^{commit}`]).catch(() => {
          throw gateError(stage, `docs repository ${ctx.docsRepo} has no commit ${commit}`);
        });
        return;
      }
    }
  } catch (error) {
    if (error instanceof SparkyError && error.code !== "SPARKY_GATE_FAILED") {
      throw gateError(stage, error.message);
    }
    throw error;
  }
}

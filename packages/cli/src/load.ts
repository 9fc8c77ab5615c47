import { resolve } from "node:path";
import { loadConfig } from "@sparky/harness";
import type { SparkyConfig } from "@sparky/harness";

export interface PathFlags {
  config?: string | undefined;
  "data-dir"?: string | undefined;
  "output-dir"?: string | undefined;
  "docs-repo"?: string | undefined;
}

/** Config from file and environment, then the command line on top. */
export function loadWithFlags(flags: PathFlags, cwd = process.cwd()): SparkyConfig {
  const { config } = loadConfig({ file: flags.config, cwd });
  const abs = (p: string) => resolve(cwd, p);
  const next: SparkyConfig = { ...config, generator: { ...config.generator }, publisher: { ...config.publisher } };
  if (flags["data-dir"]) next.data_dir = abs(flags["data-dir"]);
  if (flags["output-dir"]) {
    // The default docs repo is the output folder itself; keep it so when only the output moves.
    if (config.publisher.git_repo === config.generator.output_dir && !flags["docs-repo"]) {
      next.publisher.git_repo = abs(flags["output-dir"]);
    }
    next.generator.output_dir = abs(flags["output-dir"]);
  }
  if (flags["docs-repo"]) next.publisher.git_repo = abs(flags["docs-repo"]);
  return next;
}

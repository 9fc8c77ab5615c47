import { readFileSync } from "node:fs";
import { SparkyError } from "@sparky/messages";
import type { NotifyTargetConfig } from "@sparky/harness";

/** A target with its secrets read: kept in memory only, never logged or written. */
export interface Target {
  name: string;
  kind: "slack" | "webhook";
  on: readonly ("succeeded" | "failed")[];
  url: string;
  secret: string | null;
}

function readSecret(target: string, what: string, env: string | undefined, file: string | undefined, vars: NodeJS.ProcessEnv): string {
  if (env) {
    const value = vars[env]?.trim();
    if (!value) throw new SparkyError("SPARKY_CONFIG_NOTIFY", `notify target "${target}": the environment variable ${env} (its ${what}) is not set: set it, or remove the target from [notify]`);
    return value;
  }
  try {
    const value = readFileSync(file!, "utf8").trim();
    if (value) return value;
    throw new Error("the file is empty");
  } catch (error) {
    throw new SparkyError("SPARKY_CONFIG_NOTIFY", `notify target "${target}": cannot read its ${what} from ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): mount the secret there, or change ${what === "address" ? "url_file" : "secret_file"}`);
  }
}

/**
 * The configured targets with their addresses and keys, read at start-up so a missing
 * secret stops the service with a message naming the variable or file (never its value).
 */
export function resolveTargets(targets: readonly NotifyTargetConfig[], vars: NodeJS.ProcessEnv = process.env): Target[] {
  const names = new Set<string>();
  return targets.map((t) => {
    if (names.has(t.name)) throw new SparkyError("SPARKY_CONFIG_NOTIFY", `notify targets: the name "${t.name}" is used twice; give each target its own name`);
    names.add(t.name);
    const url = readSecret(t.name, "address", t.url_env, t.url_file, vars);
    if (!/^https?:\/\/[^\s]+$/.test(url)) {
      throw new SparkyError("SPARKY_CONFIG_NOTIFY", `notify target "${t.name}": its address (from ${t.url_env ?? t.url_file}) is not an http(s) URL`);
    }
    const secret = t.kind === "webhook" ? readSecret(t.name, "signing key", t.secret_env, t.secret_file, vars) : null;
    return { name: t.name, kind: t.kind, on: t.on, url, secret };
  });
}

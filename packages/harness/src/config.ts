import { isAbsolute, resolve } from "node:path";
import type { z } from "zod";
import { assertTimezone } from "@sparky/messages";
import { ConfigError, locateConfigFile, readToml } from "./config-file.js";
import type { LoadConfigOptions } from "./config-file.js";
import { ConfigSchema, SERVICES } from "./config-schema.js";
import type { SparkyConfig } from "./config-schema.js";

export { ConfigError };
export type { LoadConfigOptions };

export interface LoadedConfig {
  config: SparkyConfig;
  /** The file read, or null when only defaults and environment were used. */
  file: string | null;
}

/**
 * Read `config/<SPARKY_ENV>.toml` (or the file given), apply `SPARKY_<SECTION>_<KEY>`
 * overrides, and validate. Paths in the result are absolute, resolved against the
 * working directory, so every service agrees on them whatever it does later.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = locateConfigFile(options);
  const data: Record<string, unknown> = file ? readToml(file) : {};
  const sources = applyEnvOverrides(data, env);
  const parsed = ConfigSchema.safeParse(data);
  if (!parsed.success) throw describeIssue(parsed.error, data, file, sources);
  const config = parsed.data;
  try {
    assertTimezone(config.timezone);
  } catch (error) {
    throw new ConfigError("SPARKY_CONFIG_INVALID", `${where(file, "timezone", sources)}: ${(error as Error).message}`);
  }
  return { config: absolutePaths(config, cwd), file };
}

const ROOT_KEYS = new Set(["environment", "data_dir", "timezone", "bind_host", "log_level"]);

/** Apply SPARKY_* variables onto the parsed file; returns which keys came from which variable. */
function applyEnvOverrides(data: Record<string, unknown>, env: NodeJS.ProcessEnv): Map<string, string> {
  const sources = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith("SPARKY_") || raw === undefined) continue;
    const rest = name.slice("SPARKY_".length).toLowerCase();
    const section = SERVICES.find((s) => rest.startsWith(`${s}_`));
    if (section) {
      const key = rest.slice(section.length + 1);
      const target = (data[section] ??= {}) as Record<string, unknown>;
      // A section the file set to a non-table is left for validation to report.
      if (typeof target !== "object" || Array.isArray(target)) continue;
      target[key] = coerce(raw, (defaults()[section] as Record<string, unknown>)[key]);
      sources.set(`${section}.${key}`, name);
    } else if (ROOT_KEYS.has(rest)) {
      data[rest] = coerce(raw, (defaults() as Record<string, unknown>)[rest]);
      sources.set(rest, name);
    }
  }
  return sources;
}

// Computed on first use, not at import: importing the harness validates nothing (a one-shot
// command chooses how zod runs before its first parse: validateForOneShot).
let defaultConfig: SparkyConfig | undefined;
const defaults = (): SparkyConfig => (defaultConfig ??= ConfigSchema.parse({}));

/**
 * Environment values are strings: read them as the type the key's default has, so
 * SPARKY_PUBLISHER_BRANCH=2026 stays a string while SPARKY_COLLECTOR_HTTP_PORT=9201
 * becomes a number. Lists are JSON arrays or comma-separated. Unknown keys are guessed,
 * and validation then names them.
 */
function coerce(raw: string, like: unknown): unknown {
  const text = raw.trim();
  if (typeof like === "string") return raw;
  if (Array.isArray(like)) {
    if (text.startsWith("[")) {
      try {
        return JSON.parse(text);
      } catch {
        return raw;
      }
    }
    return text === "" ? [] : text.split(",").map((item) => item.trim());
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  return raw;
}

function where(file: string | null, key: string, sources: Map<string, string>): string {
  const env = sources.get(key);
  if (env) return `${key} (from ${env})`;
  return file ? `${key} in ${file}` : key;
}

function describeIssue(error: z.ZodError, data: Record<string, unknown>, file: string | null, sources: Map<string, string>): ConfigError {
  const issue = error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const section = issue.path.join(".");
    // `where` names the variable for a key that came from the environment, else the file.
    const keys = issue.keys.map((k) => where(file, section ? `${section}.${k}` : k, sources)).join(", ");
    return new ConfigError(
      "SPARKY_CONFIG_UNKNOWN_KEY",
      `unknown config key ${keys}: check the spelling against config/development.toml`,
    );
  }
  const key = issue.path.join(".");
  let value: unknown = data;
  for (const part of issue.path) value = (value as Record<string | number, unknown> | undefined)?.[part as string];
  return new ConfigError(
    "SPARKY_CONFIG_INVALID",
    `config ${where(file, key, sources)} = ${JSON.stringify(value)}: ${issue.message}`,
  );
}

function absolutePaths(config: SparkyConfig, cwd: string): SparkyConfig {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    ...config,
    data_dir: abs(config.data_dir),
    collector: {
      ...config.collector,
      repos: config.collector.repos.map(abs),
      identities_file: config.collector.identities_file ? abs(config.collector.identities_file) : "",
    },
    generator: { ...config.generator, output_dir: abs(config.generator.output_dir) },
    publisher: { ...config.publisher, git_repo: abs(config.publisher.git_repo) },
  };
}

/** Secrets are read from the environment only, and never become part of the config object. */
export interface Secrets {
  githubToken: string | null;
  apiToken: string | null;
}
export function readSecrets(env: NodeJS.ProcessEnv = process.env): Secrets {
  return {
    githubToken: env.GITHUB_TOKEN?.trim() || null,
    apiToken: env.SPARKY_API_TOKEN?.trim() || null,
  };
}

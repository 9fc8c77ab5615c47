import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { SparkyError } from "@sparky/messages/errors";

/**
 * Finding and reading the config file, without the schema: `sparky status` and `sparky tasks`
 * need only the data directory, and must answer without loading zod and every model
 * (a subpath export, `@sparky/harness/config-file`). `loadConfig` builds on the same steps.
 */
export class ConfigError extends SparkyError {
  override readonly name = "ConfigError";
}

export interface LoadConfigOptions {
  /** Explicit file (`--config`); it must exist. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** `--config` or SPARKY_CONFIG (which must exist), else config/<SPARKY_ENV>.toml when present, else null. */
export function locateConfigFile(options: LoadConfigOptions = {}): string | null {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? env.SPARKY_CONFIG;
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) {
      throw new ConfigError("SPARKY_CONFIG_MISSING", `config file ${file} does not exist: pass an existing file to --config or SPARKY_CONFIG`);
    }
    return file;
  }
  const candidate = resolve(cwd, "config", `${env.SPARKY_ENV ?? "development"}.toml`);
  return existsSync(candidate) ? candidate : null;
}

export function readToml(file: string): Record<string, unknown> {
  try {
    return parseToml(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    throw new ConfigError("SPARKY_CONFIG_PARSE", `config file ${file} is not valid TOML: ${message}`);
  }
}

/**
 * The data directory as `loadConfig` would resolve it (SPARKY_DATA_DIR over the file's
 * data_dir over ./data, absolute against cwd), checking only that key: the read-only
 * commands leave the rest of the config to the commands that use it.
 */
export function readDataDir(options: LoadConfigOptions = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = locateConfigFile(options);
  const fromEnv = env.SPARKY_DATA_DIR;
  const value = fromEnv ?? (file ? readToml(file).data_dir : undefined) ?? "./data";
  if (typeof value !== "string" || value === "") {
    const where = fromEnv !== undefined ? "data_dir (from SPARKY_DATA_DIR)" : `data_dir in ${file}`;
    throw new ConfigError("SPARKY_CONFIG_INVALID", `config ${where} = ${JSON.stringify(value)}: expected a non-empty path`);
  }
  return isAbsolute(value) ? value : resolve(cwd, value);
}

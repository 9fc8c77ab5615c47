import { parseArgs } from "node:util";
import { UsageError } from "./cli-error.js";

interface OptionSpec {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  default?: string | boolean | string[];
}
type Value<T> = T extends { type: "boolean" } ? boolean : T extends { multiple: true } ? string[] : string;
export interface Parsed<O> {
  values: { [K in keyof O]?: Value<O[K]> };
  positionals: string[];
}

/** node's parseArgs, with its errors turned into a usage message naming the command. */
export function parse<const O extends Record<string, OptionSpec>>(
  command: string,
  args: string[],
  options: O,
  allowPositionals = false,
): Parsed<O> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true }) as unknown as Parsed<O>;
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(`${command}: ${message}; see \`sparky ${command} --help\``);
  }
}

export const COMMON_OPTIONS = {
  config: { type: "string" },
  "data-dir": { type: "string" },
  "log-level": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies Record<string, OptionSpec>;

export function positiveInt(command: string, name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${command}: --${name} must be a positive whole number, got "${value}"`);
  return n;
}

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { readDataDir } from "./config-file.js";

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "sparky-config-file-"));
  mkdirSync(join(cwd, "config"));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe("readDataDir (status and tasks: the data directory without the schema)", () => {
  it("agrees with loadConfig: default, the file's data_dir, SPARKY_DATA_DIR over it", () => {
    const same = (env: NodeJS.ProcessEnv) => expect(readDataDir({ cwd, env })).toBe(loadConfig({ cwd, env }).config.data_dir);
    same({});
    writeFileSync(join(cwd, "config", "development.toml"), 'data_dir = "state-here"\n');
    same({});
    same({ SPARKY_DATA_DIR: "/elsewhere" });
    writeFileSync(join(cwd, "config", "production.toml"), 'data_dir = "/srv/sparky"\n');
    same({ SPARKY_ENV: "production" });
  });

  it("names the key, the value and what was expected; a missing --config file and bad TOML as loadConfig does", () => {
    writeFileSync(join(cwd, "config", "development.toml"), "data_dir = 7\n");
    expect(() => readDataDir({ cwd, env: {} })).toThrow(/config data_dir in .*development\.toml = 7: expected a non-empty path/);
    expect(() => readDataDir({ cwd, env: { SPARKY_DATA_DIR: "" } })).toThrow(/data_dir \(from SPARKY_DATA_DIR\) = "": expected a non-empty path/);
    expect(() => readDataDir({ cwd, env: {}, file: "nope.toml" })).toThrow(expect.objectContaining({ code: "SPARKY_CONFIG_MISSING" }));
    writeFileSync(join(cwd, "config", "development.toml"), "data_dir = \n");
    expect(() => readDataDir({ cwd, env: {} })).toThrow(expect.objectContaining({ code: "SPARKY_CONFIG_PARSE" }));
  });
});

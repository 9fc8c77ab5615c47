import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, readSecrets } from "./config.js";

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "sparky-config-"));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

/** Write `config/<name>.toml` under the temp working directory; returns its absolute path. */
function writeConfig(text: string, name = "development"): string {
  mkdirSync(join(cwd, "config"), { recursive: true });
  const file = join(cwd, "config", `${name}.toml`);
  writeFileSync(file, text);
  return file;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig sources", () => {
  it("gives the defaults, with absolute paths, when there is no file and no variable", () => {
    const { config, file } = loadConfig({ cwd, env: {} });
    expect(file).toBeNull();
    expect(config).toMatchObject({
      environment: "development",
      timezone: "UTC",
      log_level: "info",
      data_dir: join(cwd, "data"),
      orchestrator: { event_port: 5556, event_sub_port: 5557, http_port: 8080, request_retries: 2, schedules_enabled: true },
      collector: { endpoint: "tcp://127.0.0.1:5561", http_port: 9101, repos: [cwd] },
      generator: { output_dir: join(cwd, "output"), max_items: 200 },
      publisher: { git_repo: join(cwd, "output"), auto_push: false, branch: "main" },
    });
  });

  it("reads config/development.toml, or config/$SPARKY_ENV.toml", () => {
    const dev = writeConfig('timezone = "Europe/Berlin"\n[collector]\nhttp_port = 9201\nrepos = ["/src/a"]\n');
    const prod = writeConfig('environment = "production"\n[publisher]\nauto_push = true\n', "production");
    const loaded = loadConfig({ cwd, env: {} });
    expect(loaded.file).toBe(dev);
    expect(loaded.config).toMatchObject({ timezone: "Europe/Berlin", collector: { http_port: 9201, repos: ["/src/a"] } });
    expect(loaded.config.analyzer.http_port).toBe(9102);

    const production = loadConfig({ cwd, env: { SPARKY_ENV: "production" } });
    expect(production.file).toBe(prod);
    expect(production.config).toMatchObject({ environment: "production", timezone: "UTC", publisher: { auto_push: true } });
  });

  it("reads an explicit file given as an option or in SPARKY_CONFIG, relative to cwd", () => {
    writeFileSync(join(cwd, "mine.toml"), "[analyzer]\ntop_contributors = 9\n");
    expect(loadConfig({ cwd, env: {}, file: "mine.toml" })).toMatchObject({
      file: join(cwd, "mine.toml"),
      config: { analyzer: { top_contributors: 9 } },
    });
    expect(loadConfig({ cwd, env: { SPARKY_CONFIG: "./mine.toml" } }).file).toBe(join(cwd, "mine.toml"));
  });

  it("refuses an explicit file that does not exist", () => {
    writeConfig("");
    const error = configError(() => loadConfig({ cwd, env: {}, file: "nope.toml" }));
    expect(error.code).toBe("SPARKY_CONFIG_MISSING");
    expect(error.message).toContain(join(cwd, "nope.toml"));
    expect(configError(() => loadConfig({ cwd, env: { SPARKY_CONFIG: "/no/such.toml" } })).code).toBe("SPARKY_CONFIG_MISSING");
  });

  it("makes relative paths absolute against cwd and keeps absolute ones", () => {
    writeConfig(
      'data_dir = "var/data"\n[collector]\nrepos = [".", "../web", "/src/api"]\n' +
        '[generator]\noutput_dir = "out"\n[publisher]\ngit_repo = "../docs"\n',
    );
    const { config } = loadConfig({ cwd, env: {} });
    expect(config.data_dir).toBe(join(cwd, "var", "data"));
    expect(config.collector.repos).toEqual([cwd, resolve(cwd, "../web"), "/src/api"]);
    expect(config.generator.output_dir).toBe(join(cwd, "out"));
    expect(config.publisher.git_repo).toBe(resolve(cwd, "../docs"));
  });
});

describe("environment overrides", () => {
  it("reads num_ctx as \"auto\" by default, or a number of tokens from a file or a variable, and names what it expects", () => {
    expect(loadConfig({ cwd, env: {} }).config.analyzer).toMatchObject({ num_ctx: "auto", max_num_ctx: 32768, num_ctx_memory_mib: 1024 });
    writeConfig("[analyzer]\nnum_ctx = 8192\n");
    expect(loadConfig({ cwd, env: {} }).config.analyzer.num_ctx).toBe(8192);
    expect(loadConfig({ cwd, env: { SPARKY_GENERATOR_NUM_CTX: "16384" } }).config.generator.num_ctx).toBe(16384);
    expect(() => loadConfig({ cwd, env: { SPARKY_ANALYZER_NUM_CTX: "big" } })).toThrow(/num_ctx.*"big".*expected "auto" or a whole number of tokens/);
  });

  it("override file values, with numbers, booleans and JSON arrays read as such", () => {
    writeConfig("[collector]\nhttp_port = 9201\n[publisher]\nauto_push = false\n");
    const { config } = loadConfig({
      cwd,
      env: {
        SPARKY_COLLECTOR_HTTP_PORT: "9301",
        SPARKY_PUBLISHER_AUTO_PUSH: "true",
        SPARKY_COLLECTOR_REPOS: '["/src/a","/src/b"]',
        SPARKY_ORCHESTRATOR_STAGE_TIMEOUT_S: "1.5",
        SPARKY_ORCHESTRATOR_SCHEDULES_ENABLED: "false",
        SPARKY_ANALYZER_MODEL: "llama3:8b",
      },
    });
    expect(config.collector.http_port).toBe(9301);
    expect(config.publisher.auto_push).toBe(true);
    expect(config.collector.repos).toEqual(["/src/a", "/src/b"]);
    expect(config.orchestrator.stage_timeout_s).toBe(1.5);
    expect(config.orchestrator.schedules_enabled).toBe(false);
    expect(config.analyzer.model).toBe("llama3:8b");
  });

  it("read values as the type of the key: digits stay text for a text key, lists may be comma-separated", () => {
    const { config } = loadConfig({
      cwd,
      env: { SPARKY_PUBLISHER_BRANCH: "2026", SPARKY_COLLECTOR_BOT_PATTERNS: "ci-bot, [bot]" },
    });
    expect(config.publisher.branch).toBe("2026");
    expect(config.collector.bot_patterns).toEqual(["ci-bot", "[bot]"]);
  });

  it("set top-level keys from SPARKY_<KEY>", () => {
    const { config } = loadConfig({
      cwd,
      env: { SPARKY_TIMEZONE: "Europe/Berlin", SPARKY_LOG_LEVEL: "debug", SPARKY_DATA_DIR: "/var/sparky" },
    });
    expect(config).toMatchObject({ timezone: "Europe/Berlin", log_level: "debug", data_dir: "/var/sparky" });
  });

  it("leave other SPARKY_ variables (secrets, SPARKY_ENV) alone", () => {
    expect(() => loadConfig({ cwd, env: { SPARKY_API_TOKEN: "s3cret", SPARKY_ENV: "test", GITHUB_TOKEN: "ghp" } })).not.toThrow();
  });
});

describe("bad config", () => {
  it("names an unknown key in the file", () => {
    const file = writeConfig("[collector]\nhttp_prot = 9201\n");
    const error = configError(() => loadConfig({ cwd, env: {} }));
    expect(error.code).toBe("SPARKY_CONFIG_UNKNOWN_KEY");
    expect(error.message).toContain("collector.http_prot");
    expect(error.message).toContain(file);
    expect(configError(() => loadConfig({ cwd, env: {}, file: writeConfig("time_zone = 'UTC'\n", "x") })).message).toContain(
      "unknown config key time_zone",
    );
  });

  it("names the variable behind an unknown key from the environment", () => {
    writeConfig("");
    const error = configError(() => loadConfig({ cwd, env: { SPARKY_COLLECTOR_HTTP_PROT: "1" } }));
    expect(error.code).toBe("SPARKY_CONFIG_UNKNOWN_KEY");
    expect(error.message).toContain("collector.http_prot");
    expect(error.message).toContain("SPARKY_COLLECTOR_HTTP_PROT");
    expect(error.message).not.toContain(join(cwd, "config")); // it is not in the file
  });

  it("names key, file, value and expectation for a wrong type in the file", () => {
    const file = writeConfig('[collector]\nhttp_port = "ninety"\n');
    const error = configError(() => loadConfig({ cwd, env: {} }));
    expect(error.code).toBe("SPARKY_CONFIG_INVALID");
    expect(error.message).toContain(`collector.http_port in ${file}`);
    expect(error.message).toContain('"ninety"');
    expect(error.message).toMatch(/expected number/);
  });

  it("names the variable for a wrong value from the environment", () => {
    writeConfig("[collector]\nhttp_port = 9201\n");
    const error = configError(() => loadConfig({ cwd, env: { SPARKY_COLLECTOR_HTTP_PORT: "70000" } }));
    expect(error.code).toBe("SPARKY_CONFIG_INVALID");
    expect(error.message).toContain("collector.http_port (from SPARKY_COLLECTOR_HTTP_PORT) = 70000");
    expect(error.message).toMatch(/65535/);
    const flag = configError(() => loadConfig({ cwd, env: { SPARKY_PUBLISHER_AUTO_PUSH: "yes" } }));
    expect(flag.message).toContain('publisher.auto_push (from SPARKY_PUBLISHER_AUTO_PUSH) = "yes"');
    expect(flag.message).toMatch(/expected boolean/);
  });

  it("takes [generator] empty_days skip, note or digest (skip by default) and names the choices otherwise", () => {
    writeConfig("");
    expect(loadConfig({ cwd, env: {} }).config.generator.empty_days).toBe("skip");
    writeConfig('[generator]\nempty_days = "note"\n');
    expect(loadConfig({ cwd, env: {} }).config.generator.empty_days).toBe("note");
    const error = configError(() => loadConfig({ cwd, env: { SPARKY_GENERATOR_EMPTY_DAYS: "never" } }));
    expect(error.code).toBe("SPARKY_CONFIG_INVALID");
    expect(error.message).toContain('generator.empty_days (from SPARKY_GENERATOR_EMPTY_DAYS) = "never"');
    expect(error.message).toMatch(/skip.*note.*digest/);
  });

  it("takes [publisher] docs_subdir as a relative folder inside the docs repository, never absolute, .. or hidden", () => {
    writeConfig('[publisher]\ndocs_subdir = "docs/digests"\n');
    expect(loadConfig({ cwd, env: {} }).config.publisher.docs_subdir).toBe("docs/digests");
    writeConfig("");
    expect(loadConfig({ cwd, env: {} }).config.publisher.docs_subdir).toBe("");
    for (const bad of ["/srv/docs", "../elsewhere", "docs/../..", "docs//digests", "docs/", ".git/hooks", "docs/.hidden", "docs\\digests", "./docs"]) {
      const error = configError(() => loadConfig({ cwd, env: { SPARKY_PUBLISHER_DOCS_SUBDIR: bad } }));
      expect(error.code, bad).toBe("SPARKY_CONFIG_INVALID");
      expect(error.message).toContain("publisher.docs_subdir (from SPARKY_PUBLISHER_DOCS_SUBDIR)");
      expect(error.message).toContain('such as "docs/digests"');
    }
  });

  it("refuses a file that is not TOML, naming the file", () => {
    const file = writeConfig("[collector\nhttp_port = 1\n");
    const error = configError(() => loadConfig({ cwd, env: {} }));
    expect(error.code).toBe("SPARKY_CONFIG_PARSE");
    expect(error.message).toContain(`config file ${file} is not valid TOML`);
    expect(error.message).not.toContain("\n");
  });

  it("refuses an unknown time zone, from the file or the environment", () => {
    const file = writeConfig('timezone = "Mars/Olympus"\n');
    const error = configError(() => loadConfig({ cwd, env: {} }));
    expect(error.code).toBe("SPARKY_CONFIG_INVALID");
    expect(error.message).toContain(`timezone in ${file}`);
    expect(error.message).toContain('"Mars/Olympus"');
    const fromEnv = configError(() => loadConfig({ cwd, env: { SPARKY_TIMEZONE: "Europe/Atlantis" } }));
    expect(fromEnv.message).toContain("timezone (from SPARKY_TIMEZONE)");
  });

  it("refuses an endpoint ZeroMQ would not take, showing the right form", () => {
    const file = writeConfig('[analyzer]\nendpoint = "localhost:5562"\n');
    const error = configError(() => loadConfig({ cwd, env: {} }));
    expect(error.code).toBe("SPARKY_CONFIG_INVALID");
    expect(error.message).toContain(`analyzer.endpoint in ${file} = "localhost:5562"`);
    expect(error.message).toContain("tcp://127.0.0.1:5561");
    writeConfig("");
    const fromEnv = configError(() => loadConfig({ cwd, env: { SPARKY_GENERATOR_ENDPOINT: "http://gen:80" } }));
    expect(fromEnv.message).toContain("(from SPARKY_GENERATOR_ENDPOINT)");
  });

  it("refuses a section that is not a table, also when a variable overrides a key in it", () => {
    writeConfig('collector = "yes"\n');
    for (const env of [{}, { SPARKY_COLLECTOR_HTTP_PORT: "9201" }]) {
      const error = configError(() => loadConfig({ cwd, env }));
      expect(error.code).toBe("SPARKY_CONFIG_INVALID");
      expect(error.message).toContain('config collector in');
      expect(error.message).toContain('"yes"');
    }
  });
});

describe("secrets", () => {
  const env = { GITHUB_TOKEN: " ghp_abc123 ", SPARKY_API_TOKEN: "api-s3cret" };

  it("come from the environment, trimmed, or are null", () => {
    expect(readSecrets(env)).toEqual({ githubToken: "ghp_abc123", apiToken: "api-s3cret" });
    expect(readSecrets({ GITHUB_TOKEN: "  ", SPARKY_API_TOKEN: "" })).toEqual({ githubToken: null, apiToken: null });
    expect(readSecrets({})).toEqual({ githubToken: null, apiToken: null });
  });

  it("never appear in the config object", () => {
    writeConfig("[collector]\nhttp_port = 9201\n");
    const { config } = loadConfig({ cwd, env });
    const text = JSON.stringify(config);
    expect(text).not.toContain("ghp_abc123");
    expect(text).not.toContain("api-s3cret");
    expect(text).not.toMatch(/token/i);
  });
});

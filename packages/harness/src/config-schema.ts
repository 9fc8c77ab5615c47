import { z } from "zod";

/** What a daily run over a day with no activity writes (see `[generator] empty_days`). */
export const EMPTY_DAYS = ["skip", "note", "digest"] as const;
export type EmptyDays = (typeof EMPTY_DAYS)[number];

// Path parts of letters, digits, "_", "-" and "." that never start with ".": no "..", no ".git", no absolute path.
const DOCS_SUBDIR = /^(|[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*)$/;

const port = z.number().int().min(0).max(65535);
const endpoint = z.string().regex(/^(tcp:\/\/(\[[0-9a-fA-F:]+\]|[^\s:[\]]+):\d{1,5}|inproc:\/\/[\w.-]+|ipc:\/\/\S+)$/, {
  message: "expected a ZeroMQ endpoint such as tcp://127.0.0.1:5561 or inproc://collector",
});
const cron = z.string().regex(/^(\S+\s+){4,5}\S+$/, { message: "expected a cron expression such as \"0 6 * * *\"" });

/**
 * Keys of a service that asks Ollama (analyzer: themes; generator: narrative). Defaults
 * keep a run fast with no Ollama at all: a refused connection fails at once, and the
 * deterministic themes and template narrative stand in.
 */
const llm = () => ({
  ollama_url: z.string().url().default("http://localhost:11434"),
  model: z.string().min(1).default("qwen2.5-coder:1.5b"),
  /** false: never call Ollama, use the deterministic output. */
  llm_enabled: z.boolean().default(true),
  /**
   * Context window asked of the model, in tokens; larger periods are split to fit it.
   * "auto": the model's own context length (Ollama's /api/show), within max_num_ctx and
   * num_ctx_memory_mib; 4096 when the server does not say.
   */
  // A number from an environment variable arrives as text (the default is a string).
  num_ctx: z
    .union([z.literal("auto"), z.coerce.number().int().min(1024).max(1_048_576)], { message: "expected \"auto\" or a whole number of tokens from 1024 to 1048576" })
    .default("auto"),
  /** Largest context "auto" picks: prompt evaluation slows as the context grows. */
  max_num_ctx: z.number().int().min(1024).max(1_048_576).default(32_768),
  /** Memory "auto" may give the model's KV cache (at 16 bits), in MiB: the GPU or RAM Ollama shares. */
  num_ctx_memory_mib: z.number().int().min(64).default(1024),
  /** Longest one call to Ollama may take. */
  timeout_ms: z.number().int().min(100).default(60_000),
  /** Further attempts after a timeout or server error (a refused connection is never retried). */
  retries: z.number().int().min(0).max(5).default(1),
  /** Pull the model at start-up when Ollama does not have it. */
  pull_model: z.boolean().default(false),
  /** Fixed seed and temperature 0: the same prompt gives the same answer. */
  seed: z.number().int().default(42),
  temperature: z.number().min(0).max(2).default(0),
});

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "expected an environment variable name" });
/**
 * One place runs are announced. The address and the signing key are secrets: the config
 * names where they are (an environment variable or a mounted file), never their values.
 */
const notifyTarget = z
  .strictObject({
    /** Shown in logs and delivery records instead of the address. */
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: "expected a short lower-case name such as \"team-slack\"" }),
    /** `slack`: a Slack-compatible incoming webhook (Mattermost, Discord's /slack); `webhook`: signed JSON. */
    kind: z.enum(["slack", "webhook"]),
    url_env: envName.optional(),
    url_file: z.string().min(1).optional(),
    /** HMAC-SHA256 key of a `webhook` target. */
    secret_env: envName.optional(),
    secret_file: z.string().min(1).optional(),
    on: z.array(z.enum(["succeeded", "failed"])).min(1).default(["succeeded", "failed"]),
  })
  .refine((t) => Boolean(t.url_env) !== Boolean(t.url_file), { message: "set exactly one of url_env and url_file" })
  .refine((t) => t.kind !== "webhook" || Boolean(t.secret_env) !== Boolean(t.secret_file), {
    message: "a webhook target signs its body: set exactly one of secret_env and secret_file",
  });
export type NotifyTargetConfig = z.infer<typeof notifyTarget>;

/** Keys every stage service has. */
const stage = (defaults: { endpoint: string; http_port: number }) => ({
  /** Where other services reach this one. It binds the same port on `bind_host`. */
  endpoint: endpoint.default(defaults.endpoint),
  http_port: port.default(defaults.http_port),
});

export const ConfigSchema = z.strictObject({
  environment: z.string().default("development"),
  /** Root of the shared volume: raw/, processed/, state/, cache/. */
  data_dir: z.string().min(1).default("./data"),
  /** IANA zone in which days, weeks and months begin. */
  timezone: z.string().min(1).default("UTC"),
  /** Interface services bind tcp sockets and HTTP servers on. */
  bind_host: z.string().min(1).default("127.0.0.1"),
  log_level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  orchestrator: z
    .strictObject({
      /** Interface of the event bus and HTTP API (kept from the seed proposal). */
      bind_address: z.string().min(1).default("127.0.0.1"),
      /** How other services reach the orchestrator. */
      host: z.string().min(1).default("127.0.0.1"),
      /** Event bus input: stages' PUB sockets connect here. */
      event_port: port.default(5556),
      /** Event bus output: subscribers (orchestrator, `sparky events`) connect here. */
      event_sub_port: port.default(5557),
      http_port: port.default(8080),
      request_timeout_ms: z.number().int().positive().default(2000),
      request_retries: z.number().int().min(0).max(10).default(2),
      /** Longest a stage job may run before the attempt counts as failed. */
      stage_timeout_s: z.number().positive().default(900),
      max_attempts: z.number().int().min(1).max(10).default(3),
      retry_backoff_ms: z.number().int().min(0).default(1000),
      poll_interval_ms: z.number().int().positive().default(1000),
      schedules_enabled: z.boolean().default(true),
      schedule_daily: cron.default("0 6 * * *"),
      schedule_weekly: cron.default("0 7 * * 1"),
      schedule_monthly: cron.default("0 8 1 * *"),
      /**
       * Raw collections (data/raw/<key>/) whose period ended more than this many days ago, and
       * cache files (data/cache/) not written for as long, are removed after each run. A failed
       * run's raw data is kept this long after it failed, so it stays resumable. 0 keeps everything.
       */
      retain_raw_days: z.number().int().min(0).default(90),
      /** Days looked back on start and after each scheduled run for periods with no succeeded run (0: no catch-up). */
      catch_up_days: z.number().int().min(0).max(366).default(7),
    })
    .prefault({}),

  collector: z
    .strictObject({
      ...stage({ endpoint: "tcp://127.0.0.1:5561", http_port: 9101 }),
      /** GitHub organisation to collect (GitHub source); empty = the local repositories in `repos`. */
      github_org: z.string().default(""),
      /** REST API root; GitHub Enterprise Server is https://HOST/api/v3 (GraphQL is found beside it). */
      github_api_url: z.string().url().default("https://api.github.com"),
      /** Globs over repository names (`api-*`, or `org/name` forms); empty = every repository. */
      include: z.array(z.string().min(1)).default([]),
      /** Globs over repository names left out, applied after `include`. */
      exclude: z.array(z.string().min(1)).default([]),
      include_archived: z.boolean().default(false),
      include_forks: z.boolean().default(false),
      /**
       * Longest wait for GitHub's quota to refill (every token used up). A longer one fails the
       * collection, naming the reset time and keeping what it collected for `sparky resume`.
       */
      max_rate_limit_wait_s: z.number().int().min(0).default(1800),
      /** TOML file that merges or renames contributors (see config/identities.example.toml); "" = none. */
      identities_file: z.string().default(""),
      /** Local git repositories to collect when no organisation is set; relative to the working directory. */
      repos: z.array(z.string().min(1)).default(["."]),
      /**
       * Folders under which `POST /runs` may name repositories besides those in `repos`; the
       * HTTP API never reads another path on the host. Empty: only `repos`.
       */
      repo_roots: z.array(z.string().min(1)).default([]),
      /** Authors whose name or email contains one of these (case-insensitive) are bots. */
      bot_patterns: z.array(z.string().min(1)).default(["[bot]", "dependabot", "renovate", "github-actions"]),
      data_dir: z.string().optional(),
      cache_ttl: z.number().int().min(0).default(3600),
    })
    .prefault({}),

  analyzer: z
    .strictObject({
      ...stage({ endpoint: "tcp://127.0.0.1:5562", http_port: 9102 }),
      ...llm(),
      top_contributors: z.number().int().min(1).max(100).default(5),
      highlights: z.number().int().min(0).max(100).default(5),
    })
    .prefault({}),

  generator: z
    .strictObject({
      ...stage({ endpoint: "tcp://127.0.0.1:5563", http_port: 9103 }),
      ...llm(),
      output_dir: z.string().min(1).default("./output"),
      /** Most commits listed in one digest; the rest are counted, not listed. */
      max_items: z.number().int().min(1).default(200),
      /**
       * A daily run over a day with no activity at all: "skip" writes no digest (the index
       * lists the day as quiet), "note" writes a one-paragraph note, "digest" the full
       * all-zero digest. Weekly and monthly digests are always written.
       */
      empty_days: z.enum(EMPTY_DAYS).default("skip"),
    })
    .prefault({}),

  publisher: z
    .strictObject({
      ...stage({ endpoint: "tcp://127.0.0.1:5564", http_port: 9104 }),
      /** The docs git repository digests are committed to; created when missing. */
      git_repo: z.string().min(1).default("./output"),
      auto_push: z.boolean().default(false),
      /** Remote pushed to when auto_push is on (credentials come from the environment). */
      docs_repo_url: z.string().default(""),
      branch: z.string().min(1).default("main"),
      author_name: z.string().min(1).default("Sparky"),
      author_email: z.string().min(1).default("sparky@localhost"),
      /**
       * Web address of a digest in the docs repository, for links in notifications:
       * `{path}` is its path in the repository (`daily/2026-11-26.md`), e.g.
       * "https://github.com/my-org/digests/blob/main/{path}". "" = no link.
       */
      docs_web_url: z.string().regex(/^(|https?:\/\/\S*\{path\}\S*)$/, { message: "expected an http(s) address containing {path}, or \"\"" }).default(""),
      /**
       * Folder of the docs repository the digests, index and feed go to ("docs/digests"), so
       * they can live beside other pages; "" = the repository's root. Sparky commits only under it.
       */
      docs_subdir: z
        .string()
        .regex(DOCS_SUBDIR, { message: 'expected a folder inside the docs repository such as "docs/digests": relative, "/"-separated, no "..", no part starting with "."; or "" for its root' })
        .default(""),
    })
    .prefault({}),

  /** Announcements of finished runs (see @sparky/notify). */
  notify: z
    .strictObject({
      targets: z.array(notifyTarget).default([]),
      /** Longest one delivery attempt may take. */
      timeout_ms: z.number().int().min(100).default(10_000),
      /** Further attempts after a failed delivery (network error, timeout, 5xx, 429). */
      retries: z.number().int().min(0).max(10).default(4),
      /** Wait before the first retry; doubled for each next one. */
      backoff_ms: z.number().int().min(0).default(2000),
      /** Announce the runs of a backfill too (one message per period: off by default). */
      announce_backfill: z.boolean().default(false),
    })
    .prefault({}),
});

export type SparkyConfig = z.infer<typeof ConfigSchema>;
export const SERVICES = ["orchestrator", "collector", "analyzer", "generator", "publisher"] as const;
export type ServiceName = (typeof SERVICES)[number];
export type StageServiceName = Exclude<ServiceName, "orchestrator">;

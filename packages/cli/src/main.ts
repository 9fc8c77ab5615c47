// Only what every command needs is imported here: each command's module (and the services,
// sockets and clients behind it) is imported when that command runs (COMMANDS below).
import { EXIT, UsageError, reportError } from "./cli-error.js";
import { processIo } from "./io.js";
import type { Io } from "./io.js";

export const HELP = `sparky: what an engineering organisation did today, as Markdown digests.

Usage: sparky <command> [options]

Commands:
  digest            Collect, analyze, generate and publish one period's digest, all in
                    this process (five services over inproc:// sockets)
  backfill          Make the digests of every period in a date range (--from, --to),
                    skipping those already made; resumable, failures listed
  resume RUN_ID     Continue a failed run from the stage that failed
  serve SERVICE     Run one service (orchestrator, collector, analyzer, generator,
                    publisher) as its own process over tcp://; \`serve all\`: the five
                    in one long-running process (runs API, schedules, notifications)
  status            Orchestrator state and the last runs (works with nothing running)
  tasks             List runs: --status S, --limit N, --json
  events            Follow the event bus of served services
  dashboard         Serve the web dashboard alone on 127.0.0.1:4343 from the local
                    data directory and digests (no service needed)
  identities        --suggest: likely duplicate people, as [[person]] blocks to paste
                    into the identities file (never merged until you do)
  help [COMMAND]    This help, or a command's

Every command takes --config FILE, --data-dir DIR, --log-level LEVEL and -h/--help.

Configuration: config/$SPARKY_ENV.toml (SPARKY_ENV defaults to development; built-in
defaults when the file is missing), overridden by SPARKY_<SECTION>_<KEY> variables,
e.g. SPARKY_TIMEZONE=Europe/Berlin, SPARKY_PUBLISHER_AUTO_PUSH=true. Secrets only from
the environment: SPARKY_API_TOKEN (orchestrator POST API), GITHUB_TOKEN,
SPARKY_DASHBOARD_TOKEN (dashboard sign-in when bound off loopback).

Examples:
  sparky digest --date latest                  newest day with commits in this repository
  sparky digest --repo ../api --repo ../web --period weekly --date 2026-11-23
  sparky digest --period monthly --json
  sparky backfill --period daily --from 2026-09-01 --to 2026-11-30
  sparky status
  sparky identities --suggest
`;

interface Command {
  run(args: string[], io: Io): Promise<number>;
  help: string;
}

/**
 * One digest, then exit: zod interprets its schemas rather than compiling each to code. It
 * decides that as a schema is built, and the command's modules build theirs as they load.
 */
const oneShot = () => import("@sparky/messages/one-shot").then((m) => m.validateForOneShot());

/** One line per command: its module is imported only when it runs or its help is asked for. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  digest: () => oneShot().then(() => import("./commands/digest.js")).then((m) => ({ run: m.digestCommand, help: m.DIGEST_HELP })),
  backfill: () => import("./commands/backfill.js").then((m) => ({ run: m.backfillCommand, help: m.BACKFILL_HELP })),
  resume: () => oneShot().then(() => import("./commands/resume.js")).then((m) => ({ run: m.resumeCommand, help: m.RESUME_HELP })),
  serve: () => import("./commands/serve.js").then((m) => ({ run: m.serveCommand, help: m.SERVE_HELP })),
  status: () => import("./commands/status.js").then((m) => ({ run: m.statusCommand, help: m.STATUS_HELP })),
  tasks: () => import("./commands/status.js").then((m) => ({ run: m.tasksCommand, help: m.TASKS_HELP })),
  events: () => import("./commands/events.js").then((m) => ({ run: m.eventsCommand, help: m.EVENTS_HELP })),
  identities: () => import("./commands/identities.js").then((m) => ({ run: m.identitiesCommand, help: m.IDENTITIES_HELP })),
  // Its help comes from a light module; the dashboard itself (markdown-it, sanitize-html, fastify) only when it runs.
  dashboard: () =>
    import("./commands/dashboard-help.js").then((h) => ({
      run: async (args: string[], io: Io) => (await import("./commands/dashboard.js")).dashboardCommand(args, io),
      help: h.DASHBOARD_HELP,
    })),
};

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (!name || name === "help" || name === "--help" || name === "-h") {
      const topic = name === "help" ? rest[0] : undefined;
      if (topic && !COMMANDS[topic]) throw new UsageError(`help: no command "${topic}"; commands: ${Object.keys(COMMANDS).join(", ")}`);
      io.stdout.write(topic ? (await COMMANDS[topic]!()).help : HELP);
      return name ? EXIT.ok : EXIT.usage;
    }
    if (name === "--version") {
      io.stdout.write("sparky 0.1.0\n");
      return EXIT.ok;
    }
    const load = COMMANDS[name];
    if (!load) throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")} (sparky --help)`);
    return await (await load()).run(rest, io);
  } catch (error) {
    return reportError(error, io.stderr);
  }
}

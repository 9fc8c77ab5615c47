import { backfillCommand, BACKFILL_HELP } from "./commands/backfill.js";
import { digestCommand, DIGEST_HELP } from "./commands/digest.js";
import { eventsCommand, EVENTS_HELP } from "./commands/events.js";
import { identitiesCommand, IDENTITIES_HELP } from "./commands/identities.js";
import { DASHBOARD_HELP } from "./commands/dashboard-help.js";
import { resumeCommand, RESUME_HELP } from "./commands/resume.js";
import { serveCommand, SERVE_HELP } from "./commands/serve.js";
import { statusCommand, tasksCommand, STATUS_HELP, TASKS_HELP } from "./commands/status.js";
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
the environment: SPARKY_API_TOKEN (orchestrator POST API), GITHUB_TOKEN.

Examples:
  sparky digest --date latest                  newest day with commits in this repository
  sparky digest --repo ../api --repo ../web --period weekly --date 2026-11-23
  sparky digest --period monthly --json
  sparky backfill --period daily --from 2026-09-01 --to 2026-11-30
  sparky status
  sparky identities --suggest
`;

const COMMANDS: Record<string, { run: (args: string[], io: Io) => Promise<number>; help: string }> = {
  digest: { run: digestCommand, help: DIGEST_HELP },
  backfill: { run: backfillCommand, help: BACKFILL_HELP },
  resume: { run: resumeCommand, help: RESUME_HELP },
  serve: { run: serveCommand, help: SERVE_HELP },
  status: { run: statusCommand, help: STATUS_HELP },
  tasks: { run: tasksCommand, help: TASKS_HELP },
  events: { run: eventsCommand, help: EVENTS_HELP },
  identities: { run: identitiesCommand, help: IDENTITIES_HELP },
  // Loaded only when asked for: the dashboard brings markdown-it, sanitize-html and Mermaid's path.
  dashboard: {
    run: async (args, io) => (await import("./commands/dashboard.js")).dashboardCommand(args, io),
    help: DASHBOARD_HELP,
  },
};

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (!name || name === "help" || name === "--help" || name === "-h") {
      const topic = name === "help" ? rest[0] : undefined;
      if (topic && !COMMANDS[topic]) throw new UsageError(`help: no command "${topic}"; commands: ${Object.keys(COMMANDS).join(", ")}`);
      io.stdout.write(topic ? COMMANDS[topic]!.help : HELP);
      return name ? EXIT.ok : EXIT.usage;
    }
    if (name === "--version") {
      io.stdout.write("sparky 0.1.0\n");
      return EXIT.ok;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")} (sparky --help)`);
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io.stderr);
  }
}

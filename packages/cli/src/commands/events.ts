import { resolveEndpoints } from "@sparky/harness";
import { subscribeEvents } from "@sparky/transport";
import { COMMON_OPTIONS, parse } from "../args.js";
import { EXIT } from "../cli-error.js";
import { loadWithFlags } from "../load.js";
import { formatEvent } from "../progress.js";
import type { Io } from "../io.js";

export const EVENTS_HELP = `Usage: sparky events [--follow] [--topic PREFIX ...] [--json]

Print the event stream of a served orchestrator's event bus ([orchestrator] host
and event_sub_port), one line per event, until interrupted (Ctrl-C). --follow is
the default and may be given for clarity. --topic filters by type prefix
(collect., run., ...); --json prints each event as one JSON line.
`;

export async function eventsCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse("events", args, {
    ...COMMON_OPTIONS,
    follow: { type: "boolean", short: "f", default: true },
    topic: { type: "string", multiple: true },
    json: { type: "boolean", default: false },
  });
  if (values.help) {
    io.stdout.write(EVENTS_HELP);
    return EXIT.ok;
  }
  const config = loadWithFlags(values, io.cwd);
  const endpoint = resolveEndpoints(config, "tcp").eventsOut.connect;
  const subscription = subscribeEvents(endpoint, {
    topics: values.topic ?? [],
    onDrop: (info) => io.stderr.write(`sparky: dropped a malformed event (${info.code}: ${info.message})\n`),
  });
  io.stderr.write(`sparky: following events on ${endpoint} (Ctrl-C to stop)\n`);
  const stop = () => subscription.close();
  // A reader that left (`sparky events | head -1`) ends the follow as Ctrl-C does: unheard, the next write's EPIPE crashed it.
  io.stdout.on("error", stop);
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  for await (const event of subscription) {
    io.stdout.write(values.json ? `${JSON.stringify(event)}\n` : `${formatEvent(event)}\n`);
  }
  return EXIT.ok;
}

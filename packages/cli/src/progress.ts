import type { Event } from "@sparky/messages";

/** One human line per event, or null for events a person watching a run need not see. */
export function describeEvent(event: Event): string | null {
  switch (event.type) {
    case "run.started":
    case "run.stage":
    case "run.completed":
    case "run.failed":
      return event.payload.message;
    case "collect.progress":
    case "analyze.progress":
    case "generate.progress":
    case "publish.progress": {
      const { message, done, total } = event.payload;
      const stage = event.type.split(".")[0];
      return `${stage}: ${message}${done !== null && total !== null ? ` (${done}/${total})` : ""}`;
    }
    default:
      return null;
  }
}

/** The whole event as one line, for `sparky events`. */
export function formatEvent(event: Event): string {
  const line = describeEvent(event) ?? JSON.stringify(event.payload);
  return `${event.time} ${event.type.padEnd(18)} ${event.runId ?? "-"} ${line}`;
}

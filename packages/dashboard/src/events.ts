import type { FastifyInstance } from "fastify";
import type { DashboardContext } from "./context.js";
import { SECURITY_HEADERS } from "./security.js";

const HEARTBEAT_MS = 15_000;

/**
 * `GET /dashboard/events`: the event bus as server-sent events, one `run` event per bus
 * message (type, run id, stage, message). The page fetches what changed itself, so a
 * dropped event costs nothing but a later refresh.
 */
export function eventRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.get("/events", async (request, reply) => {
    const live = ctx.options.live;
    if (!live) {
      return reply.code(404).type("text/plain").send("live updates need the orchestrator: this dashboard runs without one");
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write("retry: 2000\n\n");
    const stop = live.onEvent((event) => {
      const p = event.payload as { runId?: string; stage?: string | null; message?: string };
      const data = { type: event.type, runId: event.runId ?? p.runId ?? null, stage: p.stage ?? null, message: p.message ?? "" };
      res.write(`event: run\ndata: ${JSON.stringify(data)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(": still here\n\n"), HEARTBEAT_MS);
    heartbeat.unref();
    request.raw.on("close", () => {
      clearInterval(heartbeat);
      stop();
    });
  });
}

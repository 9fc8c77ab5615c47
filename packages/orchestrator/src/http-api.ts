import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { PERIODS, RepoPathSchema, SparkyError, periodFor, yesterday } from "@sparky/messages";
import type { Clock, RunRecord } from "@sparky/messages";
import type { Orchestrator } from "./create-orchestrator.js";
import { assertDateInRange } from "./date-range.js";
import { assertReposAllowed } from "./repo-allowlist.js";
import { summarize } from "./run-summary.js";
import type { RepoAllowlist } from "./repo-allowlist.js";

const RunBody = z.strictObject({
  period: z.enum(PERIODS),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "expected YYYY-MM-DD" }).optional(),
  repos: z.array(RepoPathSchema).max(100).optional(),
});

const BackfillBody = z.strictObject({
  period: z.enum(PERIODS),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "expected YYYY-MM-DD" }),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "expected YYYY-MM-DD" }),
});

const ListQuery = z.object({
  status: z.enum(["pending", "running", "succeeded", "failed"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Guard for the endpoints that start work. With no token configured they refuse:
 * an open trigger on a cluster network is not a default anyone wants.
 */
function authorize(apiToken: string | null, request: FastifyRequest, reply: FastifyReply): boolean {
  if (!apiToken) {
    void reply.code(403).send({ error: "triggering runs over HTTP is disabled: set SPARKY_API_TOKEN in the orchestrator's environment" });
    return false;
  }
  const header = request.headers.authorization ?? "";
  const match = /^Bearer (.+)$/.exec(header);
  if (!match || !sameSecret(match[1]!, apiToken)) {
    void reply.code(401).header("www-authenticate", "Bearer").send({ error: "missing or wrong bearer token" });
    return false;
  }
  return true;
}

/** What a refusal's code answers over HTTP. */
const STATUS_OF: Record<string, number> = {
  SPARKY_RUN_CONFLICT: 409,
  SPARKY_STATE_UNWRITABLE: 503,
  SPARKY_NOT_STARTED: 503,
};

/** `GET /runs`, `GET /runs/:id`, `POST /runs`, `POST /runs/:id/resume`, `POST /backfill`, `GET /backfill/:id`. */
export function runsApi(
  orchestrator: Orchestrator,
  options: { apiToken: string | null; timezone: string; clock: Clock; repos?: RepoAllowlist },
) {
  /** The record, null when there is none, undefined when the id was refused (400 sent). */
  async function loadOrRefuse(runId: string, reply: FastifyReply): Promise<RunRecord | null | undefined> {
    try {
      return await orchestrator.store.loadRun(runId);
    } catch (error) {
      if (error instanceof SparkyError && error.code === "SPARKY_BAD_RUN_ID") {
        await reply.code(400).send({ error: error.message, code: error.code });
        return undefined;
      }
      throw error;
    }
  }

  return (app: FastifyInstance) => {
    app.get("/runs", async (request, reply) => {
      const query = ListQuery.safeParse(request.query);
      if (!query.success) return reply.code(400).send({ error: `bad query: ${query.error.issues[0]?.message}` });
      const runs = (await orchestrator.store.listRuns()).filter((r) => !query.data.status || r.state === query.data.status);
      return { runs: runs.slice(0, query.data.limit).map(summarize) };
    });

    app.get<{ Params: { id: string } }>("/runs/:id", async (request, reply) => {
      const record = await loadOrRefuse(request.params.id, reply);
      if (record === undefined) return reply;
      return record ?? reply.code(404).send({ error: `no run ${request.params.id}` });
    });

    app.post("/runs", async (request, reply) => {
      // Before any await: a request that arrived while a run of its id was in flight joins it.
      const receivedAt = Date.now();
      if (!authorize(options.apiToken, request, reply)) return reply;
      const body = RunBody.safeParse(request.body ?? {});
      if (!body.success) {
        const issue = body.error.issues[0];
        return reply.code(400).send({ error: `bad request body: ${issue?.path.join(".") || "body"}: ${issue?.message}` });
      }
      const date = body.data.date ?? yesterday(options.clock.now(), options.timezone);
      try {
        assertDateInRange(body.data.period, date, options.clock.now(), options.timezone);
        periodFor(body.data.period, date, options.timezone);
        if (body.data.repos?.length) {
          // No allowlist given (tests, embedding): nothing but the configured repositories.
          await assertReposAllowed(body.data.repos, options.repos ?? { repos: [], roots: [], cwd: process.cwd() });
        }
        const admitted = await orchestrator.admit({ period: body.data.period, date, repos: body.data.repos, trigger: "api" }, receivedAt);
        return reply.code(202).send({ runId: admitted.runId, state: "accepted", joined: admitted.joined });
      } catch (error) {
        if (error instanceof SparkyError) return reply.code(STATUS_OF[error.code] ?? 400).send({ error: error.message, code: error.code });
        throw error;
      }
    });

    app.post("/backfill", async (request, reply) => {
      if (!authorize(options.apiToken, request, reply)) return reply;
      const body = BackfillBody.safeParse(request.body ?? {});
      if (!body.success) {
        const issue = body.error.issues[0];
        return reply.code(400).send({ error: `bad request body: ${issue?.path.join(".") || "body"}: ${issue?.message}` });
      }
      try {
        // Answered once the request is on disk: a 202 survives a kill, and a restart carries it on.
        const admitted = await orchestrator.backfills.admit({ ...body.data, requestedBy: "api" });
        return reply.code(202).send({ backfillId: admitted.id, periods: admitted.total, state: "accepted", joined: admitted.joined });
      } catch (error) {
        if (error instanceof SparkyError) return reply.code(STATUS_OF[error.code] ?? 400).send({ error: error.message, code: error.code });
        throw error;
      }
    });

    app.get<{ Params: { id: string } }>("/backfill/:id", async (request, reply) => {
      try {
        const record = await orchestrator.backfills.load(request.params.id);
        return record ?? reply.code(404).send({ error: `no backfill ${request.params.id}` });
      } catch (error) {
        if (error instanceof SparkyError && error.code === "SPARKY_BAD_BACKFILL_ID") return reply.code(400).send({ error: error.message, code: error.code });
        throw error;
      }
    });

    app.post<{ Params: { id: string } }>("/runs/:id/resume", async (request, reply) => {
      if (!authorize(options.apiToken, request, reply)) return reply;
      const record = await loadOrRefuse(request.params.id, reply);
      if (record === undefined) return reply;
      if (!record) return reply.code(404).send({ error: `no run ${request.params.id}` });
      orchestrator.resume(record.runId).catch(() => undefined);
      return reply.code(202).send({ runId: record.runId, state: "accepted" });
    });
  };
}

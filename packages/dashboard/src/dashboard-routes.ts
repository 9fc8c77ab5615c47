import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { SparkyError } from "@sparky/messages";
import { assetRoutes } from "./assets.js";
import { createContext } from "./context.js";
import type { DashboardContext, DashboardOptions } from "./context.js";
import { eventRoutes } from "./events.js";
import { BASE, messagePage } from "./layout.js";
import { detailPage, listPage } from "./pages/activity-pages.js";
import { digestPage } from "./pages/digest.js";
import { digestsPage } from "./pages/digests.js";
import { overviewPage } from "./pages/overview.js";
import { noRun, runPage } from "./pages/run.js";
import { runsPage } from "./pages/runs.js";
import { signInPage } from "./pages/sign-in.js";
import { SECURITY_HEADERS, SESSION_COOKIE, cookieOf, isLoopback, newSession, sameToken, sessionCookie, validSession } from "./security.js";

/** Why a dashboard bound off loopback with no token serves nothing, and what to do. */
export function noTokenMessage(host: string): string {
  return (
    `the dashboard is bound to ${host}, which other machines can reach, and SPARKY_DASHBOARD_TOKEN is not set: ` +
    `set SPARKY_DASHBOARD_TOKEN to a long random secret (e.g. \`openssl rand -hex 32\`) in its environment, or bind it to 127.0.0.1`
  );
}

const html = (reply: FastifyReply, body: string, code = 200) => reply.code(code).type("text/html; charset=utf-8").send(body);

/** Only paths of this dashboard may follow a sign-in: never another site. */
function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/dashboard(\/[A-Za-z0-9/_%?=&.-]*)?$/.test(next) ? next : `${BASE}/`;
}

function authRoutes(app: FastifyInstance, ctx: DashboardContext, token: string): void {
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 4096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?")[0]!;
    if (path === `${BASE}/sign-in` || path === `${BASE}/assets/dashboard.css`) return;
    if (validSession(token, cookieOf(request, SESSION_COOKIE), ctx.options.clock.now().getTime())) return;
    if (request.method === "GET" && !path.startsWith(`${BASE}/events`) && !path.startsWith(`${BASE}/assets`)) {
      return reply.redirect(`${BASE}/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    }
    return reply.code(401).type("text/plain").send("sign in first: GET /dashboard/sign-in");
  });
  app.get<{ Querystring: { next?: string } }>("/sign-in", async (request, reply) => html(reply, signInPage({ next: safeNext(request.query.next), failed: false })));
  app.post<{ Body: Record<string, string> | undefined }>("/sign-in", async (request, reply) => {
    const given = request.body?.token ?? "";
    const next = safeNext(request.body?.next);
    if (!given || !sameToken(given, token)) return html(reply, signInPage({ next, failed: true }), 401);
    const session = newSession(token, ctx.options.clock.now().getTime());
    return reply.header("set-cookie", sessionCookie(request, session.value, session.maxAgeSeconds, BASE)).redirect(next, 303);
  });
  app.post("/sign-out", async (request, reply) =>
    reply.header("set-cookie", sessionCookie(request, "", 0, BASE)).redirect(`${BASE}/sign-in`, 303),
  );
}

function pageRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const notFound = (reply: FastifyReply, what: string) => html(reply, messagePage("Not found", "overview", what), 404);
  app.get("/", async (_request, reply) => html(reply, await overviewPage(ctx)));
  app.get<{ Querystring: { period?: string; state?: string } }>("/runs", async (request, reply) => html(reply, await runsPage(ctx, request.query)));
  app.get<{ Params: { id: string } }>("/runs/:id", async (request, reply) => {
    const body = await runPage(ctx, request.params.id);
    return body ? html(reply, body) : html(reply, noRun(request.params.id), 404);
  });
  app.get<{ Querystring: { period?: string; date?: string } }>("/digests", async (request, reply) => html(reply, await digestsPage(ctx, request.query)));
  app.get<{ Params: { period: string; key: string } }>("/digests/:period/:key", async (request, reply) => {
    const body = await digestPage(ctx, request.params.period, request.params.key);
    return body ? html(reply, body) : notFound(reply, `There is no ${request.params.period} digest ${request.params.key}.`);
  });
  for (const dimension of ["people", "repositories"] as const) {
    app.get<{ Querystring: { period?: string } }>(`/${dimension}`, async (request, reply) => html(reply, await listPage(ctx, dimension, request.query.period)));
    app.get<{ Params: { key: string }; Querystring: { period?: string } }>(`/${dimension}/:key`, async (request, reply) => {
      const body = await detailPage(ctx, dimension, request.params.key, request.query.period);
      return body ? html(reply, body) : notFound(reply, `No ${dimension === "people" ? "person" : "repository"} ${request.params.key} in the digests.`);
    });
  }
}

/**
 * The dashboard as a fastify plugin under /dashboard: mounted by the orchestrator on its HTTP
 * port (with `live`), or served alone by `sparky dashboard`. Security headers on every answer;
 * bound off loopback, a session from the sign-in form before any read, and with no token
 * configured nothing but a page saying how to set one.
 */
export function dashboardRoutes(options: DashboardOptions) {
  const signInRequired = !isLoopback(options.bindHost);
  const ctx = createContext(options, signInRequired);
  return async (app: FastifyInstance) => {
    app.get("/", async (_request, reply) => reply.redirect(`${BASE}/`, 302));
    await app.register(
      async (scope) => {
        scope.addHook("onSend", async (_request: FastifyRequest, reply: FastifyReply) => {
          reply.headers(SECURITY_HEADERS);
        });
        scope.setErrorHandler(async (error, request, reply) => {
          request.log.error({ err: error }, "dashboard page failed");
          const message = error instanceof SparkyError ? error.message : "the page could not be built; the server's log says why";
          return html(reply, messagePage("Something went wrong", "overview", message), 500);
        });
        if (signInRequired && !options.token) {
          scope.addHook("onRequest", async (_request, reply) => reply.code(503).type("text/plain; charset=utf-8").send(noTokenMessage(options.bindHost)));
        } else if (signInRequired) {
          authRoutes(scope, ctx, options.token!);
        }
        assetRoutes(scope);
        eventRoutes(scope, ctx);
        pageRoutes(scope, ctx);
      },
      { prefix: BASE },
    );
  };
}

import { createRequire } from "node:module";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { SparkyError } from "@sparky/messages";
import { promClient } from "./prom-client.js";

export interface Readiness {
  ready: boolean;
  /** What is not ready yet, in words, for `/ready` and logs. */
  detail: string;
}

export interface HttpServerOptions {
  service: string;
  host: string;
  port: number;
  log: Logger;
  registry: Registry;
  readiness: () => Readiness | Promise<Readiness>;
  routes?: (app: FastifyInstance) => void | Promise<void>;
}

export interface HttpServer {
  readonly app: FastifyInstance;
  readonly port: number;
  close(): Promise<void>;
}

// Fastify builds its JSON-schema compilers (ajv, fast-json-stringify: some 100 modules and
// several MiB) when an app is created, for routes that declare a JSON schema. Ours validate
// with zod, so the compilers load only if a route ever declares one: an idle stage service
// keeps that memory (issue 14). Resolved from fastify's own folder, whose dependencies they are.
type CompilerFactory = (...args: unknown[]) => unknown;
let validator: CompilerFactory | undefined;
let serializer: CompilerFactory | undefined;
const fastifyRequire = (id: string) => createRequire(createRequire(import.meta.url).resolve("fastify"))(id);
const LAZY_SCHEMA_COMPILERS = {
  buildValidator: (...args: unknown[]) => (validator ??= (fastifyRequire("@fastify/ajv-compiler") as () => CompilerFactory)())(...args),
  buildSerializer: (...args: unknown[]) =>
    (serializer ??= (fastifyRequire("@fastify/fast-json-stringify-compiler") as () => CompilerFactory)())(...args),
} as never;

/** `/health` (the process answers), `/ready` (it can do its job), `/metrics`, and any extra routes. */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const started = Date.now();
  // Loaded here, not at the top: `sparky digest` and `sparky status` import the harness but serve no HTTP.
  const { default: Fastify, LogController } = await import("fastify");
  // Typed as the base logger so route plugins see a plain FastifyInstance.
  const app: FastifyInstance = Fastify({
    loggerInstance: options.log as FastifyBaseLogger,
    // Probes and scrapes every few seconds would drown the service's own logs.
    logController: new LogController({ disableRequestLogging: true }),
    schemaController: { compilersFactory: LAZY_SCHEMA_COMPILERS },
  });
  const { Counter, Gauge } = promClient();
  // Readiness as a metric too, so an alert can tell "up but not ready" (Prometheus never calls /ready).
  new Gauge({
    name: "sparky_ready",
    help: "1 when the service can do its job (its /ready answers 200), else 0.",
    registers: [options.registry],
    async collect() {
      this.set((await options.readiness()).ready ? 1 : 0);
    },
  });
  const requests = new Counter({
    name: "sparky_http_requests_total",
    help: "HTTP requests answered, by route pattern, method and status code.",
    labelNames: ["route", "method", "status"],
    registers: [options.registry],
  });
  app.addHook("onResponse", async (request, reply) => {
    // The route's pattern (`/runs/:runId`), never the path a client sent: label values stay bounded.
    requests.inc({ route: request.routeOptions.url ?? "unmatched", method: request.method, status: String(reply.statusCode) });
  });
  app.get("/health", async () => ({ status: "ok", service: options.service, uptimeSeconds: Math.round((Date.now() - started) / 1000) }));
  app.get("/ready", async (_request, reply) => {
    const { ready, detail } = await options.readiness();
    return reply.code(ready ? 200 : 503).send({ ready, service: options.service, detail });
  });
  app.get("/metrics", async (_request, reply) => {
    return reply.header("content-type", options.registry.contentType).send(await options.registry.metrics());
  });
  await options.routes?.(app);
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close();
    const reason = (error as Error).message;
    throw new SparkyError(
      "SPARKY_BIND_FAILED",
      `cannot serve HTTP for ${options.service} on ${options.host}:${options.port}: ${reason}; ` +
        `stop whatever holds the port or set another ${options.service}.http_port`,
    );
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return { app, port, close: () => app.close() };
}

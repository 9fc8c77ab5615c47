import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";

const require = createRequire(import.meta.url);
const OWN = join(dirname(fileURLToPath(import.meta.url)), "..", "assets");
const UPLOT = dirname(require.resolve("uplot/dist/uPlot.iife.min.js"));
const MERMAID = dirname(require.resolve("mermaid/dist/mermaid.min.js"));

/**
 * Every file the pages load, from this package and its dependencies' own dist folders:
 * no CDN, so the dashboard works offline and in an air-gapped cluster. A fixed list, so
 * no request can name any other file.
 */
const FILES: Record<string, { path: string; type: string }> = {
  "dashboard.js": { path: join(OWN, "dashboard.js"), type: "text/javascript" },
  "charts.js": { path: join(OWN, "charts.js"), type: "text/javascript" },
  "digest.js": { path: join(OWN, "digest.js"), type: "text/javascript" },
  "dashboard.css": { path: join(OWN, "dashboard.css"), type: "text/css" },
  "uPlot.iife.min.js": { path: join(UPLOT, "uPlot.iife.min.js"), type: "text/javascript" },
  "uPlot.min.css": { path: join(UPLOT, "uPlot.min.css"), type: "text/css" },
  "mermaid.min.js": { path: join(MERMAID, "mermaid.min.js"), type: "text/javascript" },
};

export function assetRoutes(app: FastifyInstance): void {
  const loaded = new Map<string, Buffer>();
  app.get<{ Params: { name: string } }>("/assets/:name", async (request, reply) => {
    const file = FILES[request.params.name];
    if (!file) return reply.code(404).type("text/plain").send("no such asset");
    let body = loaded.get(request.params.name);
    if (!body) {
      body = await readFile(file.path);
      loaded.set(request.params.name, body);
    }
    return reply.type(`${file.type}; charset=utf-8`).header("cache-control", "public, max-age=3600").send(body);
  });
}

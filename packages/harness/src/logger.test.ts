import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { REDACT_PATHS, createLogger } from "./logger.js";

const SECRET = "ghp_TopSecret0123456789";

/** A logger writing to memory; returns it and the parsed lines so far. */
function capture(level?: string) {
  const lines: string[] = [];
  const log = createLogger({ service: "collector", level, destination: { write: (line: string) => void lines.push(line) } });
  return { log, records: () => lines.map((line) => JSON.parse(line) as Record<string, any>), raw: () => lines.join("") };
}

describe("createLogger", () => {
  it("writes JSON lines with the service, pid, level and an ISO time", () => {
    const { log, records } = capture();
    log.info({ runId: "daily-2026-11-26" }, "job accepted");
    const [record] = records();
    expect(record).toMatchObject({ service: "collector", pid: process.pid, level: 30, runId: "daily-2026-11-26", msg: "job accepted" });
    expect(record!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("honours the level", () => {
    const { log, records } = capture("warn");
    log.info("hidden");
    log.warn("shown");
    expect(records().map((r) => r.msg)).toEqual(["shown"]);
  });

  it("redacts token, headers.authorization and githubToken", () => {
    const { log, records, raw } = capture();
    log.info({ token: SECRET }, "a");
    log.info({ headers: { authorization: `Bearer ${SECRET}`, accept: "application/json" } }, "b");
    log.info({ githubToken: SECRET, apiToken: SECRET }, "c");
    const [a, b, c] = records();
    expect(a!.token).toBe("[redacted]");
    expect(b!.headers).toEqual({ authorization: "[redacted]", accept: "application/json" });
    expect(c).toMatchObject({ githubToken: "[redacted]", apiToken: "[redacted]" });
    expect(raw()).not.toContain(SECRET);
  });

  it("redacts secrets one level down and in request headers", () => {
    const { log, raw, records } = capture();
    log.info({ secrets: { githubToken: SECRET, apiToken: SECRET }, git: { password: SECRET, token: SECRET } }, "nested");
    log.info({ req: { headers: { authorization: SECRET } }, request: { headers: { authorization: SECRET } } }, "req");
    log.info({ GITHUB_TOKEN: SECRET, SPARKY_API_TOKEN: SECRET, authorization: SECRET }, "env");
    log.info({ env: { GITHUB_TOKEN: SECRET, SPARKY_API_TOKEN: SECRET, HOME: "/home/ada" } }, "spawn env");
    expect(raw()).not.toContain(SECRET);
    expect(records()[0]!.git).toEqual({ password: "[redacted]", token: "[redacted]" });
    expect(records()[3]!.env).toEqual({ GITHUB_TOKEN: "[redacted]", SPARKY_API_TOKEN: "[redacted]", HOME: "/home/ada" });
  });

  it("redacts secrets bound into a child logger", () => {
    const { log, raw } = capture();
    log.child({ token: SECRET }).info("child");
    expect(raw()).toContain('"token":"[redacted]"');
    expect(raw()).not.toContain(SECRET);
  });

  it("keeps the listed paths in one place", () => {
    for (const path of ["token", "githubToken", "headers.authorization", "password"]) expect(REDACT_PATHS).toContain(path);
  });
});

describe("createLogger to a file", () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it("leaves no secret in the file a pino destination writes", () => {
    dir = mkdtempSync(join(tmpdir(), "sparky-log-"));
    const file = join(dir, "service.log");
    const destination = pino.destination({ dest: file, sync: true });
    const log = createLogger({ service: "publisher", destination });
    log.info({ headers: { authorization: `Basic ${SECRET}` }, githubToken: SECRET, token: SECRET, remote: "origin" }, "pushing");
    destination.flushSync();
    destination.end();
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text)).toMatchObject({
      service: "publisher",
      remote: "origin",
      token: "[redacted]",
      githubToken: "[redacted]",
      headers: { authorization: "[redacted]" },
    });
  });
});

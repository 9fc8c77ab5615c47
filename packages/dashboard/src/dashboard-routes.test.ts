import Fastify from "fastify";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { DashboardOptions } from "./context.js";
import { dashboardRoutes } from "./dashboard-routes.js";
import { EVIL, entry, runRecord, testData } from "./test-data.js";
import type { TestData } from "./test-data.js";

let data: TestData | null = null;
let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  await data?.remove();
  app = data = null;
});

async function start(overrides: Partial<DashboardOptions> = {}) {
  data = await testData(overrides);
  app = Fastify();
  await dashboardRoutes(data.options)(app);
  await app.ready();
  return { data, app };
}

describe("the dashboard routes", () => {
  it("serves the overview with the latest digests, schedules, trend data and strict security headers", async () => {
    const { data, app } = await start();
    await data.writeIndex({ digests: [entry("daily", "2026-11-25", 4), entry("daily", "2026-11-26", 9), entry("weekly", "2026-11-23", 13)] });
    const res = await app.inject("/dashboard/");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.body).toContain(`href="/dashboard/digests/daily/2026-11-26"`);
    expect(res.body).toContain("yesterday");
    expect(res.body).toContain("2026-11-28 06:00");
    expect(res.body).not.toMatch(/<script>(?!<\/script>)/);
    expect(res.body).toContain("Last 30 days");
    // The series: 30 days ending yesterday; the two with digests carry figures, the rest are gaps.
    const spec = JSON.parse(/data-chart="([^"]+)"/.exec(res.body)![1]!.replaceAll("&quot;", '"'));
    expect(spec.labels).toHaveLength(30);
    expect(spec.series[0].values.slice(-2)).toEqual([4, 9]);
    expect(spec.series[0].values.filter((v: number | null) => v === null)).toHaveLength(28);
    expect((await app.inject("/")).headers.location).toBe("/dashboard/");
  });

  it("ends a window at the newest digest when nothing in it is recent (a history backfilled from long ago)", async () => {
    const { data, app } = await start();
    await data.writeIndex({ digests: [entry("daily", "2024-09-10", 11), entry("daily", "2024-09-11", 2), entry("weekly", "2026-11-23", 13)] });
    const res = await app.inject("/dashboard/");
    expect(res.body).toContain("Last 30 days collected, to 2024-09-11");
    // The weekly window has a recent digest, so it still ends now, gaps and all.
    expect(res.body).toContain(">Last 12 weeks<");
    const daily = JSON.parse(/data-chart="([^"]+)"/.exec(res.body)![1]!.replaceAll("&quot;", '"'));
    expect(daily.series[0].values.slice(-2)).toEqual([11, 2]);
  });

  it("escapes names, repositories and reasons everywhere they appear", async () => {
    const { data, app } = await start();
    await data.writeIndex({ digests: [entry("daily", "2026-11-26", 9, { title: EVIL.reason })] });
    await data.writeRun(runRecord("daily-2026-11-26", { state: "failed", reason: EVIL.reason }));
    for (const url of ["/dashboard/", "/dashboard/people", "/dashboard/people/evil%40example.com", "/dashboard/runs", "/dashboard/runs/daily-2026-11-26", "/dashboard/digests"]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).not.toContain("<script>window");
      expect(res.body, url).not.toContain("<img src=x");
    }
  });

  it("renders a digest as GFM, sanitized: tables, task lists, details and mermaid kept; script, handlers and javascript: links gone", async () => {
    const { data, app } = await start({ docsWebUrl: "https://github.com/acme/docs/blob/main/{path}", docsSubdir: "digests" });
    await data.writeIndex({ digests: [entry("daily", "2026-11-25", 1), entry("daily", "2026-11-26", 9), entry("daily", "2026-11-27", 2)] });
    await data.writeDigest(
      "daily/2026-11-26.md",
      [
        "---", 'title: "x"', "---", "# Daily digest", "",
        "| Repo | Commits |", "|:---|---:|", "| acme/api | 9 |", "",
        "- [x] done", "- [ ] open", "",
        "<details><summary>More</summary>", "", "hidden", "", "</details>", "",
        "<script>window.__pwned=1</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\" onclick=\"alert(2)\">js</a>",
        "[md link](javascript:alert(1)) @octocat [weekly](../weekly/2026-W48.md)", "",
        "```mermaid", "xychart-beta", "  bar [1, 2]", "```",
      ].join("\n"),
    );
    const res = await app.inject("/dashboard/digests/daily/2026-11-26");
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain("<table>");
    expect(body).toContain(`<th style="text-align:left">Repo</th>`);
    expect(body).toMatch(/<input class="task-list-item-checkbox" checked disabled type="checkbox" \/> done/);
    expect(body).toContain("<details><summary>More</summary>");
    expect(body).toContain(`<pre class="mermaid">xychart-beta`);
    expect(body).not.toContain("__pwned");
    expect(body).not.toContain("onerror");
    expect(body).not.toContain("onclick");
    expect(body).not.toMatch(/href="javascript/i);
    expect(body).toContain("<span>js</span>");
    // Refused by the Markdown renderer: the link stays text, and the @mention is not linked.
    expect(body).toContain("[md link](javascript:alert(1)) @octocat");
    expect(body).toContain(`href="/dashboard/digests/weekly/2026-W48"`);
    expect(body).toContain(`rel="prev" href="/dashboard/digests/daily/2026-11-25"`);
    expect(body).toContain(`rel="next" href="/dashboard/digests/daily/2026-11-27"`);
    expect(body).toContain(`href="https://github.com/acme/docs/blob/main/digests/daily/2026-11-26.md"`);
    expect((await app.inject("/dashboard/digests/daily/..%2F..%2Fetc%2Fpasswd")).statusCode).toBe(404);
    expect((await app.inject("/dashboard/digests/daily/2026-11-20")).statusCode).toBe(404);
  });

  it("lists runs with filters and shows a run's stages, attempts and LLM cost; resume needs the orchestrator", async () => {
    const { data, app } = await start();
    await data.writeRun(runRecord("daily-2026-11-26"));
    await data.writeRun(runRecord("daily-2026-11-25", { state: "failed", reason: "publish failed: the docs repository is locked" }));
    const failed = await app.inject("/dashboard/runs?state=failed");
    expect(failed.body).toContain("daily-2026-11-25");
    expect(failed.body).not.toContain(">daily-2026-11-26<");
    const detail = await app.inject("/dashboard/runs/daily-2026-11-25");
    expect(detail.body).toContain("publish failed: the docs repository is locked");
    expect(detail.body).toContain("SPARKY_LLM_TIMEOUT");
    expect(detail.body).toContain("sparky resume daily-2026-11-25");
    expect(detail.body).not.toContain(`id="resume"`);
    expect((await app.inject("/dashboard/runs/../../etc")).statusCode).toBe(404);
    expect((await app.inject("/dashboard/events")).statusCode).toBe(404);
  });

  it("serves the chart, Mermaid and page assets from the package, and nothing else", async () => {
    const { app } = await start();
    for (const name of ["uPlot.iife.min.js", "mermaid.min.js", "dashboard.js", "charts.js", "digest.js", "dashboard.css"]) {
      const res = await app.inject(`/dashboard/assets/${name}`);
      expect(res.statusCode, name).toBe(200);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
    }
    expect((await app.inject("/dashboard/assets/..%2Fpackage.json")).statusCode).toBe(404);
  });
});

describe("the dashboard off loopback", () => {
  it("serves nothing without a token, and says how to set one", async () => {
    const { app } = await start({ bindHost: "0.0.0.0" });
    const res = await app.inject("/dashboard/");
    expect(res.statusCode).toBe(503);
    expect(res.body).toMatch(/SPARKY_DASHBOARD_TOKEN is not set: set SPARKY_DASHBOARD_TOKEN/);
  });

  it("asks for the token, then serves reads with an HttpOnly SameSite=Strict session cookie", async () => {
    const { data, app } = await start({ bindHost: "0.0.0.0", token: "dash-secret-token" });
    await data.writeIndex({ digests: [entry("daily", "2026-11-26", 9)] });
    const first = await app.inject("/dashboard/runs?state=failed");
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe("/dashboard/sign-in?next=%2Fdashboard%2Fruns%3Fstate%3Dfailed");
    expect((await app.inject("/dashboard/events")).statusCode).toBe(401);
    const form = (token: string, next = "/dashboard/runs?state=failed") =>
      app.inject({ method: "POST", url: "/dashboard/sign-in", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: new URLSearchParams({ token, next }).toString() });
    const wrong = await form("nope");
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers["set-cookie"]).toBeUndefined();
    const offsite = await form("dash-secret-token", "https://evil.example/");
    expect(offsite.headers.location).toBe("/dashboard/");
    const ok = await form("dash-secret-token");
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe("/dashboard/runs?state=failed");
    const cookie = String(ok.headers["set-cookie"]);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain("dash-secret-token");
    const session = cookie.split(";")[0]!;
    const read = await app.inject({ url: "/dashboard/", headers: { cookie: session } });
    expect(read.statusCode).toBe(200);
    expect(read.body).toContain("Sign out");
    const forged = session.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect((await app.inject({ url: "/dashboard/", headers: { cookie: forged } })).statusCode).toBe(303);
  });
});

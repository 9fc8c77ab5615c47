/// <reference lib="dom" />
// The dashboard in a real browser: Debian's Chromium driven by playwright-core, against the
// dashboard a real `sparky serve all` mounts on its port, over digests real runs made from
// real git repositories whose commit text and author names carry injection attempts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { addDays, localDay } from "@sparky/messages";
import type { DigestIndex } from "@sparky/messages";
import { GitFixture } from "../support/git-fixture.js";
import { freePort, runSparky, sparky, waitFor, waitReady } from "../support/processes.js";
import type { Proc } from "../support/processes.js";
import { axeViolations, launch, screenshot, unavailable, watchedPage } from "./browser.js";

if (unavailable) console.log(`browser tests skipped: ${unavailable}`);

const TOKEN = "browser-test-api-token";
const EVIL_AUTHOR = `<img src=x onerror="window.__pwned=1">Mallory`;
const EVIL_SUBJECT = `fix: <script>window.__pwned=2</script> [click me](javascript:alert(1)) <b onmouseover="alert(3)">bold</b> @octocat`;
const today = localDay(Date.now(), "UTC");
const day = (n: number) => addDays(today, -n);

let root: string;
let work: string;
let base: string;
let browser: Browser;
let server: Proc;
let repos: string[];

function env(port: number): NodeJS.ProcessEnv {
  return {
    SPARKY_API_TOKEN: TOKEN,
    SPARKY_ORCHESTRATOR_HTTP_PORT: String(port),
    SPARKY_ORCHESTRATOR_SCHEDULES_ENABLED: "false",
    SPARKY_COLLECTOR_REPOS: JSON.stringify(repos),
    SPARKY_PUBLISHER_DOCS_WEB_URL: "https://github.com/acme/docs/blob/main/{path}",
  };
}

async function make(args: string[]) {
  const result = await sparky([...args, ...repos.flatMap((r) => ["--repo", r]), "--quiet"], { cwd: work });
  if (result.code !== 0) throw new Error(`sparky ${args.join(" ")} failed: ${result.stderr}`);
}

beforeAll(async () => {
  if (unavailable) return;
  root = mkdtempSync(join(tmpdir(), "sparky-browser-"));
  work = join(root, "work");
  mkdirSync(work, { recursive: true });
  const api = new GitFixture(join(root, "repos", "api"));
  const web = new GitFixture(join(root, "repos", "web"));
  api.commit({ at: `${day(40)}T09:00:00Z`, author: "Ada Lovelace", email: "ada@example.com", subject: "feat: first engine" });
  for (const n of [12, 10, 9, 7, 6, 4, 3]) {
    api.commit({ at: `${day(n)}T09:00:00Z`, author: "Ada Lovelace", email: "ada@example.com", subject: `feat: engine part ${n}` });
    if (n % 3 === 0) web.commit({ at: `${day(n)}T11:00:00Z`, author: "Grace Hopper", email: "grace@example.com", subject: `fix: compiler ${n}` });
  }
  web.commit({ at: `${day(9)}T15:00:00Z`, author: EVIL_AUTHOR, email: "mallory@example.com", subject: EVIL_SUBJECT });
  repos = [api.dir, web.dir];
  // The history the pages show: daily digests with gaps (days 8 and 5 had nothing and are skipped
  // as quiet; 11 and earlier were never made), a week and a month.
  await make(["backfill", "--period", "daily", "--from", day(10), "--to", day(3)]);
  await make(["digest", "--period", "weekly", "--date", day(10)]);
  await make(["digest", "--period", "monthly", "--date", day(40)]);
  // A digest edited by hand in the docs repository: raw HTML the sanitizer must cut down.
  writeFileSync(
    join(work, "output", "daily", "2020-01-01.md"),
    `# Hand-edited\n\n<script>window.__pwned=4</script><img src=x onerror="window.__pwned=5"><a href="javascript:alert(6)">js link</a>\n\n[md link](javascript:alert(7)) <iframe src="https://evil.example"></iframe> @octocat\n\n<details><summary>Kept</summary>\n\nstill here\n\n</details>\n`,
  );
  const port = await freePort();
  server = runSparky(["serve", "all"], { cwd: work, env: env(port) });
  await waitReady(port).catch((error) => {
    throw new Error(`serve all did not become ready: ${error.message}\n${server.output()}`);
  });
  base = `http://127.0.0.1:${port}`;
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.child.exitCode === null) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

async function visit(path: string, name: string): Promise<{ page: Page; problems: string[] }> {
  const watched = await watchedPage(browser);
  await watched.page.goto(`${base}${path}`, { waitUntil: "load" });
  await watched.page.waitForLoadState("networkidle").catch(() => undefined);
  await screenshot(watched.page, name);
  return watched;
}

async function inert(page: Page): Promise<void> {
  expect(await page.evaluate("window.__pwned")).toBeUndefined();
  const links = await page.$$eval("a", (as) => as.map((a) => ({ href: a.getAttribute("href") ?? "", text: a.textContent ?? "" })));
  expect(links.filter((l) => /^\s*javascript:/i.test(l.href))).toEqual([]);
  expect(links.filter((l) => /click me|md link|js link|@octocat|Mallory/.test(l.text) && !l.href.startsWith("/dashboard/people/"))).toEqual([]);
  expect(await page.$$("[onerror], [onmouseover], [onclick], iframe, img[src='x']")).toEqual([]);
}

describe.skipIf(unavailable)("the dashboard in Chromium", () => {
  it("loads every page with no console error, no failed request and no serious accessibility violation", async () => {
    const index = JSON.parse(readFileSync(join(work, "output", "index.json"), "utf8")) as DigestIndex;
    const weekly = `/dashboard/digests/weekly/${index.digests.find((d) => d.period === "weekly")!.key}`;
    const repository = index.digests.find((d) => d.details?.repositories.length)!.details!.repositories[0]!.key;
    const pages: Array<[string, string]> = [
      ["/dashboard/", "overview"],
      ["/dashboard/runs", "runs"],
      [`/dashboard/runs/daily-${day(3)}`, "run"],
      ["/dashboard/digests", "digests"],
      [`/dashboard/digests/daily/${day(9)}`, "digest-daily"],
      [weekly, "digest-weekly"],
      ["/dashboard/people", "people"],
      ["/dashboard/people/ada%40example.com", "person"],
      ["/dashboard/repositories", "repositories"],
      [`/dashboard/repositories/${encodeURIComponent(repository)}`, "repository"],
    ];
    for (const [path, name] of pages) {
      const { page, problems } = await visit(path, name);
      expect(problems, path).toEqual([]);
      expect(await axeViolations(page), path).toEqual([]);
      await inert(page);
      await page.context().close();
    }
  });

  it("draws the trend charts with data and with gaps", async () => {
    const { page, problems } = await visit("/dashboard/", "overview-charts");
    await page.waitForFunction(() => Number(document.body.dataset.chartsDrawn) > 0);
    const daily = await page.$eval("#trend-daily-commits .plot", (el) => ({
      spec: JSON.parse((el as HTMLElement).dataset.chart!),
      canvas: el.querySelector("canvas")?.width ?? 0,
    }));
    expect(daily.canvas).toBeGreaterThan(0);
    const byDay = Object.fromEntries(daily.spec.labels.map((l: string, i: number) => [l, daily.spec.series[0].values[i]]));
    expect(byDay[day(9)]).toBeGreaterThan(0);
    expect(byDay[day(8)]).toBe(0); // collected, quiet: a zero
    expect(byDay[day(12)]).toBeNull(); // never collected: a gap
    expect(byDay[day(1)]).toBeNull();
    const weekly = await page.$eval("#trend-weekly-commits .plot", (el) => JSON.parse((el as HTMLElement).dataset.chart!));
    expect(weekly.series[0].values.filter((v: number | null) => v !== null).length).toBeGreaterThan(0);
    expect(await page.$$eval("canvas", (cs) => cs.length)).toBeGreaterThanOrEqual(6);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("renders digests as GitHub would: tables, Mermaid drawn, the docs link; hand-written HTML stays inert", async () => {
    const { page, problems } = await visit(`/dashboard/digests/daily/${day(9)}`, "digest-mermaid");
    expect(await page.$$("article table")).not.toEqual([]);
    expect(await page.$eval("a[href^='https://github.com/acme/docs/blob/main/daily/']", (a) => a.textContent)).toBe("In the docs repository");
    expect(await page.textContent("article")).toContain("Mallory");
    await inert(page);
    expect(problems).toEqual([]);
    await page.context().close();
    const index = JSON.parse(readFileSync(join(work, "output", "index.json"), "utf8")) as DigestIndex;
    const weekly = await visit(`/dashboard/digests/weekly/${index.digests.find((d) => d.period === "weekly")!.key}`, "digest-weekly-mermaid");
    // The digest's ```mermaid charts, drawn by Mermaid as SVG under the page's CSP.
    await weekly.page.waitForFunction(() => Number(document.body.dataset.mermaidDrawn) > 0);
    expect(await weekly.page.$$eval("pre.mermaid", (blocks) => blocks.every((b) => b.querySelector("svg")))).toBe(true);
    expect(weekly.problems).toEqual([]);
    await weekly.page.context().close();
    const hand = await visit("/dashboard/digests/daily/2020-01-01", "digest-hand-edited");
    await inert(hand.page);
    expect(await hand.page.textContent("details summary")).toBe("Kept");
    expect(hand.problems).toEqual([]);
    await hand.page.context().close();
  });

  it("updates the runs page live while a real pipeline runs, without a reload", async () => {
    const { page, problems } = await visit("/dashboard/runs", "runs-live-before");
    await page.waitForFunction(() => document.body.dataset.connected === "true");
    await page.evaluate("window.__sameDocument = true");
    const runId = `daily-${day(2)}`;
    expect(await page.$(`tr[data-run="${runId}"]`)).toBeNull();
    const posted = await fetch(`${base}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ period: "daily", date: day(2) }),
    });
    expect(posted.status).toBe(202);
    await page.waitForSelector(`tr[data-run="${runId}"] td.state.failed, tr[data-run="${runId}"] td.state.succeeded`, { timeout: 60_000 });
    expect(await page.evaluate("window.__sameDocument")).toBe(true);
    expect(Number(await page.evaluate("document.body.dataset.refreshed"))).toBeGreaterThan(0);
    await screenshot(page, "runs-live-after");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("resumes a failed run with the API token in a header, and refuses without it", async () => {
    // A day with no commits, asked for over the API: the run fails and says why.
    const runId = `daily-${day(5)}`;
    await fetch(`${base}/runs`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ period: "daily", date: day(5) }),
    });
    await waitFor("the run to fail", async () => {
      const r = await fetch(`${base}/runs/${runId}`);
      return r.ok && ((await r.json()) as { state: string }).state === "failed" ? true : undefined;
    }, 60_000);
    const { page, problems } = await visit(`/dashboard/runs/${runId}`, "run-failed");
    await page.waitForFunction(() => document.body.dataset.connected === "true");
    expect(await page.textContent("#run-state")).toBe("failed");
    const resumes: Array<{ authorization?: string; cookie?: string }> = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/resume")) resumes.push(r.headers());
    });
    await page.fill("#resume input[name=token]", "wrong-token");
    await page.click("#resume button");
    await page.waitForSelector("#resume-result[data-status='401']");
    const attempts = ((await (await fetch(`${base}/runs/${runId}`)).json()) as { stages: Array<{ attempts: unknown[] }> }).stages.reduce((n: number, s: { attempts: unknown[] }) => n + s.attempts.length, 0);
    await page.fill("#resume input[name=token]", TOKEN);
    await page.click("#resume button");
    await page.waitForSelector("#resume-result[data-status='202']");
    expect(await page.textContent("#resume-result")).toMatch(/Resume accepted/);
    expect(resumes.map((h) => h.authorization)).toEqual(["Bearer wrong-token", `Bearer ${TOKEN}`]);
    expect(resumes.every((h) => h.cookie === undefined)).toBe(true);
    // The resumed run tries again and fails again (still no commits): the record shows more attempts.
    await waitFor("the resumed run to finish", async () => {
      const record = (await (await fetch(`${base}/runs/${runId}`)).json()) as { state: string; stages: Array<{ attempts: unknown[] }> };
      const now = record.stages.reduce((n: number, s: { attempts: unknown[] }) => n + s.attempts.length, 0);
      return record.state === "failed" && now > attempts ? true : undefined;
    }, 60_000);
    await screenshot(page, "run-resumed");
    // 401 is the refusal the test asked for: the only response of 400 and above allowed here.
    expect(problems.filter((p) => !p.includes("HTTP 401") && !p.includes("status of 401"))).toEqual([]);
    await page.context().close();
  });
});

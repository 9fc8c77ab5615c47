// Sparky's output as pages of real static sites: published with [publisher] docs_subdir into
// a docs repository that has other content, then built by MkDocs and by Hugo from there.
// Each site test is skipped, saying so, when its tool is not installed.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasXmllint, validateRelaxNg } from "../packages/generator/src/test-xmllint.js";
import { buildWeekFixture } from "./support/git-fixture.js";
import { sparky } from "./support/processes.js";

const has = (tool: string) => spawnSync(tool, ["version"]).status === 0 || spawnSync(tool, ["--version"]).status === 0;
const hasMkdocs = has("mkdocs");
const hasHugo = has("hugo");
if (!hasMkdocs) console.log("MkDocs site test skipped: mkdocs not installed (apt-get install mkdocs)");
if (!hasHugo) console.log("Hugo site test skipped: hugo not installed (apt-get install hugo)");
// Docusaurus is 1,300 npm packages, not this workspace's: the test builds a site someone made
// with `npx create-docusaurus@3 site classic` and `npm install`, named by this variable.
const docusaurusSite = process.env.SPARKY_DOCUSAURUS_SITE ?? "";
if (!docusaurusSite) console.log("Docusaurus site test skipped: set SPARKY_DOCUSAURUS_SITE to an installed Docusaurus 3 site");

const execFileAsync = promisify(execFile);
const SUBDIR = "docs/digests";
const QUIET = "2026-11-22";
let root: string;
let docs: string;
let work: string;
let fixture: ReturnType<typeof buildWeekFixture>;

const git = (...args: string[]) =>
  execFileSync("git", ["-C", docs, ...args], {
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "Docs", GIT_AUTHOR_EMAIL: "docs@example.com", GIT_COMMITTER_NAME: "Docs", GIT_COMMITTER_EMAIL: "docs@example.com" },
  }).trim();

/** A team's MkDocs docs repository: a config, a home page and a guide, committed. */
function docsRepository(dir: string): void {
  mkdirSync(join(dir, "docs"), { recursive: true });
  writeFileSync(join(dir, "mkdocs.yml"), "site_name: Team docs\n");
  writeFileSync(join(dir, "docs", "index.md"), "# Team docs\n\nSee the [digests](digests/index.md).\n");
  writeFileSync(join(dir, "docs", "guide.md"), "# Guide\n\nHow we work.\n");
  git("init", "--quiet", "--initial-branch=main");
  git("add", ".");
  git("commit", "--quiet", "-m", "Team docs");
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sparky-site-"));
  fixture = buildWeekFixture(join(root, "repos"));
  docs = join(root, "docs");
  docsRepository(docs);
  work = join(root, "work");
  mkdirSync(join(work, "config"), { recursive: true });
  writeFileSync(join(work, "config", "development.toml"), `[publisher]\ngit_repo = ${JSON.stringify(docs)}\ndocs_subdir = "${SUBDIR}"\n`);
  const repos = fixture.repos.flatMap((r) => ["--repo", r]);
  for (const args of [
    ["--period", "weekly", "--date", fixture.date],
    ["--period", "daily", "--date", "2026-11-17"],
    ["--period", "daily", "--date", QUIET, "--allow-empty"],
  ]) {
    const result = await sparky(["digest", ...repos, ...args, "--quiet"], { cwd: work });
    if (result.code !== 0) throw new Error(`sparky digest ${args.join(" ")} failed: ${result.stderr}`);
  }
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PAGES = ["weekly/2026-W47", "daily/2026-11-17"];
const TITLES: Record<string, string> = { "weekly/2026-W47": "Weekly digest: 2026-W47 (2026-11-16 to 2026-11-22)", "daily/2026-11-17": "Daily digest: 2026-11-17" };
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";
const hrefsOf = (html: string) => [...html.matchAll(/href="([^"#]*)"/g)].map((m) => m[1]!);

/** The site's own links from its digests' index page to digest pages, each checked to exist. */
function checkIndexLinks(site: string, indexDir: string, pagePattern: RegExp): string[] {
  const html = readFileSync(join(site, indexDir, "index.html"), "utf8");
  const links = hrefsOf(html).filter((h) => pagePattern.test(h));
  for (const href of links) {
    const path = href.startsWith("/") ? join(site, href) : join(site, indexDir, href);
    expect(existsSync(join(path, "index.html")), `${href} from the index`).toBe(true);
  }
  // The theme's navigation links the pages too: each distinct link once.
  return [...new Set(links)].sort();
}

describe("published with [publisher] docs_subdir", () => {
  it("commits the digests, index, ledger and feed under the folder only, one commit per run", () => {
    const subjects = git("log", "--format=%s").split("\n");
    expect(subjects).toEqual([`sparky: quiet day ${QUIET}`, "sparky: daily digest 2026-11-17", "sparky: weekly digest 2026-W47", "Team docs"]);
    const touched = git("diff", "--name-only", "HEAD~3", "HEAD").split("\n");
    expect(touched.every((path) => path.startsWith(`${SUBDIR}/`))).toBe(true);
    expect(touched.sort()).toEqual([
      `${SUBDIR}/daily/2026-11-17.md`,
      `${SUBDIR}/feed.xml`,
      `${SUBDIR}/index.json`,
      `${SUBDIR}/index.md`,
      `${SUBDIR}/quiet-days.json`,
      `${SUBDIR}/weekly/2026-W47.md`,
    ]);
    expect(git("status", "--porcelain")).toBe("");
    expect(readFileSync(join(docs, "docs", "guide.md"), "utf8")).toBe("# Guide\n\nHow we work.\n");
    expect(readFileSync(join(docs, SUBDIR, "index.md"), "utf8")).toContain(`| ${QUIET} (quiet day, no digest) |`);
  });

  it.skipIf(!hasXmllint)("has a feed valid against the Atom schema, listing the digests newest first", () => {
    const feed = readFileSync(join(docs, SUBDIR, "feed.xml"), "utf8");
    const result = validateRelaxNg(feed);
    expect(result.ok, result.output).toBe(true);
    expect([...feed.matchAll(/<link rel="alternate" href="([^"]*)"\/>/g)].map((m) => m[1])).toEqual(["index.md", "weekly/2026-W47.md", "daily/2026-11-17.md"]);
  });
});

describe.skipIf(!hasMkdocs)("as MkDocs pages", () => {
  it("builds in strict mode beside the team's pages: titles, mermaid as code, working index links", () => {
    const site = join(root, "mkdocs-site");
    const build = spawnSync("mkdocs", ["build", "--strict", "--config-file", join(docs, "mkdocs.yml"), "--site-dir", site], { encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    expect(build.stderr).not.toMatch(/WARNING|ERROR|YAML/);
    expect(existsSync(join(site, "guide", "index.html"))).toBe(true);
    for (const page of PAGES) {
      const html = readFileSync(join(site, "digests", page, "index.html"), "utf8");
      expect(titleOf(html)).toBe(`${TITLES[page]} - Team docs`);
    }
    // The weekly chart stays a fenced mermaid block: a code block a mermaid plugin can pick up.
    expect(readFileSync(join(site, "digests", "weekly", "2026-W47", "index.html"), "utf8")).toMatch(/<code class="language-mermaid">/);
    expect(checkIndexLinks(site, "digests", /^(daily|weekly)\//)).toEqual(["daily/2026-11-17/", "weekly/2026-W47/"]);
    expect(existsSync(join(site, "digests", "feed.xml"))).toBe(true);
  });
});

describe.skipIf(!hasHugo)("as Hugo pages", () => {
  it("builds with the folder mounted as content: titles, mermaid as code, working index links", () => {
    const site = join(root, "hugo-site");
    cpSync(join(dirname(new URL(import.meta.url).pathname), "fixtures", "hugo-site"), site, { recursive: true });
    // As the README says: the folder is the content, its index.md the home page (Hugo calls it _index.md).
    const folder = join(docs, ...SUBDIR.split("/"));
    writeFileSync(
      join(site, "hugo.toml"),
      [
        'baseURL = "https://docs.example/"',
        'title = "Team docs"',
        'disableKinds = ["taxonomy", "term"]',
        "[[module.mounts]]",
        `source = ${JSON.stringify(folder)}`,
        'target = "content"',
        'excludeFiles = ["index.md"]',
        "[[module.mounts]]",
        `source = ${JSON.stringify(posix.join(folder, "index.md"))}`,
        'target = "content/_index.md"',
        "",
      ].join("\n"),
    );
    const build = spawnSync("hugo", ["--source", site, "--destination", join(site, "public")], { encoding: "utf8" });
    expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
    expect(`${build.stdout}${build.stderr}`).not.toMatch(/ERROR|WARN|yaml/i);
    const pub = join(site, "public");
    for (const page of PAGES) {
      const html = readFileSync(join(pub, page.toLowerCase(), "index.html"), "utf8");
      expect(titleOf(html)).toBe(TITLES[page]);
    }
    expect(readFileSync(join(pub, "weekly", "2026-w47", "index.html"), "utf8")).toMatch(/<code class="language-mermaid" data-lang="mermaid">/);
    expect(checkIndexLinks(pub, "", /^\/(daily|weekly)\//)).toEqual(["/daily/2026-11-17/", "/weekly/2026-w47/"]);
  });
});

describe.skipIf(!docusaurusSite)("as Docusaurus pages", () => {
  it("builds with the folder copied under docs/: titles, mermaid as code, working index links", async () => {
    const site = join(root, "docusaurus-site");
    // The site's own files copied, its node_modules linked: the user's site is left as it was.
    const top = (path: string) => path.slice(docusaurusSite.length).replace(/^\//, "").split("/")[0];
    cpSync(docusaurusSite, site, { recursive: true, filter: (path) => !["node_modules", "build", ".docusaurus"].includes(top(path) ?? "") });
    symlinkSync(join(docusaurusSite, "node_modules"), join(site, "node_modules"));
    rmSync(join(site, "docs", "digests"), { recursive: true, force: true });
    cpSync(join(docs, ...SUBDIR.split("/")), join(site, "docs", "digests"), { recursive: true });
    // Asynchronously: a build of a minute or more must not block the test worker.
    const build = await execFileAsync("npx", ["docusaurus", "build"], { cwd: site, timeout: 600_000, maxBuffer: 1 << 26 }).then(
      () => null,
      (error: { stdout?: string; stderr?: string; message: string }) => `${error.message}\n${error.stdout ?? ""}${error.stderr ?? ""}`,
    );
    expect(build).toBeNull();
    const out = join(site, "build", "docs", "digests");
    const html = readFileSync(join(out, "daily", "2026-11-17", "index.html"), "utf8");
    expect(/<title[^>]*>([^<|]*)/.exec(html)?.[1]?.trim()).toBe(TITLES["daily/2026-11-17"]);
    // Docusaurus drops a leading number prefix ("2026-") from the weekly file's id: W47.
    expect(readFileSync(join(out, "weekly", "W47", "index.html"), "utf8")).toMatch(/language-mermaid/);
    const links = [...readFileSync(join(out, "index.html"), "utf8").matchAll(/href=(?:"|)(\/docs\/digests\/(?:daily|weekly)\/[^"> ]*)/g)].map((m) => m[1]!);
    expect([...new Set(links)].sort()).toEqual(["/docs/digests/daily/2026-11-17", "/docs/digests/weekly/W47"]);
    for (const link of links) expect(existsSync(join(site, "build", link, "index.html")), link).toBe(true);
  }, 600_000);
});

import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CollectPayload, RawRepositorySchema, dataLayout, periodFor } from "@sparky/messages";
import { createLogger, readJson } from "@sparky/harness";
import { collectGit } from "./collect-git.js";
import { areaOf, areasOf, changedPath, unquotePath } from "./commit-areas.js";
import { TestRepo, tempDirs } from "./test-git-repo.js";
import { foldersOfGlobs, packageJsonGlobs, pnpmGlobs } from "./workspace-folders.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());

describe("commit areas", () => {
  it("takes a file's top-level folder, a monorepo package's two levels, and / at the root", () => {
    expect(areaOf("lib/router/index.js")).toBe("lib");
    expect(areaOf("History.md")).toBe("/");
    expect(areaOf("packages/router/src/a.ts")).toBe("packages/router");
    expect(areaOf("crates/tokio/src/lib.rs")).toBe("crates/tokio");
    expect(areaOf("packages/README.md")).toBe("packages");
    expect(areaOf(".github/workflows/ci.yml")).toBe(".github");
  });

  it("reads renames as the new path and unquotes what git quoted", () => {
    expect(changedPath("lib/{old => new}/x.js")).toBe("lib/new/x.js");
    expect(changedPath("{lib => src}/x.js")).toBe("src/x.js");
    expect(changedPath("src/{ => deep}/x.js")).toBe("src/deep/x.js");
    expect(changedPath("src/{deep => }/x.js")).toBe("src/x.js");
    expect(changedPath("old.txt => docs/new.txt")).toBe("docs/new.txt");
    expect(unquotePath('"caf\\303\\251/a \\"b\\".txt"')).toBe('café/a "b".txt');
    expect(changedPath('"caf\\303\\251/x.txt"')).toBe("café/x.txt");
  });

  it("dedupes and sorts, keeping the ten areas with the most files", () => {
    expect(areasOf(["test/a.js", "lib/a.js", "README.md", "lib/b.js"])).toEqual(["/", "lib", "test"]);
    const many = Array.from({ length: 12 }, (_, i) => `d${String(i).padStart(2, "0")}/x`);
    many.push("d11/y", "d10/y");
    // d10 and d11 have two files each and stay; of the one-file folders the first eight by name stay.
    expect(areasOf(many)).toEqual(["d00", "d01", "d02", "d03", "d04", "d05", "d06", "d07", "d10", "d11"]);
  });
});

describe("workspace folders", () => {
  it("reads pnpm-workspace.yaml's and package.json's globs, keeping the folders whose children are packages", () => {
    const yaml = "packages:\n  - 'tools/*'\n  - \"apps/**\" # apps\n  - docs\n  - '!**/test/**'\ncatalog:\n  - 'nope/*'\n";
    expect(pnpmGlobs(yaml)).toEqual(["tools/*", "apps/**", "docs", "!**/test/**"]);
    expect(packageJsonGlobs('{"workspaces": ["examples/*"]}')).toEqual(["examples/*"]);
    expect(packageJsonGlobs('{"workspaces": {"packages": ["sites/*"]}}')).toEqual(["sites/*"]);
    expect(packageJsonGlobs("{ not json")).toEqual([]);
    expect(foldersOfGlobs(["tools/*", "apps/**", "./ui/*", "docs", "!**/test/**", "a/*/b/*"])).toEqual(["tools", "apps", "ui"]);
  });
});

describe("collectGit records each commit's areas", () => {
  it("from a real repository: monorepo packages, renames, root files, unusual names, merges and empty commits", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "mono"));
    const at = (hour: number) => `2026-11-26T${String(hour).padStart(2, "0")}:00:00Z`;
    const body = Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const first = repo.commit({
      message: "Start",
      committedAt: at(1),
      files: { "package.json": "{}\n", "packages/router/src/index.ts": body, "docs/guide.md": "guide\n" },
    });
    repo.git(["mv", "packages/router", "packages/routing"]);
    const renamed = repo.commit({ message: "Rename the router package", committedAt: at(2) });
    const unusual = repo.commit({ message: "Unusual names", committedAt: at(3), files: { "café/menu.txt": "crème\n", "tab\there.txt": "x\n" } });
    repo.git(["checkout", "-q", "-b", "topic"]);
    repo.commit({ message: "Topic", committedAt: at(4), files: { "lib/topic.js": "t\n" } });
    repo.git(["checkout", "-q", "main"]);
    const merge = repo.merge("topic", { message: "Merge topic", committedAt: at(5) });
    const empty = repo.commit({ message: "Empty", committedAt: at(6) });
    repo.git(["config", "core.quotepath", "true"]);

    const dataDir = join(root, "data");
    const log = createLogger({ service: "collector-test", level: "silent" });
    const payload = CollectPayload.parse({ ...periodFor("daily", "2026-11-26", "UTC"), repos: [repo.path] });
    await collectGit(payload, { dataDir, botPatterns: [], log, clock: { now: () => new Date("2026-11-27T06:00:00Z") }, progress: () => {} });
    const raw = await readJson(dataLayout(dataDir).rawRepository("2026-11-26", "local", "mono"), RawRepositorySchema, "raw repository");
    const areas = (sha: string) => raw.commits.find((c) => c.sha === sha)?.areas;
    expect(areas(first)).toEqual(["/", "docs", "packages/router"]);
    expect(areas(renamed)).toEqual(["packages/routing"]);
    expect(areas(unusual)).toEqual(["/", "café"]);
    expect(raw.commits.find((c) => c.subject === "Topic")?.areas).toEqual(["lib"]);
    // A merge is not diffed, so its areas are not known; an empty commit changed none.
    expect(areas(merge)).toBeUndefined();
    expect(areas(empty)).toEqual([]);
  });

  it("counts the folders HEAD's workspace files declare as monorepo folders", async () => {
    const root = dirs.make();
    const repo = TestRepo.init(join(root, "workspace"));
    repo.commit({
      message: "Workspace",
      committedAt: "2026-11-25T10:00:00Z",
      files: { "pnpm-workspace.yaml": "packages:\n  - 'tools/*'\n", "package.json": '{"workspaces": ["sites/*"]}\n' },
    });
    const change = repo.commit({
      message: "Change",
      committedAt: "2026-11-26T10:00:00Z",
      files: { "tools/lint/index.ts": "x\n", "sites/blog/index.md": "y\n", "other/deep/file.txt": "z\n" },
    });
    const dataDir = join(root, "data");
    const log = createLogger({ service: "collector-test", level: "silent" });
    const payload = CollectPayload.parse({ ...periodFor("daily", "2026-11-26", "UTC"), repos: [repo.path] });
    await collectGit(payload, { dataDir, botPatterns: [], log, clock: { now: () => new Date("2026-11-27T06:00:00Z") }, progress: () => {} });
    const raw = await readJson(dataLayout(dataDir).rawRepository("2026-11-26", "local", "workspace"), RawRepositorySchema, "raw repository");
    expect(raw.commits.find((c) => c.sha === change)?.areas).toEqual(["other", "sites/blog", "tools/lint"]);
  });
});

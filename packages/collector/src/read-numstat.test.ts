import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startNumstat } from "./read-numstat.js";
import { TestRepo, tempDirs } from "./test-git-repo.js";

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function workspaceRepo() {
  const repo = TestRepo.init(join(dirs.make(), "repo"));
  const first = repo.commit({ message: "Workspace", committedAt: "2026-11-25T10:00:00Z", files: { "pnpm-workspace.yaml": "packages:\n  - 'tools/*'\n" } });
  const second = repo.commit({
    message: "Change",
    committedAt: "2026-11-26T10:00:00Z",
    files: { "tools/lint/index.ts": "x\ny\n", "tools/fmt/main.ts": "z\n", "other/deep/file.txt": "z\n" },
  });
  return { repo, shas: [first, second] };
}

async function countsOf(repoPath: string, shas: string[], workspaces?: ReadonlySet<string> | Promise<ReadonlySet<string>>) {
  const reader = startNumstat(repoPath, workspaces === undefined ? {} : { workspaces });
  for (const sha of shas) reader.add(sha);
  return reader.finish();
}

describe("startNumstat", () => {
  it("gives the same counts and areas whether the workspace folders are known at the start or arrive after every diff", async () => {
    const { repo, shas } = workspaceRepo();
    const known = await countsOf(repo.path, shas, new Set(["tools"]));
    expect(known.get(shas[1]!)).toEqual({ additions: 4, deletions: 0, filesChanged: 3, areas: ["other", "tools/fmt", "tools/lint"] });

    // Resolved only once git has surely diffed both commits: they wait for it.
    const late = new Promise<ReadonlySet<string>>((resolve) => setTimeout(() => resolve(new Set(["tools"])), 300));
    expect(await countsOf(repo.path, shas, late)).toEqual(known);
    expect(await countsOf(repo.path, shas, Promise.resolve(new Set(["tools"])))).toEqual(known);
    // Without workspace folders, a path's area is its first folder.
    expect((await countsOf(repo.path, shas)).get(shas[1]!)?.areas).toEqual(["other", "tools"]);
  });

  it("reports workspace folders that could not be read when finishing", async () => {
    const { repo, shas } = workspaceRepo();
    await expect(countsOf(repo.path, shas, Promise.reject(new Error("no workspace files")))).rejects.toThrow("no workspace files");
  });
});

import { describe, expect, it } from "vitest";
import { parseRemoteUrl } from "./remote-url.js";
import { repositoryName, uniqueNames } from "./repository-name.js";

describe("parseRemoteUrl", () => {
  it.each([
    ["git@github.com:acme/widgets.git", "github.com", "acme", "widgets", "https://github.com/acme/widgets"],
    ["github.com:acme/widgets", "github.com", "acme", "widgets", "https://github.com/acme/widgets"],
    ["https://github.com/acme/widgets", "github.com", "acme", "widgets", "https://github.com/acme/widgets"],
    ["https://github.com/acme/widgets.git", "github.com", "acme", "widgets", "https://github.com/acme/widgets"],
    ["https://github.com/acme/widgets/", "github.com", "acme", "widgets", "https://github.com/acme/widgets"],
    ["ssh://git@gitlab.example.org/acme/widgets.git", "gitlab.example.org", "acme", "widgets", "https://gitlab.example.org/acme/widgets"],
    ["ssh://git@gitea.local:2222/acme/widgets.git", "gitea.local", "acme", "widgets", "https://gitea.local/acme/widgets"],
    ["git://GitHub.com/acme/widgets.git", "github.com", "acme", "widgets", "https://github.com/acme/widgets"],
    ["http://git.internal:3000/acme/widgets", "git.internal", "acme", "widgets", "http://git.internal:3000/acme/widgets"],
    ["https://gitlab.com/group/sub/widgets.git", "gitlab.com", "group/sub", "widgets", "https://gitlab.com/group/sub/widgets"],
  ])("reads %s", (url, host, owner, name, webUrl) => {
    expect(parseRemoteUrl(url)).toEqual({ host, owner, name, webUrl });
  });

  it.each([
    "https://x-access-token:ghp_abc123@github.com/acme/widgets.git",
    "https://user:p%40ss@github.com/acme/widgets",
    "https://ghp_abc123@github.com/acme/widgets",
    "ssh://deploy:hunter2@github.com/acme/widgets.git",
  ])("drops credentials from %s", (url) => {
    const parsed = parseRemoteUrl(url);
    expect(parsed).toMatchObject({ owner: "acme", name: "widgets", webUrl: "https://github.com/acme/widgets" });
    expect(JSON.stringify(parsed)).not.toMatch(/ghp_|hunter2|p%40ss|p@ss|user|x-access-token|deploy/);
  });

  it.each([
    "/srv/git/widgets.git",
    "../widgets",
    "file:///srv/git/widgets.git",
    "C:\\repos\\widgets",
    "https://github.com/widgets",
    "https://github.com/acme/../../etc",
    "https://github.com/acme/wid%2Fgets",
    "",
  ])("is null for %j, which names no forge repository", (url) => {
    expect(parseRemoteUrl(url)).toBeNull();
  });
});

describe("repositoryName", () => {
  it("uses the folder name under owner local when the remote is not a forge", () => {
    expect(repositoryName("/src/widgets", null)).toEqual({ owner: "local", name: "widgets", webUrl: null });
    expect(repositoryName("/srv/widgets.git", "/elsewhere/widgets.git")).toEqual({ owner: "local", name: "widgets", webUrl: null });
  });

  it("suffixes repeated names, ignoring case", () => {
    const names = uniqueNames([
      { owner: "acme", name: "api", webUrl: "https://github.com/acme/api" },
      { owner: "Acme", name: "API", webUrl: "https://github.com/Acme/API" },
      { owner: "acme", name: "api", webUrl: "https://github.com/acme/api" },
      { owner: "local", name: "api", webUrl: null },
    ]);
    expect(names.map((n) => `${n.owner}/${n.name}`)).toEqual(["acme/api", "Acme/API-2", "acme/api-3", "local/api"]);
  });
});

import { describe, expect, it } from "vitest";
import { periodFor } from "@sparky/messages";
import type { RawTag } from "@sparky/messages";
import { releasesOf } from "./releases.js";
import { actor, githubRepository, release } from "./test-github-raw.js";
import { repository } from "./test-raw.js";

const week = periodFor("weekly", "2026-11-26", "UTC"); // 2026-11-23 .. 2026-11-30
const t = (text: string) => `2026-11-${text}:00.000Z`;

function tag(name: string, taggedAt: string, fields: Partial<RawTag> = {}): RawTag {
  return {
    name,
    sha: "a".repeat(40),
    annotated: true,
    taggedAt,
    tagger: "Tagger",
    previousTag: null,
    commits: 1,
    authors: [{ key: "alice@example.com", name: "Alice", commits: 1 }],
    ...fields,
  };
}

describe("releasesOf", () => {
  it("sorts newest first, keeping each version line in semantic order, with forge links from git alone", () => {
    const repo = {
      ...repository(week, "local/express", [], { webUrl: "https://gitlab.com/local/express" }),
      tags: [
        tag("5.0.0", t("24T10:00"), { previousTag: "5.0.0-beta.3", commits: 12 }),
        // A backport tagged after the major: the line still reads 5.0.0, 4.20.0.
        tag("4.20.0", t("25T10:00"), { annotated: false, tagger: null, previousTag: "4.19.2" }),
        tag("nightly", t("26T10:00"), { previousTag: "4.20.0" }),
        tag("5.0.0-rc.1", t("23T10:00")),
        // Dated outside the window: held to it even if a collector handed it over.
        tag("4.19.9", t("20T10:00")),
      ],
    };
    const releases = releasesOf([repo], [], week.window);
    // Date order is nightly, 4.20.0, 5.0.0, 5.0.0-rc.1; the 5.x and 4.x tags are one version line.
    expect(releases.map((r) => r.tagName)).toEqual(["nightly", "5.0.0", "5.0.0-rc.1", "4.20.0"]);
    expect(releases[1]).toEqual({
      repository: "local/express",
      tagName: "5.0.0",
      name: null,
      version: "5.0.0",
      isPrerelease: false,
      publishedAt: t("24T10:00"),
      sources: ["tag"],
      url: "https://gitlab.com/local/express/-/tags/5.0.0",
      previousTag: "5.0.0-beta.3",
      compareUrl: "https://gitlab.com/local/express/-/compare/5.0.0-beta.3...5.0.0",
      commits: 12,
      authors: [{ key: "alice@example.com", name: "Alice", commits: 1 }],
      author: "Tagger",
    });
    expect(releases[2]).toMatchObject({ isPrerelease: true, version: "5.0.0-rc.1", compareUrl: null });
    expect(releases[0]).toMatchObject({ version: null, author: "Tagger" });
  });

  it("makes a GitHub release and the tag of its version one release, and keeps GitHub-only releases", () => {
    const repo = {
      ...githubRepository(week, "expressjs/express", {
        releases: [
          release("expressjs/express", "v5.0.0", t("25T09:00"), { name: "Express 5", author: actor("wesleytodd", "Wes Todd") }),
          release("expressjs/express", "v4.21.0", t("26T09:00")),
          // Published before the window.
          release("expressjs/express", "v4.19.0", t("10T09:00")),
        ],
      }),
      tags: [tag("5.0.0", t("24T10:00"), { previousTag: "5.0.0-beta.3", commits: 12 }), tag("pkg@1.0.0", t("24T11:00"), { annotated: false, tagger: null })],
    };
    const releases = releasesOf([repo], [repo], week.window);
    // v4.21.0 was published a day after 5.0.0, yet the higher version leads its line.
    expect(releases.map((r) => [r.tagName, r.sources])).toEqual([
      ["5.0.0", ["tag", "github"]],
      ["v4.21.0", ["github"]],
      ["pkg@1.0.0", ["tag"]],
    ]);
    expect(releases[0]).toMatchObject({
      name: "Express 5",
      url: "https://github.com/expressjs/express/releases/tag/v5.0.0",
      publishedAt: t("25T09:00"),
      compareUrl: "https://github.com/expressjs/express/compare/5.0.0-beta.3...5.0.0",
      commits: 12,
      author: "Wes Todd",
    });
    expect(releases[1]).toMatchObject({ name: null, commits: null, authors: [], previousTag: null, compareUrl: null });
    expect(releases[2]).toMatchObject({ url: "https://github.com/expressjs/express/releases/tag/pkg%401.0.0", author: null });
  });

  it("gives an unknown forge no links, and reads collections made before tags", () => {
    const local = { ...repository(week, "local/tools", [], { webUrl: null }), tags: [tag("v1.0.0", t("24T10:00"), { previousTag: "v0.9.0" })] };
    expect(releasesOf([local], [], week.window)[0]).toMatchObject({ url: null, compareUrl: null, previousTag: "v0.9.0" });
    expect(releasesOf([repository(week, "local/old", [])], [], week.window)).toEqual([]);
  });
});

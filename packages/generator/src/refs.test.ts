import { describe, expect, it } from "vitest";
import type { RefIndex } from "./refs.js";
import { titleMarkdown } from "./refs.js";

const refs: RefIndex = {
  repositories: new Map<string, string | null>([
    ["expressjs/express", "https://github.com/expressjs/express"],
    ["group/tool", "https://gitlab.com/group/tool"],
    ["local/thing", null],
    ["acme/site", "https://git.acme.example/acme/site"],
  ]),
  items: new Map([["expressjs/express#5900", "https://github.com/expressjs/express/pull/5900"]]),
};

describe("titleMarkdown", () => {
  it("links #123 to the repository's issue page, which GitHub redirects to a pull request", () => {
    expect(titleMarkdown("Delete `back` as a magic string (#5933)", "expressjs/express", refs, "?")).toBe(
      "Delete \\`back\\` as a magic string ([#5933](https://github.com/expressjs/express/issues/5933))",
    );
  });

  it("uses the collected page of a pull request it knows", () => {
    expect(titleMarkdown("Fix (#5900)", "expressjs/express", refs, "?")).toBe("Fix ([#5900](https://github.com/expressjs/express/pull/5900))");
  });

  it("links owner/repo#123 only to a collected repository", () => {
    expect(titleMarkdown("see expressjs/express#1 and evil/repo#2", "group/tool", refs, "?")).toBe(
      "see [expressjs/express#1](https://github.com/expressjs/express/issues/1) and evil/repo#2",
    );
  });

  it("links GitLab's #issues and !merge requests, and leaves !123 alone elsewhere", () => {
    expect(titleMarkdown("Closes #4, see !7", "group/tool", refs, "?")).toBe(
      "Closes [#4](https://gitlab.com/group/tool/-/issues/4), see [!7](https://gitlab.com/group/tool/-/merge_requests/7)",
    );
    expect(titleMarkdown("wow !7 (#8)", "expressjs/express", refs, "?")).toBe("wow !7 ([#8](https://github.com/expressjs/express/issues/8))");
  });

  it("leaves references as text where the forge is unknown, and nothing else becomes a link", () => {
    expect(titleMarkdown("Fix #3 on https://x.example", "local/thing", refs, "?")).toBe("Fix #3 on https:&#8203;//x.example");
    expect(titleMarkdown("Fix #3", "acme/site", refs, "?")).toBe("Fix #3");
    expect(titleMarkdown("a#1 x/#2 &#35; C#7 (#9.3)", "expressjs/express", refs, "?")).toBe("a#1 x/#2 &amp;#35; C#7 (#9.3)");
  });

  it("keeps the start-of-line escapes for the first piece only, and the fallback for nothing", () => {
    expect(titleMarkdown("# 12 (#1)", "expressjs/express", refs, "?")).toBe("\\# 12 ([#1](https://github.com/expressjs/express/issues/1))");
    expect(titleMarkdown("#12 first", "expressjs/express", refs, "?")).toBe("[#12](https://github.com/expressjs/express/issues/12) first");
    expect(titleMarkdown("  \n ", "expressjs/express", refs, "?")).toBe("?");
  });
});

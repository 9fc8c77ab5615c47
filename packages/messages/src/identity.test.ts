import { describe, expect, it } from "vitest";
import { identityKey, isBotAuthor } from "./identity.js";

const BOTS = ["[bot]", "dependabot", "renovate", "github-actions"];

describe("identityKey", () => {
  it("is the trimmed, lower-cased email", () => {
    expect(identityKey("Ada Lovelace", "  Ada@Example.COM ")).toBe("ada@example.com");
  });

  it("makes two spellings of one email one person, whatever the name", () => {
    expect(identityKey("Ada", "ada@example.com")).toBe(identityKey("A. Lovelace", "ADA@example.com"));
  });

  it("falls back to the name when there is no email, marked so it cannot collide with an email", () => {
    expect(identityKey(" Ada Lovelace ", "")).toBe("name:ada lovelace");
    expect(identityKey("Ada", "   ")).toBe("name:ada");
    expect(identityKey("Ada", "")).not.toBe(identityKey("x", "ada"));
  });
});

describe("isBotAuthor", () => {
  it.each([
    ["dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"],
    ["Renovate Bot", "bot@renovateapp.com"],
    ["github-actions", "41898282+github-actions[bot]@users.noreply.github.com"],
    ["Deploy", "DEPENDABOT@example.com"],
  ])("recognises %s <%s>", (name, email) => {
    expect(isBotAuthor(name, email, BOTS)).toBe(true);
  });

  it("does not take a person for a bot", () => {
    expect(isBotAuthor("Ada Lovelace", "ada@example.com", BOTS)).toBe(false);
    expect(isBotAuthor("Robert", "bob@example.com", BOTS)).toBe(false);
  });

  it("matches patterns case-insensitively and knows no bots without patterns", () => {
    expect(isBotAuthor("CI Runner", "ci@example.com", ["ci runner"])).toBe(true);
    expect(isBotAuthor("CI", "ci@example.com", ["CI@EXAMPLE"])).toBe(true);
    expect(isBotAuthor("dependabot[bot]", "", [])).toBe(false);
  });

  it("does not match a pattern across the name/email boundary", () => {
    expect(isBotAuthor("depend", "abot@example.com", ["dependabot"])).toBe(false);
  });
});

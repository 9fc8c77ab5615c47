import { describe, expect, it } from "vitest";
import { checkGrounding } from "./check-grounding.js";

const FACTS = {
  numbers: [12, 3, 1_234, 5, -2, 2026, 11, 23, 29, 48],
  names: ["Alice Liddell", "Bob Builder", "acme/api", "acme/web-app"],
  vocabulary: ["week 2026-W48 (2026-11-23 to 2026-11-29)", "Rate limiting", "Parser rewrite"],
};

describe("checkGrounding", () => {
  it("accepts a paragraph whose numbers and names are all in the facts", () => {
    const text =
      "In week 2026-W48, 3 contributors made 12 commits across acme/api and acme/web-app (+1,234 lines). " +
      "Alice Liddell's parser rewrite led the week; Bob Builder worked on rate limiting. " +
      "Compared with the previous week: two fewer commits. Most work landed on Monday.";
    expect(checkGrounding(text, FACTS)).toEqual([]);
  });

  it("names every number that is not a figure, digits or words", () => {
    expect(checkGrounding("Alice made 13 commits and seventeen merges, 12% more.", FACTS)).toEqual([
      "13 is not one of the figures",
      "17 is not one of the figures",
    ]);
  });

  it("names every name that is not a contributor or repository", () => {
    expect(checkGrounding("Zed Shaw and Alice worked on acme/secret with @mallory.", FACTS)).toEqual([
      '"Zed" is not a contributor or repository of the period',
      '"Shaw" is not a contributor or repository of the period',
      '"acme/secret" is not a contributor or repository of the period',
      '"@mallory" is not a contributor or repository of the period',
    ]);
  });

  it("lets a sentence open with a common word but not with an unknown name", () => {
    expect(checkGrounding("Overall, the week was busy. Meanwhile acme/api grew.", FACTS)).toEqual([]);
    expect(checkGrounding("Kubernetes work dominated.", FACTS)).toEqual(['"Kubernetes" is not a contributor or repository of the period']);
  });

  it("refuses links, addresses and markup whatever the facts say", () => {
    expect(checkGrounding("See [the PR](https://evil.example) now.", FACTS)[0]).toMatch(/URL|markup/);
    expect(checkGrounding("Visit evil.example for more.", FACTS)).toContain("it contains the address evil.example");
    expect(checkGrounding("Bob said <img src=x onerror=alert(1)>.", FACTS)[0]).toMatch(/markup/);
    expect(checkGrounding("Write to alice@example.com.", FACTS)[0]).toMatch(/email/);
  });

  it("ignores digits inside names and versions", () => {
    expect(checkGrounding("Alice updated acme/api.", { ...FACTS, names: [...FACTS.names] })).toEqual([]);
    expect(checkGrounding("The week 2026-W48 had 12 commits.", FACTS)).toEqual([]);
  });
});

describe("checkGrounding, sentence openers", () => {
  it("lets a sentence open with a verb in any inflection, or with an inflection of a word of the data", () => {
    expect(checkGrounding("Added limits. Fixing bugs. Shipped it. Improved things. Limited calls.", { numbers: [], names: [], vocabulary: ["limit the api"] })).toEqual([]);
  });
  it("still refuses an unknown name at the start of a sentence", () => {
    expect(checkGrounding("Zed merged it.", FACTS)).toEqual(['"Zed" is not a contributor or repository of the period']);
  });
});

describe("checkGrounding, honest answers small models write (issue 9, case 3)", () => {
  const GITHUB = {
    numbers: [27, 9, 5, 14],
    names: ["J. R. Hartley", "María José García", "expressjs/express"],
    vocabulary: ["day 2026-11-26", "Routing fixes Fixed URL encoding in res.location and res.redirect."],
  };
  it.each([
    "Today 9 contributors made 27 commits.",
    "Covers the day: 27 commits. Smaller than usual, but steady.",
    "Pull requests and reviews: 14 reviews. New Contributors: María José García.",
    "J. R. Hartley reviewed 5 pull requests.",
    "Routing fixes in expressjs/express covered res.location and its URL handling.",
    "Despite a quiet day, nothing stalled: 27 commits landed.",
  ])("accepts %j", (text) => {
    expect(checkGrounding(text, GITHUB)).toEqual([]);
  });

  it("still refuses names, versions and multipliers the data does not hold", () => {
    expect(checkGrounding("Douglas Wilson reviewed 5 pull requests.", GITHUB)).toEqual([
      '"Douglas" is not a contributor or repository of the period',
      '"Wilson" is not a contributor or repository of the period',
    ]);
    expect(checkGrounding("Express v5.1.0 shipped, 3x faster.", GITHUB)).toEqual(["3 is not one of the figures", "v5.1.0 is not a version of the data"]);
  });

  it("lets identifiers of the data through as written, and only those", () => {
    const facts = { numbers: [2], names: [], vocabulary: ["Fix res.location (#5940)"], identifiers: ["#5940", "4.17.21"] };
    expect(checkGrounding("Fixed #5940 and bumped lodash to 4.17.21 in 2 commits.", facts)).toEqual([]);
    expect(checkGrounding("Fixed #5941 and bumped lodash to 4.17.22.", facts)).toEqual(["5941 is not one of the figures", "4.17 is not one of the figures", "4.17.22 is not a version of the data"]);
  });
});

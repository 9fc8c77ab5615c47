import { describe, expect, it } from "vitest";
import { periodFor } from "@sparky/messages";
import { computeAnalysis } from "./compute-analysis.js";
import { commit, manifest, repository } from "./test-raw.js";

const day = periodFor("daily", "2026-11-26", "UTC");
const t = (hour: string) => `2026-11-26T${hour}:00:00.000Z`;
const EMAIL = "ctcpip@users.noreply.github.com";

describe("people in an analysis", () => {
  it("gives one identity one name everywhere: the name of its newest commit", () => {
    const commits = [
      commit({ sha: "c2", committedAt: t("10"), authorName: "Chris de Almeida", authorEmail: EMAIL, additions: 3 }),
      commit({ sha: "c1", committedAt: t("09"), authorName: "ctcpip", authorEmail: EMAIL, additions: 5 }),
      commit({ sha: "m1", committedAt: t("08"), authorName: "ctcpip", authorEmail: EMAIL, isMerge: true }),
    ];
    const repo = {
      ...repository(day, "expressjs/express", commits),
      tags: [{ name: "v5.0.0", sha: "c2", annotated: false, taggedAt: t("10"), tagger: null, previousTag: null, commits: 3, authors: [{ key: EMAIL, name: "ctcpip", commits: 2 }] }],
    };
    const analysis = computeAnalysis(manifest(day, [repo]), [repo], { topContributors: 5, highlights: 5 });
    expect(analysis.contributors.map((c) => [c.name, c.commits])).toEqual([["Chris de Almeida", 2]]);
    expect(analysis.mergers?.map((m) => m.name)).toEqual(["Chris de Almeida"]);
    expect(new Set(analysis.items.map((i) => (i.kind === "commit" ? i.author : null)))).toEqual(new Set(["Chris de Almeida"]));
    expect(analysis.highlights.map((h) => h.author)).toEqual(["Chris de Almeida", "Chris de Almeida"]);
    expect(analysis.releases![0]!.authors).toEqual([{ key: EMAIL, name: "Chris de Almeida", commits: 2 }]);
    // One identity is no duplicate.
    expect(analysis.identitySuggestions).toEqual([]);
  });

  it("suggests two identities of one person, from contributors and mergers", () => {
    const commits = [
      commit({ sha: "c1", committedAt: t("09"), authorName: "José Núñez", authorEmail: "jose@work.example" }),
      commit({ sha: "m1", committedAt: t("08"), authorName: "jose nunez", authorEmail: "jnunez@home.example", isMerge: true }),
    ];
    const repo = repository(day, "acme/web", commits);
    const analysis = computeAnalysis(manifest(day, [repo]), [repo], { topContributors: 5, highlights: 5 });
    expect(analysis.identitySuggestions).toEqual([
      {
        reason: "name",
        people: [
          { key: "jnunez@home.example", name: "jose nunez" },
          { key: "jose@work.example", name: "José Núñez" },
        ],
        toml: '[[person]]\nname = "José Núñez"\nemails = ["jnunez@home.example", "jose@work.example"]\n',
      },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { identitySuggestions, mailmapLines, normalizeName } from "./identity-suggestions.js";

describe("identitySuggestions", () => {
  it("normalises case, spacing and accents", () => {
    expect(normalizeName("  José   NÚÑEZ ")).toBe("jose nunez");
    expect(normalizeName("Ｃｈｒｉｓ")).toBe("chris");
  });

  it("finds one person under several identities, by name, email local part and login", () => {
    const suggestions = identitySuggestions([
      { key: "jose@work.example", name: "José Núñez" },
      { key: "jnunez@home.example", name: "jose  nunez" },
      { key: "sam@one.example", name: "Sam" },
      { key: "sam@two.example", name: "Samuel" },
      { key: "ctcpip@users.noreply.github.com", name: "ctcpip" },
      { key: "chris@ctcpip.dev", name: "Chris de Almeida" },
      { key: "octo@users.noreply.github.com", name: "The Octocat" },
      { key: "me@octo.example", name: "octo" },
      // Shared local parts and shared company domains merge nobody.
      { key: "admin@a.example", name: "A" },
      { key: "admin@b.example", name: "B" },
      { key: "zed@acme.example", name: "Zed" },
      { key: "yan@acme.example", name: "Yan" },
      { key: "acme@users.noreply.github.com", name: "acme" },
    ]);
    expect(suggestions.map((s) => [s.reason, s.people.map((p) => p.key)])).toEqual([
      ["login", ["chris@ctcpip.dev", "ctcpip@users.noreply.github.com"]],
      ["name", ["jnunez@home.example", "jose@work.example"]],
      ["login", ["me@octo.example", "octo@users.noreply.github.com"]],
      ["email", ["sam@one.example", "sam@two.example"]],
    ]);
    const chris = suggestions[0]!.toml;
    expect(chris).toBe('[[person]]\nname = "Chris de Almeida"\nlogins = ["ctcpip"]\nemails = ["chris@ctcpip.dev"]\n');
    // The name with accents is the fuller spelling; tests/cli-identities loads such blocks with the real reader.
    expect(suggestions[1]!.toml).toBe('[[person]]\nname = "José Núñez"\nemails = ["jnunez@home.example", "jose@work.example"]\n');
  });

  it("is the same whatever order people come in, and empty when nobody repeats", () => {
    const people = [
      { key: "b@x.example", name: "Bo" },
      { key: "b@y.example", name: "bo" },
      { key: "c@z.example", name: "Cy" },
    ];
    expect(identitySuggestions([...people].reverse())).toEqual(identitySuggestions(people));
    expect(identitySuggestions([people[0]!, people[2]!])).toEqual([]);
  });

  it("writes the same merge as .mailmap lines for local git, where keys are the commit emails", () => {
    const lines = mailmapLines([
      { key: "jnunez@home.example", name: "jose nunez" },
      { key: "jose@work.example", name: "José Núñez" },
      { key: "123+jn@users.noreply.github.com", name: "jn" },
    ]);
    expect(lines).toBe("José Núñez <jose@work.example> <123+jn@users.noreply.github.com>\nJosé Núñez <jose@work.example> <jnunez@home.example>\n");
    expect(mailmapLines([{ key: "a@x.example", name: "A" }, { key: "name:a", name: "a" }])).toBeNull();
  });

  it("escapes what TOML needs escaped in a name", () => {
    const [s] = identitySuggestions([
      { key: "q@x.example", name: 'Q "the" \\ quoter' },
      { key: "q@y.example", name: 'q "THE" \\ quoter' },
    ]);
    expect(s!.toml).toContain('name = "Q \\"the\\" \\\\ quoter"\n');
  });
});

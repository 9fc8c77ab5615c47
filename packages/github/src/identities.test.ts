import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createIdentityResolver, loadIdentities, noreplyLogin } from "./identities.js";
import { tempDirs } from "./test-github.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());
const PATTERNS = ["[bot]", "dependabot", "renovate"];

describe("identities", () => {
  it("finds the login in both noreply forms", () => {
    expect(noreplyLogin("123+octocat@users.noreply.github.com")).toBe("octocat");
    expect(noreplyLogin("octocat@users.noreply.github.com")).toBe("octocat");
    expect(noreplyLogin("49699333+dependabot[bot]@users.noreply.github.com")).toBe("dependabot[bot]");
    expect(noreplyLogin("octocat@example.com")).toBeNull();
  });

  it("makes a login, its noreply address and the emails GitHub links to it one contributor", () => {
    const r = createIdentityResolver([], PATTERNS);
    const a = r.resolve({ login: "Octocat", email: "octo@corp.example", name: "Octo Cat" });
    const b = r.resolve({ email: "583231+octocat@users.noreply.github.com", name: "octo" });
    expect(a.key).toBe("octocat@users.noreply.github.com");
    expect(b.key).toBe(a.key);
    expect(r.resolve({ email: "Someone@Example.com", name: "Someone" })).toEqual({ login: null, key: "someone@example.com", name: "Someone", isBot: false });
  });

  it("recognises bots by [bot] login, account type and patterns", () => {
    const r = createIdentityResolver([], PATTERNS);
    expect(r.resolve({ login: "my-app[bot]" }).isBot).toBe(true);
    expect(r.resolve({ login: "ci-runner", type: "Bot" }).isBot).toBe(true);
    expect(r.resolve({ email: "bot@renovateapp.com", name: "Renovate" }).isBot).toBe(true);
    expect(r.resolve({ login: "dependabot-preview" }).isBot).toBe(true);
    expect(r.resolve({ login: "robert" }).isBot).toBe(false);
  });

  it("merges and renames from the identities file", async () => {
    const file = join(dirs.make(), "identities.toml");
    writeFileSync(file, '[[person]]\nname = "Ada L."\nlogins = ["ada", "ada-work"]\nemails = ["ada@home.example"]\n\n[[person]]\nemails = ["x@one.example", "x@two.example"]\n');
    const r = createIdentityResolver(await loadIdentities(file), PATTERNS);
    const keys = [r.resolve({ login: "ada-work" }), r.resolve({ email: "ada@home.example", name: "ada" }), r.resolve({ login: "ada", name: "Ada Lovelace" })];
    expect(new Set(keys.map((k) => k.key))).toEqual(new Set(["ada@users.noreply.github.com"]));
    expect(keys.map((k) => k.name)).toEqual(["Ada L.", "Ada L.", "Ada L."]);
    expect(r.resolve({ email: "X@two.example", name: "X", login: "xx" }).key).toBe("x@one.example");
    expect(r.fingerprint).not.toBe(createIdentityResolver([], PATTERNS).fingerprint);
  });

  it.each([
    ['[[person]]\nname = "Nobody"\n', /person\.0: a person needs at least one login or email/],
    ['[[person]]\nlogins = ["a"]\n[[person]]\nlogins = ["A"]\n', /login A is listed for person 1 and person 2/],
    ['[[person]]\nlogin = "a"\n', /Unrecognized key.*"login"/],
    ["[[person]\n", /not valid TOML/],
  ])("says what is wrong with a bad identities file: %s", async (text, message) => {
    const file = join(dirs.make(), "identities.toml");
    writeFileSync(file, text);
    await expect(loadIdentities(file)).rejects.toMatchObject({ code: "SPARKY_IDENTITIES_INVALID", message: expect.stringMatching(message) });
  });

  it("names a missing file and how to do without it", async () => {
    await expect(loadIdentities("/nope/identities.toml")).rejects.toMatchObject({ code: "SPARKY_IDENTITIES_MISSING", message: expect.stringMatching(/identities_file = ""/) });
    expect(await loadIdentities("")).toEqual([]);
  });
});

describe("config/identities.example.toml", () => {
  it("is a valid identities file", async () => {
    const file = new URL("../../../config/identities.example.toml", import.meta.url).pathname;
    expect(await loadIdentities(file)).toHaveLength(2);
  });
});

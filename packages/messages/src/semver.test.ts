import { describe, expect, it } from "vitest";
import { compareVersions, parseTagVersion } from "./semver.js";

describe("parseTagVersion", () => {
  it("reads plain, v-prefixed and monorepo tags", () => {
    expect(parseTagVersion("5.0.0")).toMatchObject({ version: "5.0.0", scope: null, major: 5, prerelease: [] });
    expect(parseTagVersion("v4.20.0")).toMatchObject({ version: "4.20.0", scope: null, minor: 20 });
    expect(parseTagVersion("pkg@1.2.3")).toMatchObject({ version: "1.2.3", scope: "pkg" });
    expect(parseTagVersion("@scope/pkg@v1.2.3-rc.1")).toMatchObject({ version: "1.2.3-rc.1", scope: "@scope/pkg", prerelease: ["rc", "1"] });
    expect(parseTagVersion("v1.0.0+build.5")).toMatchObject({ version: "1.0.0+build.5", prerelease: [] });
  });

  it("refuses what is not a version", () => {
    for (const tag of ["release-2024", "v1.2", "1.2.3.4", "latest", "@1.2.3", "v1.2.3-", "1.2.x"]) {
      expect(parseTagVersion(tag), tag).toBeNull();
    }
  });
});

describe("compareVersions", () => {
  it("orders by semver 2.0 precedence, prereleases before their release", () => {
    // The example order of semver.org, rule 11, shuffled.
    const ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0"];
    const shuffled = [ordered[7], ordered[2], ordered[11], ordered[0], ordered[5], ordered[9], ordered[3], ordered[10], ordered[1], ordered[6], ordered[4], ordered[8]] as string[];
    const sorted = shuffled.map((t) => parseTagVersion(t)!).sort(compareVersions).map((v) => v.version);
    expect(sorted).toEqual(ordered);
  });

  it("ignores prefixes and build metadata", () => {
    expect(compareVersions(parseTagVersion("v1.2.3")!, parseTagVersion("1.2.3+x")!)).toBe(0);
    expect(compareVersions(parseTagVersion("v4.20.0")!, parseTagVersion("5.0.0-beta.1")!)).toBeLessThan(0);
  });
});

import { describe, expect, it } from "vitest";
import { compareReleases, releaseOfSubject, releaseOfTag } from "./release-subjects.js";

describe("release subjects", () => {
  it("reads the version a release commit's subject names, in the styles real projects use", () => {
    expect(releaseOfSubject("5.0.0")).toBe("5.0.0");
    expect(releaseOfSubject("v5.0.0-beta.3")).toBe("5.0.0-beta.3");
    expect(releaseOfSubject("Release 1.2.3")).toBe("1.2.3");
    expect(releaseOfSubject("chore(release): 1.2.3")).toBe("1.2.3");
    expect(releaseOfSubject("release: v8.2.2")).toBe("8.2.2");
    expect(releaseOfSubject("release: plugin-legacy@8.2.3")).toBe("plugin-legacy@8.2.3");
    expect(releaseOfSubject("Bumped v4.26.2")).toBe("4.26.2");
    expect(releaseOfSubject("chore: prepare tokio-macros v2.7.2 (#8330)")).toBe("tokio-macros@2.7.2");
  });

  it("is null for work that merely names a version", () => {
    expect(releaseOfSubject("build(deps-dev): bump hbs from 4.2.0 to 4.2.1 (#7152)")).toBeNull();
    expect(releaseOfSubject("deps: cookie@0.6.0")).toBeNull();
    expect(releaseOfSubject("Update Release-Process.md")).toBeNull();
    expect(releaseOfSubject("fix: crash in 5.0.0")).toBeNull();
  });

  it("labels tags without their v and sorts versions semantically, pre-releases first", () => {
    expect(releaseOfTag("v5.0.0")).toBe("5.0.0");
    expect(releaseOfTag("nightly")).toBe("nightly");
    const labels = ["5.0.0", "nightly", "4.10.0", "5.0.0-beta.10", "4.9.1", "5.0.0-beta.2", "a@1.0.0"];
    expect(labels.sort(compareReleases)).toEqual(["4.9.1", "4.10.0", "5.0.0-beta.2", "5.0.0-beta.10", "5.0.0", "a@1.0.0", "nightly"]);
  });
});

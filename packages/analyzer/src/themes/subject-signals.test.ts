import { describe, expect, it } from "vitest";
import { subjectSignals } from "./subject-signals.js";

describe("subjectSignals", () => {
  it("reads Conventional Commits types and scopes", () => {
    expect(subjectSignals("fix(router): handle empty paths")).toEqual({ type: "Fixes", conventional: true, scope: "router" });
    expect(subjectSignals("feat(deps)!: router@^2.0.0 (#5885)")).toEqual({ type: "Features", conventional: true, scope: "deps" });
    expect(subjectSignals("docs: loosen TC activity rules")).toEqual({ type: "Documentation", conventional: true, scope: null });
    expect(subjectSignals("deps: cookie@0.6.0")).toEqual({ type: "Dependencies", conventional: true, scope: null });
  });

  it("reads an `area:` prefix as a scope and the verb after it as the type", () => {
    expect(subjectSignals("sync: fix a race in Notify")).toEqual({ type: "Fixes", conventional: false, scope: "sync" });
    expect(subjectSignals("net/http: add a timeout")).toEqual({ type: "Features", conventional: false, scope: "net/http" });
  });

  it("reads the opening verb of a plain-English subject, and nothing from a vague one", () => {
    expect(subjectSignals("Fix handling of a missing header")).toEqual({ type: "Fixes", conventional: false, scope: null });
    expect(subjectSignals("Removed the old examples")).toEqual({ type: "Removals", conventional: false, scope: null });
    expect(subjectSignals("Update Security.md")).toEqual({ type: null, conventional: false, scope: null });
    expect(subjectSignals("see https://example.com: it broke")).toEqual({ type: null, conventional: false, scope: null });
  });
});

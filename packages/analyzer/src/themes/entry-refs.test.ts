import { describe, expect, it } from "vitest";
import { refPrefix, resolveRef } from "./entry-refs.js";
import type { PromptEntry } from "./entry-refs.js";
import type { ThemeItem } from "./theme-item.js";

const commit = (title: string): ThemeItem => ({ id: `acme/api@${title.length}`, kind: "commit", repository: "acme/api", title, labels: [], author: "Alice" });
const pull = (number: number, title: string): ThemeItem => ({ id: `acme/api#${number}`, kind: "pull_request", repository: "acme/api", title, labels: [], author: "Bob", number });

describe("refPrefix", () => {
  it("picks a letter no title of the prompt writes before a number", () => {
    expect(refPrefix(["Fix the login (#5933)", "Support i18n"])).toBe("i");
    expect(refPrefix(["Rename i2 to index", "Fix k8s manifests"])).toBe("k");
    expect(refPrefix(["Rename i2 to index", "k3 cluster", "q1 planning"])).toBe("x");
  });
});

describe("resolveRef", () => {
  const entries = new Map<number, PromptEntry>([
    [1, { items: [pull(2, "Add rate limits")] }],
    [2, { items: [commit("Revert part of #2")] }],
    [3, { items: [commit("Fix the login crash (#5933)")] }],
  ]);
  it.each([
    ["i3", { kind: "entry", ref: 3 }],
    [" I1 ", { kind: "entry", ref: 1 }],
    ["k1", { kind: "unknown" }],
    ["i9", { kind: "unknown" }],
    [5933, { kind: "entry", ref: 3 }],
    ["#5933", { kind: "entry", ref: 3 }],
    [3, { kind: "entry", ref: 3 }],
    [2, { kind: "ambiguous" }],
    ["#2", { kind: "ambiguous" }],
    [1, { kind: "entry", ref: 1 }],
    [42, { kind: "unknown" }],
    [null, { kind: "unknown" }],
    ["three", { kind: "unknown" }],
  ])("reads %j", (value, expected) => {
    expect(resolveRef(value, entries, "i")).toEqual(expected);
  });
});

import { describe, expect, it } from "vitest";
import { unsafeTextProblem } from "./unsafe-text.js";

describe("unsafeTextProblem", () => {
  it.each([
    ["https://evil.example/x", "contains a URL"],
    ["go to www.evil.com", "contains a URL"],
    ["javascript:alert(1)", "contains a URL"],
    ["[click](x)", "contains HTML or Markdown markup"],
    ["![img](x)", "contains HTML or Markdown markup"],
    ["[a][ref]", "contains HTML or Markdown markup"],
    ["<script>alert(1)</script>", "contains HTML or Markdown markup"],
    ["</div>", "contains HTML or Markdown markup"],
    ["&lt;b&gt;", "contains HTML or Markdown markup"],
    ["mail me: eve@evil.example", "contains an email address"],
    ["evil.example", "contains the address evil.example"],
    ["Docs moved to docs.acme.io", "contains the address docs.acme.io"],
    ["go to evil.com now", "contains the address evil.com"],
    ["get it at free-stuff.xyz", "contains the address free-stuff.xyz"],
  ])("refuses %j", (text, problem) => {
    expect(unsafeTextProblem(text)).toBe(problem);
  });

  it.each([
    "Update README.md and package.json",
    "Bump lodash from 4.17.20 to 4.17.21",
    "Fix a < b comparison",
    "Rate limiting for the API",
    "v1.2.3 release",
    "Fix res.location with encoded URLs",
    "Read process.env and req.body",
  ])(
    "accepts %j",
    (text) => {
      expect(unsafeTextProblem(text)).toBeNull();
    },
  );
});

import { describe, expect, it } from "vitest";
import { redactUrl } from "./redact-url.js";

describe("redactUrl", () => {
  it("removes user and password from URLs, keeping host and path", () => {
    expect(redactUrl("https://user:s3cret@github.com/org/docs.git")).toBe("https://***@github.com/org/docs.git");
    expect(redactUrl("https://ghp_abc123@github.com/org/docs.git")).toBe("https://***@github.com/org/docs.git");
    expect(redactUrl("http://x-access-token:t@ok@127.0.0.1:9/x.git")).toBe("http://***@127.0.0.1:9/x.git");
  });

  it("redacts every URL inside a longer message", () => {
    const text = "fatal: unable to access 'https://a:b@h1/x.git/': then ssh://git:pw@h2:22/y and https://h3/z";
    const out = redactUrl(text);
    expect(out).toBe("fatal: unable to access 'https://***@h1/x.git/': then ssh://***@h2:22/y and https://h3/z");
  });

  it("leaves URLs without credentials, scp-style remotes and paths alone", () => {
    for (const text of ["https://github.com/org/docs.git", "git@github.com:org/docs.git", "/srv/git/docs.git", "origin"]) {
      expect(redactUrl(text)).toBe(text);
    }
  });
});

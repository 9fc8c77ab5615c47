import { describe, expect, it } from "vitest";
import { escapeMarkdownInline, mermaidLabel, yamlString } from "./escape.js";
import { parseFrontMatter } from "./front-matter.js";

describe("escapeMarkdownInline", () => {
  it("leaves plain words alone", () => {
    expect(escapeMarkdownInline("Add rate limiting to the API")).toBe("Add rate limiting to the API");
  });

  it("turns what could start HTML into entities, never tags", () => {
    expect(escapeMarkdownInline("<script>alert(1)</script> & co, a < b")).toBe("&lt;script>alert(1)&lt;/script> & co, a &lt; b");
  });

  it("leaves version numbers, conventional prefixes and snake_case readable", () => {
    expect(escapeMarkdownInline("5.0.0")).toBe("5.0.0");
    expect(escapeMarkdownInline("feat(deps)!: router@^2.0.0 (#5885)")).toBe("feat(deps)!: router@^2.0.0 (#5885)");
    expect(escapeMarkdownInline("fix snake_case_name in a * b")).toBe("fix snake_case_name in a * b");
    expect(escapeMarkdownInline("Merge tag '4.20.0' into 5.0")).toBe("Merge tag '4.20.0' into 5.0");
  });

  it("backslash-escapes the punctuation of links, images, emphasis, code, strikethrough, math and tables", () => {
    expect(escapeMarkdownInline("![x](y) [a]{b} **c** _d_ `e` | g ~h~ $k$ \\")).toBe(
      "!\\[x\\](y) \\[a\\]\\{b\\} \\*\\*c\\*\\* \\_d\\_ \\`e\\` \\| g \\~h\\~ \\$k\\$ \\\\",
    );
  });

  it("escapes what would open a block only at the start", () => {
    expect(escapeMarkdownInline("# f")).toBe("\\# f");
    expect(escapeMarkdownInline("- j")).toBe("\\- j");
    expect(escapeMarkdownInline("-j")).toBe("-j");
    expect(escapeMarkdownInline("> quote")).toBe("\\> quote");
    expect(escapeMarkdownInline("1. first")).toBe("1\\. first");
    expect(escapeMarkdownInline("a # f -j 1. x")).toBe("a # f -j 1. x");
    expect(escapeMarkdownInline("closing #")).toBe("closing \\#");
  });

  it("breaks bare URLs, www. names, email addresses and mentions so GFM does not link them", () => {
    const escaped = escapeMarkdownInline("see https://evil.example, www.evil.example and root@evil.example");
    expect(escaped).toBe("see https:&#8203;//evil.example, www&#8203;.evil.example and root@&#8203;evil.example");
    expect(escapeMarkdownInline("update to fresh@2.0.0")).toBe("update to fresh@&#8203;2.0.0");
    expect(escapeMarkdownInline("bump @types/node, thanks @octocat")).toBe("bump @&#8203;types/node, thanks @&#8203;octocat");
  });

  it("breaks MDX expressions, Hugo shortcodes and Liquid tags", () => {
    expect(escapeMarkdownInline("{{< x >}} {% y %} {x}")).toBe("\\{\\{&lt; x >\\}\\} \\{\\% y %\\} \\{x\\}");
  });

  it("keeps an entity in the input as the literal text it is", () => {
    expect(escapeMarkdownInline("&lt;b&gt;")).toBe("&amp;lt;b&amp;gt;");
  });

  it("collapses line breaks, controls and bidi overrides to single spaces and trims", () => {
    expect(escapeMarkdownInline("  one\r\ntwo\u0000\u0007three\u202efour\u2028five\t\t")).toBe("one two three four five");
  });
});

describe("yamlString", () => {
  it("double-quotes and escapes what could end the scalar or the line", () => {
    expect(yamlString('say "hi" \\ bye\nnext')).toBe('"say \\"hi\\" \\\\ bye\\nnext"');
    expect(yamlString("a\u0000b\u2028c\u007f")).toBe('"a\\u0000b\\u2028c\\u007F"');
    expect(yamlString("---")).toBe('"---"');
  });

  it("writes a lone surrogate as U+FFFD", () => {
    expect(yamlString("a\ud800b")).toBe('"a\\uFFFDb"');
  });

  it("reads back exactly through the front-matter reader", () => {
    const nasty = ['"', "\\", "\n---\n", "key: value", "é漢字🙂", "\u0001\u001f", "\u2029", '\\"\\n'];
    for (const text of nasty) {
      const figures = parseFrontMatter(
        `---\ntitle: ${yamlString(text)}\nperiod: "daily"\nkey: "k"\nrun_id: "r"\nwindow_start: "s"\nwindow_end: "e"\ntimezone: "UTC"\n` +
          `first_day: "a"\nlast_day: "b"\ncommits: 1\nmerges: 2\ncontributors: 3\nnew_contributors: 4\nrepositories: 5\n` +
          `additions: 6\ndeletions: 7\n---\n`,
      );
      expect(figures?.title).toBe(text);
    }
  });
});

describe("mermaidLabel", () => {
  it("keeps letters, digits and separators, and drops anything that could end the label or the fence", () => {
    expect(mermaidLabel("Mon 11-23")).toBe('"Mon 11-23"');
    expect(mermaidLabel('a"]`\n```b')).toBe('"ab"');
  });
});

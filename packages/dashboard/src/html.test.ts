import { describe, expect, it } from "vitest";
import { html } from "./html.js";

describe("html", () => {
  it("escapes every interpolated value, in text and attributes", () => {
    const name = `<img src=x onerror="alert(1)">&'`;
    expect(html`<a title="${name}">${name}</a>`.text).toBe(
      `<a title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;</a>`,
    );
  });

  it("nests fragments without escaping them twice, and drops null, undefined and false", () => {
    const items = ["a<b", "c"].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}${null}${undefined}${false}</ul>`.text).toBe("<ul><li>a&lt;b</li><li>c</li></ul>");
    expect(html`${0} ${true}`.text).toBe("0 true");
  });
});

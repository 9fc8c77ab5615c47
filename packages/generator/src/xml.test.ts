import { describe, expect, it } from "vitest";
import { hasXmllint, xpathString } from "./test-xmllint.js";
import { xmlAttribute, xmlText } from "./xml.js";

const HOSTILE = `</title><script>alert("x")</script> & &amp; ]]> <![CDATA[ x ]]> 'quoted' "double" \u0000\u0007\u001b bell \uFFFE\uFFFF \uD800 lone \uDC00 low 😀 pair\ttab\nline\rcr`;
// What a parser must read back: the markup characters intact, what XML 1.0 cannot hold dropped.
const READ_BACK = `</title><script>alert("x")</script> & &amp; ]]> <![CDATA[ x ]]> 'quoted' "double"  bell   lone  low 😀 pair\ttab\nline\rcr`;

describe("xmlText and xmlAttribute", () => {
  it("turn markup into entities and drop what XML 1.0 cannot carry", () => {
    expect(xmlText("a < b && c > d")).toBe("a &lt; b &amp;&amp; c &gt; d");
    expect(xmlAttribute(`say "hi" & 'bye'\n`)).toBe("say &quot;hi&quot; &amp; &apos;bye&apos;&#10;");
    expect(xmlText("bell\u0007 and \uDC00 and \uFFFF")).toBe("bell and  and ");
    expect(xmlText("😀")).toBe("😀");
  });

  it.skipIf(!hasXmllint)("read back by a real XML parser as the text itself, in an element and in an attribute", () => {
    const doc = `<?xml version="1.0" encoding="utf-8"?>\n<t a="${xmlAttribute(HOSTILE)}">${xmlText(HOSTILE)}</t>\n`;
    // xmllint normalises a bare CR in content to LF, as every XML parser must (XML 1.0, 2.11).
    expect(xpathString(doc, "/t")).toBe(READ_BACK.replace("\r", "\n"));
    expect(xpathString(doc, "/t/@a")).toBe(READ_BACK);
  });
});

// Draws the digest's ```mermaid blocks with Mermaid (served from this package), strict
// security level: no HTML labels, no click handlers from the chart text.
"use strict";

(async function () {
  const blocks = document.querySelectorAll("pre.mermaid");
  if (blocks.length && window.mermaid) {
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
    await window.mermaid.run({ nodes: blocks });
  }
  document.body.dataset.mermaidDrawn = String(document.querySelectorAll("pre.mermaid svg").length);
})();

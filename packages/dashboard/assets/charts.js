// Draws each figure's data-chart with uPlot (served from this package). Periods are evenly
// spaced by index, labelled with their keys; null values are gaps, never joined or zeroed.
"use strict";

(function () {
  const COLORS = ["#1f6feb", "#bf3989", "#1a7f37"];
  const plots = Array.from(document.querySelectorAll("[data-chart]"));
  let drawn = 0;

  function draw(el) {
    const spec = JSON.parse(el.dataset.chart);
    const xs = spec.labels.map((_, i) => i);
    const width = Math.max(260, Math.floor(el.getBoundingClientRect().width) || 320);
    const opts = {
      width,
      height: 160,
      legend: { show: spec.series.length > 1 },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [
        {
          values: (u, splits) => splits.map((i) => (Number.isInteger(i) && spec.labels[i] ? spec.labels[i].replace(/^\d{4}-/, "") : "")),
          stroke: "#57606a",
        },
        { stroke: "#57606a", values: (u, splits) => splits.map((v) => `${v}${spec.unit || ""}`) },
      ],
      series: [
        { label: "Period", value: (u, i) => (i == null ? "" : spec.labels[i]) },
        ...spec.series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: false, points: { show: true, size: 5 } })),
      ],
    };
    new uPlot(opts, [xs, ...spec.series.map((s) => s.values)], el);
    drawn += 1;
    if (drawn === 1) performance.mark("sparky:first-chart");
    document.body.dataset.chartsDrawn = String(drawn);
  }

  for (const el of plots) draw(el);
  if (plots.length === 0) document.body.dataset.chartsDrawn = "0";
})();

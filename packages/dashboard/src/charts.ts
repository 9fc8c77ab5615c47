import type { TrendPoint } from "@sparky/messages";
import { html } from "./html.js";
import type { SafeHtml } from "./html.js";

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
}

/**
 * A chart as a figure: the data in a `data-chart` attribute (escaped like any value; the
 * client draws it with uPlot), and the same numbers as a table for screen readers and for
 * anyone who wants the figures. null values are gaps.
 */
export function chart(id: string, caption: string, labels: string[], series: ChartSeries[], unit = ""): SafeHtml {
  const missing = labels.filter((_, i) => series.every((s) => s.values[i] === null)).length;
  const summary = `${caption}: ${labels.length} periods${missing ? `, ${missing} without data (gaps)` : ""}`;
  const data = JSON.stringify({ labels, series, unit });
  const rows = labels.map(
    (label, i) => html`<tr><th scope="row">${label}</th>${series.map((s) => html`<td>${s.values[i] === null ? "no data" : s.values[i]}</td>`)}</tr>`,
  );
  return html`<figure class="chart" id="${id}">
<figcaption>${caption}</figcaption>
<div class="plot" role="img" aria-label="${summary}" data-chart="${data}"></div>
<details><summary>Figures</summary><table><thead><tr><th scope="col">Period</th>${series.map((s) => html`<th scope="col">${s.label}</th>`)}</tr></thead><tbody>${rows}</tbody></table></details>
</figure>`;
}

/** The overview's charts of one window: commits, contributors, and the GitHub figures when any period has them. */
export function trendCharts(id: string, points: TrendPoint[]): SafeHtml[] {
  const labels = points.map((p) => p.key);
  const charts = [
    chart(`${id}-commits`, "Commits", labels, [{ label: "Commits", values: points.map((p) => p.commits) }]),
    chart(`${id}-contributors`, "Contributors", labels, [{ label: "Contributors", values: points.map((p) => p.contributors) }]),
  ];
  if (points.some((p) => p.pullsMerged !== null)) {
    charts.push(chart(`${id}-pulls`, "Merged pull requests", labels, [{ label: "Merged", values: points.map((p) => p.pullsMerged) }]));
  }
  if (points.some((p) => p.medianCycleHours !== null || p.medianReviewHours !== null)) {
    charts.push(
      chart(`${id}-times`, "Median cycle and review time (hours)", labels, [
        { label: "Cycle time", values: points.map((p) => p.medianCycleHours) },
        { label: "First review", values: points.map((p) => p.medianReviewHours) },
      ], "h"),
    );
  }
  return charts;
}

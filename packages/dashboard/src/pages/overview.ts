import { PERIODS } from "@sparky/messages";
import type { DigestIndexEntry } from "@sparky/messages";
import { trendCharts } from "../charts.js";
import type { DashboardContext, ServiceHealth } from "../context.js";
import { age, count, hours, lastCompleteDay, wallClock } from "../format.js";
import { html } from "../html.js";
import type { SafeHtml } from "../html.js";
import { BASE, page } from "../layout.js";
import { TREND_WINDOWS, trendSeries } from "../trends.js";

export const digestHref = (d: Pick<DigestIndexEntry, "period" | "key">) => `${BASE}/digests/${d.period}/${encodeURIComponent(d.key)}`;

function latest(entry: DigestIndexEntry | undefined, period: string, ctx: DashboardContext): SafeHtml {
  if (!entry) return html`<article class="card"><h3>${period}</h3><p>No ${period} digest yet.</p></article>`;
  const d = entry.details;
  const figures: Array<[string, string]> = [
    ["Commits", count(entry.commits)],
    ["Contributors", count(entry.contributors)],
    ["New contributors", count(entry.newContributors)],
    ["Merges", count(entry.merges)],
    ["Repositories", count(entry.repositories)],
  ];
  if (entry.pullsMerged !== null) figures.push(["Pull requests merged", count(entry.pullsMerged)]);
  if (d?.medianCycleHours != null) figures.push(["Median cycle time", hours(d.medianCycleHours)]);
  if (d?.medianReviewHours != null) figures.push(["Median time to review", hours(d.medianReviewHours)]);
  return html`<article class="card"><h3>${period}</h3>
<p><a href="${digestHref(entry)}">${entry.title}</a> <span class="age">${age(entry.lastDay, ctx.options.clock.now(), ctx.options.timezone)}</span></p>
<dl class="figures">${figures.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl></article>`;
}

function healthTable(health: ServiceHealth[]): SafeHtml {
  return html`<table><thead><tr><th scope="col">Service</th><th scope="col">Ready</th><th scope="col">Detail</th></tr></thead><tbody>
${health.map((h) => html`<tr><td>${h.service}</td><td class="${h.ready ? "ok" : "bad"}">${h.ready ? "ready" : "not ready"}</td><td>${h.detail}</td></tr>`)}
</tbody></table>`;
}

export async function overviewPage(ctx: DashboardContext): Promise<string> {
  const { options } = ctx;
  const index = await ctx.index.read();
  const newest = new Map<string, DigestIndexEntry>();
  for (const entry of index.digests) {
    const seen = newest.get(entry.period);
    if (!seen || seen.key < entry.key) newest.set(entry.period, entry);
  }
  const until = lastCompleteDay(options.clock.now(), options.timezone);
  const trends = TREND_WINDOWS.map(({ period, count: n, label }) => {
    // Up to today, gaps and all; but when nothing of the window was collected (a history
    // backfilled from years ago), the window ends at the newest digest instead of being blank.
    const current = trendSeries(index, period, until, n);
    const newestDay = newest.get(period)?.lastDay;
    const older = current.every((p) => p.missing) && newestDay !== undefined && newestDay < until;
    const series = older ? trendSeries(index, period, newestDay, n) : current;
    const title = older ? `${label} collected, to ${newestDay}` : label;
    const charts = trendCharts(`trend-${period}`, series);
    return html`<section aria-labelledby="h-${period}"><h3 id="h-${period}">${title}</h3><div class="charts">${charts}</div></section>`;
  });
  const next = options.nextRuns();
  const health = options.live ? await options.live.health() : null;
  const body = html`<h1>Overview</h1>
<section aria-labelledby="h-latest"><h2 id="h-latest">Latest digests</h2>
<div class="cards">${PERIODS.map((p) => latest(newest.get(p), p, ctx))}</div></section>
<div class="two">
<section aria-labelledby="h-next"><h2 id="h-next">Next scheduled runs</h2>
${next.length
  ? html`<table><thead><tr><th scope="col">Period</th><th scope="col">At (${options.timezone})</th></tr></thead><tbody>${next.map((n) => html`<tr><td>${n.period}</td><td>${wallClock(n.at, options.timezone)}</td></tr>`)}</tbody></table>`
  : html`<p>No schedules are armed (orchestrator.schedules_enabled = false).</p>`}
${options.live ? "" : html`<p class="hint">Schedules fire in the orchestrator (<code>sparky serve orchestrator</code>); this dashboard only reads.</p>`}
</section>
<section aria-labelledby="h-health"><h2 id="h-health">Services</h2>
${health ? healthTable(health) : html`<p>Service health is shown where the orchestrator serves the dashboard (deployed); <code>sparky dashboard</code> runs no service.</p>`}
</section>
</div>
<section aria-labelledby="h-trends"><h2 id="h-trends">Trends</h2>
<p class="hint">A period without a digest is a gap, not a zero.</p>
${trends}</section>`;
  return page({ title: "Overview", section: "overview", body, scripts: ["uPlot.iife.min.js", "charts.js"], signedIn: ctx.signInRequired });
}

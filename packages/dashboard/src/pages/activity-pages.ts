import { PERIODS } from "@sparky/messages";
import { basisPeriod, appearances, totals } from "../activity.js";
import type { Dimension } from "../activity.js";
import { chart } from "../charts.js";
import type { DashboardContext } from "../context.js";
import { count } from "../format.js";
import { html } from "../html.js";
import { BASE, page } from "../layout.js";
import { digestHref } from "./overview.js";

const WORDS: Record<Dimension, { title: string; one: string; column: string }> = {
  people: { title: "People", one: "Person", column: "Person" },
  repositories: { title: "Repositories", one: "Repository", column: "Repository" },
};
/** The chart of one person or repository: the newest periods, enough to read at a glance. */
const CHART_PERIODS = 90;

const hrefOf = (dimension: Dimension, key: string) => `${BASE}/${dimension}/${encodeURIComponent(key)}`;

function periodTabs(dimension: Dimension, period: string, key?: string) {
  const base = key ? hrefOf(dimension, key) : `${BASE}/${dimension}`;
  return html`<nav aria-label="Periods" class="tabs">${PERIODS.map((p) => html`<a href="${base}?period=${p}"${p === period ? html` aria-current="page"` : ""}>${p}</a>`)}</nav>`;
}

/** Everyone, or every repository, with their commits over the digests collected. */
export async function listPage(ctx: DashboardContext, dimension: Dimension, asked?: string): Promise<string> {
  const index = await ctx.index.read();
  const period = basisPeriod(index, asked);
  const list = totals(index, dimension, period);
  const words = WORDS[dimension];
  const rows = list.map(
    (t) => html`<tr><td><a href="${hrefOf(dimension, t.key)}?period=${period}">${t.name}</a></td><td>${count(t.commits)}</td><td>${count(t.digests)}</td><td>${t.firstKey}</td><td>${t.lastKey}</td></tr>`,
  );
  const body = html`<h1>${words.title}</h1>${periodTabs(dimension, period)}
<p>${list.length} ${words.title.toLowerCase()} in the ${period} digests.</p>
${list.length ? html`<table><thead><tr><th scope="col">${words.column}</th><th scope="col">Commits</th><th scope="col">Digests</th><th scope="col">First</th><th scope="col">Last</th></tr></thead><tbody>${rows}</tbody></table>` : ""}`;
  return page({ title: words.title, section: dimension, body, signedIn: ctx.signInRequired });
}

/** One person or repository: commits per period (charted), and the digests they appear in. */
export async function detailPage(ctx: DashboardContext, dimension: Dimension, key: string, asked?: string): Promise<string | null> {
  const index = await ctx.index.read();
  const period = basisPeriod(index, asked);
  const seen = appearances(index, dimension, period, key);
  const total = totals(index, dimension, period).find((t) => t.key === key) ?? PERIODS.map((p) => totals(index, dimension, p).find((t) => t.key === key)).find(Boolean);
  if (!total) return null;
  const recent = seen.slice(-CHART_PERIODS);
  const activeIn = seen.filter((a) => (a.commits ?? 0) > 0).reverse();
  const words = WORDS[dimension];
  const body = html`<h1>${total.name}</h1>
<p class="hint">${words.one}${dimension === "people" ? html` (identity <code>${total.key}</code>)` : ""}.</p>
${periodTabs(dimension, period, key)}
${recent.length ? chart("activity", `Commits per ${period} digest (newest ${recent.length})`, recent.map((a) => a.digest.key), [{ label: "Commits", values: recent.map((a) => a.commits) }]) : ""}
<h2>In ${activeIn.length} ${period} digest${activeIn.length === 1 ? "" : "s"}</h2>
${activeIn.length ? html`<table><thead><tr><th scope="col">Digest</th><th scope="col">Commits</th><th scope="col">Of all commits</th></tr></thead><tbody>${activeIn.map(
    (a) => html`<tr><td><a href="${digestHref(a.digest)}">${a.digest.title}</a></td><td>${count(a.commits)}</td><td>${count(a.digest.commits)}</td></tr>`,
  )}</tbody></table>` : html`<p>No commits in the ${period} digests.</p>`}`;
  return page({ title: total.name, section: dimension, body, scripts: ["uPlot.iife.min.js", "charts.js"], signedIn: ctx.signInRequired });
}

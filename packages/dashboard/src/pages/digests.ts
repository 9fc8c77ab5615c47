import { PERIODS } from "@sparky/messages";
import type { DigestIndexEntry, Period } from "@sparky/messages";
import type { DashboardContext } from "../context.js";
import { count } from "../format.js";
import { html } from "../html.js";
import { BASE, page } from "../layout.js";
import { digestHref } from "./overview.js";

export interface DigestsQuery {
  period?: string;
  /** `YYYY` or `YYYY-MM`: the digests whose first day falls in it. */
  date?: string;
}

/** Browse the digests of one period, newest first, narrowed to a year or month. */
export async function digestsPage(ctx: DashboardContext, query: DigestsQuery): Promise<string> {
  const period: Period = (PERIODS as readonly string[]).includes(query.period ?? "") ? (query.period as Period) : "daily";
  const date = /^\d{4}(-\d{2})?$/.test(query.date ?? "") ? query.date! : "";
  const index = await ctx.index.read();
  const all = index.digests.filter((d) => d.period === period);
  const months = [...new Set(all.map((d) => d.firstDay.slice(0, 7)))].sort().reverse();
  const shown = all.filter((d) => d.firstDay.startsWith(date)).reverse();
  const quiet = period === "daily" ? index.quietDays.filter((q) => q.key.startsWith(date)).length : 0;
  const row = (d: DigestIndexEntry) =>
    html`<tr><td><a href="${digestHref(d)}">${d.title}</a>${d.quiet ? " (quiet)" : ""}</td><td>${count(d.commits)}</td><td>${count(d.contributors)}</td><td>${count(d.merges)}</td><td>${count(d.pullsMerged)}</td><td>${count(d.repositories)}</td></tr>`;
  const body = html`<h1>Digests</h1>
<nav aria-label="Periods" class="tabs">${PERIODS.map((p) => html`<a href="${BASE}/digests?period=${p}"${p === period ? html` aria-current="page"` : ""}>${p}</a>`)}</nav>
<form method="get" action="${BASE}/digests" class="filters"><input type="hidden" name="period" value="${period}">
<label>Month <select name="date"><option value="">all</option>${months.map((m) => html`<option value="${m}"${m === date ? html` selected` : ""}>${m}</option>`)}</select></label>
<button type="submit">Show</button></form>
<p>${shown.length} ${period} digest${shown.length === 1 ? "" : "s"}${date ? ` in ${date}` : ""}${quiet ? `, and ${quiet} quiet day${quiet === 1 ? "" : "s"} without one` : ""}.</p>
${shown.length ? html`<table><thead><tr><th scope="col">Digest</th><th scope="col">Commits</th><th scope="col">Contributors</th><th scope="col">Merges</th><th scope="col">PRs merged</th><th scope="col">Repositories</th></tr></thead><tbody>${shown.map(row)}</tbody></table>` : ""}`;
  return page({ title: "Digests", section: "digests", body, signedIn: ctx.signInRequired });
}

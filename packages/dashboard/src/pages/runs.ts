import { PERIODS, RUN_STATES } from "@sparky/messages";
import type { RunRecord } from "@sparky/messages";
import type { DashboardContext } from "../context.js";
import { duration, wallClock } from "../format.js";
import { html } from "../html.js";
import { BASE, page } from "../layout.js";

const SHOWN = 200;

export interface RunsQuery {
  period?: string;
  state?: string;
}

/** When a run began work: its first stage's start, else when it was asked for. */
export const startOf = (r: RunRecord) => r.stages.find((s) => s.startedAt)?.startedAt ?? r.createdAt;

function select(name: string, label: string, values: readonly string[], chosen: string | undefined) {
  return html`<label>${label} <select name="${name}"><option value="">all</option>${values.map(
    (v) => html`<option value="${v}"${v === chosen ? html` selected` : ""}>${v}</option>`,
  )}</select></label>`;
}

export async function runsPage(ctx: DashboardContext, query: RunsQuery): Promise<string> {
  const period = (PERIODS as readonly string[]).includes(query.period ?? "") ? query.period : undefined;
  const state = (RUN_STATES as readonly string[]).includes(query.state ?? "") ? query.state : undefined;
  const all = await ctx.runs.list();
  const runs = all.filter((r) => (!period || r.period === period) && (!state || r.state === state));
  const tz = ctx.options.timezone;
  const rows = runs.slice(0, SHOWN).map(
    (r) => html`<tr data-run="${r.runId}"><td><a href="${BASE}/runs/${r.runId}">${r.runId}</a></td><td>${r.period}</td>
<td class="state ${r.state}">${r.state}</td><td>${r.trigger}</td><td>${wallClock(startOf(r), tz)}</td>
<td>${r.finishedAt ? duration(startOf(r), r.finishedAt) : r.state === "running" ? "running" : "–"}</td><td class="reason">${r.reason ?? ""}</td></tr>`,
  );
  const body = html`<h1>Runs</h1>
<form method="get" action="${BASE}/runs" class="filters">${select("period", "Period", PERIODS, period)} ${select("state", "State", RUN_STATES, state)} <button type="submit">Filter</button></form>
${liveNote(ctx)}
<div id="live" aria-live="polite">
<p>${runs.length > SHOWN ? `The ${SHOWN} most recently updated of ${runs.length} runs.` : `${runs.length} run${runs.length === 1 ? "" : "s"}.`}</p>
${runs.length ? html`<table class="runs"><thead><tr><th scope="col">Run</th><th scope="col">Period</th><th scope="col">State</th><th scope="col">Trigger</th><th scope="col">Started (${tz})</th><th scope="col">Duration</th><th scope="col">Reason</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p>No runs${period || state ? " match these filters" : " yet"}.</p>`}
</div>`;
  return page({ title: "Runs", section: "runs", body, live: ctx.options.live ? "sse" : "poll", signedIn: ctx.signInRequired });
}

export function liveNote(ctx: DashboardContext) {
  return ctx.options.live
    ? html`<p class="hint" id="live-status">Live: updates arrive from the event bus as runs progress.</p>`
    : html`<p class="hint" id="live-status">Read from the run records every few seconds; live updates from the event bus need the orchestrator (the dashboard it serves on its HTTP port).</p>`;
}

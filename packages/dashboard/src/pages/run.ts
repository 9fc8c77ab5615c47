import type { RunRecord, StageRecord } from "@sparky/messages";
import type { DashboardContext } from "../context.js";
import { count, duration, wallClock } from "../format.js";
import { html } from "../html.js";
import type { SafeHtml } from "../html.js";
import { BASE, messagePage, page } from "../layout.js";
import { liveNote, startOf } from "./runs.js";

type Dict = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "number" ? v : null);
const text = (v: unknown) => (typeof v === "string" ? v : null);

function attempts(stage: StageRecord): SafeHtml {
  if (stage.attempts.length === 0) return html`–`;
  return html`<ol class="attempts">${stage.attempts.map(
    (a) => html`<li>#${a.attempt} at ${wallClock(a.startedAt, "UTC")} UTC, ${a.finishedAt ? duration(a.startedAt, a.finishedAt) : "running"}${a.error ? html`: <span class="bad">${a.error.code}</span> ${a.error.message}` : ""}</li>`,
  )}</ol>`;
}

/** What the LLM cost a stage, and why it fell back to the template or deterministic themes. */
function llmRow(stage: string, result: Dict | null): SafeHtml | null {
  const llm = result?.llm as Dict | undefined;
  if (!llm) return null;
  const fallback = stage === "analyze" ? [text(result?.themesSource), text(result?.themesReason)] : [text(result?.narrativeSource), text(result?.narrativeReason)];
  return html`<tr><td>${stage}</td><td>${count(num(llm.calls))}</td><td>${count(num(llm.promptTokens))}</td><td>${count(num(llm.cached))}</td>
<td>${fallback[0] ?? "–"}${fallback[1] ? html`: ${fallback[1]}` : ""}${text(llm.warning) ? html`<br><span class="bad">${text(llm.failureCode) ?? ""}</span> ${text(llm.warning)}` : ""}</td></tr>`;
}

function costs(record: RunRecord): SafeHtml {
  const c = record.collection;
  const collection = c
    ? html`<dl class="figures"><div><dt>GitHub requests</dt><dd>${count(c.requests)}</dd></div><div><dt>Not modified (free)</dt><dd>${count(c.notModified)}</dd></div>
<div><dt>GraphQL cost</dt><dd>${count(c.graphqlCost)}</dd></div><div><dt>Quota left</dt><dd>${c.rateLimit ? `${count(c.rateLimit.remaining)} of ${count(c.rateLimit.limit)}` : "–"}</dd></div>
<div><dt>Waited</dt><dd>${duration(new Date(0).toISOString(), new Date(c.waitedMs).toISOString())}</dd></div><div><dt>Reused</dt><dd>${count(c.reused)}</dd></div></dl>
${c.skipped.length ? html`<p>Skipped: ${c.skipped.map((s) => html`${s.repository} (${s.reason}) `)}</p>` : ""}`
    : html`<p>Local git: no GitHub requests.</p>`;
  const llm = record.stages.map((s) => llmRow(s.stage, s.result as Dict | null)).filter((r): r is SafeHtml => r !== null);
  return html`<h2>Cost</h2><h3>Collection</h3>${collection}
<h3>LLM</h3>${llm.length
    ? html`<table><thead><tr><th scope="col">Stage</th><th scope="col">Calls</th><th scope="col">Prompt tokens</th><th scope="col">Cache hits</th><th scope="col">Source, fallback reason</th></tr></thead><tbody>${llm}</tbody></table>`
    : html`<p>No LLM use recorded yet.</p>`}`;
}

function resume(ctx: DashboardContext, record: RunRecord): SafeHtml {
  if (record.state !== "failed") return html``;
  if (!ctx.options.live) {
    return html`<p class="hint">Resume it with <code>sparky resume ${record.runId}</code>, or from the dashboard the orchestrator serves.</p>`;
  }
  // The token goes in the Authorization header of this one request (see assets/dashboard.js); never a cookie.
  return html`<form id="resume" class="resume" data-run="${record.runId}">
<label>API token (SPARKY_API_TOKEN) <input type="password" name="token" autocomplete="off" required></label>
<button type="submit">Resume from the failed stage</button>
<p id="resume-result" role="status"></p></form>`;
}

export async function runPage(ctx: DashboardContext, runId: string): Promise<string | null> {
  const record = await ctx.runs.get(runId);
  if (!record) return null;
  const tz = ctx.options.timezone;
  const stages = record.stages.map(
    (s) => html`<tr><td>${s.stage}</td><td class="state ${s.state}">${s.state}</td><td>${duration(s.startedAt, s.finishedAt)}</td><td>${attempts(s)}</td></tr>`,
  );
  const body = html`<h1>Run ${record.runId}</h1>
${liveNote(ctx)}
<div id="live" aria-live="polite" data-run="${record.runId}">
<dl class="figures"><div><dt>State</dt><dd class="state ${record.state}" id="run-state">${record.state}</dd></div><div><dt>Trigger</dt><dd>${record.trigger}</dd></div>
<div><dt>Started (${tz})</dt><dd>${wallClock(startOf(record), tz)}</dd></div><div><dt>Duration</dt><dd>${duration(startOf(record), record.finishedAt)}</dd></div>
<div><dt>Source</dt><dd>${record.org ? `GitHub ${record.org}` : `${record.repos.length} git repositories`}</dd></div></dl>
${record.reason ? html`<p class="reason bad">${record.reason}</p>` : ""}
${record.waiting ? html`<p class="notice">Waiting (${record.waiting.stage}) until ${wallClock(record.waiting.until, tz)}: ${record.waiting.message}</p>` : ""}
<h2>Stages</h2>
<table><thead><tr><th scope="col">Stage</th><th scope="col">State</th><th scope="col">Duration</th><th scope="col">Attempts</th></tr></thead><tbody>${stages}</tbody></table>
${costs(record)}
</div>
${resume(ctx, record)}
<p><a href="${BASE}/runs">All runs</a></p>`;
  return page({ title: `Run ${record.runId}`, section: "runs", body, live: ctx.options.live ? "sse" : "poll", signedIn: ctx.signInRequired });
}

export const noRun = (runId: string) => messagePage("No such run", "runs", `There is no run ${runId}. The runs page lists them all.`);

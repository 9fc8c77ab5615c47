import type { Notification } from "./notification.js";

/** Slack's mrkdwn treats only these as control characters in text. */
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const plural = (n: number, word: string, many = `${word}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? word : many}`;

/** Figures as one line: "23 commits · 2 merges · 1 contributor · 1 repository · 4 pull requests merged". */
export function figuresLine(figures: NonNullable<Notification["figures"]>): string {
  const parts = [plural(figures.commits, "commit"), plural(figures.merges, "merge"), plural(figures.contributors, "contributor"), plural(figures.repositories, "repository", "repositories")];
  if (figures.pulls) parts.push(`${plural(figures.pulls.merged, "pull request")} merged`);
  if (figures.issues) parts.push(`${plural(figures.issues.closed, "issue")} closed`);
  if (figures.releases) parts.push(plural(figures.releases, "release"));
  return parts.join(" · ");
}

/**
 * An incoming-webhook body that Slack, Mattermost and Discord's Slack-compatible endpoint
 * all accept: plain `text` in mrkdwn, with the link only when the docs web address is known.
 */
export function slackBody(n: Notification): { text: string } {
  if (n.event === "run.failed") {
    const reason = n.reason ? `: ${escape(n.reason)}` : "";
    return { text: `:warning: Sparky could not make the ${n.period} digest ${escape(n.key)} (run \`${escape(n.runId)}\`)${reason}\nSee \`sparky status\`; \`sparky resume ${escape(n.runId)}\` continues it.` };
  }
  const title = escape(n.digest?.title ?? `${n.period} digest ${n.key}`);
  const lines = [n.digest?.url ? `*<${n.digest.url}|${title}>*` : `*${title}*`];
  if (n.digest?.summary) lines.push(escape(n.digest.summary));
  if (n.figures) lines.push(escape(figuresLine(n.figures)));
  return { text: lines.join("\n") };
}

import { html } from "./html.js";
import type { SafeHtml } from "./html.js";

export const BASE = "/dashboard";

export type Section = "overview" | "runs" | "digests" | "people" | "repositories" | "sign-in";

const NAV: ReadonlyArray<[Section, string, string]> = [
  ["overview", "Overview", `${BASE}/`],
  ["runs", "Runs", `${BASE}/runs`],
  ["digests", "Digests", `${BASE}/digests`],
  ["people", "People", `${BASE}/people`],
  ["repositories", "Repositories", `${BASE}/repositories`],
];

export interface PageOptions {
  title: string;
  section: Section;
  body: SafeHtml;
  /** How the page refreshes its live parts: server-sent events, polling the files, or not at all. */
  live?: "sse" | "poll";
  /** Extra scripts, served by this package (the CSP allows no other). */
  scripts?: string[];
  /** Whether a sign-out button belongs in the header. */
  signedIn?: boolean;
}

/** The page shell: one stylesheet, deferred scripts from /dashboard/assets, no inline script. */
export function page(options: PageOptions): string {
  const nav = NAV.map(
    ([section, label, href]) => html`<a href="${href}"${section === options.section ? html` aria-current="page"` : ""}>${label}</a>`,
  );
  const scripts = ["dashboard.js", ...(options.scripts ?? [])].map((s) => html`<script src="${BASE}/assets/${s}" defer></script>`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Sparky</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${BASE}/assets/uPlot.min.css">
<link rel="stylesheet" href="${BASE}/assets/dashboard.css">
${scripts}
</head>
<body${options.live ? html` data-live="${options.live}"` : ""}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<span class="brand">Sparky</span>
<nav aria-label="Sections">${nav}</nav>
${options.signedIn ? html`<form method="post" action="${BASE}/sign-out" class="sign-out"><button type="submit">Sign out</button></form>` : ""}
</header>
<main id="main">
${options.body}
</main>
</body>
</html>
`.text;
}

/** A page that says what went wrong and what to do, in the shell. */
export function messagePage(title: string, section: Section, message: string): string {
  return page({ title, section, body: html`<h1>${title}</h1><p class="notice">${message}</p>` });
}

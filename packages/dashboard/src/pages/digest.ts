import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PERIODS } from "@sparky/messages";
import type { Period } from "@sparky/messages";
import type { DashboardContext } from "../context.js";
import { html } from "../html.js";
import { BASE, page } from "../layout.js";
import { renderMarkdown } from "../render-markdown.js";
import { digestHref } from "./overview.js";

const KEY = /^\d{4}-(\d{2}-\d{2}|W\d{2}|\d{2})$/;

/** Where the digest lives in the docs repository, from `[publisher] docs_web_url`, or null. */
function docsLink(ctx: DashboardContext, path: string): string | null {
  const { docsWebUrl, docsSubdir } = ctx.options;
  if (!docsWebUrl) return null;
  return docsWebUrl.replace("{path}", docsSubdir ? `${docsSubdir}/${path}` : path);
}

/** One digest rendered as GitHub renders it, with its previous and next of the same period. */
export async function digestPage(ctx: DashboardContext, period: string, key: string): Promise<string | null> {
  if (!(PERIODS as readonly string[]).includes(period) || !KEY.test(key)) return null;
  const index = await ctx.index.read();
  const same = index.digests.filter((d) => d.period === (period as Period));
  const at = same.findIndex((d) => d.key === key);
  // The key was checked above: only a digest's own file name reaches the file system.
  const path = `${period}/${key}.md`;
  const text = await readFile(join(ctx.options.outputDir, period, `${key}.md`), "utf8").catch(() => null);
  if (text === null) return null;
  const previous = at > 0 ? same[at - 1] : undefined;
  const next = at >= 0 && at < same.length - 1 ? same[at + 1] : undefined;
  const link = docsLink(ctx, path);
  const body = html`<nav aria-label="Digest" class="pager">
${previous ? html`<a rel="prev" href="${digestHref(previous)}">← ${previous.key}</a>` : html`<span></span>`}
<a href="${BASE}/digests?period=${period}">All ${period} digests</a>
${link ? html`<a href="${link}">In the docs repository</a>` : ""}
${next ? html`<a rel="next" href="${digestHref(next)}">${next.key} →</a>` : html`<span></span>`}
</nav>
<article class="markdown-body">${renderMarkdown(text, path)}</article>`;
  const title = same[at]?.title ?? `${period} ${key}`;
  return page({ title, section: "digests", body, scripts: ["mermaid.min.js", "digest.js"], signedIn: ctx.signInRequired });
}

import { MESSAGE_OVERHEAD_TOKENS, estimateTokens } from "@sparky/llm";
import type { LlmSession } from "@sparky/llm";
import type { Logger } from "@sparky/harness";
import { SparkyError, byText } from "@sparky/messages";
import type { Theme } from "@sparky/messages";
import { mergeThemes } from "./merge-themes.js";
import { planChunks } from "./plan-chunks.js";
import type { ChunkBudget } from "./plan-chunks.js";
import { themeChunk } from "./theme-chunk.js";
import { refinedThemes } from "./refined-themes.js";
import { subjectSignals } from "./subject-signals.js";
import { MAP_SYSTEM, MAX_THEMES, REDUCE_SYSTEM, groupLine, itemLine, promptMessages } from "./theme-prompts.js";
import type { ThemeItem } from "./theme-item.js";
import type { Dropped } from "./validate-themes.js";

// An answer: per theme a title and a summary (about 60 tokens of JSON), per entry its number.
const TOKENS_PER_THEME = 70;
const TOKENS_PER_ENTRY = 4;
// Room for the repair turn askJson may add (about 40 tokens) and the estimate's slack.
const MARGIN_TOKENS = 96;

export type ThemesOutcome = { ok: true; themes: Theme[] } | { ok: false; reason: string };

export interface LlmThemesOptions {
  numCtx: number;
  log: Logger;
}

const answerTokens = (n: number) => Math.min(MAX_THEMES, n) * TOKENS_PER_THEME + n * TOKENS_PER_ENTRY + 32;

function budgetFor(system: string, numCtx: number): ChunkBudget {
  const fixed = promptMessages(system, []).reduce((n, m) => n + estimateTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, 0);
  return { numCtx, fixedTokens: fixed + MARGIN_TOKENS, answerTokens };
}

/**
 * The items in the order the model sees them: group after group as `starting` lists them
 * (largest first); within a group, items of one kind of work (`fix:`, "Add ...") side by
 * side, the kinds most common in the period first, then by repository. Work of a kind is
 * next to its like, and a model that stops after a few themes, as the prompt allows, has
 * met the largest kinds first. Also each item's group title by id, and the items that open
 * a group, whose prompt line comes after the group's line.
 */
function groupedOrder(items: ThemeItem[], starting: Theme[]) {
  const groupOf = new Map<string, string>();
  const rank = new Map<string, number>();
  starting.forEach((theme, g) => theme.itemIds.forEach((id) => (groupOf.set(id, theme.title), rank.set(id, g))));
  const at = (item: ThemeItem) => rank.get(item.id) ?? starting.length;
  const kind = new Map(items.map((item) => [item.id, subjectSignals(item.title).type ?? ""] as const));
  const often = new Map<string, number>();
  for (const k of kind.values()) if (k !== "") often.set(k, (often.get(k) ?? 0) + 1);
  const kindOf = (item: ThemeItem) => kind.get(item.id)!;
  const ordered = [...items].sort(
    (a, b) =>
      at(a) - at(b) ||
      (often.get(kindOf(b)) ?? 0) - (often.get(kindOf(a)) ?? 0) ||
      byText(kindOf(a), kindOf(b)) ||
      byText(a.repository, b.repository),
  );
  const opening = new Set(ordered.filter((item, i) => i === 0 || at(ordered[i - 1]!) !== at(item)).map((item) => item.id));
  return { ordered, groupOf, opening };
}

/**
 * Themes of a period by the LLM, refining the deterministic ones (`starting`): the model
 * sees the items under their groups and may rename, merge or split them; what it leaves
 * out stays in its group (see `refinedThemes`). Items are packed into prompts that fit
 * `num_ctx` (a group's items kept together), each prompt's answer validated against its
 * items; when there was more than one prompt the partial themes are merged (map-reduce),
 * so a busy month works on a small model. Any failure (Ollama away, a timeout, unusable
 * JSON twice) gives `ok: false` with the reason, and the caller keeps the deterministic themes.
 */
export async function llmThemes(items: ThemeItem[], starting: Theme[], session: LlmSession, options: LlmThemesOptions): Promise<ThemesOutcome> {
  if (items.length === 0) return { ok: false, reason: "the period has no items to group" };
  const ctx = { session, log: options.log, answerTokens, dropped: { unknownIds: 0, ambiguousIds: 0, repeatedIds: 0, emptyThemes: 0, ungroundedThemes: 0 } };
  try {
    const { ordered, groupOf, opening } = groupedOrder(items, starting);
    // Costed with `i` ids: every letter `refPrefix` may pick costs the same. A group's line
    // is costed with the item it comes before: one opening the group, or the first of a
    // chunk (n = 1), where `chunkLines` writes its group's line again.
    const lineOf = (item: ThemeItem, n: number) =>
      `${(n === 1 || opening.has(item.id)) && groupOf.has(item.id) ? `${groupLine(groupOf.get(item.id)!)}\n` : ""}${itemLine(item, `i${n}`)}`;
    const chunks = planChunks(ordered, lineOf, budgetFor(MAP_SYSTEM, options.numCtx));
    const partials: Theme[] = [];
    for (const chunk of chunks) partials.push(...(await themeChunk(chunk, groupOf, ctx)));
    const merged = chunks.length > 1 ? await mergeThemes(partials, items, budgetFor(REDUCE_SYSTEM, options.numCtx), ctx) : partials;
    if (merged.length === 0) return { ok: false, reason: `none of the model's themes held up against the items (${droppedReason(ctx.dropped)})` };
    // placed: items the model's accepted themes hold (its coverage), before the refinement
    // puts the rest back in their groups.
    const placed = new Set(merged.flatMap((theme) => theme.itemIds)).size;
    options.log.info({ items: items.length, prompts: chunks.length, themes: merged.length, placed }, "themes by the LLM");
    return { ok: true, themes: refinedThemes(merged, starting, items) };
  } catch (error) {
    if (error instanceof SparkyError) return { ok: false, reason: error.message };
    throw error;
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What validation dropped, in words: why a model's themes did not stand. */
function droppedReason(dropped: Dropped): string {
  const parts = [
    dropped.unknownIds > 0 ? `${plural(dropped.unknownIds, "id named", "ids named")} no item` : null,
    dropped.ambiguousIds > 0
      ? `${plural(dropped.ambiguousIds, "id", "ids")} could name more than one item (a bare number that is one item's position and another's #number)`
      : null,
    dropped.repeatedIds > 0 ? `${plural(dropped.repeatedIds, "id was", "ids were")} used twice` : null,
    dropped.ungroundedThemes > 0 ? `${plural(dropped.ungroundedThemes, "theme's", "themes'")} text was not grounded in its items` : null,
  ].filter((part) => part !== null);
  return parts.length > 0 ? parts.join("; ") : "the model proposed no theme";
}

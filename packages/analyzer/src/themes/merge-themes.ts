import { askJson } from "@sparky/llm";
import type { Theme } from "@sparky/messages";
import type { ChunkBudget } from "./plan-chunks.js";
import { planChunks } from "./plan-chunks.js";
import { ReduceAnswer, ReduceFormat } from "./theme-answers.js";
import { REDUCE_SYSTEM, partLine, promptMessages } from "./theme-prompts.js";
import type { ThemeItem } from "./theme-item.js";
import { refPrefix } from "./entry-refs.js";
import { tally } from "./theme-chunk.js";
import type { StepContext } from "./theme-chunk.js";
import { validateThemes } from "./validate-themes.js";

/** Rounds of merging before what is left stands: each round divides the count, so a few always suffice. */
const MAX_ROUNDS = 4;

/** One reduce call: partial themes in, merged themes out; a partial theme the model left out stays as it was. */
async function mergeBatch(batch: Theme[], items: ThemeItem[], ctx: StepContext): Promise<Theme[]> {
  const prefix = refPrefix(batch.flatMap((theme) => [theme.title, theme.summary]));
  const answer = await askJson({
    session: ctx.session,
    messages: promptMessages(REDUCE_SYSTEM, batch.map((theme, i) => partLine(theme, `${prefix}${i + 1}`))),
    format: ReduceFormat,
    answer: ReduceAnswer,
    numPredict: ctx.answerTokens(batch.length),
  });
  const byId = new Map(items.map((item) => [item.id, item]));
  const entries = new Map(
    batch.map((theme, i) => [i + 1, { items: theme.itemIds.map((id) => byId.get(id)!), text: [theme.title, theme.summary] }]),
  );
  const proposed = answer.themes.map((t) => ({ title: t.title, summary: t.summary, refs: t.parts }));
  const { themes, unclaimed, dropped } = validateThemes(proposed, entries, prefix);
  tally(ctx.dropped, dropped);
  ctx.log.debug({ partial: batch.length, merged: themes.length, kept: unclaimed.length, ...dropped }, "merged partial themes");
  return [...themes, ...unclaimed.map((ref) => batch[ref - 1]!)];
}

/**
 * The reduce step of a period too large for one prompt: merge the partial themes of every
 * chunk, in batches that fit the context, round after round until one batch holds them all.
 */
export async function mergeThemes(partials: Theme[], items: ThemeItem[], budget: ChunkBudget, ctx: StepContext): Promise<Theme[]> {
  let current = partials;
  for (let round = 1; round <= MAX_ROUNDS && current.length > 1; round++) {
    const batches = planChunks(current, (theme, n) => partLine(theme, `i${n}`), budget);
    const next: Theme[] = [];
    for (const batch of batches) next.push(...(batch.length > 1 ? await mergeBatch(batch, items, ctx) : batch));
    current = next;
    if (batches.length === 1) break;
  }
  return current;
}

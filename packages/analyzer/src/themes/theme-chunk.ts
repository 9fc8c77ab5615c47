import { askJson } from "@sparky/llm";
import type { LlmSession } from "@sparky/llm";
import type { Logger } from "@sparky/harness";
import type { Theme } from "@sparky/messages";
import { MapAnswer, MapFormat } from "./theme-answers.js";
import { MAP_SYSTEM, groupLine, itemLine, promptMessages } from "./theme-prompts.js";
import type { ThemeItem } from "./theme-item.js";
import { refPrefix } from "./entry-refs.js";
import { validateThemes } from "./validate-themes.js";
import type { Dropped } from "./validate-themes.js";

export interface StepContext {
  session: LlmSession;
  log: Logger;
  /** Tokens the answer to `n` entries may take (`num_predict`). */
  answerTokens: (n: number) => number;
  /** What validation dropped over every step so far: the reason given when nothing held up. */
  dropped: Dropped;
}

/** Add one step's drops to the run's tally. */
export function tally(total: Dropped, step: Dropped): void {
  for (const key of Object.keys(step) as (keyof Dropped)[]) total[key] += step[key];
}

/**
 * The lines of a map prompt: each item under the `group:` line of its deterministic group,
 * a group's line written again when a chunk starts in the middle of it.
 */
export function chunkLines(chunk: ThemeItem[], groupOf: ReadonlyMap<string, string>, prefix: string): string[] {
  const lines: string[] = [];
  let current: string | undefined;
  chunk.forEach((item, i) => {
    const group = groupOf.get(item.id);
    if (group !== undefined && group !== current) lines.push(groupLine(group));
    current = group;
    lines.push(itemLine(item, `${prefix}${i + 1}`));
  });
  return lines;
}

/**
 * The map step: one prompt's worth of items in, validated themes over them out. `groupOf`
 * gives each item's deterministic group title: shown to the model as its starting point,
 * and words the model may use for the items under it, as it may their titles'.
 */
export async function themeChunk(chunk: ThemeItem[], groupOf: ReadonlyMap<string, string>, ctx: StepContext): Promise<Theme[]> {
  const prefix = refPrefix(chunk.flatMap((item) => [item.title, ...item.labels, item.repository, groupOf.get(item.id) ?? ""]));
  const answer = await askJson({
    session: ctx.session,
    messages: promptMessages(MAP_SYSTEM, chunkLines(chunk, groupOf, prefix)),
    format: MapFormat,
    answer: MapAnswer,
    numPredict: ctx.answerTokens(chunk.length),
  });
  const entries = new Map(chunk.map((item, i) => [i + 1, { items: [item], text: [groupOf.get(item.id) ?? ""] }]));
  const proposed = answer.themes.map((t) => ({ title: t.title, summary: t.summary, refs: t.itemIds }));
  const { themes, unclaimed, dropped } = validateThemes(proposed, entries, prefix);
  tally(ctx.dropped, dropped);
  ctx.log.debug({ items: chunk.length, themes: themes.length, unthemed: unclaimed.length, ...dropped }, "themes of one chunk");
  return themes;
}

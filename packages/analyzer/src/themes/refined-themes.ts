import type { Theme } from "@sparky/messages";
import { groupSummary } from "./deterministic-themes.js";
import type { ThemeItem } from "./theme-item.js";

/** Most themes the model's refinement keeps, the largest: the items of the rest go back to their groups. */
export const MAX_MODEL_THEMES = 12;

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id) => b.includes(id));

/**
 * The period's themes after the model refined the deterministic ones (`starting`): the
 * model's themes, largest first (at most MAX_MODEL_THEMES), then what is left of each
 * starting group, under its own title and kind with its summary counted again. An item
 * the model left out stays in its group, so nothing falls into one big "Other", nothing
 * is lost. A model theme that is a starting group unchanged (same items, same title) keeps
 * that group's kind; any other is `llm`. Items in each theme keep the analysis's order.
 */
export function refinedThemes(modelThemes: Theme[], starting: Theme[], items: ThemeItem[]): Theme[] {
  const position = new Map(items.map((item, i) => [item.id, i]));
  const byId = new Map(items.map((item) => [item.id, item]));
  const inOrder = (ids: string[]) => [...ids].sort((a, b) => position.get(a)! - position.get(b)!);
  const kept = [...modelThemes].sort((a, b) => b.itemIds.length - a.itemIds.length).slice(0, MAX_MODEL_THEMES);
  const placed = new Set(kept.flatMap((theme) => theme.itemIds));
  const refined = kept.map((theme) => {
    const same = starting.find((group) => group.title === theme.title && sameIds(group.itemIds, theme.itemIds));
    return { title: theme.title, kind: same?.kind ?? ("llm" as const), summary: theme.summary, itemIds: inOrder(theme.itemIds) };
  });
  const left = starting
    .map((group) => ({ group, ids: group.itemIds.filter((id) => !placed.has(id)) }))
    .filter(({ ids }) => ids.length > 0)
    .map(({ group, ids }) => ({
      title: group.title,
      ...(group.kind ? { kind: group.kind } : {}),
      summary: ids.length === group.itemIds.length ? group.summary : groupSummary(ids.map((id) => byId.get(id)!)),
      itemIds: inOrder(ids),
    }));
  // Largest first; Other, however large, last, as the deterministic themes have it.
  const last = (theme: Theme) => (theme.kind === "other" ? 1 : 0);
  return [...refined, ...left].sort((a, b) => last(a) - last(b) || b.itemIds.length - a.itemIds.length);
}

// A scripted stand-in for a model that themes well, for this package's tests (excluded from the build).
import type { FakeReply, FakeRequest } from "@sparky/llm/testing";

const ITEM = /^([a-z]\d+)\. \[([^\]]+)\](?: PR| issue| merge)?(?: \{[^}]*\})? (.*)$/;
const PART = /^([a-z]\d+)\. (.*?): (.*) \((\d+) items?\)$/;

/** Groups items by repository (map prompts) and merges partial themes with the same title (reduce prompts). */
export function themingModel(request: FakeRequest): FakeReply {
  const lines = (request.messages[1]?.content ?? "").split("\n").slice(1);
  if (request.prompt.startsWith("You merge partial themes")) {
    const byTitle = new Map<string, string[]>();
    for (const line of lines) {
      const m = PART.exec(line);
      if (m) byTitle.set(m[2]!, [...(byTitle.get(m[2]!) ?? []), m[1]!]);
    }
    const themes = [...byTitle].map(([title, parts]) => ({ title, summary: `Changes to ${title.replace(/^Work in /, "")}.`, parts }));
    return { content: JSON.stringify({ themes }) };
  }
  const byRepository = new Map<string, string[]>();
  for (const line of lines) {
    const m = ITEM.exec(line);
    if (m) byRepository.set(m[2]!, [...(byRepository.get(m[2]!) ?? []), m[1]!]);
  }
  const themes = [...byRepository].map(([repository, itemIds]) => ({ title: `Work in ${repository}`, summary: `Changes to ${repository}.`, itemIds }));
  return { content: JSON.stringify({ themes }) };
}

/** The ids and repositories of the items in a map prompt, in order. */
export function promptItems(request: FakeRequest): Array<{ ref: string; repository: string; title: string }> {
  return (request.messages[1]?.content ?? "")
    .split("\n")
    .map((line) => ITEM.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({ ref: m[1]!, repository: m[2]!, title: m[3]! }));
}

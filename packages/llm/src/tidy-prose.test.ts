import { describe, expect, it } from "vitest";
import { tidyProse } from "./tidy-prose.js";

describe("tidyProse", () => {
  it.each([
    ["Sure! Here is the opening paragraph:\n\nAlice made 3 commits.", "Alice made 3 commits."],
    ["Here's the paragraph: Alice made 3 commits.", "Alice made 3 commits."],
    ["Opening paragraph:\nAlice made 3 commits.", "Alice made 3 commits."],
    ["**Alice Liddell** made *3* commits to __acme/api__.", "Alice Liddell made 3 commits to acme/api."],
    ["_Busy_ week: `res.location` was fixed.", "Busy week: res.location was fixed."],
    ['"Alice made 3 commits."', "Alice made 3 commits."],
  ])("tidies %j", (text, tidy) => {
    expect(tidyProse(text)).toBe(tidy);
  });

  it("leaves words with underscores or stars inside them, and plain text, alone", () => {
    expect(tidyProse("Renamed snake_case_name and a*b*c.")).toBe("Renamed snake_case_name and a*b*c.");
    expect(tidyProse("Compared with the previous week: 2 more commits.")).toBe("Compared with the previous week: 2 more commits.");
  });
});

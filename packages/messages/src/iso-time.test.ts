import { describe, expect, it } from "vitest";
import { IsoTime } from "./models/common.js";
import { isPlainIsoTime } from "./iso-time.js";

describe("isPlainIsoTime", () => {
  it("accepts only what zod's datetime pattern accepts", () => {
    const samples = ["", "2026-11-27T06:00:00.000Z", "2000-02-29T23:59:59.999Z", "1900-02-29T00:00:00.000Z", "2100-02-28T00:00:00.000Z",
      "0000-02-29T00:00:00.000Z", "2024-02-29T12:00:00.000Z", "2023-02-29T12:00:00.000Z", "2026-04-31T00:00:00.000Z", "2026-13-01T00:00:00.000Z",
      "2026-00-10T00:00:00.000Z", "2026-01-00T00:00:00.000Z", "2026-01-01T24:00:00.000Z", "2026-01-01T23:60:00.000Z", "2026-01-01T23:59:60.000Z",
      "2026-01-01T23:59:59.000z", "2026-01-01 23:59:59.000Z", "2026-01-01T23:59:59,000Z", "2026-01-01T23:59:59.00Z", "+26-01-01T23:59:59.000Z"];
    // Every date of four leap-rule years and every hour, minute and second, as toISOString writes them.
    for (const year of [1900, 2000, 2023, 2024]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 0; day <= 32; day++) samples.push(`${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T00:00:00.000Z`);
      }
    }
    for (let n = 0; n <= 61; n++) {
      const two = String(n).padStart(2, "0");
      samples.push(`2026-11-27T${two}:00:00.000Z`, `2026-11-27T00:${two}:00.000Z`, `2026-11-27T00:00:${two}.000Z`);
    }
    for (let ms = 0; ms < 2e12; ms += 7_777_777_777) samples.push(new Date(ms).toISOString());
    let accepted = 0;
    for (const text of samples) {
      const zod = IsoTime.safeParse(text).success;
      if (isPlainIsoTime(text)) {
        accepted++;
        expect(zod, text).toBe(true);
      } else if (text.length === 24 && text.endsWith("Z") && text[19] === ".") {
        // In its own form a refusal must be zod's too: the pattern is then asked for nothing.
        expect(zod, text).toBe(false);
      }
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});

describe("isPlainIsoTime's memory of the last time", () => {
  it("answers for the text, not for what it saw before", () => {
    expect(isPlainIsoTime("")).toBe(false);
    expect(isPlainIsoTime("2026-11-27T06:00:00.000Z")).toBe(true);
    expect(isPlainIsoTime("2026-11-27T06:00:00.000Z")).toBe(true);
    expect(isPlainIsoTime("2026-11-27T06:00:00.00Z")).toBe(false);
    expect(isPlainIsoTime("2026-11-31T06:00:00.000Z")).toBe(false);
    expect(isPlainIsoTime("")).toBe(false);
  });
});

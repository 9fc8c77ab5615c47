import { describe, expect, it } from "vitest";
import { SparkyError } from "./errors.js";
import {
  addDays,
  assertTimezone,
  daysOf,
  isoWeek,
  localDay,
  parseDate,
  periodFor,
  periodFromRunId,
  previousPeriod,
  yesterday,
} from "./period.js";

const HOUR = 3_600_000;
const hours = (w: { start: string; end: string }) => (Date.parse(w.end) - Date.parse(w.start)) / HOUR;

/** Run `fn` and return the SparkyError it throws. */
function errorOf(fn: () => unknown): SparkyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SparkyError);
    return error as SparkyError;
  }
  throw new Error("expected an error");
}

describe("periodFor in UTC", () => {
  it("gives a daily window of one UTC day", () => {
    expect(periodFor("daily", "2026-11-26")).toEqual({
      period: "daily",
      key: "2026-11-26",
      runId: "daily-2026-11-26",
      firstDay: "2026-11-26",
      lastDay: "2026-11-26",
      window: { start: "2026-11-26T00:00:00.000Z", end: "2026-11-27T00:00:00.000Z" },
      timezone: "UTC",
    });
  });

  it("gives the ISO week, Monday to Sunday, whatever day of it is asked for", () => {
    for (const day of ["2026-11-23", "2026-11-26", "2026-11-29"]) {
      const spec = periodFor("weekly", day);
      expect(spec).toMatchObject({ key: "2026-W48", runId: "weekly-2026-W48", firstDay: "2026-11-23", lastDay: "2026-11-29" });
      expect(spec.window).toEqual({ start: "2026-11-23T00:00:00.000Z", end: "2026-11-30T00:00:00.000Z" });
    }
  });

  it("gives the calendar month, including February of a leap year", () => {
    expect(periodFor("monthly", "2026-11-26")).toMatchObject({
      key: "2026-11",
      runId: "monthly-2026-11",
      firstDay: "2026-11-01",
      lastDay: "2026-11-30",
      window: { start: "2026-11-01T00:00:00.000Z", end: "2026-12-01T00:00:00.000Z" },
    });
    expect(periodFor("monthly", "2028-02-10")).toMatchObject({ firstDay: "2028-02-01", lastDay: "2028-02-29" });
    expect(periodFor("monthly", "2026-12-31").window).toEqual({
      start: "2026-12-01T00:00:00.000Z",
      end: "2027-01-01T00:00:00.000Z",
    });
  });

  it("refuses an unknown period kind", () => {
    expect(errorOf(() => periodFor("hourly" as never, "2026-11-26")).code).toBe("SPARKY_BAD_PERIOD");
  });
});

describe("UTC without Intl", () => {
  it("gives the same days and windows as Intl's UTC, from 1970 to 2200", () => {
    // "Etc/UTC" is the same zone, answered by Intl; "UTC" is answered by hand.
    let ms = 0;
    for (let i = 0; i < 5000; i++) {
      ms = (ms * 1103515245 + 12345 + i * 7_919_000_017) % 7_258_118_400_000; // up to 2200
      expect(localDay(ms, "UTC")).toBe(localDay(ms, "Etc/UTC"));
    }
    for (const date of ["2026-01-01", "2026-02-28", "2028-02-29", "2026-12-31", "1999-12-31"]) {
      for (const period of ["daily", "weekly", "monthly"] as const) {
        const { window, key } = periodFor(period, date, "UTC");
        expect({ window, key }).toEqual((({ window: w, key: k }) => ({ window: w, key: k }))(periodFor(period, date, "Etc/UTC")));
      }
    }
  });

  it("still refuses an unknown zone", () => {
    expect(() => assertTimezone("Mars/Olympus_Mons")).toThrow(/unknown time zone/);
    expect(() => assertTimezone("UTC")).not.toThrow();
  });
});

describe("periodFor in Europe/Berlin across DST", () => {
  const tz = "Europe/Berlin";

  it("starts days at local midnight: 23:00Z in winter, 22:00Z in summer", () => {
    expect(periodFor("daily", "2026-01-15", tz).window).toEqual({
      start: "2026-01-14T23:00:00.000Z",
      end: "2026-01-15T23:00:00.000Z",
    });
    expect(periodFor("daily", "2026-07-15", tz).window).toEqual({
      start: "2026-07-14T22:00:00.000Z",
      end: "2026-07-15T22:00:00.000Z",
    });
  });

  it("makes 2026-03-29 (clocks forward) a 23-hour day", () => {
    const spec = periodFor("daily", "2026-03-29", tz);
    expect(spec.window).toEqual({ start: "2026-03-28T23:00:00.000Z", end: "2026-03-29T22:00:00.000Z" });
    expect(hours(spec.window)).toBe(23);
    expect(spec.timezone).toBe(tz);
  });

  it("makes 2026-10-25 (clocks back) a 25-hour day", () => {
    const spec = periodFor("daily", "2026-10-25", tz);
    expect(spec.window).toEqual({ start: "2026-10-24T22:00:00.000Z", end: "2026-10-25T23:00:00.000Z" });
    expect(hours(spec.window)).toBe(25);
  });

  it("gives the weeks and months that contain a change their true length", () => {
    expect(hours(periodFor("weekly", "2026-03-29", tz).window)).toBe(7 * 24 - 1);
    expect(hours(periodFor("weekly", "2026-10-25", tz).window)).toBe(7 * 24 + 1);
    expect(periodFor("monthly", "2026-03-10", tz).window).toEqual({
      start: "2026-02-28T23:00:00.000Z",
      end: "2026-03-31T22:00:00.000Z",
    });
    expect(hours(periodFor("monthly", "2026-10-10", tz).window)).toBe(31 * 24 + 1);
  });

  it("makes consecutive days adjoin with no gap and no overlap", () => {
    let day = "2026-03-27";
    for (let i = 0; i < 5; i++) {
      const next = addDays(day, 1);
      expect(periodFor("daily", day, tz).window.end).toBe(periodFor("daily", next, tz).window.start);
      day = next;
    }
  });

  it("starts a day whose midnight is skipped (DST at 00:00) at the jump, not an hour early", () => {
    // America/Santiago: 2026-09-06 00:00 -04 becomes 01:00 -03, at 04:00Z.
    expect(periodFor("daily", "2026-09-05", "America/Santiago").window).toEqual({
      start: "2026-09-05T04:00:00.000Z",
      end: "2026-09-06T04:00:00.000Z",
    });
    expect(hours(periodFor("daily", "2026-09-06", "America/Santiago").window)).toBe(23);
    // America/Havana: 2026-03-08 00:00 -05 becomes 01:00 -04, at 05:00Z.
    expect(periodFor("daily", "2026-03-08", "America/Havana").window.start).toBe("2026-03-08T05:00:00.000Z");
    // Asia/Beirut, ahead of UTC, same rule: 2026-03-29 00:00 +02 becomes 01:00 +03.
    expect(periodFor("daily", "2026-03-29", "Asia/Beirut").window.start).toBe("2026-03-28T22:00:00.000Z");
  });

  it("covers the whole day in a zone ahead of UTC by more than 12 hours", () => {
    const spec = periodFor("daily", "2026-11-26", "Pacific/Kiritimati"); // UTC+14
    expect(spec.window).toEqual({ start: "2026-11-25T10:00:00.000Z", end: "2026-11-26T10:00:00.000Z" });
  });
});

describe("ISO week keys at year boundaries", () => {
  it.each([
    ["2026-12-31", "2026-W53", "2026-12-28", "2027-01-03"],
    ["2027-01-01", "2026-W53", "2026-12-28", "2027-01-03"],
    ["2027-01-03", "2026-W53", "2026-12-28", "2027-01-03"],
    ["2027-01-04", "2027-W01", "2027-01-04", "2027-01-10"],
    ["2024-12-30", "2025-W01", "2024-12-30", "2025-01-05"],
    ["2026-01-01", "2026-W01", "2025-12-29", "2026-01-04"],
  ])("%s is in %s", (date, key, firstDay, lastDay) => {
    expect(periodFor("weekly", date)).toMatchObject({ key, runId: `weekly-${key}`, firstDay, lastDay });
  });

  it("isoWeek agrees", () => {
    expect(isoWeek(2026, 12, 31)).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(2024, 12, 30)).toEqual({ year: 2025, week: 1 });
  });
});

describe("periodFromRunId", () => {
  it.each([
    ["daily", "2026-11-26"],
    ["daily", "2028-02-29"],
    ["weekly", "2026-11-26"],
    ["weekly", "2027-01-01"],
    ["weekly", "2024-12-30"],
    ["monthly", "2026-11-26"],
    ["monthly", "2026-12-31"],
  ] as const)("round-trips the %s period of %s", (period, date) => {
    for (const tz of ["UTC", "Europe/Berlin"]) {
      const spec = periodFor(period, date, tz);
      expect(periodFromRunId(spec.runId, tz)).toEqual(spec);
    }
  });

  const BAD_RUN_IDS = ["", "daily", "yearly-2026", "daily-2026-1-5", "daily-../../etc"];
  const WRONG_KEYS = ["weekly-2026-11-26", "weekly-2025-W53", "weekly-2026-W00", "weekly-2026-W54", "monthly-2026-11-01"];
  it.each([...BAD_RUN_IDS, ...WRONG_KEYS])("rejects %j", (runId) => {
    const error = errorOf(() => periodFromRunId(runId));
    expect(["SPARKY_BAD_RUN_ID", "SPARKY_BAD_DATE"]).toContain(error.code);
    expect(error.message).toMatch(/invalid (run id|date)/);
  });

  it("names the run id and the expected form for a well-formed but wrong key", () => {
    const error = errorOf(() => periodFromRunId("weekly-2026-11-26"));
    expect(error.code).toBe("SPARKY_BAD_RUN_ID");
    expect(error.message).toContain('"weekly-2026-11-26"');
    expect(error.message).toContain("weekly-2026-W48");
  });

  it("rejects a day that does not exist", () => {
    expect(errorOf(() => periodFromRunId("daily-2026-02-30")).code).toBe("SPARKY_BAD_DATE");
    expect(errorOf(() => periodFromRunId("monthly-2026-13")).code).toBe("SPARKY_BAD_DATE");
  });
});

describe("previousPeriod and daysOf", () => {
  it("steps back one day, week or month, across year ends", () => {
    expect(previousPeriod(periodFor("daily", "2026-03-01")).key).toBe("2026-02-28");
    expect(previousPeriod(periodFor("weekly", "2026-01-01")).key).toBe("2025-W52");
    expect(previousPeriod(periodFor("weekly", "2027-01-04")).key).toBe("2026-W53");
    expect(previousPeriod(periodFor("monthly", "2026-01-15")).key).toBe("2025-12");
  });

  it("keeps the time zone and makes the previous window end where this one starts", () => {
    const spec = periodFor("daily", "2026-03-30", "Europe/Berlin");
    const previous = previousPeriod(spec);
    expect(previous.timezone).toBe("Europe/Berlin");
    expect(previous.window.end).toBe(spec.window.start);
    expect(hours(previous.window)).toBe(23);
  });

  it("lists every calendar day of the period in order", () => {
    expect(daysOf(periodFor("daily", "2026-11-26"))).toEqual(["2026-11-26"]);
    expect(daysOf(periodFor("weekly", "2027-01-01"))).toEqual([
      "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03",
    ]);
    const feb = daysOf(periodFor("monthly", "2028-02-01"));
    expect(feb).toHaveLength(29);
    expect([feb[0], feb.at(-1)]).toEqual(["2028-02-01", "2028-02-29"]);
    expect(daysOf(periodFor("monthly", "2026-10-01", "Europe/Berlin"))).toHaveLength(31);
  });
});

describe("dates and time zones", () => {
  it("adds days across month, year and leap-day boundaries", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
    expect(addDays("2026-11-26", 0)).toBe("2026-11-26");
  });

  it("gives yesterday in the zone, not in UTC", () => {
    // 23:30 UTC on the 26th is already the 27th in Berlin and Tokyo.
    const now = new Date("2026-11-26T23:30:00Z");
    expect(yesterday(now, "UTC")).toBe("2026-11-25");
    expect(yesterday(now, "Europe/Berlin")).toBe("2026-11-26");
    expect(yesterday(now, "Asia/Tokyo")).toBe("2026-11-26");
    expect(yesterday(new Date("2027-01-01T00:30:00+01:00"), "Europe/Berlin")).toBe("2026-12-31");
  });

  it("gives the local calendar day of an instant", () => {
    expect(localDay(Date.parse("2026-10-24T22:30:00Z"), "Europe/Berlin")).toBe("2026-10-25");
    expect(localDay(Date.parse("2026-10-24T22:30:00Z"), "UTC")).toBe("2026-10-24");
  });

  it("parses real dates", () => {
    expect(parseDate("2028-02-29")).toEqual({ y: 2028, m: 2, d: 29 });
  });

  it.each([
    ["2026-02-30", /no such day/],
    ["2026-13-01", /no such day/],
    ["2027-02-29", /no such day/],
    ["yesterday", /use YYYY-MM-DD/],
    ["2026-1-5", /use YYYY-MM-DD/],
    ["2026-11-26T00:00", /use YYYY-MM-DD/],
  ])("rejects %j with SPARKY_BAD_DATE", (text, reason) => {
    const error = errorOf(() => parseDate(text));
    expect(error.code).toBe("SPARKY_BAD_DATE");
    expect(error.message).toContain(`"${text}"`);
    expect(error.message).toMatch(reason);
    expect(errorOf(() => periodFor("daily", text)).code).toBe("SPARKY_BAD_DATE");
  });

  it("rejects an unknown time zone with a message that names it", () => {
    const error = errorOf(() => periodFor("daily", "2026-11-26", "Europe/Atlantis"));
    expect(error.code).toBe("SPARKY_BAD_TIMEZONE");
    expect(error.message).toContain('"Europe/Atlantis"');
    expect(error.message).toContain("IANA");
    expect(() => assertTimezone("Europe/Berlin")).not.toThrow();
    expect(errorOf(() => periodFromRunId("daily-2026-11-26", "Mars/Olympus")).code).toBe("SPARKY_BAD_TIMEZONE");
  });
});

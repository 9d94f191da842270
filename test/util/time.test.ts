import { describe, expect, it } from "vitest";
import { calendarDaysUntil, wholeDaysUntil } from "../../src/util/time.js";
import { NOW, daysAfterNow } from "../rules/fixtures.js";

describe("day counts", () => {
  it("counts whole days to an instant, negative once it has passed", () => {
    expect(wholeDaysUntil(daysAfterNow(14), NOW)).toBe(14);
    expect(wholeDaysUntil(daysAfterNow(14, 86_399_999), NOW)).toBe(14);
    expect(wholeDaysUntil(daysAfterNow(0), NOW)).toBe(0);
    expect(wholeDaysUntil(daysAfterNow(0, -1), NOW)).toBe(-1);
    expect(wholeDaysUntil("not a date", NOW)).toBeUndefined();
  });

  it("counts UTC calendar days to a date, whatever the hour", () => {
    expect(calendarDaysUntil("2027-03-31", new Date("2026-10-02T00:00:00Z"))).toBe(180);
    expect(calendarDaysUntil("2027-03-31", new Date("2026-10-02T23:59:59Z"))).toBe(180);
    expect(calendarDaysUntil("2027-03-31", new Date("2026-10-01T23:59:59Z"))).toBe(181);
    expect(calendarDaysUntil("2027-03-31", new Date("2027-03-31T12:00:00Z"))).toBe(0);
    expect(calendarDaysUntil("2027-03-31", new Date("2027-04-01T00:00:00Z"))).toBe(-1);
  });
});

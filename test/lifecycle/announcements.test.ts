import { describe, expect, it } from "vitest";
import { announcedMark, announcementOf, type AnnouncementCandidate } from "../../src/lifecycle/announcements.js";

/** A finding seen by scan s2, never announced, unless told otherwise. */
function candidate(extra: Partial<AnnouncementCandidate> = {}): AnnouncementCandidate {
  return { state: "open", severity: "high", lastScanId: "s2", announced: {}, ...extra };
}

describe("what a digest announces of a finding", () => {
  it("new: open, seen by this scan, at or above the minimum, never announced open", () => {
    expect(announcementOf(candidate(), "s2", "high")).toBe("new");
    expect(announcementOf(candidate({ severity: "medium" }), "s2", "high")).toBeUndefined();
    expect(announcementOf(candidate({ lastScanId: "s1" }), "s2", "high")).toBeUndefined();
  });

  it("new again when it was announced resolved and is back", () => {
    expect(announcementOf(candidate({ announced: { state: "resolved", severity: "high", scanId: "s1", as: "resolved" } }), "s2", "high")).toBe("new");
  });

  it("escalated: announced open before, more severe now; nothing when as severe or milder", () => {
    const announced = { state: "open" as const, severity: "high" as const, scanId: "s1", as: "new" as const };
    expect(announcementOf(candidate({ severity: "critical", announced }), "s2", "high")).toBe("escalated");
    expect(announcementOf(candidate({ severity: "high", announced }), "s2", "high")).toBeUndefined();
    expect(announcementOf(candidate({ severity: "high", announced: { ...announced, severity: "critical" } }), "s2", "high")).toBeUndefined();
  });

  it("resolved: resolved, announced open at a severity at or above the minimum", () => {
    const resolved = candidate({ state: "resolved", severity: "low", lastScanId: "s1" });
    expect(announcementOf({ ...resolved, announced: { state: "open", severity: "high" } }, "s2", "high")).toBe("resolved");
    expect(announcementOf({ ...resolved, announced: { state: "open", severity: "medium" } }, "s2", "high")).toBeUndefined();
    expect(announcementOf(resolved, "s2", "high")).toBeUndefined();
  });

  it("never a suppressed finding", () => {
    expect(announcementOf(candidate({ state: "suppressed" }), "s2", "info")).toBeUndefined();
  });

  it("what this scan already announced, again as it was (a re-run close rebuilds the same digest)", () => {
    expect(announcementOf(candidate({ severity: "critical", announced: { state: "open", severity: "critical", scanId: "s2", as: "escalated" } }), "s2", "high")).toBe("escalated");
    expect(announcementOf(candidate({ announced: { state: "open", severity: "high", scanId: "s2", as: "new" } }), "s2", "high")).toBe("new");
  });

  it("records open at the announced severity, or resolved (keeping the severity announced open)", () => {
    expect(announcedMark("new", "high", "s2")).toEqual({ scanId: "s2", as: "new", state: "open", severity: "high" });
    expect(announcedMark("escalated", "critical", "s2")).toEqual({ scanId: "s2", as: "escalated", state: "open", severity: "critical" });
    expect(announcedMark("resolved", "low", "s3")).toEqual({ scanId: "s3", as: "resolved", state: "resolved" });
  });

  it("once marked, the next scan announces it no more", () => {
    const announced = announcedMark("new", "high", "s2");
    expect(announcementOf(candidate({ lastScanId: "s3", announced }), "s3", "high")).toBeUndefined();
  });
});

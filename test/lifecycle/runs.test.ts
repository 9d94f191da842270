import { describe, expect, it } from "vitest";
import {
  closerLeaseEnded,
  closingUnderLiveLease,
  completeSubscriptionIds,
  countByStatus,
  finalRunStatus,
  isTerminal,
  mayClaim,
  staleRunStep,
} from "../../src/lifecycle/runs.js";

const NOW = new Date("2025-01-01T03:00:00.000Z");
const MINUTE = 60_000;
const at = (minutesFromNow: number) => new Date(NOW.getTime() + minutesFromNow * MINUTE).toISOString();

describe("claiming a subscription", () => {
  it("pending, or running under a lease that ran out; not one running under a live lease, nor a finished one", () => {
    expect(mayClaim({ status: "pending" }, NOW)).toBe(true);
    expect(mayClaim({ status: "running", leaseUntil: at(-1) }, NOW)).toBe(true);
    expect(mayClaim({ status: "running" }, NOW)).toBe(true);
    expect(mayClaim({ status: "running", leaseUntil: at(5) }, NOW)).toBe(false);
    for (const status of ["complete", "partial", "failed", "skipped"] as const) {
      expect(mayClaim({ status }, NOW)).toBe(false);
      expect(isTerminal(status)).toBe(true);
    }
    expect(isTerminal("pending") || isTerminal("running")).toBe(false);
  });
});

describe("closing a run", () => {
  it("partial when a subscription was partial or failed, or when there was none", () => {
    expect(finalRunStatus([{ status: "complete" }, { status: "skipped" }])).toBe("complete");
    expect(finalRunStatus([{ status: "complete" }, { status: "failed" }])).toBe("partial");
    expect(finalRunStatus([{ status: "partial" }])).toBe("partial");
    expect(finalRunStatus([])).toBe("partial");
  });

  it("a closer's lease: live until it runs out, then another caller may take the close over", () => {
    const closing = { status: "closing" as const, closingAt: at(-10) };
    expect(closingUnderLiveLease(closing, NOW, 15 * MINUTE)).toBe(true);
    expect(closingUnderLiveLease(closing, NOW, 5 * MINUTE)).toBe(false);
    expect(closingUnderLiveLease(undefined, NOW, 5 * MINUTE)).toBe(false);
    expect(closerLeaseEnded(closing, new Date(NOW.getTime() - 5 * MINUTE))).toBe(true);
    expect(closerLeaseEnded(closing, new Date(NOW.getTime() - 15 * MINUTE))).toBe(false);
    expect(closerLeaseEnded({ status: "running", closingAt: at(-10) }, NOW)).toBe(false);
  });

  it("a stale run: running since before the cutoff fails its stragglers; closing under an ended lease is taken over; others are left", () => {
    const olderThan = new Date(NOW.getTime() - 60 * MINUTE);
    expect(staleRunStep({ status: "running", startedAt: at(-90) }, olderThan, olderThan)).toBe("failStragglers");
    expect(staleRunStep({ status: "running", startedAt: at(-30) }, olderThan, olderThan)).toBeUndefined();
    expect(staleRunStep({ status: "closing", startedAt: at(-90), closingAt: at(-70) }, olderThan, olderThan)).toBe("takeOverClose");
    expect(staleRunStep({ status: "closing", startedAt: at(-90), closingAt: at(-10) }, olderThan, olderThan)).toBeUndefined();
    expect(staleRunStep({ status: "complete", startedAt: at(-90) }, olderThan, olderThan)).toBeUndefined();
  });
});

describe("a run's subscriptions", () => {
  const subscriptions = [
    { subscriptionId: "AAAA", status: "complete" as const },
    { subscriptionId: "bbbb", status: "partial" as const },
    { subscriptionId: "cccc", status: "complete" as const },
    { subscriptionId: "dddd", status: "pending" as const },
  ];
  it("the complete ones, lower-cased: the set resolution takes", () => {
    expect(completeSubscriptionIds({ subscriptions })).toEqual(new Set(["aaaa", "cccc"]));
  });
  it("counts by status, every status present", () => {
    expect(countByStatus(subscriptions)).toEqual({ pending: 1, running: 0, complete: 2, partial: 1, failed: 0, skipped: 0 });
  });
});

import { describe, expect, it } from "vitest";
import type { FindingLifecycle } from "../../src/lifecycle/record.js";
import { HUB, OTHER, SPOKE, T1, T2, T3 } from "./fixtures.js";
import { mayResolve, resolutionRun, resolveFinding, subscriptionsToRead, type ResolutionCandidate } from "../../src/lifecycle/resolution.js";

/** A finding of SPOKE last seen by scan s1 at T1, depending on SPOKE alone unless told otherwise. */
function candidate(extra: Partial<ResolutionCandidate> = {}): ResolutionCandidate {
  return { id: "f1", subscriptionId: SPOKE, state: "open", lastScanId: "s1", lastSeen: T1, dependencies: [SPOKE], ...extra };
}

describe("which findings a run may resolve", () => {
  const run = resolutionRun("s2", [SPOKE.toUpperCase(), HUB]);

  it("an open or suppressed finding this run did not see, whose every dependency was complete (IDs in any case)", () => {
    expect(run.complete).toEqual(new Set([SPOKE, HUB]));
    expect(mayResolve(candidate(), run)).toBe(true);
    expect(mayResolve(candidate({ state: "suppressed" }), run)).toBe(true);
    expect(mayResolve(candidate({ dependencies: [HUB, SPOKE] }), run)).toBe(true);
  });

  it("not one already resolved, nor one this run saw", () => {
    expect(mayResolve(candidate({ state: "resolved" }), run)).toBe(false);
    expect(mayResolve(candidate({ lastScanId: "s2" }), run)).toBe(false);
  });

  it("a partial or failed scan of any dependency resolves nothing: the spoke's, the hub holding the zones, another spoke that saw it", () => {
    expect(mayResolve(candidate(), resolutionRun("s2", [OTHER]))).toBe(false);
    expect(mayResolve(candidate({ dependencies: [SPOKE, HUB] }), resolutionRun("s2", [SPOKE]))).toBe(false);
    expect(mayResolve(candidate({ subscriptionId: HUB, dependencies: [SPOKE, HUB, OTHER] }), resolutionRun("s2", [SPOKE, HUB]))).toBe(false);
    expect(mayResolve(candidate({ subscriptionId: HUB, dependencies: [SPOKE, HUB, OTHER] }), resolutionRun("s2", [SPOKE, HUB, OTHER]))).toBe(true);
  });

  it("a finding with no recorded dependency never resolves", () => {
    expect(mayResolve(candidate({ dependencies: [] }), run)).toBe(false);
  });

  it("not one seen since the run started (by an overlapping run)", () => {
    const started = resolutionRun("s2", [SPOKE], { runStartedAt: T2 });
    expect(mayResolve(candidate({ lastScanId: "h3", lastSeen: T3 }), started)).toBe(false);
    expect(mayResolve(candidate({ lastSeen: T1 }), started)).toBe(true);
  });

  it("not one this run could not decide (its app settings were unreadable)", () => {
    expect(mayResolve(candidate(), resolutionRun("s2", [SPOKE], { undecided: new Set(["f1"]) }))).toBe(false);
  });

  describe("outside the allow-list", () => {
    const hubFinding = candidate({ subscriptionId: HUB, dependencies: [SPOKE, HUB] });

    it("the finding's own subscription outside the scope is not required when its producer was complete", () => {
      expect(mayResolve(hubFinding, resolutionRun("s2", [SPOKE], { scope: [SPOKE.toUpperCase()] }))).toBe(true);
      expect(mayResolve(hubFinding, resolutionRun("s2", [SPOKE]))).toBe(false);
    });

    it("still needs one dependency complete: dropping a subscription from the allow-list resolves none of its own findings", () => {
      expect(mayResolve(candidate({ subscriptionId: HUB, dependencies: [HUB] }), resolutionRun("s3", [SPOKE], { scope: [SPOKE] }))).toBe(false);
      expect(mayResolve(hubFinding, resolutionRun("s2", [OTHER], { scope: [SPOKE, OTHER] }))).toBe(false);
    });

    it("another subscription outside the scope (zones never read) keeps the finding open", () => {
      expect(mayResolve(candidate({ dependencies: [SPOKE, HUB] }), resolutionRun("s2", [SPOKE], { scope: [SPOKE] }))).toBe(false);
    });

    it("reads the complete subscriptions' findings, and those written outside the scope by their scans", () => {
      expect(subscriptionsToRead(resolutionRun("s2", [SPOKE], { scope: [SPOKE, OTHER] }), [HUB, OTHER]).sort()).toEqual([SPOKE, HUB]);
      expect(subscriptionsToRead(resolutionRun("s2", [SPOKE, OTHER]), [HUB])).toEqual([SPOKE, OTHER]);
    });
  });
});

describe("resolving a finding", () => {
  it("records when and by which scan, at its severity, without changing what it was given", () => {
    const open: FindingLifecycle = Object.freeze({
      severity: "high",
      state: "open",
      firstSeen: T1,
      lastSeen: T1,
      lastScanId: "s1",
      severityHistory: Object.freeze([{ severity: "high", at: T1, scanId: "s1", event: "opened" }]) as FindingLifecycle["severityHistory"],
      dependencies: [SPOKE],
    });
    expect(resolveFinding(open, "s2", T2)).toEqual({
      ...open,
      state: "resolved",
      resolvedAt: T2,
      resolvedScanId: "s2",
      severityHistory: [
        { severity: "high", at: T1, scanId: "s1", event: "opened" },
        { severity: "high", at: T2, scanId: "s2", event: "resolved" },
      ],
    });
    expect(open.severityHistory).toHaveLength(1);
  });
});

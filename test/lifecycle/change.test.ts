import { describe, expect, it } from "vitest";
import { changeFromHistory, diffAgainstBaseline, type HistoryEntry } from "../../src/lifecycle/change.js";
import type { Finding } from "../../src/model/finding.js";
import { findingOn } from "./fixtures.js";
import type { Severity } from "../../src/model/severity.js";

const SPOKE = "aaaaaaaa-0000-4000-8000-00000000000a";
const HUB = "bbbbbbbb-0000-4000-8000-00000000000b";

function finding(name: string, severity: Severity, extra: Partial<Finding> = {}): Finding {
  const site = `/subscriptions/${extra.subscriptionId ?? SPOKE}/resourceGroups/rg/providers/Microsoft.Web/sites/${name}`;
  return findingOn("https-only-disabled", site, severity, { subscriptionId: SPOKE, ...extra });
}

describe("changeFromHistory (stored severity history)", () => {
  const opened: HistoryEntry = { severity: "medium", scanId: "s1", event: "opened" };
  it("is new when this scan opened or reopened the finding", () => {
    expect(changeFromHistory([opened], "s1")).toBe("new");
    expect(changeFromHistory([opened, { severity: "medium", scanId: "s2", event: "resolved" }, { severity: "medium", scanId: "s3", event: "reopened" }], "s3")).toBe("new");
  });
  it("is escalated when this scan raised the severity, unchanged when it lowered it or left it", () => {
    expect(changeFromHistory([opened, { severity: "high", scanId: "s2" }], "s2")).toBe("escalated");
    expect(changeFromHistory([opened, { severity: "low", scanId: "s2" }], "s2")).toBe("unchanged");
    expect(changeFromHistory([opened], "s2")).toBe("unchanged");
  });
});

describe("diffAgainstBaseline (scan --baseline)", () => {
  const baseline = {
    startedAt: "2026-11-01T02:00:00.000Z",
    findings: [
      finding("app-same", "medium", { firstSeen: "2026-10-01T02:00:00.000Z" }),
      finding("app-worse", "medium"),
      finding("app-better", "high"),
      finding("app-fixed", "medium"),
      finding("app-unreadable", "medium", { subscriptionId: HUB, resourceId: `/subscriptions/${HUB}/resourceGroups/rg/providers/Microsoft.Web/sites/app-unreadable` }),
      finding("app-dns", "high", { evidence: { dependsOnSubscriptions: [HUB] } }),
    ],
  };
  const current = {
    startedAt: "2026-11-02T02:00:00.000Z",
    subscriptions: [
      { subscriptionId: SPOKE, status: "complete" as const },
      { subscriptionId: HUB, status: "partial" as const },
    ],
    findings: [finding("app-same", "medium"), finding("app-worse", "high"), finding("app-better", "medium"), finding("app-new", "low")],
  };
  const diff = diffAgainstBaseline(current, baseline);
  const changeOf = (name: string) => diff.findings.find((f) => f.resourceId.endsWith(`/${name}`))?.change;

  it("marks every current finding new, escalated or unchanged", () => {
    expect(["app-same", "app-worse", "app-better", "app-new"].map(changeOf)).toEqual(["unchanged", "escalated", "unchanged", "new"]);
  });

  it("carries first-seen from the baseline (its own, else the baseline's start), new ones from this scan", () => {
    const firstSeen = Object.fromEntries(diff.findings.map((f) => [f.resourceId.split("/").pop(), f.firstSeen]));
    expect(firstSeen).toEqual({
      "app-same": "2026-10-01T02:00:00.000Z",
      "app-worse": "2026-11-01T02:00:00.000Z",
      "app-better": "2026-11-01T02:00:00.000Z",
      "app-new": "2026-11-02T02:00:00.000Z",
    });
  });

  it("resolves only what every dependency scanned completely: not the partial hub's, nor a DNS finding that needs the hub", () => {
    expect(diff.resolved.map((f) => f.resourceId.split("/").pop())).toEqual(["app-fixed"]);
  });
});

describe("diffAgainstBaseline with dependsOn a field of its own", () => {
  const baseline = { startedAt: "2026-11-01T02:00:00.000Z", findings: [finding("app-dns", "high", { dependsOn: [HUB] }), finding("app-gone", "low")] };
  const current = (hub: "complete" | "partial") => ({
    startedAt: "2026-11-02T02:00:00.000Z",
    subscriptions: [
      { subscriptionId: SPOKE, status: "complete" as const },
      { subscriptionId: HUB.toUpperCase(), status: hub },
    ],
    findings: [],
  });

  it("a DNS finding resolves only once the hub it depends on was scanned completely too", () => {
    expect(diffAgainstBaseline(current("partial"), baseline).resolved.map((f) => f.resourceId.split("/").pop())).toEqual(["app-gone"]);
    expect(diffAgainstBaseline(current("complete"), baseline).resolved.map((f) => f.resourceId.split("/").pop())).toEqual(["app-dns", "app-gone"]);
  });
});

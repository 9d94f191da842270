import { describe, expect, it } from "vitest";
import { partInRun, toFinding, type StoredFinding } from "../../src/lifecycle/record.js";

const stored: StoredFinding = {
  id: "f1",
  ruleId: "linux-private-dns-without-route-all",
  severity: "high",
  title: "Linux app resolves private zones without Route All",
  resourceId: "/subscriptions/aaaa/resourceGroups/rg/providers/Microsoft.Web/sites/app",
  subscriptionId: "aaaa",
  dependsOn: ["bbbb"],
  message: "app resolves privatelink zones publicly.",
  remediation: "Turn on Route All.",
  evidence: { subnetId: "/subscriptions/aaaa/…/subnets/snet" },
  references: [],
  suppressed: null,
  owner: "apps@contoso.com",
  fix: null,
  change: "new",
  firstSeen: "2025-01-01T02:00:00.000Z",
  state: "open",
  lastSeen: "2025-01-02T02:00:00.000Z",
  resolvedAt: null,
  severityHistory: [{ severity: "high", at: "2025-01-01T02:00:00.000Z", scanId: "s1", event: "opened" }],
};

describe("a stored finding", () => {
  it("as the scan result's finding shape: the lifecycle fields dropped, dependsOn kept", () => {
    const { state: _s, lastSeen: _l, resolvedAt: _r, severityHistory: _h, change: _c, firstSeen: _f, ...shape } = stored;
    expect(toFinding(stored)).toStrictEqual(shape);
    const { dependsOn: _d, ...none } = shape;
    expect(toFinding({ ...stored, dependsOn: [] })).toStrictEqual(none);
    expect(toFinding({ ...stored, owner: undefined as never, fix: undefined as never })).toMatchObject({ owner: null, fix: null });
  });

  it("what a run's report says of it: resolved by this run, seen by it, or neither", () => {
    expect(partInRun({ state: "resolved", lastScanId: "s1", resolvedScanId: "s2" }, "s2")).toBe("resolved");
    expect(partInRun({ state: "open", lastScanId: "s2" }, "s2")).toBe("seen");
    expect(partInRun({ state: "resolved", lastScanId: "s2", resolvedScanId: "s1" }, "s2")).toBe("seen");
    expect(partInRun({ state: "open", lastScanId: "s1" }, "s2")).toBeUndefined();
  });
});

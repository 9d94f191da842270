import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/model/finding.js";
import type { Severity } from "../../src/model/severity.js";
import type { FindingLifecycle } from "../../src/lifecycle/record.js";
import { findingOn, HUB, OTHER, SPOKE, T1, T2, T3 } from "./fixtures.js";
import { mergeSighting, sightingDependencies, sightingOf, strongestSightings, type Sighting } from "../../src/lifecycle/sightings.js";

function finding(name: string, severity: Severity, extra: Partial<Finding> = {}): Finding {
  return findingOn("subnet-undersized", `/subscriptions/${HUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/${name}`, severity, extra);
}

const sighting = (severity: Severity, dependencies = [HUB, SPOKE], suppressed = false): Sighting => ({ severity, suppressed, dependencies: [...dependencies].sort() });

/** Merges sightings in order, as a table would hold the result between them. */
function merged(steps: [Sighting, string, string][], start?: FindingLifecycle): FindingLifecycle | undefined {
  let current = start;
  for (const [seen, scanId, at] of steps) current = mergeSighting(current, seen, { scanId, at }).lifecycle;
  return current;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe("what a sighting depends on", () => {
  it("is the scanned subscription, the finding's own and its dependsOn, lower-cased, sorted, unique", () => {
    expect(sightingDependencies(finding("a", "high", { dependsOn: [OTHER] }), SPOKE.toUpperCase())).toEqual([SPOKE, HUB, OTHER].sort());
    expect(sightingDependencies(finding("a", "high"), HUB)).toEqual([HUB]);
  });

  it("reads a finding an older version wrote, with the dependency in its evidence", () => {
    expect(sightingDependencies(finding("a", "high", { evidence: { dependsOnSubscriptions: [OTHER.toUpperCase()] } }), SPOKE)).toEqual([SPOKE, HUB, OTHER].sort());
  });

  it("a suppressed finding is a suppressed sighting", () => {
    expect(sightingOf(finding("a", "low", { suppressed: { reason: "accepted", expiresOn: null } }), SPOKE)).toEqual({ severity: "low", suppressed: true, dependencies: [SPOKE, HUB].sort() });
  });
});

describe("the strongest sighting of each finding", () => {
  it("keeps one per id, the most severe (the first of equals), in the order first seen", () => {
    const a = finding("a", "medium");
    const b = finding("b", "low");
    const aHigh = { ...a, severity: "high" as const, message: "worse" };
    const aHighAgain = { ...aHigh, message: "later" };
    expect(strongestSightings([a, b, aHigh, aHighAgain]).map((f) => [f.id, f.message])).toEqual([
      [a.id, "worse"],
      [b.id, b.message],
    ]);
  });
});

describe("merging a sighting", () => {
  it("opens a finding never seen", () => {
    expect(mergeSighting(undefined, sighting("medium"), { scanId: "s1", at: T1 })).toEqual({
      takeFinding: true,
      lifecycle: {
        severity: "medium",
        state: "open",
        firstSeen: T1,
        lastSeen: T1,
        lastScanId: "s1",
        severityHistory: [{ severity: "medium", at: T1, scanId: "s1", event: "opened" }],
        dependencies: [SPOKE, HUB],
      },
    });
    expect(mergeSighting(undefined, sighting("low", [SPOKE], true), { scanId: "s1", at: T1 }).lifecycle.state).toBe("suppressed");
  });

  it("the same sighting again in the same scan changes nothing (a redelivered message)", () => {
    const once = merged([[sighting("high"), "s1", T1]])!;
    const twice = mergeSighting(once, sighting("high"), { scanId: "s1", at: "2025-01-01T02:10:00.000Z" });
    expect(twice).toEqual({ takeFinding: true, lifecycle: once });
  });

  it("a later scan moves lastSeen; a rise in severity adds one history entry, seen again adds none", () => {
    const after = merged([
      [sighting("medium"), "s1", T1],
      [sighting("medium"), "s2", T2],
      [sighting("critical"), "s3", T3],
      [sighting("critical"), "s3", T3],
    ])!;
    expect(after).toMatchObject({ severity: "critical", firstSeen: T1, lastSeen: T3, lastScanId: "s3" });
    expect(after.severityHistory).toEqual([
      { severity: "medium", at: T1, scanId: "s1", event: "opened" },
      { severity: "critical", at: T3, scanId: "s3" },
    ]);
  });

  it("within one scan the most severe sighting wins and the dependencies add up", () => {
    const first = merged([[sighting("medium", [HUB, SPOKE]), "s1", T1]])!;
    const worse = mergeSighting(first, sighting("high", [HUB, OTHER]), { scanId: "s1", at: T1 });
    expect(worse.takeFinding).toBe(true);
    expect(worse.lifecycle).toMatchObject({ severity: "high", dependencies: [SPOKE, HUB, OTHER].sort() });
    // The opening entry of this scan is adjusted, not followed by a second one.
    expect(worse.lifecycle.severityHistory).toEqual([{ severity: "high", at: T1, scanId: "s1", event: "opened" }]);

    const milder = mergeSighting(worse.lifecycle, sighting("medium", [HUB, SPOKE]), { scanId: "s1", at: T1 });
    expect(milder.takeFinding).toBe(false);
    expect(milder.lifecycle).toEqual(worse.lifecycle);
  });

  it("a scan whose sightings disagree (medium, then high again) records no severity change", () => {
    const scan1 = merged([[sighting("medium", [HUB, SPOKE]), "s1", T1], [sighting("high", [HUB, OTHER]), "s1", T1]])!;
    const scan2 = merged([[sighting("medium", [HUB, SPOKE]), "s2", T2], [sighting("high", [HUB, OTHER]), "s2", T2]], scan1)!;
    expect(scan2.severity).toBe("high");
    expect(scan2.severityHistory).toEqual(scan1.severityHistory);
  });

  it("a new scan's dependencies replace the old ones", () => {
    const scan1 = merged([[sighting("high", [HUB, OTHER]), "s1", T1]])!;
    expect(merged([[sighting("high", [HUB, SPOKE]), "s2", T2]], scan1)!.dependencies).toEqual([SPOKE, HUB]);
  });

  it("a resolved finding seen again reopens: resolvedAt cleared, the history says so", () => {
    const resolved: FindingLifecycle = {
      ...merged([[sighting("critical"), "s1", T1]])!,
      state: "resolved",
      resolvedAt: T2,
      resolvedScanId: "s2",
    };
    const reopened = mergeSighting(resolved, sighting("critical"), { scanId: "s3", at: T3 }).lifecycle;
    expect(reopened).not.toHaveProperty("resolvedAt");
    expect(reopened).not.toHaveProperty("resolvedScanId");
    expect(reopened).toMatchObject({ state: "open", firstSeen: T1, lastSeen: T3 });
    expect(reopened.severityHistory.at(-1)).toEqual({ severity: "critical", at: T3, scanId: "s3", event: "reopened" });
  });

  it("suppression follows the latest sighting, except one a more severe sighting of the same scan outranks", () => {
    const open = merged([[sighting("high"), "s1", T1]])!;
    expect(mergeSighting(open, sighting("high", [HUB], true), { scanId: "s2", at: T2 }).lifecycle.state).toBe("suppressed");
    expect(mergeSighting(open, sighting("low", [HUB], true), { scanId: "s1", at: T1 }).lifecycle.state).toBe("open");
  });

  it("never changes what it is given", () => {
    const current = deepFreeze(merged([[sighting("medium"), "s1", T1], [sighting("high"), "s2", T2]])!);
    const given = deepFreeze(sighting("low", [OTHER]));
    expect(() => mergeSighting(current, given, { scanId: "s2", at: T2 })).not.toThrow();
    expect(() => mergeSighting(current, given, { scanId: "s3", at: T3 })).not.toThrow();
  });
});

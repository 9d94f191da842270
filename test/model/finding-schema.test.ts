import { describe, expect, it } from "vitest";
import { previousResultSchema } from "../../src/engine/result-schema.js";
import { findingDependsOn, findingSchema, normalizeDependsOn, withDependsOnField, type Finding } from "../../src/model/finding.js";
import type { Complete } from "../support/complete.js";


const HUB = "bbbbbbbb-0000-4000-8000-00000000000b";
const SPOKE = "aaaaaaaa-0000-4000-8000-00000000000a";

const everyField: Complete<Finding> = {
  id: "3b0e0000000000000000000000000000",
  ruleId: "linux-private-dns-without-route-all",
  severity: "high",
  title: "Linux app resolves private endpoints publicly",
  resourceId: `/subscriptions/${SPOKE}/resourceGroups/rg/providers/Microsoft.Web/sites/app`,
  subscriptionId: SPOKE,
  dependsOn: [HUB],
  message: "app resolves privatelink.database.windows.net publicly.",
  remediation: "Turn on Route All.",
  evidence: { subnetId: "/subscriptions/…/subnets/snet" },
  references: ["https://learn.microsoft.com/azure/app-service/overview-vnet-integration"],
  suppressed: { reason: "accepted", expiresOn: "2027-01-31" },
  owner: "apps@contoso.com",
  change: "escalated",
  firstSeen: "2026-11-01T02:00:00.000Z",
  fix: {
    summary: "Turn on Route All.",
    steps: [{ description: "Route all outbound traffic through the VNet.", command: "az webapp config set --vnet-route-all-enabled true" }],
    proposedSubnet: { virtualNetworkId: "/subscriptions/…/virtualNetworks/vnet", name: "snet-v2", addressPrefix: "10.1.0.64/26", exists: false },
    blockers: [{ code: "planLimit", message: "five VNets per plan" }],
  },
};

describe("the finding schema", () => {
  it("reads back a finding with every field set exactly as it was written", () => {
    expect(findingSchema.parse(JSON.parse(JSON.stringify(everyField)))).toStrictEqual(everyField);
  });

  it("dependsOn is lower-cased, sorted, unique, and absent when there is none", () => {
    expect(normalizeDependsOn([HUB.toUpperCase(), SPOKE, HUB])).toEqual([SPOKE, HUB]);
    expect(normalizeDependsOn([])).toBeUndefined();
    expect(normalizeDependsOn(undefined)).toBeUndefined();
  });
});

describe("a finding written before dependsOn was a field of its own", () => {
  const legacy = { ...everyField, evidence: { subnetId: "/subscriptions/…/subnets/snet", dependsOnSubscriptions: [HUB.toUpperCase()] } } as Finding;
  delete legacy.dependsOn;

  it("reads in today's shape: the evidence's dependsOnSubscriptions becomes dependsOn", () => {
    expect(withDependsOnField(legacy)).toStrictEqual({ ...legacy, dependsOn: [HUB], evidence: { subnetId: "/subscriptions/…/subnets/snet" } });
    expect(findingDependsOn(legacy)).toEqual([HUB]);
    expect(withDependsOnField(everyField as Finding)).toBe(everyField);
  });

  it("as a --baseline result an older version wrote, still diffs on its dependency", () => {
    const { owner: _owner, fix: _fix, change: _change, firstSeen: _firstSeen, ...older } = legacy;
    const baseline = previousResultSchema.parse({ schemaVersion: 1, scanId: "s1", startedAt: "2026-11-01T02:00:00.000Z", findings: [older] });
    expect(baseline.findings[0]).toMatchObject({ dependsOn: [HUB], owner: null, fix: null, evidence: { subnetId: "/subscriptions/…/subnets/snet" } });
    expect(baseline.findings[0]!.evidence).not.toHaveProperty("dependsOnSubscriptions");
  });
});

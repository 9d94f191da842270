import { describe, expect, it } from "vitest";
import { reconcileProposals } from "../../src/fix/reconcile.js";
import { findingId, type Finding, type FixPlan } from "../../src/model/finding.js";

const HUB = "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-hub";

function plan(name: string, prefix: string, vnetId = HUB): FixPlan {
  return {
    summary: `Move plan ${name}.`,
    steps: [{ description: "Create the subnet.", command: `az network vnet subnet create --name snet-${name} --address-prefixes ${prefix}` }],
    proposedSubnet: { virtualNetworkId: vnetId, name: `snet-${name}`, addressPrefix: prefix, exists: false },
    blockers: [],
  };
}

function legacy(site: string, fix: FixPlan): Finding {
  const resourceId = `/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Web/sites/${site}`;
  return { id: findingId("gateway-integration-legacy", resourceId), ruleId: "gateway-integration-legacy", severity: "high", title: "t", resourceId, subscriptionId: "11111111-1111-1111-1111-111111111111", message: "m", remediation: "r", evidence: {}, references: [], suppressed: null, owner: null, fix };
}

describe("reconcileProposals", () => {
  it("withdraws a proposal that overlaps one planned apart for another plan, first come first served", () => {
    const a = plan("asp-a", "10.0.0.64/26");
    const b = plan("asp-b", "10.0.0.64/26");
    const out = reconcileProposals([legacy("app-b", b), legacy("app-a1", a), legacy("app-a2", a)]);
    expect(out[1]!.fix).toEqual(a);
    expect(out[2]!.fix).toEqual(a);
    expect(out[0]!.fix!.proposedSubnet).toBeNull();
    expect(out[0]!.fix!.steps).toEqual([]);
    expect(out[0]!.fix!.blockers).toEqual([{ code: "overlapping-proposal", message: expect.stringContaining("create snet-asp-a first") }]);
    expect(out[0]!.remediation).not.toContain("az network");
  });

  it("keeps proposals that don't overlap, or sit in other VNets, or reuse existing subnets", () => {
    const other = HUB.replace("vnet-hub", "vnet-spoke");
    const findings = [legacy("app-a", plan("asp-a", "10.0.0.64/26")), legacy("app-b", plan("asp-b", "10.0.0.128/26")), legacy("app-c", plan("asp-c", "10.0.0.64/26", other))];
    const existing = { ...plan("asp-d", "10.0.0.64/26"), proposedSubnet: { virtualNetworkId: HUB, name: "snet-d", addressPrefix: "10.0.0.64/26", exists: true } };
    findings.push(legacy("app-d", existing));
    expect(reconcileProposals(findings)).toEqual(findings);
  });
});

import { describe, expect, it } from "vitest";
import { subnetServiceEndpointPolicy as rule } from "../../src/rules/subnet-service-endpoint-policy.js";
import { SPOKE, healthyTenant, hits, run } from "./fixtures.js";

const POLICY_ID = `/subscriptions/${SPOKE}/resourceGroups/rg-network/providers/Microsoft.Network/serviceEndpointPolicies/sep-storage`;

describe("subnet-service-endpoint-policy", () => {
  it("does not fire on an integration subnet without service endpoint policies", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  it("fires medium on an integration subnet with a service endpoint policy", () => {
    const tenant = healthyTenant();
    tenant.subnet.serviceEndpointPolicyIds = [POLICY_ID];
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.subnet.id, "medium"]]);
    expect(results[0]?.evidence).toEqual({ virtualNetworkId: tenant.vnet.id, serviceEndpointPolicyIds: [POLICY_ID] });
  });

  it("does not fire on a subnet with policies that no site integrates into", () => {
    const tenant = healthyTenant();
    tenant.endpointSubnet.serviceEndpointPolicyIds = [POLICY_ID];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });
});

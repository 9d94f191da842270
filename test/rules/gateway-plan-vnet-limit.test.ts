import { describe, expect, it } from "vitest";
import { gatewayPlanVnetLimit as rule } from "../../src/rules/gateway-plan-vnet-limit.js";
import { SPOKE, hits, ids, legacyTenant, makeGatewayConnection, makeSite, makeVnet, run } from "./fixtures.js";

/** A legacy tenant whose plan gets `count` more sites, each connected to its own VNet. */
function planUsingVnets(count: number) {
  const tenant = legacyTenant();
  for (let i = 1; i < count; i++) {
    const vnet = makeVnet(`vnet-${i}`);
    tenant.inventory.sites.push(makeSite(`app-${i}`, { serverFarmId: tenant.plan.id, vnetConnections: [makeGatewayConnection(vnet.id)] }));
  }
  return tenant;
}

describe("gateway-plan-vnet-limit", () => {
  it("does not fire on a plan whose sites use five VNets", () => {
    expect(run(rule, planUsingVnets(5).inventory)).toEqual([]);
  });

  it("fires high on the plan when its sites use six VNets", () => {
    const tenant = planUsingVnets(6);
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.plan.id, "high"]]);
    expect(results[0]?.message).toBe("Plan plan-windows's sites use 6 distinct VNets through gateway-required integration, more than the limit of 5.");
    expect(results[0]?.evidence).toMatchObject({ virtualNetworkCount: 6, limit: 5, plan: { id: tenant.plan.id, name: "plan-windows" } });
    expect((results[0]?.evidence.virtualNetworks as unknown[])[0]).toEqual({
      virtualNetwork: { id: tenant.vnet.id, name: "vnet-legacy" },
      gateway: { id: tenant.gateway.id, name: "vgw-legacy", sku: "VpnGw1" },
      siteIds: [tenant.site.id],
    });
  });

  it("counts a VNet used by many sites once, whatever the case of its ID", () => {
    const tenant = planUsingVnets(5);
    for (let i = 0; i < 6; i++) {
      tenant.inventory.sites.push(
        makeSite(`same-${i}`, { serverFarmId: tenant.plan.id, vnetConnections: [makeGatewayConnection(i % 2 ? tenant.vnet.id.toUpperCase() : tenant.vnet.id)] }),
      );
    }
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("fires on the plan ID from its sites when the plan is not in the inventory", () => {
    const tenant = planUsingVnets(6);
    tenant.inventory.plans = [];
    const [result] = run(rule, tenant.inventory);
    expect([result?.resourceId, result?.subscriptionId]).toEqual([ids.plan("plan-windows"), SPOKE]);
    expect(result?.evidence.plan).toEqual({ id: ids.plan("plan-windows"), inInventory: false });
  });
});

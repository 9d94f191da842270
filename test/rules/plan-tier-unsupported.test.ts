import { describe, expect, it } from "vitest";
import { planTierUnsupported as rule } from "../../src/rules/plan-tier-unsupported.js";
import { healthyTenant, hits, ids, legacyTenant, makeInventory, makePlan, makeSite, run } from "./fixtures.js";

describe("plan-tier-unsupported", () => {
  it("does not fire on a Premium v3 plan with regional integration", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  it.each([
    [{ name: "F1", tier: "Free" }],
    [{ name: "D1", tier: "Shared" }],
  ])("fires high on the site and its slot when the plan is %j", (sku) => {
    const tenant = healthyTenant();
    tenant.plan.sku = { ...sku, capacity: 1 };
    expect(hits(run(rule, tenant.inventory))).toEqual([
      [tenant.site.id, "high"],
      [tenant.slot.id, "high"],
    ]);
  });

  it("fires high on a Windows site on a Consumption (Dynamic) plan", () => {
    const plan = makePlan("plan-y1", { kind: "functionapp", sku: { name: "Y1", tier: "Dynamic" } });
    const site = makeSite("func", { kind: "functionapp", serverFarmId: plan.id, virtualNetworkSubnetId: `${ids.vnet("v")}/subnets/s` });
    const results = run(rule, makeInventory({ sites: [site], plans: [plan] }));
    expect(hits(results)).toEqual([[site.id, "high"]]);
    expect(results[0]?.evidence).toEqual({
      plan: { id: plan.id, name: "plan-y1", skuName: "Y1", tier: "Dynamic" },
      regionalIntegrationSubnetId: `${ids.vnet("v")}/subnets/s`,
      gatewayVirtualNetworkIds: [],
    });
  });

  it("does not fire on a Linux site on a Consumption plan (the catalog names Windows Consumption only)", () => {
    const plan = makePlan("plan-y1", { kind: "functionapp,linux", reserved: true, sku: { name: "Y1", tier: "Dynamic" } });
    const site = makeSite("func", { kind: "functionapp,linux", serverFarmId: plan.id, virtualNetworkSubnetId: `${ids.vnet("v")}/subnets/s` });
    expect(run(rule, makeInventory({ sites: [site], plans: [plan] }))).toEqual([]);
  });

  it("fires on gateway-required integration on a Shared plan", () => {
    const tenant = legacyTenant();
    tenant.plan.sku = { name: "D1", tier: "Shared" };
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.site.id, "high"]]);
    expect(results[0]?.evidence.gatewayVirtualNetworkIds).toEqual([tenant.vnet.id]);
  });

  it("recognises a Free plan by SKU name when the tier is missing", () => {
    const tenant = healthyTenant();
    tenant.plan.sku = { name: "F1" };
    expect(run(rule, tenant.inventory)).toHaveLength(2);
  });

  it("does not fire on a Free plan without VNet integration", () => {
    const plan = makePlan("free", { sku: { name: "F1", tier: "Free" } });
    expect(run(rule, makeInventory({ sites: [makeSite("a", { serverFarmId: plan.id })], plans: [plan] }))).toEqual([]);
  });

  it("does not fire when the site's plan is not in the inventory", () => {
    const site = makeSite("a", { serverFarmId: ids.plan("gone"), virtualNetworkSubnetId: `${ids.vnet("v")}/subnets/s` });
    expect(run(rule, makeInventory({ sites: [site] }))).toEqual([]);
  });
});

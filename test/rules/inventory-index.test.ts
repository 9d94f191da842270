import { describe, expect, it } from "vitest";
import { indexInventory } from "../../src/rules/inventory-index.js";
import { HUB, healthyTenant, makeInventory, makeVnet, makeVpnGateway } from "./fixtures.js";

describe("InventoryIndex", () => {
  it("looks resources up by ARM ID case-insensitively", () => {
    const { inventory, plan, site, subnet, vnet } = healthyTenant();
    const index = indexInventory(inventory);
    expect(index.plan(plan.id.toUpperCase())).toBe(plan);
    expect(index.site(site.id.toLowerCase())).toBe(site);
    expect(index.subnet(subnet.id.toUpperCase())).toEqual({ subnet, vnet });
    expect(index.virtualNetwork(vnet.id.toLowerCase())).toBe(vnet);
  });

  it("runs a slot without serverFarmId on its parent's plan", () => {
    const { inventory, plan, site, slot } = healthyTenant();
    delete slot.serverFarmId;
    const index = indexInventory(inventory);
    expect(index.planOf(slot)).toBe(plan);
    expect(index.sitesOnPlan(plan.id)).toEqual([site, slot]);
  });

  it("finds zones linked to a VNet from another subscription, and gateways by VNet", () => {
    const { inventory, vnet, zone } = healthyTenant();
    const gateway = makeVpnGateway(vnet, "vgw");
    inventory.gateways.push(gateway);
    const index = indexInventory(inventory);
    expect(zone.subscriptionId).toBe(HUB);
    expect(index.zonesLinkedTo(vnet.id.toUpperCase())).toEqual([zone]);
    expect(index.gatewaysOf(vnet.id)).toEqual([gateway]);
    expect(index.zonesLinkedTo(makeVnet("elsewhere").id)).toEqual([]);
  });

  it("finds the sites binding a thumbprint, whatever its case", () => {
    const { inventory, site, certificate } = healthyTenant();
    expect(indexInventory(inventory).sitesBinding(certificate.thumbprint!.toLowerCase())).toEqual([site]);
  });

  // No cache behind indexInventory: the engine builds one index per evaluation and shares it
  // with every rule (test/engine/verdicts.test.ts), so an inventory changed afterwards is never judged stale.
  it("is built fresh from the inventory as it is, so a change shows in the next index", () => {
    const { inventory, site } = healthyTenant();
    const before = indexInventory(inventory);
    expect(indexInventory(inventory)).not.toBe(before);
    inventory.sites = inventory.sites.filter((candidate) => candidate !== site);
    expect(before.site(site.id)).toBe(site);
    expect(indexInventory(inventory).site(site.id)).toBeUndefined();
    expect(indexInventory(makeInventory()).site(site.id)).toBeUndefined();
  });
});

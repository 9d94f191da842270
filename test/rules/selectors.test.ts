import { describe, expect, it } from "vitest";
import { indexInventory } from "../../src/rules/inventory-index.js";
import { regionalIntegrations } from "../../src/rules/selectors.js";
import { HUB, SPOKE, healthyTenant, ids, makeInventory, makePlan, makeSite, makeSubnet, makeVnet } from "./fixtures.js";

describe("regionalIntegrations", () => {
  it("groups sites and slots by subnet with their distinct plans", () => {
    const { inventory, plan, site, slot, subnet, vnet } = healthyTenant();
    expect(regionalIntegrations(indexInventory(inventory))).toEqual([{ subnetId: subnet.id, subnet, vnet, sites: [site, slot], planIds: [plan.id] }]);
  });

  it("counts a plan integrated at plan level even without sites, and skips ASE sites", () => {
    const vnet = makeVnet("v");
    const subnet = makeSubnet(vnet.id, "s", ["10.1.0.0/26"]);
    vnet.subnets = [subnet];
    const plan = makePlan("p", { virtualNetworkSubnetId: subnet.id.toUpperCase() });
    const aseSite = makeSite("in-ase", { hostingEnvironmentId: ids.ase("ase"), virtualNetworkSubnetId: subnet.id });
    const [integration] = regionalIntegrations(indexInventory(makeInventory({ plans: [plan], sites: [aseSite], virtualNetworks: [vnet] })));
    expect(integration).toMatchObject({ subnet, sites: [], planIds: [plan.id] });
  });

  it("keeps a subnet whose VNet is not in the inventory, with the subnet unknown", () => {
    const subnetId = `${makeVnet("gone", { subscriptionId: HUB }).id}/subnets/s`;
    const site = makeSite("a", { subscriptionId: SPOKE, virtualNetworkSubnetId: subnetId });
    expect(regionalIntegrations(indexInventory(makeInventory({ sites: [site] })))).toEqual([
      { subnetId, subnet: undefined, vnet: undefined, sites: [site], planIds: [] },
    ]);
  });
});

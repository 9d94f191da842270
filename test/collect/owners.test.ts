/**
 * Owner tags end to end: the real SDK clients read sites, plans, VNets, certificates and the
 * subscription's resource-group list from the HTTPS ARM emulator, and every finding names its
 * owner. When the resource-group list fails, that is a coverage note (the subscription stays
 * complete) and owners come from what was read.
 */
import { ManagedIdentityCredential } from "@azure/identity";
import { afterEach, describe, expect, it } from "vitest";
import { createAzureClients } from "../../src/azure/clients.js";
import { resolveScope } from "../../src/collect/scope.js";
import { collectTenant, DEFAULT_TENANT_COLLECT_OPTIONS } from "../../src/collect/tenant.js";
import { evaluateInventory } from "../../src/engine/evaluate.js";
import type { Inventory } from "../../src/model/inventory.js";
import { startArmEmulator, type ArmEmulator, type FaultSpec } from "../support/arm-emulator.js";
import * as b from "../support/tenant-builder.js";

const SUB = "0d0d0d0d-0000-4000-8000-000000000001";

function buildTenant() {
  const resources = [
    b.resourceGroup({ subscriptionId: SUB, name: "rg-web", tags: { Owner: "web-platform@contoso.com" } }),
    b.resourceGroup({ subscriptionId: SUB, name: "rg-net", tags: { OWNER: "netops@contoso.com" } }),
  ];
  const vnet = b.vnet({
    subscriptionId: SUB,
    resourceGroup: "rg-net",
    name: "vnet-apps",
    addressPrefixes: ["10.1.0.0/16"],
    subnets: [{ name: "snet-tiny", addressPrefix: "10.1.0.0/29", delegations: ["Microsoft.Web/serverFarms"] }],
  });
  const subnet = b.subnetId(vnet.id, "snet-tiny");
  const taggedPlan = b.plan({ subscriptionId: SUB, resourceGroup: "rg-web", name: "asp-shop", sku: { name: "B1", capacity: 1 }, tags: { owner: "shop-team@contoso.com" } });
  const plainPlan = b.plan({ subscriptionId: SUB, resourceGroup: "rg-web", name: "asp-misc", sku: { name: "B1", capacity: 1 } });
  const ownSite = b.site({ subscriptionId: SUB, resourceGroup: "rg-web", name: "app-own", serverFarmId: taggedPlan.id, httpsOnly: false, tags: { owner: "app-own@contoso.com" } });
  const planSite = b.site({ subscriptionId: SUB, resourceGroup: "rg-web", name: "app-plan", serverFarmId: taggedPlan.id, httpsOnly: false, virtualNetworkSubnetId: subnet, outboundVnetRouting: { allTraffic: true } });
  const groupSite = b.site({ subscriptionId: SUB, resourceGroup: "rg-web", name: "app-group", serverFarmId: plainPlan.id, httpsOnly: false });
  resources.push(vnet, taggedPlan, plainPlan, ownSite, planSite, groupSite);
  return { resources, ids: { subnet, ownSite: ownSite.id, planSite: planSite.id, groupSite: groupSite.id } };
}

let emulator: ArmEmulator | undefined;
let restoreEnv: (() => void) | undefined;
afterEach(async () => {
  restoreEnv?.();
  await emulator?.close();
  emulator = undefined;
  restoreEnv = undefined;
});

async function scan(faults: FaultSpec[] = []): Promise<{ inventory: Inventory; owners: Record<string, string | null> }> {
  const { resources, ids } = buildTenant();
  emulator = await startArmEmulator({ tenant: b.tenant({ subscriptions: [b.subscription(SUB, "Owners")], resources }) });
  for (const fault of faults) emulator.injectFault(fault);
  restoreEnv = emulator.applyEnv();
  const clients = createAzureClients({ endpoint: emulator.url, credential: new ManagedIdentityCredential() });
  const inventories: Inventory[] = [];
  for await (const inventory of collectTenant(clients, await resolveScope(clients, []), DEFAULT_TENANT_COLLECT_OPTIONS)) inventories.push(inventory);
  const inventory = inventories[0]!;
  const findings = evaluateInventory(inventory, { now: new Date() });
  const ownerOf = (ruleId: string, resourceId: string) => {
    const finding = findings.find((f) => f.ruleId === ruleId && f.resourceId.toLowerCase() === resourceId.toLowerCase());
    return finding ? finding.owner : "missing";
  };
  return {
    inventory,
    owners: {
      ownSite: ownerOf("https-only-disabled", ids.ownSite),
      planSite: ownerOf("https-only-disabled", ids.planSite),
      groupSite: ownerOf("https-only-disabled", ids.groupSite),
      subnet: ownerOf("subnet-undersized", ids.subnet),
    },
  };
}

describe("owners from the tags collection reads", () => {
  it("names the owner of every finding: resource, then plan, then resource group (a subnet through its VNet's group)", async () => {
    const { inventory, owners } = await scan();
    expect(inventory.subscriptions[0]!.status).toBe("complete");
    expect(inventory.resourceGroups.map((group) => group.name).sort()).toEqual(["rg-net", "rg-web"]);
    expect(owners).toEqual({
      ownSite: "app-own@contoso.com",
      planSite: "shop-team@contoso.com",
      groupSite: "web-platform@contoso.com",
      subnet: "netops@contoso.com",
    });
  });

  it("a failing resource-group list is a coverage note; owners come from the resources and plans that were read", async () => {
    const { inventory, owners } = await scan([{ path: /^\/subscriptions\/[^/]+\/resourcegroups$/i, status: 403 }]);
    const record = inventory.subscriptions[0]!;
    expect(record.status).toBe("complete");
    expect(record.errors).toEqual([expect.objectContaining({ operation: "resourceGroups.list", statusCode: 403, impact: "owners" })]);
    expect(inventory.resourceGroups).toEqual([]);
    expect(owners).toEqual({ ownSite: "app-own@contoso.com", planSite: "shop-team@contoso.com", groupSite: null, subnet: null });
  });
});

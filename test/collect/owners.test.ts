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
import { countByOperation } from "../../bench/operations.js";
import { ownerSubjects } from "../../src/engine/owners.js";
import { RULES } from "../../src/rules/index.js";
import { armKey, parentVirtualNetworkId } from "../../src/util/arm-id.js";
import { buildSampleTenant } from "../../emulator/sample/sample-tenant.js";
import { startArmEmulator, type ArmEmulator, type EmulatedTenant, type FaultSpec } from "../../emulator/index.js";
import * as b from "../../emulator/tenant/index.js";

const SUB = "0d0d0d0d-0000-4000-8000-000000000001";

function buildTenant(tagEverything = false) {
  const bareTags = (owner: string) => (tagEverything ? { tags: { owner } } : {});
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
    ...bareTags("network@contoso.com"),
  });
  const subnet = b.subnetId(vnet.id, "snet-tiny");
  const taggedPlan = b.plan({ subscriptionId: SUB, resourceGroup: "rg-web", name: "asp-shop", sku: { name: "B1", capacity: 1 }, tags: { owner: "shop-team@contoso.com" } });
  const plainPlan = b.plan({ subscriptionId: SUB, resourceGroup: "rg-web", name: "asp-misc", sku: { name: "B1", capacity: 1 }, ...bareTags("misc-team@contoso.com") });
  const ownSite = b.site({ subscriptionId: SUB, resourceGroup: "rg-web", name: "app-own", serverFarmId: taggedPlan.id, httpsOnly: false, tags: { owner: "app-own@contoso.com" } });
  const planSite = b.site({ subscriptionId: SUB, resourceGroup: "rg-web", name: "app-plan", serverFarmId: taggedPlan.id, httpsOnly: false, virtualNetworkSubnetId: subnet, outboundVnetRouting: { allTraffic: true } });
  const groupSite = b.site({ subscriptionId: SUB, resourceGroup: "rg-web", name: "app-group", serverFarmId: plainPlan.id, httpsOnly: false });
  resources.push(vnet, taggedPlan, plainPlan, ownSite, planSite, groupSite);
  return { resources, ids: { subnet, ownSite: ownSite.id, planSite: planSite.id, groupSite: groupSite.id } };
}

let emulator: ArmEmulator | undefined;
let restoreEnv: (() => void) | undefined;
afterEach(close);

/** Collects the whole tenant in-process (`ownerTag` as a scan passes it; none as `collect` does). */
async function collectAll(tenant: EmulatedTenant, faults: FaultSpec[], ownerTag?: string): Promise<Inventory[]> {
  emulator = await startArmEmulator({ tenant });
  for (const fault of faults) emulator.injectFault(fault);
  restoreEnv = emulator.applyEnv();
  const clients = createAzureClients({ endpoint: emulator.url, credential: new ManagedIdentityCredential() });
  const inventories: Inventory[] = [];
  const options = { ...DEFAULT_TENANT_COLLECT_OPTIONS, ...(ownerTag !== undefined ? { ownerTag } : {}) };
  for await (const inventory of collectTenant(clients, await resolveScope(clients, []), options)) inventories.push(inventory);
  return inventories;
}

async function close(): Promise<void> {
  restoreEnv?.();
  await emulator?.close();
  emulator = undefined;
  restoreEnv = undefined;
}

async function scan(
  faults: FaultSpec[] = [],
  options: { ownerTag?: string; tagEverything?: boolean } = {},
): Promise<{ inventory: Inventory; owners: Record<string, string | null>; resourceGroupLists: number }> {
  const { resources, ids } = buildTenant(options.tagEverything);
  const [inventory] = await collectAll(b.tenant({ subscriptions: [b.subscription(SUB, "Owners")], resources }), faults, options.ownerTag);
  if (!inventory) throw new Error("no inventory");
  const findings = evaluateInventory(inventory, { now: new Date() });
  const ownerOf = (ruleId: string, resourceId: string) => {
    const finding = findings.find((f) => f.ruleId === ruleId && f.resourceId.toLowerCase() === resourceId.toLowerCase());
    return finding ? finding.owner : "missing";
  };
  return {
    inventory,
    resourceGroupLists: countByOperation(emulator!.requests)["resourceGroups.list"] ?? 0,
    owners: {
      ownSite: ownerOf("https-only-disabled", ids.ownSite),
      planSite: ownerOf("https-only-disabled", ids.planSite),
      groupSite: ownerOf("https-only-disabled", ids.groupSite),
      subnet: ownerOf("subnet-undersized", ids.subnet),
    },
  };
}

/** The owners of buildTenant()'s findings: its own tag, its plan's, then its group's (a subnet through its VNet's group). */
const OWNERS_WITH_GROUPS = {
  ownSite: "app-own@contoso.com",
  planSite: "shop-team@contoso.com",
  groupSite: "web-platform@contoso.com",
  subnet: "netops@contoso.com",
};

describe("owners from the tags collection reads", () => {
  it("names the owner of every finding: resource, then plan, then resource group (a subnet through its VNet's group)", async () => {
    const { inventory, owners } = await scan();
    expect(inventory.subscriptions[0]!.status).toBe("complete");
    expect(inventory.resourceGroups.map((group) => group.name).sort()).toEqual(["rg-net", "rg-web"]);
    expect(owners).toEqual(OWNERS_WITH_GROUPS);
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

describe("the resource-group list is read only when a group's tag can name an owner", () => {
  it("is not read when every resource carries the owner tag on itself or its plan; owners are theirs", async () => {
    const { inventory, owners, resourceGroupLists } = await scan([], { ownerTag: "owner", tagEverything: true });
    expect(resourceGroupLists).toBe(0);
    expect(inventory.resourceGroups).toEqual([]);
    expect(inventory.subscriptions[0]!.status).toBe("complete");
    expect(owners).toEqual({ ...OWNERS_WITH_GROUPS, groupSite: "misc-team@contoso.com", subnet: "network@contoso.com" });
  });

  it("is read when one plan and the VNet lack it, and those owners come from their groups' tags", async () => {
    const { owners, resourceGroupLists } = await scan([], { ownerTag: "owner" });
    expect(resourceGroupLists).toBe(1);
    expect(owners).toEqual(OWNERS_WITH_GROUPS);
  });

  it("is read under another tag name, which no resource carries", async () => {
    expect((await scan([], { ownerTag: "team", tagEverything: true })).resourceGroupLists).toBe(1);
  });

  it("is always read without an owner tag (an inventory saved for a later scan --from, which may name another)", async () => {
    const { inventory, resourceGroupLists } = await scan([], { tagEverything: true });
    expect(resourceGroupLists).toBe(1);
    expect(inventory.resourceGroups.map((group) => group.name).sort()).toEqual(["rg-net", "rg-web"]);
  });

  it("gives the sample tenant's findings the same owners as reading every list, and every finding names a resource the check covers", async () => {
    const judged = async (ownerTag?: string) => {
      const sample = await buildSampleTenant(new Date());
      const inventories = await collectAll(sample.tenant, sample.faults, ownerTag);
      const lists = countByOperation(emulator!.requests)["resourceGroups.list"] ?? 0;
      await close();
      const now = new Date();
      const findings = inventories.flatMap((inventory) => {
        const subjects = new Set(ownerSubjects(inventory).map(armKey));
        return evaluateInventory(inventory, { now }).map((finding) => ({ ...finding, covered: subjects.has(armKey(parentVirtualNetworkId(finding.resourceId) ?? finding.resourceId)) }));
      });
      return { lists, owners: findings.map((finding) => `${finding.ruleId} ${finding.resourceId.toLowerCase()} ${finding.owner}`).sort(), findings };
    };
    const everyList = await judged();
    const asScanned = await judged("owner");
    expect(asScanned.owners).toEqual(everyList.owners);
    expect(everyList.findings.filter((finding) => !finding.covered).map((finding) => `${finding.ruleId} ${finding.resourceId}`)).toEqual([]);
    // Every rule of the catalog fires in the sample tenant, so every kind of resource a finding names is covered.
    expect(new Set(everyList.findings.map((finding) => finding.ruleId)).size).toBe(RULES.length);
    expect(asScanned.lists).toBeLessThanOrEqual(everyList.lists);
  });
});

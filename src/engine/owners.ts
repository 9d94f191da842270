import type { Inventory, Tags } from "../model/inventory.js";
import { armKey, parentVirtualNetworkId, resourceGroupOf, subscriptionOf } from "../util/arm-id.js";

/** The owner tag's name when neither the config file (`owners.tag`) nor AUDIT_OWNER_TAG names one. */
export const DEFAULT_OWNER_TAG = "owner";

/** The group a finding is filed under when no tag names its owner (digest `byOwner`, report filters). */
export const UNOWNED = "unowned";

/** The value of tag `tagName` (any case: Azure tag names are case-insensitive); blank values count as absent. */
export function tagValue(tags: Tags | undefined, tagName: string): string | undefined {
  if (!tags) return undefined;
  const wanted = tagName.toLowerCase();
  for (const [name, value] of Object.entries(tags)) {
    if (name.toLowerCase() === wanted && value.trim() !== "") return value.trim();
  }
  return undefined;
}

type OwnerSources = Pick<Inventory, "sites" | "plans" | "virtualNetworks" | "certificates">;

/**
 * The first two steps of the owner lookup (RULES.md "Owners"), which need no resource group:
 * the owner tag on the resource a finding names (for a subnet: its VNet), else on the site's
 * plan (site and slot findings; a slot without its own plan runs on its parent's).
 */
function ownerFromResourceOrPlan(inventory: OwnerSources, tagName: string): (resource: string) => string | undefined {
  const tagsById = new Map<string, Tags | undefined>();
  for (const list of [inventory.sites, inventory.plans, inventory.virtualNetworks, inventory.certificates]) {
    for (const resource of list) tagsById.set(armKey(resource.id), resource.tags);
  }
  const sitesById = new Map(inventory.sites.map((site) => [armKey(site.id), site]));
  const ownerOn = (resourceId: string | undefined) => (resourceId ? tagValue(tagsById.get(armKey(resourceId)), tagName) : undefined);
  return (resource) => ownerOn(resource) ?? ownerOn(planOfSite(sitesById, resource));
}

function planOfSite(sitesById: Map<string, Inventory["sites"][number]>, resourceId: string): string | undefined {
  const site = sitesById.get(armKey(resourceId));
  if (!site) return undefined;
  return site.serverFarmId ?? (site.slotOf ? sitesById.get(armKey(site.slotOf))?.serverFarmId : undefined);
}

/** What a finding's owner is looked up on: the resource it names, or for a subnet its VNet. */
const ownedResource = (resourceId: string): string => parentVirtualNetworkId(resourceId) ?? resourceId;

function resourceGroupIdOf(resourceId: string): string | undefined {
  const subscriptionId = subscriptionOf(resourceId);
  const resourceGroup = resourceGroupOf(resourceId);
  return subscriptionId && resourceGroup ? `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}` : undefined;
}

/**
 * Who must act on a finding (RULES.md "Owners"): the owner tag on the resource the finding
 * names (for a subnet: its VNet), else on the site's plan (site and slot findings; a slot
 * without its own plan runs on its parent's), else on the resource's resource group, else null.
 *
 * Pure: tags come from the lists collection already read (sites, plans, VNets, certificates)
 * and the subscription's one resource-group list. A resource group this inventory did not
 * list (its list failed, was not needed, or it lives in another subscription) gives no owner.
 */
export function ownerResolver(inventory: OwnerSources & Pick<Inventory, "resourceGroups">, tagName: string): (resourceId: string) => string | null {
  const fromResourceOrPlan = ownerFromResourceOrPlan(inventory, tagName);
  const groupTags = new Map(inventory.resourceGroups.map((group) => [armKey(group.id), group.tags]));
  const ownerOfGroup = (groupId: string | undefined) => (groupId ? tagValue(groupTags.get(armKey(groupId)), tagName) : undefined);
  return (resourceId) => {
    const resource = ownedResource(resourceId);
    return fromResourceOrPlan(resource) ?? ownerOfGroup(resourceGroupIdOf(resource)) ?? null;
  };
}

/**
 * The resources a finding can name, as its owner is looked up (a subnet's findings through
 * their VNet): sites and slots, plans (also a plan a site names that the plan list lacks),
 * VNets and certificates. A rule naming another kind of resource must be added here, or its
 * findings could lose a resource-group owner (test/engine/owners.test.ts checks the catalog).
 */
export function ownerSubjects(inventory: OwnerSources): string[] {
  const sitesById = new Map(inventory.sites.map((site) => [armKey(site.id), site]));
  const planIds = inventory.sites.map((site) => planOfSite(sitesById, site.id)).filter((id): id is string => id !== undefined);
  return [...inventory.sites, ...inventory.plans, ...inventory.virtualNetworks, ...inventory.certificates].map((resource) => resource.id).concat(planIds);
}

/**
 * Whether subscription `subscriptionId`'s resource-group tags can decide an owner of a finding
 * on this inventory: some resource a finding can name lives in that subscription and has no
 * owner tag on itself or its plan. When none has, the resource-group list can change no owner,
 * and collection does not read it (docs/performance.md). Resources of other subscriptions (a
 * hub VNet) are never owned through this subscription's groups.
 */
export function ownersNeedResourceGroups(inventory: OwnerSources, tagName: string, subscriptionId: string): boolean {
  const fromResourceOrPlan = ownerFromResourceOrPlan(inventory, tagName);
  const wanted = subscriptionId.toLowerCase();
  return ownerSubjects(inventory).some((id) => subscriptionOf(id)?.toLowerCase() === wanted && fromResourceOrPlan(id) === undefined);
}

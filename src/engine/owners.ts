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

/**
 * Who must act on a finding (RULES.md "Owners"): the owner tag on the resource the finding
 * names (for a subnet: its VNet), else on the site's plan (site and slot findings; a slot
 * without its own plan runs on its parent's), else on the resource's resource group, else null.
 *
 * Pure: tags come from the lists collection already read (sites, plans, VNets, certificates)
 * and the subscription's one resource-group list. A resource group this inventory did not
 * list (its list failed, or it lives in another subscription) gives no owner.
 */
export function ownerResolver(inventory: Pick<Inventory, "sites" | "plans" | "virtualNetworks" | "certificates" | "resourceGroups">, tagName: string): (resourceId: string) => string | null {
  const tagsById = new Map<string, Tags | undefined>();
  for (const list of [inventory.sites, inventory.plans, inventory.virtualNetworks, inventory.certificates, inventory.resourceGroups]) {
    for (const resource of list) tagsById.set(armKey(resource.id), resource.tags);
  }
  const sitesById = new Map(inventory.sites.map((site) => [armKey(site.id), site]));
  const planOf = (resourceId: string): string | undefined => {
    const site = sitesById.get(armKey(resourceId));
    if (!site) return undefined;
    return site.serverFarmId ?? (site.slotOf ? sitesById.get(armKey(site.slotOf))?.serverFarmId : undefined);
  };
  const ownerOn = (resourceId: string | undefined) => (resourceId ? tagValue(tagsById.get(armKey(resourceId)), tagName) : undefined);

  return (resourceId) => {
    const resource = parentVirtualNetworkId(resourceId) ?? resourceId;
    const subscriptionId = subscriptionOf(resource);
    const resourceGroup = resourceGroupOf(resource);
    const groupId = subscriptionId && resourceGroup ? `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}` : undefined;
    return ownerOn(resource) ?? ownerOn(planOf(resource)) ?? ownerOn(groupId) ?? null;
  };
}

import type { CollectionError, Inventory, PrivateDnsZone } from "../model/inventory.js";
import type { AzureClients } from "../azure/clients.js";
import { armKey, resourceGroupOf } from "../util/arm-id.js";
import { mapWithConcurrency } from "../util/concurrency.js";
import { CallLedger } from "./calls.js";
import { toPrivateDnsZone } from "./normalize.js";

export interface ZoneCollection {
  zones: PrivateDnsZone[];
  errors: CollectionError[];
  /** True when the zone list and every zone's links were read. */
  complete: boolean;
}

/**
 * One subscription's Azure DNS private zones and their VNet links. Zones usually live in a
 * hub subscription and are linked to spoke VNets, so they are read for every subscription in
 * scope before any site is judged (docs/ARCHITECTURE.md, Data flow: links are matched across the whole scope).
 */
export async function collectPrivateDnsZones(clients: AzureClients, subscriptionId: string, concurrency = 4): Promise<ZoneCollection> {
  const ledger = new CallLedger();
  const client = clients.privateDns(subscriptionId);
  const scope = `/subscriptions/${subscriptionId}`;
  const listed = await ledger.list("privateZones.list", scope, () => client.privateZones.list());
  const zones = await mapWithConcurrency(listed.items, concurrency, async (zone) => {
    const resourceGroup = zone.id ? resourceGroupOf(zone.id) : undefined;
    if (!zone.id || !zone.name || !resourceGroup) return undefined;
    const links = await ledger.list("virtualNetworkLinks.list", zone.id, () =>
      client.virtualNetworkLinks.list(resourceGroup, zone.name!),
    );
    return ledger.normalizeEach("virtualNetworkLinks.list", [zone], (item) => toPrivateDnsZone(item, links.items, subscriptionId))[0];
  });
  return { zones: zones.filter((zone): zone is PrivateDnsZone => zone !== undefined), errors: ledger.errors, complete: ledger.errors.length === 0 };
}

type ZoneLink = PrivateDnsZone["virtualNetworkLinks"][number];

/** Per scope's zone list: VNet ID (lower-cased) → the zones linked to it, each with that link. */
const linksByVnetCache = new WeakMap<readonly PrivateDnsZone[], Map<string, Array<{ zone: PrivateDnsZone; link: ZoneLink }>>>();

function linksByVnet(zones: readonly PrivateDnsZone[]) {
  let index = linksByVnetCache.get(zones);
  if (!index) {
    index = new Map();
    for (const zone of zones) {
      for (const link of zone.virtualNetworkLinks) {
        const key = armKey(link.virtualNetworkId);
        const entries = index.get(key);
        if (entries) entries.push({ zone, link });
        else index.set(key, [{ zone, link }]);
      }
    }
    linksByVnetCache.set(zones, index);
  }
  return index;
}

/**
 * The scope's zones as one subscription's inventory needs them: zones are only ever looked up
 * by a VNet of the inventory (the Linux private-DNS rule asks which zones are linked to an
 * integration VNet), so each inventory gets the zones linked to its VNets, with those links.
 * In a hub-and-spoke tenant every spoke's VNet is linked to the hub's zones, so handing every
 * inventory every link would cost each subscription time and memory in proportion to the
 * number of subscriptions. The scope-wide index is built once per zone list.
 */
export function zonesForInventory(zones: readonly PrivateDnsZone[], inventory: Pick<Inventory, "virtualNetworks">): PrivateDnsZone[] {
  const index = linksByVnet(zones);
  const scoped = new Map<PrivateDnsZone, PrivateDnsZone>();
  for (const vnet of inventory.virtualNetworks) {
    for (const { zone, link } of index.get(armKey(vnet.id)) ?? []) {
      let copy = scoped.get(zone);
      if (!copy) scoped.set(zone, (copy = { ...zone, virtualNetworkLinks: [] }));
      if (!copy.virtualNetworkLinks.includes(link)) copy.virtualNetworkLinks.push(link);
    }
  }
  return [...scoped.values()];
}

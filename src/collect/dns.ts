import type { CollectionError, PrivateDnsZone } from "../model/inventory.js";
import type { AzureClients } from "../azure/clients.js";
import { resourceGroupOf } from "../util/arm-id.js";
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
 * scope before any site is judged (DESIGN.md: links are matched across the whole scope).
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
    return toPrivateDnsZone(zone, links.items, subscriptionId);
  });
  return { zones: zones.filter((zone): zone is PrivateDnsZone => zone !== undefined), errors: ledger.errors, complete: ledger.errors.length === 0 };
}

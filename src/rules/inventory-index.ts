/**
 * Lookups by ARM ID (case-insensitive) over one inventory snapshot, so rules never rescan
 * arrays. An index reflects the inventory as it was when built.
 */
import type {
  AutoscaleSetting,
  Inventory,
  Plan,
  PrivateDnsZone,
  Site,
  Subnet,
  VirtualNetwork,
  VirtualNetworkGateway,
} from "../model/inventory.js";
import { armKey } from "../util/arm-id.js";

/** Groups items under each of their keys; keys (ARM IDs, thumbprints) compare case-insensitively. */
function groupBy<T>(items: readonly T[], keysOf: (item: T) => (string | undefined)[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    for (const key of new Set(keysOf(item).filter((k) => k !== undefined).map((k) => k.toLowerCase()))) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return groups;
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [armKey(item.id), item]));
}

/** Lookups over one inventory snapshot; see the file comment. */
export class InventoryIndex {
  private readonly sitesById: Map<string, Site>;
  private readonly plansById: Map<string, Plan>;
  private readonly vnetsById: Map<string, VirtualNetwork>;
  private readonly subnetsById = new Map<string, { subnet: Subnet; vnet: VirtualNetwork }>();
  private readonly gatewaysByVnet: Map<string, VirtualNetworkGateway[]>;
  private readonly zonesByLinkedVnet: Map<string, PrivateDnsZone[]>;
  private readonly autoscaleByTarget: Map<string, AutoscaleSetting[]>;
  private readonly sitesByPlan: Map<string, Site[]>;
  private readonly sitesByBoundThumbprint: Map<string, Site[]>;

  constructor(readonly inventory: Inventory) {
    this.sitesById = byId(inventory.sites);
    this.plansById = byId(inventory.plans);
    this.vnetsById = byId(inventory.virtualNetworks);
    for (const vnet of inventory.virtualNetworks) {
      for (const subnet of vnet.subnets) this.subnetsById.set(armKey(subnet.id), { subnet, vnet });
    }
    this.gatewaysByVnet = groupBy(inventory.gateways, (gateway) => [gateway.virtualNetworkId]);
    this.zonesByLinkedVnet = groupBy(inventory.privateDnsZones, (zone) =>
      zone.virtualNetworkLinks.map((link) => link.virtualNetworkId),
    );
    this.autoscaleByTarget = groupBy(inventory.autoscaleSettings, (setting) => [setting.targetResourceUri]);
    this.sitesByPlan = groupBy(inventory.sites, (site) => [this.planIdOf(site)]);
    this.sitesByBoundThumbprint = groupBy(inventory.sites, (site) =>
      site.hostNameSslStates.map((binding) => binding.thumbprint),
    );
  }

  site(id: string | undefined): Site | undefined {
    return id === undefined ? undefined : this.sitesById.get(armKey(id));
  }

  /** The plan ID of a site; a slot without its own `serverFarmId` runs on its parent's plan. */
  planIdOf(site: Site): string | undefined {
    return site.serverFarmId ?? this.site(site.slotOf)?.serverFarmId;
  }

  plan(id: string | undefined): Plan | undefined {
    return id === undefined ? undefined : this.plansById.get(armKey(id));
  }

  planOf(site: Site): Plan | undefined {
    return this.plan(this.planIdOf(site));
  }

  /** Sites and slots on a plan. */
  sitesOnPlan(planId: string): Site[] {
    return this.sitesByPlan.get(armKey(planId)) ?? [];
  }

  autoscaleSettingsFor(planId: string): AutoscaleSetting[] {
    return this.autoscaleByTarget.get(armKey(planId)) ?? [];
  }

  virtualNetwork(id: string | undefined): VirtualNetwork | undefined {
    return id === undefined ? undefined : this.vnetsById.get(armKey(id));
  }

  /** A subnet with its VNet; undefined when the VNet was not collected (out of scope, unreadable). */
  subnet(id: string): { subnet: Subnet; vnet: VirtualNetwork } | undefined {
    return this.subnetsById.get(armKey(id));
  }

  gatewaysOf(vnetId: string | undefined): VirtualNetworkGateway[] {
    return vnetId === undefined ? [] : (this.gatewaysByVnet.get(armKey(vnetId)) ?? []);
  }

  /** Private DNS zones linked to a VNet, from every subscription in scope (hub and spoke). */
  zonesLinkedTo(vnetId: string): PrivateDnsZone[] {
    return this.zonesByLinkedVnet.get(armKey(vnetId)) ?? [];
  }

  /** Sites and slots with a host name binding that uses the thumbprint (case-insensitive). */
  sitesBinding(thumbprint: string): Site[] {
    return this.sitesByBoundThumbprint.get(thumbprint.toLowerCase()) ?? [];
  }
}

/**
 * A fresh index of the inventory. Nothing is cached: the engine builds one per evaluation and
 * hands it to every rule, so an inventory changed afterwards is indexed anew, never judged stale.
 */
export function indexInventory(inventory: Inventory): InventoryIndex {
  return new InventoryIndex(inventory);
}

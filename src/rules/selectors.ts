/**
 * Named selectors: what the rules look at, shared so that "the sites in integration scope" or
 * "the subnets used for regional integration" are the same set for every rule that judges
 * them (in the spirit of PSRule's `Azure.AppService.IsWebApp`).
 */
import type { Plan, Site, Subnet, VirtualNetwork, VnetConnection } from "../model/inventory.js";
import { armKey, compareIds, sameArmId } from "../util/arm-id.js";
import type { InventoryIndex } from "./inventory-index.js";
import { gatewayConnections, isOutOfIntegrationScope, namesSubnet, regionalIntegrationSubnetId } from "./terms.js";

export interface SiteOnPlan {
  site: Site;
  /** Undefined when the plan is not in the inventory. */
  plan: Plan | undefined;
  planId: string | undefined;
}

/** Sites and slots the integration rules look at: everything outside an ASE or Container Apps. */
export function integrationScopeSites(index: InventoryIndex): SiteOnPlan[] {
  return index.inventory.sites
    .map((site) => ({ site, plan: index.planOf(site), planId: index.planIdOf(site) }))
    .filter(({ site, plan }) => !isOutOfIntegrationScope(site, plan));
}

export interface GatewayIntegratedSite extends SiteOnPlan {
  /** The site's gateway-required connections; never empty. */
  connections: VnetConnection[];
}

/** Sites and slots (in scope) with gateway-required connections. */
export function gatewayIntegratedSites(index: InventoryIndex): GatewayIntegratedSite[] {
  return integrationScopeSites(index)
    .map((entry) => ({ ...entry, connections: gatewayConnections(entry.site) }))
    .filter((entry) => entry.connections.length > 0);
}

/** One subnet used for regional integration, with who integrates into it. */
export interface RegionalIntegration {
  /** The subnet ID as the first integrating site or plan spelled it. */
  subnetId: string;
  /** Undefined when the subnet's VNet is not in the inventory. */
  subnet: Subnet | undefined;
  vnet: VirtualNetwork | undefined;
  /** Sites and slots integrating into the subnet. */
  sites: Site[];
  /** Distinct IDs of the plans whose sites (or the plan itself) integrate into the subnet. */
  planIds: string[];
}

/** Every subnet used for regional integration, in order of subnet ID. */
export function regionalIntegrations(index: InventoryIndex): RegionalIntegration[] {
  const bySubnet = new Map<string, RegionalIntegration>();
  const entryFor = (subnetId: string): RegionalIntegration => {
    let entry = bySubnet.get(armKey(subnetId));
    if (!entry) {
      const found = index.subnet(subnetId);
      entry = { subnetId, subnet: found?.subnet, vnet: found?.vnet, sites: [], planIds: [] };
      bySubnet.set(armKey(subnetId), entry);
    }
    return entry;
  };
  const addPlan = (entry: RegionalIntegration, planId: string | undefined): void => {
    if (planId !== undefined && !entry.planIds.some((id) => sameArmId(id, planId))) entry.planIds.push(planId);
  };

  // Plans integrated at plan level count even without sites (an ASE plan is out of scope).
  for (const plan of index.inventory.plans) {
    if (!plan.hostingEnvironmentId && namesSubnet(plan.virtualNetworkSubnetId)) {
      addPlan(entryFor(plan.virtualNetworkSubnetId), plan.id);
    }
  }
  for (const { site, plan, planId } of integrationScopeSites(index)) {
    const subnetId = regionalIntegrationSubnetId(site, plan);
    if (subnetId === undefined) continue;
    const entry = entryFor(subnetId);
    entry.sites.push(site);
    addPlan(entry, planId);
  }
  return [...bySubnet.values()].sort((a, b) => compareIds(a.subnetId, b.subnetId));
}

/**
 * Named selectors: what the rules look at, shared so that "the sites in integration scope" or
 * "the subnets used for regional integration" are the same set for every rule that judges
 * them (in the spirit of PSRule's `Azure.AppService.IsWebApp`).
 */
import type { Certificate, Plan, Site, Subnet, VirtualNetwork, VnetConnection } from "../model/inventory.js";
import { armKey, compareIds, sameArmId, subscriptionOf } from "../util/arm-id.js";
import type { InventoryIndex } from "./inventory-index.js";
import type { RuleTarget } from "./rule.js";
import {
  gatewayConnections,
  hasVnetIntegration,
  isGatewayCapablePlan,
  isOutOfIntegrationScope,
  namesSubnet,
  regionalIntegrationSubnetId,
} from "./terms.js";

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

// ---------------------------------------------------------------------------------------------
// Selectors built on the ones above; each says which resource a verdict on its items names.

/** A site's or slot's identity as a rule target. */
export function siteTarget({ site }: { site: Site }): RuleTarget {
  return { resourceId: site.id, subscriptionId: site.subscriptionId };
}

/** Every site and slot, App Service Environments and Container Apps included: inbound HTTPS is not an integration concern. */
export function allSites(index: InventoryIndex): { site: Site }[] {
  return index.inventory.sites.map((site) => ({ site }));
}

/** RULES.md "Regional integration", for a site in integration scope: the sites the Route All reads are for. */
export function isRegionallyIntegrated(site: Site, plan: Plan | undefined): boolean {
  return !isOutOfIntegrationScope(site, plan) && regionalIntegrationSubnetId(site, plan) !== undefined;
}

export interface RegionallyIntegratedSite extends SiteOnPlan {
  /** RULES.md "Regional integration": the subnet the site integrates into. */
  subnetId: string;
}

/** Sites and slots (in scope) with regional integration: the ones Route All means something for. */
export function regionallyIntegratedSites(index: InventoryIndex): RegionallyIntegratedSite[] {
  return integrationScopeSites(index).flatMap((entry) => {
    const subnetId = regionalIntegrationSubnetId(entry.site, entry.plan);
    return subnetId === undefined ? [] : [{ ...entry, subnetId }];
  });
}

/** Sites and slots (in scope) with VNet integration of either kind, on a plan the inventory holds (its tier is known). */
export function vnetIntegratedSitesOnKnownPlans(index: InventoryIndex): (SiteOnPlan & { plan: Plan })[] {
  return integrationScopeSites(index).filter((entry): entry is SiteOnPlan & { plan: Plan } => entry.plan !== undefined && hasVnetIntegration(entry.site, entry.plan));
}

/**
 * Whether a site (in scope) may hold gateway-required connections, decided before they are
 * read: the sites `gatewayIntegratedSites` can select. Its plan's tier must offer gateway-
 * required integration and the plan must not be Linux; an unknown plan can't rule it out.
 */
export function mayHoldGatewayConnections(site: Site, plan: Plan | undefined): boolean {
  return !isOutOfIntegrationScope(site, plan) && (plan === undefined || isGatewayCapablePlan(plan));
}

/** A regional integration whose subnet and VNet the inventory holds, so it can be judged. */
export interface IntegrationSubnet extends RegionalIntegration {
  subnet: Subnet;
  vnet: VirtualNetwork;
}

/** Every subnet used for regional integration that the inventory holds, in order of subnet ID (an uncollected VNet has nothing to judge). */
export function integrationSubnets(index: InventoryIndex): IntegrationSubnet[] {
  return regionalIntegrations(index).filter((entry): entry is IntegrationSubnet => entry.subnet !== undefined && entry.vnet !== undefined);
}

/** A subnet finding names the subnet, in the subnet's own subscription (a hub's, for a spoke's app). */
export function subnetTarget({ subnet, vnet }: IntegrationSubnet): RuleTarget {
  return { resourceId: subnet.id, subscriptionId: subscriptionOf(subnet.id) ?? vnet.subscriptionId };
}

export interface IntegrationVirtualNetwork {
  vnet: VirtualNetwork;
  /** The VNet's subnets used for regional integration. */
  integrationSubnetIds: string[];
}

/** Every VNet holding a regional integration subnet, once however many of its subnets are used. */
export function integrationVirtualNetworks(index: InventoryIndex): IntegrationVirtualNetwork[] {
  const byVnet = new Map<VirtualNetwork, string[]>();
  for (const { vnet, subnet } of integrationSubnets(index)) byVnet.set(vnet, [...(byVnet.get(vnet) ?? []), subnet.id]);
  return [...byVnet].map(([vnet, integrationSubnetIds]) => ({ vnet, integrationSubnetIds }));
}

/** Every App Service certificate (`Microsoft.Web/certificates`) of the inventory. */
export function appServiceCertificates(index: InventoryIndex): Certificate[] {
  return index.inventory.certificates;
}

import type { Site as SdkSite } from "@azure/arm-appservice";
import type { AzureClients } from "../azure/clients.js";
import {
  emptyInventory,
  type CollectionError,
  type Inventory,
  type Plan,
  type PrivateDnsZone,
  type Site,
  type SubscriptionRecord,
  type VirtualNetwork,
  type VirtualNetworkGateway,
} from "../model/inventory.js";
import { armKey, parentVirtualNetworkId, resourceGroupOf, resourceNameAfter, subscriptionOf } from "../util/arm-id.js";
import { mapWithConcurrency } from "../util/concurrency.js";
import { CallLedger } from "./calls.js";
import {
  toAutoscaleSetting,
  toCertificate,
  toGateway,
  toPlan,
  toSite,
  toVirtualNetwork,
  toVnetConnection,
} from "./normalize.js";

export interface SubscriptionCollectOptions {
  /** Per-resource reads in flight at once for this subscription. */
  concurrency: number;
  /** Private DNS zones of the whole scope (read beforehand); shared, not copied. */
  privateDnsZones: PrivateDnsZone[];
  /** Errors already met for this subscription (its zone reads). */
  initialErrors?: CollectionError[];
  now?: () => Date;
}

/**
 * Tiers on which gateway-required integration can exist (002 "Basic, Standard, Premium,
 * PremiumV2, PremiumV3"). Plans of other tiers are not asked for their VNet connections.
 */
const GATEWAY_CAPABLE_TIER = /^(basic|standard|premium(v\d+|mv\d+)?)$/i;

/**
 * Reads one subscription into an Inventory that can be evaluated on its own: its sites,
 * slots, plans, autoscale settings, VNets and certificates, plus whatever it references
 * elsewhere (integration VNets and gateways in a hub) and the scope's DNS zones.
 *
 * Lists carry almost everything. Per-resource calls are made only where a rule needs data
 * no list carries:
 * - VNet connections (gateway-required integration) for sites on plans whose plan-level
 *   connection list shows a gateway-required connection;
 * - site config, for regionally integrated sites whose payload has no `outboundVnetRouting`;
 * - the two app settings, for regionally integrated sites whose site-level Route All is off.
 */
export async function collectSubscription(
  clients: AzureClients,
  subscription: SubscriptionRecord,
  options: SubscriptionCollectOptions,
): Promise<Inventory> {
  const { subscriptionId } = subscription;
  const scope = `/subscriptions/${subscriptionId}`;
  const ledger = new CallLedger(options.initialErrors);
  const web = clients.web(subscriptionId);
  const network = clients.network(subscriptionId);
  const inventory = emptyInventory((options.now?.() ?? new Date()).toISOString());
  inventory.privateDnsZones = options.privateDnsZones;

  const [sites, plans, networks, certificates, autoscale] = await Promise.all([
    listSitesAndSlots(clients, subscriptionId, ledger, options.concurrency),
    ledger.list("appServicePlans.list", scope, () => web.appServicePlans.list()),
    ledger.list("virtualNetworks.listAll", scope, () => network.virtualNetworks.listAll()),
    ledger.list("certificates.list", scope, () => web.certificates.list()),
    ledger.list("autoscaleSettings.listBySubscription", scope, () => clients.monitor(subscriptionId).autoscaleSettings.listBySubscription()),
  ]);

  inventory.sites = sites;
  inventory.plans = plans.items.flatMap((plan) => toPlan(plan, subscriptionId) ?? []);
  inventory.virtualNetworks = networks.items.flatMap((vnet) => toVirtualNetwork(vnet, subscriptionId) ?? []);
  inventory.certificates = certificates.items.flatMap((certificate) => toCertificate(certificate, subscriptionId) ?? []);
  inventory.autoscaleSettings = autoscale.items.flatMap((setting) => toAutoscaleSetting(setting, subscriptionId) ?? []);

  const plansById = new Map(inventory.plans.map((plan) => [armKey(plan.id), plan]));
  const gatewayPlans = await plansWithGatewayConnections(clients, inventory.plans, ledger, options.concurrency, plans.ok);

  await mapWithConcurrency(inventory.sites, options.concurrency, (site) =>
    readSiteDetails(clients, site, site.serverFarmId ? plansById.get(armKey(site.serverFarmId)) : undefined, gatewayPlans, ledger),
  );

  await addReferencedNetworks(clients, inventory, ledger);
  await addGateways(clients, inventory, ledger);

  inventory.subscriptions = [{ ...subscription, status: ledger.status(), errors: ledger.errors }];
  return inventory;
}

/**
 * Sites and slots: the subscription-wide list names the resource groups that hold sites;
 * each of those is listed once with `includeSlots`, which returns the slots with their
 * properties (one call per resource group instead of one per site). If a resource group list
 * fails, its sites still come from the subscription list and the gap is recorded.
 */
async function listSitesAndSlots(clients: AzureClients, subscriptionId: string, ledger: CallLedger, concurrency: number): Promise<Site[]> {
  const web = clients.web(subscriptionId);
  const topLevel = await ledger.list("webApps.list", `/subscriptions/${subscriptionId}`, () => web.webApps.list());
  const byResourceGroup = new Map<string, SdkSite[]>();
  for (const site of topLevel.items) {
    const resourceGroup = site.id ? resourceGroupOf(site.id) : undefined;
    if (!resourceGroup) continue;
    const key = resourceGroup.toLowerCase();
    byResourceGroup.set(key, [...(byResourceGroup.get(key) ?? []), site]);
  }
  const perGroup = await mapWithConcurrency([...byResourceGroup.values()], concurrency, async (groupSites) => {
    const resourceGroup = resourceGroupOf(groupSites[0]!.id!)!;
    const listed = await ledger.list(
      "webApps.listByResourceGroup",
      `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`,
      () => web.webApps.listByResourceGroup(resourceGroup, { includeSlots: true }),
    );
    return listed.ok ? listed.items : groupSites;
  });
  const seen = new Set<string>();
  const sites: Site[] = [];
  for (const sdkSite of perGroup.flat()) {
    const site = toSite(sdkSite, subscriptionId);
    if (!site || seen.has(armKey(site.id))) continue;
    seen.add(armKey(site.id));
    sites.push(site);
  }
  return sites;
}

/**
 * Plan IDs (lower-cased) whose sites must be asked for their VNet connections. Gateway-required
 * connections show at plan level too, so one call per capable plan replaces one per site.
 * When the plan list itself failed, `undefined` means "ask every site".
 */
async function plansWithGatewayConnections(
  clients: AzureClients,
  plans: Plan[],
  ledger: CallLedger,
  concurrency: number,
  planListComplete: boolean,
): Promise<Set<string> | undefined> {
  if (!planListComplete) return undefined;
  const capable = plans.filter((plan) => !plan.hostingEnvironmentId && (!plan.sku.tier || GATEWAY_CAPABLE_TIER.test(plan.sku.tier)));
  const flagged = new Set<string>();
  await mapWithConcurrency(capable, concurrency, async (plan) => {
    const result = await ledger.read(
      "appServicePlans.listVnets",
      plan.id,
      () => clients.web(plan.subscriptionId).appServicePlans.listVnets(plan.resourceGroup, plan.name),
      { forbiddenIsCoverageGap: false },
    );
    // A failed plan read means we can't rule gateway connections out: ask its sites.
    if (result.status === "failed" || result.status === "forbidden" || (result.value ?? []).some((connection) => connection.isSwift !== true)) {
      flagged.add(armKey(plan.id));
    }
  });
  return flagged;
}

function hasRegionalIntegration(site: Site, plan: Plan | undefined): boolean {
  return Boolean(site.virtualNetworkSubnetId || plan?.virtualNetworkSubnetId);
}

function siteLevelRouteAll(site: Site): boolean {
  return Boolean(site.outboundVnetRouting?.allTraffic || site.outboundVnetRouting?.applicationTraffic || site.vnetRouteAllEnabled);
}

async function readSiteDetails(
  clients: AzureClients,
  site: Site,
  plan: Plan | undefined,
  gatewayPlans: Set<string> | undefined,
  ledger: CallLedger,
): Promise<void> {
  if (site.hostingEnvironmentId || site.managedEnvironmentId) return;
  const web = clients.web(site.subscriptionId).webApps;
  const { resourceGroup } = site;
  const [siteName, slotName] = site.name.split("/") as [string, string | undefined];

  const needsConnections = gatewayPlans === undefined || !plan || gatewayPlans.has(armKey(plan.id));
  if (needsConnections) {
    const result = await ledger.read(
      "webApps.listVnetConnections",
      site.id,
      () => (slotName ? web.listVnetConnectionsSlot(resourceGroup, siteName, slotName) : web.listVnetConnections(resourceGroup, siteName)),
      { forbiddenIsCoverageGap: false },
    );
    site.reads.vnetConnections = result.status;
    if (result.value) site.vnetConnections = result.value.map(toVnetConnection);
  }

  const regional = hasRegionalIntegration(site, plan) || (site.vnetConnections ?? []).some((connection) => connection.isSwift);
  if (!regional) return;

  // The 2025 API reports Route All as outboundVnetRouting ("previously called
  // VnetRouteAllEnabled"); the config call is only needed when the payload lacks it.
  if (!site.outboundVnetRouting) {
    const result = await ledger.read(
      "webApps.getConfiguration",
      site.id,
      () => (slotName ? web.getConfigurationSlot(resourceGroup, siteName, slotName) : web.getConfiguration(resourceGroup, siteName)),
      { forbiddenIsCoverageGap: false },
    );
    site.reads.config = result.status;
    if (result.value) site.vnetRouteAllEnabled = result.value.vnetRouteAllEnabled === true;
  }

  if (!siteLevelRouteAll(site)) {
    // Needs Microsoft.Web/sites/config/list/action, which Reader lacks: a 403 is a coverage gap.
    const result = await ledger.read(
      "webApps.listApplicationSettings",
      site.id,
      () => (slotName ? web.listApplicationSettingsSlot(resourceGroup, siteName, slotName) : web.listApplicationSettings(resourceGroup, siteName)),
      { forbiddenIsCoverageGap: true },
    );
    site.reads.appSettings = result.status;
    if (result.value) site.appSettings = pickAuditedSettings(result.value.properties ?? {});
  }
}

/** Of all app settings, only these two are ever kept (DESIGN.md): values of others may be secrets. */
function pickAuditedSettings(settings: Record<string, string>): NonNullable<Site["appSettings"]> {
  const picked: NonNullable<Site["appSettings"]> = {};
  for (const [name, value] of Object.entries(settings)) {
    const upper = name.toUpperCase();
    if (upper === "WEBSITE_VNET_ROUTE_ALL") picked.WEBSITE_VNET_ROUTE_ALL = value;
    if (upper === "WEBSITE_DNS_SERVER") picked.WEBSITE_DNS_SERVER = value;
  }
  return picked;
}

/** VNets this subscription's sites integrate with (regional or gateway) that live elsewhere. */
async function addReferencedNetworks(clients: AzureClients, inventory: Inventory, ledger: CallLedger): Promise<void> {
  const known = new Set(inventory.virtualNetworks.map((vnet) => armKey(vnet.id)));
  const wanted = new Map<string, string>();
  const want = (vnetId: string | undefined) => {
    if (vnetId && !known.has(armKey(vnetId))) wanted.set(armKey(vnetId), vnetId);
  };
  for (const plan of inventory.plans) want(plan.virtualNetworkSubnetId && parentVirtualNetworkId(plan.virtualNetworkSubnetId));
  for (const site of inventory.sites) {
    want(site.virtualNetworkSubnetId && parentVirtualNetworkId(site.virtualNetworkSubnetId));
    for (const connection of site.vnetConnections ?? []) {
      const id = connection.vnetResourceId;
      want(id && (parentVirtualNetworkId(id) ?? id));
    }
  }
  for (const vnetId of wanted.values()) {
    const vnet = await getVirtualNetwork(clients, vnetId, ledger);
    if (vnet) inventory.virtualNetworks.push(vnet);
  }
}

async function getVirtualNetwork(clients: AzureClients, vnetId: string, ledger: CallLedger): Promise<VirtualNetwork | undefined> {
  const subscriptionId = subscriptionOf(vnetId);
  const resourceGroup = resourceGroupOf(vnetId);
  const name = resourceNameAfter(vnetId, "virtualNetworks");
  if (!subscriptionId || !resourceGroup || !name) return undefined;
  const vnet = await ledger.get("virtualNetworks.get", vnetId, () => clients.network(subscriptionId).virtualNetworks.get(resourceGroup, name));
  return vnet ? toVirtualNetwork(vnet, subscriptionId) : undefined;
}

/**
 * Gateways can't be listed per subscription; they are found through the GatewaySubnet's IP
 * configurations of the VNets that gateway-required connections point at. Every gateway in
 * that subnet is read, so an ExpressRoute gateway coexisting with the VPN gateway is seen.
 */
async function addGateways(clients: AzureClients, inventory: Inventory, ledger: CallLedger): Promise<void> {
  const vnetsById = new Map(inventory.virtualNetworks.map((vnet) => [armKey(vnet.id), vnet]));
  const gatewayVnets = new Map<string, VirtualNetwork>();
  for (const site of inventory.sites) {
    for (const connection of site.vnetConnections ?? []) {
      if (connection.isSwift || !connection.vnetResourceId) continue;
      const vnet = vnetsById.get(armKey(connection.vnetResourceId));
      if (vnet) gatewayVnets.set(armKey(vnet.id), vnet);
    }
  }
  const gateways: VirtualNetworkGateway[] = [];
  for (const vnet of gatewayVnets.values()) {
    for (const gatewayId of gatewayIdsIn(vnet)) {
      const subscriptionId = subscriptionOf(gatewayId);
      const resourceGroup = resourceGroupOf(gatewayId);
      const name = resourceNameAfter(gatewayId, "virtualNetworkGateways");
      if (!subscriptionId || !resourceGroup || !name) continue;
      const gateway = await ledger.get("virtualNetworkGateways.get", gatewayId, () =>
        clients.network(subscriptionId).virtualNetworkGateways.get(resourceGroup, name),
      );
      const normalized = gateway && toGateway(gateway, vnet.id, subscriptionId);
      if (normalized) gateways.push(normalized);
    }
  }
  inventory.gateways = gateways;
}

function gatewayIdsIn(vnet: VirtualNetwork): string[] {
  const gatewaySubnet = vnet.subnets.find((subnet) => subnet.name.toLowerCase() === "gatewaysubnet");
  const ids = (gatewaySubnet?.ipConfigurationIds ?? [])
    .map((id) => /^(.*\/providers\/Microsoft\.Network\/virtualNetworkGateways\/[^/]+)\//i.exec(id)?.[1])
    .filter((id): id is string => Boolean(id));
  return [...new Map(ids.map((id) => [armKey(id), id])).values()];
}


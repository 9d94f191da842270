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
import { isGatewayCapablePlan, isOutOfIntegrationScope, namesSubnet, regionalIntegrationSubnetId } from "../rules/terms.js";
import { siteNeedsRead } from "../rules/reads.js";
import { isRegionallyIntegrated } from "../rules/selectors.js";
import { ownersNeedResourceGroups } from "../engine/owners.js";
import { CallLedger } from "./calls.js";
import { zonesForInventory } from "./dns.js";
import type { SharedReads } from "./shared.js";
import {
  toAutoscaleSetting,
  toCertificate,
  toGateway,
  toPlan,
  toResourceGroup,
  toSite,
  toVirtualNetwork,
  toVnetConnection,
} from "./normalize.js";

export interface SubscriptionCollectOptions {
  /** Per-resource reads in flight at once for this subscription. */
  concurrency: number;
  /** Private DNS zones of the whole scope (read beforehand); the inventory gets those linked to its VNets. */
  privateDnsZones: PrivateDnsZone[];
  /** Errors already met for this subscription (its zone reads). */
  initialErrors?: CollectionError[];
  now?: () => Date;
  /** Reads shared by the subscriptions of one scan (hub VNets and gateways); without it each subscription reads its own. */
  shared?: SharedReads;
  /**
   * The owner tag the findings will be judged with (config `owners.tag`). Given, the
   * resource-group list is read only when some resource that can have a finding lacks that tag
   * on itself and its plan; without it (an inventory saved for a later `scan --from`, which may
   * name another tag) the list is read whenever something here can have a finding.
   */
  ownerTag?: string;
}

/**
 * Reads one subscription into an Inventory that can be evaluated on its own: its sites,
 * slots, plans, autoscale settings, VNets and certificates, plus whatever it references
 * elsewhere (integration VNets and gateways in a hub) and the scope's DNS zones.
 *
 * Lists carry almost everything. Per-resource calls are made only where a rule needs data
 * no list carries:
 * - VNet connections (gateway-required integration): one call per Windows plan of a tier
 *   that can hold such connections and hosts two or more sites, then per site only on plans
 *   whose list shows a gateway-required connection, or a regional one no site payload names;
 *   a plan hosting a single site is not asked, its site is (the same one call, and no second
 *   one); Linux plans and their sites are never asked (gateway-required integration only
 *   works for Windows plans);
 * - site config, for regionally integrated sites whose payload has no `outboundVnetRouting`;
 * - the two app settings, for regionally integrated sites whose site-level Route All is off.
 *
 * Request budget (docs/performance.md): 6 subscription-wide lists (sites, plans,
 * certificates, VNets, autoscale settings, resource groups; VNets and autoscale settings
 * skipped when the subscription has no site and no plan, resource groups when it has no site,
 * plan or certificate either, or when every one of them has its owner tag on itself or its
 * plan; the zone list is read beforehand, see tenant.ts) + 1 list per
 * resource group holding sites + 1 per multi-site Windows plan of a gateway-capable tier + the
 * per-site reads above + each referenced VNet and gateway outside the subscription (once
 * per scan with `shared`). Four dependent rounds of requests, whatever the size.
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

  // Each list is normalized as soon as it arrives: SDK objects are several times the size of
  // what the rules read, and are not kept while the rest of the subscription is collected.
  const listed = <T, R>(operation: string, pages: () => AsyncIterable<T>, normalize: (item: T, subscriptionId: string) => R | undefined) =>
    ledger.list(operation, scope, pages).then(({ items, ok }) => ({ items: ledger.normalizeEach(operation, items, (item) => normalize(item, subscriptionId)), ok }));

  // Round 1: the subscription-wide lists that everything else depends on.
  const plansListed = listed("appServicePlans.list", () => web.appServicePlans.list(), toPlan);
  const certificatesListed = listed("certificates.list", () => web.certificates.list(), toCertificate);
  const topLevel = await listed("webApps.list", () => web.webApps.list(), toSite);
  const plans = await plansListed;
  inventory.plans = plans.items;

  // Round 2, all at once: slots (per resource group), which plans' sites need their VNet
  // connections read, and the lists nothing else waits for. VNets and autoscale settings are
  // only ever judged through sites and plans: a subscription with neither (most of a large
  // tenant's) needs no more than the three lists above.
  const hasAppService = topLevel.items.length > 0 || plans.items.length > 0 || !topLevel.ok || !plans.ok;
  const certificates = await certificatesListed;
  const none = { items: [], ok: true };
  const [sites, connectionReads, networks, autoscale] = await Promise.all([
    listSlotsByResourceGroup(clients, subscriptionId, topLevel.items, ledger, options.concurrency),
    connectionReadsNeeded(clients, inventory.plans, topLevel.items.filter(inIntegrationScope), ledger, options.concurrency, plans.ok),
    hasAppService ? listed("virtualNetworks.listAll", () => network.virtualNetworks.listAll(), toVirtualNetwork) : none,
    hasAppService
      ? listed("autoscaleSettings.listBySubscription", () => clients.monitor(subscriptionId).autoscaleSettings.listBySubscription(), toAutoscaleSetting)
      : none,
  ]);
  inventory.sites = sites;
  inventory.virtualNetworks = networks.items;
  inventory.certificates = certificates.items;
  inventory.autoscaleSettings = autoscale.items;
  // Read beside rounds 3 and 4 (nothing waits for it), only when a group's tag can name an owner.
  const resourceGroupsListed = resourceGroupsNeeded(inventory, subscriptionId, options.ownerTag, [topLevel, plans, networks, certificates])
    ? listResourceGroups(clients, subscriptionId, ledger)
    : Promise.resolve([]);

  // Round 3: per-site reads, only where a rule needs them.
  const planOf = planLookup(inventory);
  await mapWithConcurrency(inventory.sites.filter(inIntegrationScope), options.concurrency, (site) =>
    readSiteDetails(clients, site, planOf(site), connectionReads.needed, ledger),
  );
  noteUnattributedRegionalIntegration(inventory, connectionReads.regionalOnlyInPlanList, planOf, ledger);

  // Round 4: what the sites reference outside the subscription (read once per scan with `shared`).
  await addReferencedNetworks(clients, inventory, ledger, options);
  await addGateways(clients, inventory, ledger, options);

  inventory.resourceGroups = await resourceGroupsListed;
  inventory.privateDnsZones = zonesForInventory(options.privateDnsZones, inventory);
  inventory.subscriptions = [{ ...subscription, status: ledger.status(), errors: ledger.errors }];
  return inventory;
}

/**
 * Resource groups only name owners (RULES.md "Owners"), after a finding's resource and its
 * plan: the list is read when something here can have a finding and, with the owner tag known,
 * some such resource lacks it on itself and its plan, or a list failed (what it would have
 * shown is unknown).
 */
function resourceGroupsNeeded(inventory: Inventory, subscriptionId: string, ownerTag: string | undefined, lists: Array<{ ok: boolean }>): boolean {
  if (lists.some((list) => !list.ok)) return true;
  if (inventory.sites.length === 0 && inventory.plans.length === 0 && inventory.certificates.length === 0) return false;
  return ownerTag === undefined || ownersNeedResourceGroups(inventory, ownerTag, subscriptionId);
}

/** A failed list is a coverage note (impact "owners"); owners then come from the resources' and plans' own tags. */
async function listResourceGroups(clients: AzureClients, subscriptionId: string, ledger: CallLedger): Promise<Inventory["resourceGroups"]> {
  const { items } = await ledger.listForOwners("resourceGroups.list", `/subscriptions/${subscriptionId}`, () => clients.resources(subscriptionId).resourceGroups.list());
  return ledger.normalizeEach("resourceGroups.list", items, (group) => toResourceGroup(group, subscriptionId));
}

/** Sites in an App Service Environment or on Container Apps are already in a network: no integration reads. */
function inIntegrationScope(site: Site): boolean {
  return !isOutOfIntegrationScope(site);
}

/** The plan of a site or slot; a slot without its own `serverFarmId` runs on its parent's plan. */
function planLookup(inventory: Inventory): (site: Site) => Plan | undefined {
  const plansById = new Map(inventory.plans.map((plan) => [armKey(plan.id), plan]));
  const sitesById = new Map(inventory.sites.map((site) => [armKey(site.id), site]));
  return (site) => {
    const planId = site.serverFarmId ?? (site.slotOf ? sitesById.get(armKey(site.slotOf))?.serverFarmId : undefined);
    return planId ? plansById.get(armKey(planId)) : undefined;
  };
}

/**
 * Sites and slots: the subscription-wide list names the resource groups that hold sites;
 * each of those is listed once with `includeSlots`, which returns the slots with their
 * properties (one call per resource group instead of one per site). If a resource group list
 * fails, its sites still come from the subscription list and the gap is recorded.
 *
 * Why both: the subscription-wide list is the only call that finds every site's resource
 * group (plans, certificates or VNets don't: a site may live apart from its plan, and
 * Functions on Container Apps have none), but it returns no slots; listing every resource
 * group instead would cost one call per group, most of which hold no site.
 */
async function listSlotsByResourceGroup(
  clients: AzureClients,
  subscriptionId: string,
  topLevel: Site[],
  ledger: CallLedger,
  concurrency: number,
): Promise<Site[]> {
  const web = clients.web(subscriptionId);
  const byResourceGroup = new Map<string, Site[]>();
  for (const site of topLevel) {
    if (!site.resourceGroup) continue;
    const key = site.resourceGroup.toLowerCase();
    byResourceGroup.set(key, [...(byResourceGroup.get(key) ?? []), site]);
  }
  const perGroup = await mapWithConcurrency([...byResourceGroup.values()], concurrency, async (groupSites) => {
    const { resourceGroup } = groupSites[0]!;
    const listed = await ledger.list(
      "webApps.listByResourceGroup",
      `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`,
      () => web.webApps.listByResourceGroup(resourceGroup, { includeSlots: true }),
    );
    return listed.ok ? ledger.normalizeEach("webApps.listByResourceGroup", listed.items, (site) => toSite(site, subscriptionId)) : groupSites;
  });
  const seen = new Set<string>();
  const sites: Site[] = [];
  for (const site of perGroup.flat()) {
    if (seen.has(armKey(site.id))) continue;
    seen.add(armKey(site.id));
    sites.push(site);
  }
  return sites;
}

interface ConnectionReads {
  /** Whether a site (or slot) must be asked for its VNet connections. */
  needed: (site: Site, plan: Plan | undefined) => boolean;
  /**
   * Per plan (lower-cased ID): subnets its VNet-connection list shows as regional (`isSwift`)
   * that no site payload on it names. Its sites are read; what they don't explain is a gap.
   */
  regionalOnlyInPlanList: Map<string, string[]>;
}

/**
 * Which sites must be asked for their VNet connections. Gateway-required connections show
 * at plan level too, so one call per capable plan hosting two or more sites replaces one per
 * site (and slot); a plan hosting one site is not asked, its site (and slots) are. Plans of
 * other tiers, and Linux plans, can't hold gateway-required connections. When the plan list
 * itself failed, or a site's plan is unknown, the site is asked.
 *
 * A plan's list can also show regional integration that no site payload names (RULES.md
 * "Regional integration": a VNet connection with `isSwift`); then its sites are read too,
 * since only their own connection lists say which of them integrates there.
 *
 * Decided from the subscription-wide site list, so the plan calls run while slots are listed.
 */
async function connectionReadsNeeded(
  clients: AzureClients,
  plans: Plan[],
  topLevelSites: Site[],
  ledger: CallLedger,
  concurrency: number,
  planListComplete: boolean,
): Promise<ConnectionReads> {
  const regionalOnlyInPlanList = new Map<string, string[]>();
  if (!planListComplete) return { needed: (site, plan) => siteNeedsRead("vnetConnections", site, plan), regionalOnlyInPlanList };
  const sitesPerPlan = new Map<string, Site[]>();
  for (const site of topLevelSites) {
    if (site.serverFarmId) sitesPerPlan.set(armKey(site.serverFarmId), [...(sitesPerPlan.get(armKey(site.serverFarmId)) ?? []), site]);
  }
  const askedPlans = plans.filter((plan) => isGatewayCapablePlan(plan) && (sitesPerPlan.get(armKey(plan.id))?.length ?? 0) >= 2);
  const flagged = new Set<string>();
  await mapWithConcurrency(askedPlans, concurrency, async (plan) => {
    const result = await ledger.read(
      "appServicePlans.listVnets",
      plan.id,
      () => clients.web(plan.subscriptionId).appServicePlans.listVnets(plan.resourceGroup, plan.name),
      { forbiddenIsCoverageGap: false },
    );
    // A failed plan read means we can't rule gateway connections out: ask its sites.
    const connections = Array.isArray(result.value) ? result.value : [];
    if (result.status === "failed" || result.status === "forbidden" || connections.some((connection) => connection.isSwift !== true)) {
      flagged.add(armKey(plan.id));
    }
    const named = new Set([plan.virtualNetworkSubnetId, ...(sitesPerPlan.get(armKey(plan.id)) ?? []).map((site) => site.virtualNetworkSubnetId)].filter((id): id is string => id !== undefined).map(armKey));
    const unnamed = connections.flatMap((connection) =>
      connection.isSwift === true && namesSubnet(connection.vnetResourceId) && !named.has(armKey(connection.vnetResourceId)) ? [connection.vnetResourceId] : [],
    );
    if (unnamed.length > 0) {
      flagged.add(armKey(plan.id));
      regionalOnlyInPlanList.set(armKey(plan.id), unnamed);
    }
  });
  const asked = new Set(askedPlans.map((plan) => armKey(plan.id)));
  // Which sites a rule needs the list of (rules/reads.ts), narrowed by what their plan's list showed.
  const needed = (site: Site, plan: Plan | undefined) =>
    siteNeedsRead("vnetConnections", site, plan) && (!plan || !asked.has(armKey(plan.id)) || flagged.has(armKey(plan.id)));
  return { needed, regionalOnlyInPlanList };
}

/**
 * A regional connection a plan's list shows, that none of its sites' payloads or connection
 * lists could be matched to (a site the lists missed, a read that failed), is recorded as a
 * coverage gap on the subscription: the subnet's findings may lack those sites.
 */
function noteUnattributedRegionalIntegration(
  inventory: Inventory,
  regionalOnlyInPlanList: Map<string, string[]>,
  planOf: (site: Site) => Plan | undefined,
  ledger: CallLedger,
): void {
  for (const plan of inventory.plans) {
    const subnetIds = regionalOnlyInPlanList.get(armKey(plan.id));
    if (!subnetIds) continue;
    const explained = new Set(
      inventory.sites
        .filter((site) => planOf(site) === plan)
        .map((site) => regionalIntegrationSubnetId(site, plan))
        .filter((id): id is string => id !== undefined)
        .map(armKey),
    );
    for (const subnetId of subnetIds.filter((id) => !explained.has(armKey(id)))) {
      ledger.noteGap({
        operation: "appServicePlans.listVnets",
        resourceId: plan.id,
        code: "RegionalIntegrationNotAttributed",
        message: `Plan ${plan.name} lists regional VNet integration into ${subnetId}, but none of its sites or slots could be matched to it: that subnet's findings may miss them.`,
      });
    }
  }
}

/**
 * The per-site reads a site needs (rules/reads.ts): its VNet connections when a rule can select
 * it for them, then what decides Route All when it is regionally integrated. When the payload
 * already shows regional integration both go out at once; otherwise a regional (swift)
 * connection in the list is what makes the Route All reads necessary.
 */
async function readSiteDetails(
  clients: AzureClients,
  site: Site,
  plan: Plan | undefined,
  needsConnections: (site: Site, plan: Plan | undefined) => boolean,
  ledger: CallLedger,
): Promise<void> {
  const connections = needsConnections(site, plan) ? readVnetConnections(clients, site, ledger) : undefined;
  if (!isRegionallyIntegrated(site, plan)) await connections;
  await readRouteAllSources(clients, site, plan, ledger);
  await connections;
}

function siteAndSlot(site: Site): { resourceGroup: string; siteName: string; slotName: string | undefined } {
  const [siteName, slotName] = site.name.split("/") as [string, string | undefined];
  return { resourceGroup: site.resourceGroup, siteName, slotName };
}

async function readVnetConnections(clients: AzureClients, site: Site, ledger: CallLedger): Promise<void> {
  const web = clients.web(site.subscriptionId).webApps;
  const { resourceGroup, siteName, slotName } = siteAndSlot(site);
  const result = await ledger.read(
    "webApps.listVnetConnections",
    site.id,
    () => (slotName ? web.listVnetConnectionsSlot(resourceGroup, siteName, slotName) : web.listVnetConnections(resourceGroup, siteName)),
    { forbiddenIsCoverageGap: false },
  );
  site.reads.vnetConnections = result.status;
  if (result.value) site.vnetConnections = ledger.normalizeEach("webApps.listVnetConnections", Array.isArray(result.value) ? result.value : [], toVnetConnection);
}

async function readRouteAllSources(clients: AzureClients, site: Site, plan: Plan | undefined, ledger: CallLedger): Promise<void> {
  const web = clients.web(site.subscriptionId).webApps;
  const { resourceGroup, siteName, slotName } = siteAndSlot(site);

  // Only when the payload lacks outboundVnetRouting, which carries the same setting.
  if (siteNeedsRead("config", site, plan)) {
    const result = await ledger.read(
      "webApps.getConfiguration",
      site.id,
      () => (slotName ? web.getConfigurationSlot(resourceGroup, siteName, slotName) : web.getConfiguration(resourceGroup, siteName)),
      { forbiddenIsCoverageGap: false },
    );
    site.reads.config = result.status;
    if (result.value) site.vnetRouteAllEnabled = result.value.vnetRouteAllEnabled === true;
  }

  // Only when site-level Route All is off (config read first): otherwise no app setting changes a verdict.
  if (siteNeedsRead("appSettings", site, plan)) {
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

/** Of all app settings, only these two are ever kept (docs/ARCHITECTURE.md, Scan result): values of others may be secrets. */
export function pickAuditedSettings(settings: Record<string, string>): NonNullable<Site["appSettings"]> {
  const picked: NonNullable<Site["appSettings"]> = {};
  for (const [name, value] of Object.entries(settings)) {
    const upper = name.toUpperCase();
    if (upper === "WEBSITE_VNET_ROUTE_ALL") picked.WEBSITE_VNET_ROUTE_ALL = value;
    if (upper === "WEBSITE_DNS_SERVER") picked.WEBSITE_DNS_SERVER = value;
  }
  return picked;
}

type ReadOptions = Pick<SubscriptionCollectOptions, "concurrency" | "shared">;

/** A GET through the scan's shared reads when there are any (the value is shared, never mutated). */
function sharedGet<T>(options: ReadOptions, key: string, read: () => Promise<T>): Promise<T> {
  return options.shared ? options.shared.once(key, read) : read();
}

/** IDs of the VNets the inventory's sites and plans integrate with (regional or gateway) that its own VNet list lacks. */
export function missingReferencedVirtualNetworkIds(inventory: Inventory): string[] {
  const known = new Set(inventory.virtualNetworks.map((vnet) => armKey(vnet.id)));
  const wanted = new Map<string, string>();
  // Only Resource Manager VNets: a classic (Microsoft.ClassicNetwork) one can't be read here.
  const want = (vnetId: string | undefined) => {
    if (vnetId && /\/providers\/Microsoft\.Network\/virtualNetworks\//i.test(vnetId) && !known.has(armKey(vnetId))) wanted.set(armKey(vnetId), vnetId);
  };
  for (const plan of inventory.plans) want(plan.virtualNetworkSubnetId && parentVirtualNetworkId(plan.virtualNetworkSubnetId));
  for (const site of inventory.sites) {
    want(site.virtualNetworkSubnetId && parentVirtualNetworkId(site.virtualNetworkSubnetId));
    for (const connection of site.vnetConnections ?? []) {
      const id = connection.vnetResourceId;
      want(id && (parentVirtualNetworkId(id) ?? id));
    }
  }
  return [...wanted.values()];
}

/** VNets this subscription's sites integrate with (regional or gateway) that live elsewhere. */
async function addReferencedNetworks(clients: AzureClients, inventory: Inventory, ledger: CallLedger, options: ReadOptions): Promise<void> {
  const found = await mapWithConcurrency(missingReferencedVirtualNetworkIds(inventory), options.concurrency, (vnetId) => getVirtualNetwork(clients, vnetId, ledger, options));
  inventory.virtualNetworks.push(...found.filter((vnet): vnet is VirtualNetwork => vnet !== undefined));
}

async function getVirtualNetwork(clients: AzureClients, vnetId: string, ledger: CallLedger, options: ReadOptions): Promise<VirtualNetwork | undefined> {
  const subscriptionId = subscriptionOf(vnetId);
  const resourceGroup = resourceGroupOf(vnetId);
  const name = resourceNameAfter(vnetId, "virtualNetworks");
  if (!subscriptionId || !resourceGroup || !name) return undefined;
  return ledger.get("virtualNetworks.get", vnetId, () =>
    sharedGet(options, vnetId, async () => toVirtualNetwork(await clients.network(subscriptionId).virtualNetworks.get(resourceGroup, name), subscriptionId)),
  );
}

/**
 * Gateways can't be listed per subscription; they are found through the GatewaySubnet's IP
 * configurations of the VNets that gateway-required connections point at. Every gateway in
 * that subnet is read, so an ExpressRoute gateway coexisting with the VPN gateway is seen.
 */
async function addGateways(clients: AzureClients, inventory: Inventory, ledger: CallLedger, options: ReadOptions): Promise<void> {
  const vnetsById = new Map(inventory.virtualNetworks.map((vnet) => [armKey(vnet.id), vnet]));
  const gatewayVnets = new Map<string, VirtualNetwork>();
  for (const site of inventory.sites) {
    for (const connection of site.vnetConnections ?? []) {
      if (connection.isSwift || !connection.vnetResourceId) continue;
      const vnet = vnetsById.get(armKey(connection.vnetResourceId));
      if (vnet) gatewayVnets.set(armKey(vnet.id), vnet);
    }
  }
  const wanted = [...gatewayVnets.values()].flatMap((vnet) => gatewayIdsIn(vnet).map((gatewayId) => ({ gatewayId, vnet })));
  const gateways = await mapWithConcurrency(wanted, options.concurrency, async ({ gatewayId, vnet }) => {
    const subscriptionId = subscriptionOf(gatewayId);
    const resourceGroup = resourceGroupOf(gatewayId);
    const name = resourceNameAfter(gatewayId, "virtualNetworkGateways");
    if (!subscriptionId || !resourceGroup || !name) return undefined;
    return ledger.get("virtualNetworkGateways.get", gatewayId, () =>
      sharedGet(options, `${gatewayId}|${vnet.id}`, async () =>
        toGateway(await clients.network(subscriptionId).virtualNetworkGateways.get(resourceGroup, name), vnet.id, subscriptionId),
      ),
    );
  });
  inventory.gateways = gateways.filter((gateway): gateway is VirtualNetworkGateway => gateway !== undefined);
}

function gatewayIdsIn(vnet: VirtualNetwork): string[] {
  const gatewaySubnet = vnet.subnets.find((subnet) => subnet.name.toLowerCase() === "gatewaysubnet");
  const ids = (gatewaySubnet?.ipConfigurationIds ?? [])
    .map((id) => /^(.*\/providers\/Microsoft\.Network\/virtualNetworkGateways\/[^/]+)\//i.exec(id)?.[1])
    .filter((id): id is string => Boolean(id));
  return [...new Map(ids.map((id) => [armKey(id), id])).values()];
}


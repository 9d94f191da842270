/**
 * The naive strategy the benchmark compares against: what a script over `az webapp` commands
 * does. It finds sites with the subscription-wide list and slots with one `listSlots` per
 * site, then reads, for every site and slot, its configuration, its VNet connections and its
 * app settings. The subscription-level lists (plans, VNets, certificates, autoscale, and
 * resource groups, `az group list`, for the owner tags), the
 * scope's private DNS zones and the referenced hub VNets and gateways are read as the real
 * collector reads them, so both strategies see the same data and the same rules
 * (`evaluateInventory`) judge both: the findings can be compared one for one.
 *
 * Its clients are plain SDK clients without vnet-audit's throttling policy (the SDK's own
 * pipeline still waits out a 429's Retry-After, as az does).
 */
import type { TokenCredential } from "@azure/core-auth";
import { WebSiteManagementClient, type Site as SdkSite } from "@azure/arm-appservice";
import { ResourceManagementClient } from "@azure/arm-resources";
import { MonitorClient } from "@azure/arm-monitor";
import { NetworkManagementClient } from "@azure/arm-network";
import { PrivateDnsManagementClient } from "@azure/arm-privatedns";
import { ManagementGroupsAPI } from "@azure/arm-managementgroups";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import type { AzureClients } from "../src/azure/clients.js";
import { CallLedger } from "../src/collect/calls.js";
import {
  toAutoscaleSetting,
  toCertificate,
  toGateway,
  toPlan,
  toResourceGroup,
  toSite,
  toVirtualNetwork,
  toVnetConnection,
} from "../src/collect/normalize.js";
import { isAudited, resolveScope } from "../src/collect/scope.js";
import { missingReferencedVirtualNetworkIds, pickAuditedSettings } from "../src/collect/subscription.js";
import { collectScopeZones } from "../src/collect/tenant.js";
import { dedupeFindings, evaluateInventory } from "../src/engine/evaluate.js";
import type { Finding } from "../src/model/finding.js";
import { emptyInventory, type Inventory, type PrivateDnsZone, type Site, type SubscriptionRecord, type VirtualNetwork } from "../src/model/inventory.js";
import { armKey, resourceGroupOf, resourceNameAfter, subscriptionOf } from "../src/util/arm-id.js";
import { mapWithConcurrency } from "../src/util/concurrency.js";

export interface NaiveOptions {
  endpoint: string;
  credential: TokenCredential;
  /** Subscriptions scanned at once. */
  subscriptionConcurrency: number;
  /** Per-site reads in flight within one subscription. */
  readConcurrency: number;
  now?: Date;
}

export interface NaiveResult {
  subscriptions: SubscriptionRecord[];
  findings: Finding[];
}

/** SDK clients with their default pipelines, pointed at `endpoint` with the matching token scope. */
export function plainClients(endpoint: string, credential: TokenCredential): AzureClients {
  const scopes = [`${endpoint}/.default`];
  const classic = { endpoint, $host: endpoint, credentialScopes: scopes };
  const modular = { endpoint, credentials: { scopes } };
  const cached = <T>(create: (subscriptionId: string) => T) => {
    const cache = new Map<string, T>();
    return (subscriptionId: string) => cache.get(subscriptionId) ?? cache.set(subscriptionId, create(subscriptionId)).get(subscriptionId)!;
  };
  return {
    endpoint,
    subscriptions: new SubscriptionClient(credential, classic),
    managementGroups: new ManagementGroupsAPI(credential, classic),
    web: cached((id) => new WebSiteManagementClient(credential, id, modular)),
    network: cached((id) => new NetworkManagementClient(credential, id, classic)),
    privateDns: cached((id) => new PrivateDnsManagementClient(credential, id, classic)),
    monitor: cached((id) => new MonitorClient(credential, id, classic)),
    resources: cached((id) => new ResourceManagementClient(credential, id, classic)),
  };
}

export async function naiveAudit(options: NaiveOptions): Promise<NaiveResult> {
  const now = options.now ?? new Date();
  const clients = plainClients(options.endpoint, options.credential);
  const scope = await resolveScope(clients, []);
  const { zones } = await collectScopeZones(clients, scope, options.subscriptionConcurrency);
  const findings: Finding[] = [];
  const records: SubscriptionRecord[] = [];
  await mapWithConcurrency(scope, options.subscriptionConcurrency, async (record) => {
    if (!isAudited(record)) {
      records.push(record);
      return;
    }
    const inventory = await naiveSubscription(clients, record, zones, options.readConcurrency, now);
    records.push(...inventory.subscriptions);
    findings.push(...evaluateInventory(inventory, { now }));
  });
  return { subscriptions: records, findings: dedupeFindings(findings) };
}

async function naiveSubscription(clients: AzureClients, record: SubscriptionRecord, zones: PrivateDnsZone[], concurrency: number, now: Date): Promise<Inventory> {
  const { subscriptionId } = record;
  const scope = `/subscriptions/${subscriptionId}`;
  const ledger = new CallLedger();
  const web = clients.web(subscriptionId);
  const inventory = emptyInventory(now.toISOString());
  inventory.privateDnsZones = zones;

  // az webapp list, then az webapp deployment slot list for every app.
  const listed = await ledger.list("webApps.list", scope, () => web.webApps.list());
  const withSlots = await mapWithConcurrency(listed.items, concurrency, async (site): Promise<SdkSite[]> => {
    const resourceGroup = site.id ? resourceGroupOf(site.id) : undefined;
    if (!resourceGroup || !site.name) return [site];
    const slots = await ledger.list("webApps.listSlots", site.id!, () => web.webApps.listSlots(resourceGroup, site.name!));
    return [site, ...slots.items];
  });
  inventory.sites = withSlots.flat().flatMap((site) => toSite(site, subscriptionId) ?? []);

  const [plans, networks, certificates, autoscale, resourceGroups] = await Promise.all([
    ledger.list("appServicePlans.list", scope, () => web.appServicePlans.list()),
    ledger.list("virtualNetworks.listAll", scope, () => clients.network(subscriptionId).virtualNetworks.listAll()),
    ledger.list("certificates.list", scope, () => web.certificates.list()),
    ledger.list("autoscaleSettings.listBySubscription", scope, () => clients.monitor(subscriptionId).autoscaleSettings.listBySubscription()),
    ledger.list("resourceGroups.list", scope, () => clients.resources(subscriptionId).resourceGroups.list()),
  ]);
  inventory.plans = plans.items.flatMap((plan) => toPlan(plan, subscriptionId) ?? []);
  inventory.virtualNetworks = networks.items.flatMap((vnet) => toVirtualNetwork(vnet, subscriptionId) ?? []);
  inventory.certificates = certificates.items.flatMap((certificate) => toCertificate(certificate, subscriptionId) ?? []);
  inventory.autoscaleSettings = autoscale.items.flatMap((setting) => toAutoscaleSetting(setting, subscriptionId) ?? []);
  inventory.resourceGroups = resourceGroups.items.flatMap((group) => toResourceGroup(group, subscriptionId) ?? []);

  // az webapp config show, az webapp vnet-integration list, az webapp config appsettings list.
  await mapWithConcurrency(inventory.sites, concurrency, (site) => readEverything(clients, site, ledger));

  await addReferencedNetworks(clients, inventory, ledger);
  await addGateways(clients, inventory, ledger);
  inventory.subscriptions = [{ ...record, status: ledger.status(), errors: ledger.errors }];
  return inventory;
}

async function readEverything(clients: AzureClients, site: Site, ledger: CallLedger): Promise<void> {
  const web = clients.web(site.subscriptionId).webApps;
  const { resourceGroup } = site;
  const [siteName, slotName] = site.name.split("/") as [string, string | undefined];
  const options = { forbiddenIsCoverageGap: true };

  const config = await ledger.read(
    "webApps.getConfiguration",
    site.id,
    () => (slotName ? web.getConfigurationSlot(resourceGroup, siteName, slotName) : web.getConfiguration(resourceGroup, siteName)),
    options,
  );
  site.reads.config = config.status;
  if (config.value) site.vnetRouteAllEnabled = config.value.vnetRouteAllEnabled === true;

  const connections = await ledger.read(
    "webApps.listVnetConnections",
    site.id,
    () => (slotName ? web.listVnetConnectionsSlot(resourceGroup, siteName, slotName) : web.listVnetConnections(resourceGroup, siteName)),
    options,
  );
  site.reads.vnetConnections = connections.status;
  if (connections.value) site.vnetConnections = connections.value.map(toVnetConnection);

  const settings = await ledger.read(
    "webApps.listApplicationSettings",
    site.id,
    () => (slotName ? web.listApplicationSettingsSlot(resourceGroup, siteName, slotName) : web.listApplicationSettings(resourceGroup, siteName)),
    options,
  );
  site.reads.appSettings = settings.status;
  if (settings.value) {
    site.appSettings = pickAuditedSettings(settings.value.properties ?? {});
  }
}

/** Every VNet the sites integrate with that the subscription's own list did not return, one GET each. */
async function addReferencedNetworks(clients: AzureClients, inventory: Inventory, ledger: CallLedger): Promise<void> {
  for (const vnetId of missingReferencedVirtualNetworkIds(inventory)) {
    const subscriptionId = subscriptionOf(vnetId);
    const resourceGroup = resourceGroupOf(vnetId);
    const name = resourceNameAfter(vnetId, "virtualNetworks");
    if (!subscriptionId || !resourceGroup || !name) continue;
    const vnet = await ledger.get("virtualNetworks.get", vnetId, () => clients.network(subscriptionId).virtualNetworks.get(resourceGroup, name));
    const normalized = vnet && toVirtualNetwork(vnet, subscriptionId);
    if (normalized) inventory.virtualNetworks.push(normalized);
  }
}

/** The gateways in the GatewaySubnet of every VNet a gateway-required connection points at. */
async function addGateways(clients: AzureClients, inventory: Inventory, ledger: CallLedger): Promise<void> {
  const vnetsById = new Map(inventory.virtualNetworks.map((vnet) => [armKey(vnet.id), vnet]));
  const gatewayVnets = new Map<string, VirtualNetwork>();
  for (const site of inventory.sites) {
    for (const connection of site.vnetConnections ?? []) {
      const vnet = !connection.isSwift && connection.vnetResourceId ? vnetsById.get(armKey(connection.vnetResourceId)) : undefined;
      if (vnet) gatewayVnets.set(armKey(vnet.id), vnet);
    }
  }
  for (const vnet of gatewayVnets.values()) {
    const subnet = vnet.subnets.find((candidate) => candidate.name.toLowerCase() === "gatewaysubnet");
    const ids = new Set((subnet?.ipConfigurationIds ?? []).flatMap((id) => /^(.*\/virtualNetworkGateways\/[^/]+)\//i.exec(id)?.[1] ?? []));
    for (const gatewayId of ids) {
      const subscriptionId = subscriptionOf(gatewayId);
      const resourceGroup = resourceGroupOf(gatewayId);
      const name = resourceNameAfter(gatewayId, "virtualNetworkGateways");
      if (!subscriptionId || !resourceGroup || !name) continue;
      const gateway = await ledger.get("virtualNetworkGateways.get", gatewayId, () =>
        clients.network(subscriptionId).virtualNetworkGateways.get(resourceGroup, name),
      );
      const normalized = gateway && toGateway(gateway, vnet.id, subscriptionId);
      if (normalized) inventory.gateways.push(normalized);
    }
  }
}

/**
 * The "Terms" of RULES.md as small pure functions, plus the inventory index the rules share.
 *
 * Every rule builds on these definitions so that "Linux site", "regional integration",
 * "Effective Route All", "usable addresses" and friends mean exactly one thing across the
 * catalog. Conventions:
 *
 * - ARM IDs compare case-insensitively everywhere (Azure itself is inconsistent about the
 *   case of resource group and provider segments): `armKey` / `sameArmId` from util/arm-id.ts.
 * - Day counts for an instant (a certificate's NotAfter) are whole days left:
 *   `floor((instant − now) / 86 400 000)`. "Within N days" means `days <= N`, so a
 *   certificate with 14 days and 23 hours left is "within 14 days". A negative count means
 *   the instant has passed (expired).
 * - Day counts for a calendar date (the 2027-03-31 retirement) count UTC calendar days:
 *   a whole calendar day is either before, on or after the date, whatever the hour.
 * - Rules read the clock only through `RuleContext.now`.
 */
import type {
  AutoscaleProfile,
  AutoscaleSetting,
  Inventory,
  Plan,
  PrivateDnsZone,
  Site,
  Subnet,
  VirtualNetwork,
  VirtualNetworkGateway,
  VnetConnection,
} from "../model/inventory.js";
import { armKey, parentVirtualNetworkId, sameArmId } from "../util/arm-id.js";
import type { RuleResult } from "./rule.js";

// ---------------------------------------------------------------------------------------------
// ARM IDs (parsing lives in util/arm-id.ts; these are the rule-side questions)

/** Gateway-required VNet integration is retired on this date (RULES.md; the 2026-01 retirement notice). */
export const GATEWAY_INTEGRATION_RETIREMENT_DATE = "2027-03-31";

/** True when the ID is a Resource Manager subnet (`.../virtualNetworks/{vnet}/subnets/{subnet}`). */
export function namesSubnet(id: string | undefined): id is string {
  return id !== undefined && parentVirtualNetworkId(id) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Sites

/** `kind` as lower-cased tokens: "app,linux,container" -> ["app", "linux", "container"]. */
export function kindTokens(kind: string | undefined): string[] {
  return (kind ?? "")
    .split(",")
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
}

/** RULES.md "Linux site": `reserved`, a `linux` kind token, or a reserved (Linux) plan. */
export function isLinuxSite(site: Site, plan: Plan | undefined): boolean {
  return site.reserved === true || kindTokens(site.kind).includes("linux") || plan?.reserved === true;
}

/**
 * A Linux plan: `reserved`, or a `linux` kind token. Gateway-required integration "only works
 * for Windows plans", so collection never asks a Linux plan (or its sites) for VNet connections.
 */
export function isLinuxPlan(plan: Plan): boolean {
  return plan.reserved === true || kindTokens(plan.kind).includes("linux");
}

/** RULES.md "Windows container site": Hyper-V, or both `container` and `windows` kind tokens. */
export function isWindowsContainerSite(site: Site): boolean {
  const tokens = kindTokens(site.kind);
  return site.hyperV === true || (tokens.includes("container") && tokens.includes("windows"));
}

/**
 * Sites in an App Service Environment or on Container Apps are already inside a network, so
 * the VNet-integration rules do not apply to them. A plan in an ASE puts its sites there too.
 */
export function isOutOfIntegrationScope(site: Site, plan?: Plan): boolean {
  return Boolean(site.hostingEnvironmentId || site.managedEnvironmentId || plan?.hostingEnvironmentId);
}

/**
 * RULES.md "Regional integration": the subnet the site integrates into, from the site's
 * `virtualNetworkSubnetId`, else the plan's `network.virtualNetworkSubnetId`, else a VNet
 * connection with `isSwift` whose `vnetResourceId` is a subnet. Undefined: no regional integration.
 */
export function regionalIntegrationSubnetId(site: Site, plan: Plan | undefined): string | undefined {
  if (namesSubnet(site.virtualNetworkSubnetId)) return site.virtualNetworkSubnetId;
  if (namesSubnet(plan?.virtualNetworkSubnetId)) return plan.virtualNetworkSubnetId;
  return site.vnetConnections?.find((connection) => connection.isSwift && namesSubnet(connection.vnetResourceId))
    ?.vnetResourceId;
}

/** RULES.md "Gateway-required integration": the site's VNet connections whose `isSwift` is not true. */
export function gatewayConnections(site: Site): VnetConnection[] {
  return (site.vnetConnections ?? []).filter((connection) => connection.isSwift !== true);
}

/** The VNet's name for messages: the last segment of `vnetResourceId`, else the connection's name. */
export function connectionVnetName(connection: VnetConnection): string {
  return connection.vnetResourceId?.split("/").pop() || connection.name;
}

/** Regional or gateway-required integration of any kind. */
export function hasVnetIntegration(site: Site, plan: Plan | undefined): boolean {
  return regionalIntegrationSubnetId(site, plan) !== undefined || gatewayConnections(site).length > 0;
}

/**
 * What the collector could read beyond the site payload, reported as coverage in evidence:
 * whether the per-site reads behind Route All are known. `notNeeded` counts as known:
 * collection skips site config when the payload's outboundVnetRouting already carries the
 * same setting, and skips app settings when site-level Route All is on.
 */
export function readCoverage(site: Site): { siteConfigReadable: boolean; appSettingsReadable: boolean } {
  const known = (status: Site["reads"]["config"]) => status === "read" || status === "notNeeded";
  return { siteConfigReadable: known(site.reads.config), appSettingsReadable: known(site.reads.appSettings) };
}

// ---------------------------------------------------------------------------------------------
// Effective Route All

export const ROUTE_ALL_SOURCES = [
  "outboundVnetRouting.allTraffic",
  "outboundVnetRouting.applicationTraffic",
  "siteConfig.vnetRouteAllEnabled",
  "WEBSITE_VNET_ROUTE_ALL",
] as const;
export type RouteAllSource = (typeof ROUTE_ALL_SOURCES)[number];

/** The sources that live on the site resource itself, the ones Azure Policy can see. */
export const SITE_LEVEL_ROUTE_ALL_SOURCES: readonly RouteAllSource[] = [
  "outboundVnetRouting.allTraffic",
  "outboundVnetRouting.applicationTraffic",
  "siteConfig.vnetRouteAllEnabled",
];

export interface EffectiveRouteAll {
  /** True when any source that could be read is true. */
  enabled: boolean;
  /** The sources that are true. */
  enabledBy: RouteAllSource[];
  /** Sources whose value is known (false when absent). */
  read: RouteAllSource[];
  /** Sources the collector could not read (siteConfig, app settings): their value is unknown. */
  unread: RouteAllSource[];
}

/** The legacy app setting enables Route All when it is `1` or `true`, in any case. */
export function isRouteAllAppSettingOn(value: string | undefined): boolean {
  return value !== undefined && (value === "1" || value.toLowerCase() === "true");
}

/**
 * RULES.md "Effective Route All". `outboundVnetRouting` comes with the site itself, so it is
 * always known; `siteConfig` and app settings need their own reads (app settings need
 * `config/list/action`, which Reader lacks) and are reported as unread unless those reads
 * succeeded (`reads.* === "read"`): a stale or absent value is never taken for false.
 */
export function effectiveRouteAll(site: Site): EffectiveRouteAll {
  const { siteConfigReadable, appSettingsReadable } = readCoverage(site);
  const values: [RouteAllSource, boolean | undefined][] = [
    ["outboundVnetRouting.allTraffic", site.outboundVnetRouting?.allTraffic === true],
    ["outboundVnetRouting.applicationTraffic", site.outboundVnetRouting?.applicationTraffic === true],
    ["siteConfig.vnetRouteAllEnabled", siteConfigReadable ? site.vnetRouteAllEnabled === true : undefined],
    [
      "WEBSITE_VNET_ROUTE_ALL",
      appSettingsReadable ? isRouteAllAppSettingOn(site.appSettings?.WEBSITE_VNET_ROUTE_ALL) : undefined,
    ],
  ];
  const enabledBy = values.filter(([, value]) => value === true).map(([source]) => source);
  return {
    enabled: enabledBy.length > 0,
    enabledBy,
    read: values.filter(([, value]) => value !== undefined).map(([source]) => source),
    unread: values.filter(([, value]) => value === undefined).map(([source]) => source),
  };
}

// ---------------------------------------------------------------------------------------------
// DNS

/** The Azure-provided resolver's virtual IP ("What is IP address 168.63.129.16?", Microsoft Learn). */
export const AZURE_PROVIDED_DNS_ADDRESS = "168.63.129.16";

/**
 * True when a DNS server list leaves resolution to Azure-provided DNS: empty (the real shape
 * when nothing is set is `dhcpOptions: { dnsServers: [] }`), or naming only 168.63.129.16.
 * Any other address is a custom resolver, which does not see the VNet's private zones for the app.
 */
export function namesOnlyAzureProvidedDns(servers: readonly string[]): boolean {
  return servers.every((server) => server.trim() === AZURE_PROVIDED_DNS_ADDRESS);
}

// ---------------------------------------------------------------------------------------------
// Addresses

export interface IPv4Cidr {
  /** The network address as an unsigned 32-bit number, host bits cleared. */
  network: number;
  length: number;
}

/** Parses `a.b.c.d/len`; undefined for IPv6 or anything malformed. */
export function parseIPv4Cidr(prefix: string): IPv4Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(prefix.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const length = Number(match[5]);
  if (octets.some((octet) => octet > 255) || length > 32) return undefined;
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  return { network: address - (address % 2 ** (32 - length)), length };
}

export function isIPv6Prefix(prefix: string): boolean {
  return prefix.includes(":");
}

/** Azure reserves five addresses in every subnet prefix (network, gateway, 2 DNS, broadcast). */
const AZURE_RESERVED_ADDRESSES_PER_PREFIX = 5;

/** RULES.md "Usable addresses": 2^(32 − len) − 5 per IPv4 prefix, summed; IPv6 prefixes ignored. */
export function usableAddresses(prefixes: readonly string[]): number {
  return prefixes
    .map(parseIPv4Cidr)
    .filter((cidr) => cidr !== undefined)
    .reduce((sum, cidr) => sum + Math.max(0, 2 ** (32 - cidr.length) - AZURE_RESERVED_ADDRESSES_PER_PREFIX), 0);
}

/** RULES.md "Safe instances": scaling up or down doubles the addresses in use for a while. */
export function safeInstances(usable: number): number {
  return Math.floor(usable / 2);
}

/** The RFC 1918 private blocks a gateway's point-to-site pool must lie in. */
const RFC1918_BLOCKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((block) => parseIPv4Cidr(block)!);

function contains(outer: IPv4Cidr, inner: IPv4Cidr): boolean {
  return inner.length >= outer.length && inner.network - (inner.network % 2 ** (32 - outer.length)) === outer.network;
}

/** True when the whole prefix lies inside 10/8, 172.16/12 or 192.168/16; false for IPv6 or malformed. */
export function isWithinRfc1918(prefix: string): boolean {
  const cidr = parseIPv4Cidr(prefix);
  return cidr !== undefined && RFC1918_BLOCKS.some((block) => contains(block, cidr));
}

// ---------------------------------------------------------------------------------------------
// Plans

export type PlannedMaximumSource =
  | { kind: "sku"; capacity: number }
  | { kind: "elasticMaximum"; maximumElasticWorkerCount: number }
  | { kind: "autoscale"; autoscaleSettingId: string; profile: string; maximum: number; fixedDateEnd?: string }
  | { kind: "unknown" };

export interface PlannedMaximum {
  maximum: number;
  source: PlannedMaximumSource;
}

/** Tiers whose plans scale elastically, whatever `elasticScaleEnabled` says (RULES.md). */
const ELASTIC_TIERS = new Set(["elasticpremium", "workflowstandard"]);

/**
 * RULES.md: an elastic plan is one of tier ElasticPremium or WorkflowStandard, or one with
 * `elasticScaleEnabled: true` (Premium v2/v3 elastic scale). The tier decides first: an
 * Elastic Premium plan is elastic even when its flag reads false.
 */
export function isElasticPlan(plan: Plan): boolean {
  const tier = planTier(plan)?.toLowerCase();
  const elasticSkuName = /^(EP|WS)\d+$/i.test(plan.sku.name ?? "");
  return (tier !== undefined && ELASTIC_TIERS.has(tier)) || (plan.sku.tier === undefined && elasticSkuName) || plan.elasticScaleEnabled === true;
}

/**
 * A `fixedDate` profile whose `end` has passed is a campaign that is over (RULES.md); one that
 * is running or scheduled, a `recurrence` profile and the default profile all still count. An
 * end that can't be read is not taken as passed.
 */
export function autoscaleProfileEnded(profile: AutoscaleProfile, now: Date): boolean {
  const end = profile.fixedDate?.end === undefined ? Number.NaN : Date.parse(profile.fixedDate.end);
  return !Number.isNaN(end) && end < now.getTime();
}

/**
 * RULES.md "Planned maximum instances": the largest of `sku.capacity`,
 * `maximumElasticWorkerCount` (only on an elastic plan: other plans carry a stale default
 * there) and the maximum of every profile of an enabled autoscale setting that targets the plan
 * (IDs compared case-insensitively), except `fixedDate` profiles that ended before `now`.
 * A plan with none of these known has maximum 0 and source `unknown`.
 */
export function planMaximumInstances(plan: Plan, autoscaleSettings: readonly AutoscaleSetting[], now: Date): PlannedMaximum {
  const candidates: PlannedMaximum[] = [];
  if (plan.sku.capacity !== undefined) {
    candidates.push({ maximum: plan.sku.capacity, source: { kind: "sku", capacity: plan.sku.capacity } });
  }
  if (plan.maximumElasticWorkerCount !== undefined && isElasticPlan(plan)) {
    const count = plan.maximumElasticWorkerCount;
    candidates.push({ maximum: count, source: { kind: "elasticMaximum", maximumElasticWorkerCount: count } });
  }
  for (const setting of autoscaleSettings) {
    if (!setting.enabled || !sameArmId(setting.targetResourceUri, plan.id)) continue;
    for (const profile of setting.profiles) {
      if (autoscaleProfileEnded(profile, now)) continue;
      const fixedDateEnd = profile.fixedDate?.end;
      candidates.push({
        maximum: profile.maximum,
        source: {
          kind: "autoscale",
          autoscaleSettingId: setting.id,
          profile: profile.name,
          maximum: profile.maximum,
          ...(fixedDateEnd !== undefined ? { fixedDateEnd } : {}),
        },
      });
    }
  }
  // The first candidate wins a tie, so the source reads as the simplest explanation.
  return candidates.reduce<PlannedMaximum>(
    (best, candidate) => (candidate.maximum > best.maximum ? candidate : best),
    { maximum: 0, source: { kind: "unknown" } },
  );
}

export interface PlanAddressDemand extends PlannedMaximum {
  /** Windows container sites (and slots) on the plan; each takes one more address per instance. */
  windowsContainerApps: number;
  /** Addresses the plan may need at its planned maximum. */
  demand: number;
}

/**
 * RULES.md: one address per instance; on a plan with Windows containers each instance also
 * takes one address per container app, so demand = instances × (1 + container apps).
 * Slots are apps with their own containers, so they count.
 */
export function planAddressDemand(
  plan: Plan,
  sitesOnPlan: readonly Site[],
  autoscaleSettings: readonly AutoscaleSetting[],
  now: Date,
): PlanAddressDemand {
  const planned = planMaximumInstances(plan, autoscaleSettings, now);
  const windowsContainerApps = sitesOnPlan.filter(isWindowsContainerSite).length;
  return { ...planned, windowsContainerApps, demand: planned.maximum * (1 + windowsContainerApps) };
}

/** The plan's pricing tier, from `sku.tier` or, failing that, the well-known SKU names. */
export function planTier(plan: Plan): string | undefined {
  if (plan.sku.tier) return plan.sku.tier;
  const byName: Record<string, string> = { F1: "Free", D1: "Shared", Y1: "Dynamic" };
  return plan.sku.name ? byName[plan.sku.name.toUpperCase()] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Gateways

export function isExpressRouteGateway(gateway: VirtualNetworkGateway): boolean {
  return gateway.gatewayType?.toLowerCase() === "expressroute";
}

export function isVpnGateway(gateway: VirtualNetworkGateway): boolean {
  return gateway.gatewayType?.toLowerCase() === "vpn";
}

// ---------------------------------------------------------------------------------------------
// Time

const MS_PER_DAY = 86_400_000;

/** Whole days from `now` to an ISO instant: floor((instant − now) / 1 day). Negative once passed. */
export function wholeDaysUntil(isoInstant: string, now: Date): number | undefined {
  const instant = Date.parse(isoInstant);
  return Number.isNaN(instant) ? undefined : Math.floor((instant - now.getTime()) / MS_PER_DAY);
}

/** UTC calendar days from `now`'s date to a `YYYY-MM-DD` date: 0 on the date, negative after. */
export function calendarDaysUntil(isoDate: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - today) / MS_PER_DAY);
}

// ---------------------------------------------------------------------------------------------
// The inventory index

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

/**
 * Lookups by ARM ID (case-insensitive) over one inventory snapshot, so rules never rescan
 * arrays. Build it with `indexInventory`, which memoises per inventory object: the 16 rules
 * of one evaluation share one index. An inventory must not be mutated once evaluated.
 */
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

const indexes = new WeakMap<Inventory, InventoryIndex>();

/** The index of an inventory, built on first use and shared by every rule that evaluates it. */
export function indexInventory(inventory: Inventory): InventoryIndex {
  let index = indexes.get(inventory);
  if (!index) {
    index = new InventoryIndex(inventory);
    indexes.set(inventory, index);
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// Views the integration rules share

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
// Evidence shared by the gateway-required rules

/** `{ id, name }` of a resource for evidence, or `{ id, inInventory: false }` when only the ID is known. */
export function resourceRef(
  id: string | undefined,
  resource: { id: string; name: string } | undefined,
): { id: string; name: string } | { id: string | null; inInventory: false } {
  return resource ? { id: resource.id, name: resource.name } : { id: id ?? null, inInventory: false };
}

/** The VPN gateway a gateway-required connection to the VNet goes through, or null when none was collected. */
export function vpnGatewayRef(index: InventoryIndex, vnetId: string | undefined) {
  const gateway = index.gatewaysOf(vnetId).find(isVpnGateway);
  return gateway ? { id: gateway.id, name: gateway.name, sku: gateway.sku ?? null } : null;
}

/** RULES.md: gateway-required evidence names the VNet, the gateway and the plan. */
export function gatewayConnectionEvidence(index: InventoryIndex, entry: SiteOnPlan, connection: VnetConnection) {
  return {
    connection: connection.name,
    virtualNetwork: resourceRef(connection.vnetResourceId, index.virtualNetwork(connection.vnetResourceId)),
    gateway: vpnGatewayRef(index, connection.vnetResourceId),
    plan: resourceRef(entry.planId, entry.plan),
  };
}

// ---------------------------------------------------------------------------------------------
// Results

function compareOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders IDs case-insensitively (ties by exact spelling), independent of locale. */
export function compareIds(a: string, b: string): number {
  return compareOrdinal(armKey(a), armKey(b)) || compareOrdinal(a, b);
}

/** Deterministic output: results in order of resource ID. */
export function sortByResourceId(results: RuleResult[]): RuleResult[] {
  return [...results].sort((a, b) => compareIds(a.resourceId, b.resourceId));
}

/** Distinct values, compared case-insensitively, sorted; the first spelling is kept. */
export function distinctIds(ids: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const id of ids) if (!seen.has(armKey(id))) seen.set(armKey(id), id);
  return [...seen.values()].sort(compareIds);
}

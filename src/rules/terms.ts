/**
 * The "Terms" of RULES.md as small pure functions: what "Linux site", "regional integration",
 * "Effective Route All", "safe instances" and friends mean, exactly once for the whole catalog.
 * Neighbours: the inventory index (inventory-index.ts), the named selectors (selectors.ts),
 * IPv4 arithmetic (util/ipv4.ts) and day counts (util/time.ts).
 *
 * ARM IDs compare case-insensitively everywhere (Azure itself is inconsistent about the case of
 * resource group and provider segments): `armKey` / `sameArmId` from util/arm-id.ts.
 */
import type { AutoscaleProfile, AutoscaleSetting, Plan, Site, VirtualNetworkGateway, VnetConnection } from "../model/inventory.js";
import { parentVirtualNetworkId, sameArmId } from "../util/arm-id.js";

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
// Addresses (the arithmetic is util/ipv4.ts)

/** RULES.md "Safe instances": scaling up or down doubles the addresses in use for a while. */
export function safeInstances(usable: number): number {
  return Math.floor(usable / 2);
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

/**
 * Tiers on which gateway-required integration can exist ("Configure gateway-required virtual network integration",
 * "Pricing details": "Basic, Standard, Premium, PremiumV2, PremiumV3").
 */
const GATEWAY_CAPABLE_TIER = /^(basic|standard|premium(v\d+|mv\d+)?)$/i;

/**
 * A plan whose sites may hold gateway-required VNet connections: not in an App Service
 * Environment, of a tier that offers it, and not Linux: gateway-required integration "only works
 * for Windows plans" (Microsoft Learn, "Configure gateway-required virtual network integration"),
 * and Azure refuses to add it to a Linux app, so a Linux plan's (or its sites') VNet connections can hold none.
 */
export function isGatewayCapablePlan(plan: Plan): boolean {
  return !plan.hostingEnvironmentId && !isLinuxPlan(plan) && (!plan.sku.tier || GATEWAY_CAPABLE_TIER.test(plan.sku.tier));
}

// ---------------------------------------------------------------------------------------------
// Gateways

export function isExpressRouteGateway(gateway: VirtualNetworkGateway): boolean {
  return gateway.gatewayType?.toLowerCase() === "expressroute";
}

export function isVpnGateway(gateway: VirtualNetworkGateway): boolean {
  return gateway.gatewayType?.toLowerCase() === "vpn";
}

/**
 * Typed builders for ARM resources in wire format (what Resource Manager
 * returns, nested `properties` and all), for the ARM emulator's tenants,
 * tests and sample data.
 *
 * Builders are deliberately small: each emits the properties the audit reads
 * plus the few that make a resource look like the real thing, and nothing the
 * real API does not return. Anything else can be added with `extra`
 * (shallow-merged into `properties`).
 *
 * Locations follow ARM's own inconsistency: Microsoft.Web returns display
 * names ("West Europe"), Microsoft.Network returns short names ("westeurope").
 */
import { createHash } from "node:crypto";
import type { ArmResource, EmulatedSubscription, EmulatedTenant, SubscriptionState } from "./arm-emulator.js";
import { createSelfSignedCertificate } from "./test-ca.js";

export const DEFAULT_WEB_LOCATION = "West Europe";
export const DEFAULT_NETWORK_LOCATION = "westeurope";

type Props = Record<string, unknown>;

// ---------------------------------------------------------------------------
// IDs
// ---------------------------------------------------------------------------

export function resourceGroupId(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}

/**
 * Like the ARM template function: `resourceId(sub, rg, "Microsoft.Web/sites/slots", "app", "staging")`
 * -> `/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots/staging`.
 */
export function resourceId(subscriptionId: string, resourceGroup: string, type: string, ...names: string[]): string {
  return resourceGroupId(subscriptionId, resourceGroup) + providerSuffix(type, names);
}

/** Like the ARM template function, for subscription-level resources: `/subscriptions/{s}/providers/{type}/{names}`. */
export function subscriptionResourceId(subscriptionId: string, type: string, ...names: string[]): string {
  return `/subscriptions/${subscriptionId}` + providerSuffix(type, names);
}

function providerSuffix(type: string, names: string[]): string {
  const [ns, ...types] = type.split("/");
  if (!ns || types.length !== names.length) {
    throw new Error(`resourceId: type ${type} needs ${types.length} name(s), got ${names.length}`);
  }
  return `/providers/${ns}` + types.map((t, i) => `/${t}/${names[i]}`).join("");
}

export function subnetId(vnetId: string, subnetName: string): string {
  return `${vnetId}/subnets/${subnetName}`;
}

export interface ParsedResourceId {
  subscriptionId: string;
  resourceGroup?: string;
  /** e.g. Microsoft.Web/sites/slots */
  type: string;
  /** Last name segment, e.g. "staging" for a slot. */
  name: string;
  /** All name segments, e.g. ["app", "staging"]. */
  names: string[];
  /** ID of the parent resource for a child, undefined for a top-level resource. */
  parentId?: string;
}

export function parseResourceId(id: string): ParsedResourceId {
  const m = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/([^/]+)\/(.+)$/i.exec(id);
  if (!m) throw new Error(`not a provider resource ID: ${id}`);
  const pairs = m[4]!.split("/");
  if (pairs.length % 2 !== 0) throw new Error(`resource ID does not end with a name: ${id}`);
  const types = pairs.filter((_, i) => i % 2 === 0);
  const names = pairs.filter((_, i) => i % 2 === 1);
  return {
    subscriptionId: m[1]!,
    ...(m[2] ? { resourceGroup: m[2] } : {}),
    type: [m[3]!, ...types].join("/"),
    name: names[names.length - 1]!,
    names,
    ...(names.length > 1 ? { parentId: id.split("/").slice(0, -2).join("/") } : {}),
  };
}

function lastSegment(id: string): string {
  return id.split("/").filter(Boolean).pop() ?? id;
}

function isSlotId(id: string): boolean {
  return /\/providers\/Microsoft\.Web\/sites\/[^/]+\/slots\/[^/]+$/i.test(id);
}

/** A stable GUID-shaped string derived from `seed` (etags, resourceGuids, connection names). */
export function stableGuid(seed: string): string {
  const h = createHash("sha1").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function etag(id: string): string {
  return `W/"${stableGuid(`etag:${id}`)}"`;
}

function withOptional<T extends object>(target: T, entries: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) (target as Props)[k] = v;
  return target;
}

// ---------------------------------------------------------------------------
// Tenant and subscriptions
// ---------------------------------------------------------------------------

export function subscription(subscriptionId: string, displayName = `Subscription ${subscriptionId.slice(0, 8)}`, state: SubscriptionState = "Enabled"): EmulatedSubscription {
  return { subscriptionId, displayName, state };
}

export function tenant(options: { tenantId?: string; subscriptions: EmulatedSubscription[]; resources?: ArmResource[] }): EmulatedTenant {
  return { tenantId: options.tenantId ?? stableGuid("tenant"), subscriptions: options.subscriptions, resources: options.resources ?? [] };
}

/** An explicit resource group (only needed for an empty group, or to set its location). */
export function resourceGroup(options: { subscriptionId: string; name: string; location?: string; tags?: Record<string, string> }): ArmResource {
  return withOptional(
    {
      id: resourceGroupId(options.subscriptionId, options.name),
      name: options.name,
      type: "Microsoft.Resources/resourceGroups",
      location: options.location ?? DEFAULT_NETWORK_LOCATION,
      properties: { provisioningState: "Succeeded" },
    },
    { tags: options.tags },
  );
}

// ---------------------------------------------------------------------------
// App Service: sites, slots, config, VNet connections, plans, certificates
// ---------------------------------------------------------------------------

export interface OutboundVnetRouting {
  allTraffic: boolean;
  applicationTraffic: boolean;
  contentShareTraffic: boolean;
  imagePullTraffic: boolean;
  backupRestoreTraffic: boolean;
}

export interface HostNameSslState {
  name: string;
  sslState?: "Disabled" | "SniEnabled" | "IpBasedEnabled";
  thumbprint?: string;
  hostType?: "Standard" | "Repository";
}

/** Settings shared by sites and slots. */
export interface SiteSettings {
  /** "app", "app,linux", "functionapp", "functionapp,linux", "app,linux,container", ... Default "app" ("app,linux" when reserved). */
  kind?: string;
  location?: string;
  serverFarmId?: string;
  /** true = Linux. */
  reserved?: boolean;
  /** true = Windows container. */
  hyperV?: boolean;
  isXenon?: boolean;
  httpsOnly?: boolean;
  state?: "Running" | "Stopped";
  enabled?: boolean;
  /** Regional VNet integration subnet; null/absent = not integrated. */
  virtualNetworkSubnetId?: string | null;
  outboundVnetRouting?: Partial<OutboundVnetRouting>;
  dnsServers?: string[];
  dnsAltServer?: string;
  /** Replaces the default SSL states (default host and SCM host, both Disabled). */
  hostNameSslStates?: HostNameSslState[];
  /** Custom domains: added to hostNames, enabledHostNames and hostNameSslStates. */
  customHostNames?: Array<string | HostNameSslState>;
  /** App Service Environment ID: sets hostingEnvironmentProfile and the ASE host suffix. */
  hostingEnvironmentId?: string;
  /** Container Apps environment (Functions on Container Apps). */
  managedEnvironmentId?: string;
  publicNetworkAccess?: "Enabled" | "Disabled";
  tags?: Record<string, string>;
  /** Shallow-merged into properties last. */
  extra?: Props;
}

export interface SiteOptions extends SiteSettings {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  serverFarmId: string;
}

function sslState(s: HostNameSslState): Props {
  return {
    name: s.name,
    sslState: s.sslState ?? "Disabled",
    ipBasedSslState: "NotConfigured",
    virtualIP: null,
    thumbprint: s.thumbprint ?? null,
    toUpdate: null,
    hostType: s.hostType ?? "Standard",
  };
}

/** Default host names: `{host}.azurewebsites.net`, or `{host}.{ase}.appserviceenvironment.net`. */
function hostSuffix(hostingEnvironmentId: string | undefined): string {
  return hostingEnvironmentId ? `${lastSegment(hostingEnvironmentId).toLowerCase()}.appserviceenvironment.net` : "azurewebsites.net";
}

/** Writes host-name derived properties for `hostLabel` (site name, or site-slot). */
function applyHostNames(p: Props, hostLabel: string, s: SiteSettings): void {
  const suffix = hostSuffix(s.hostingEnvironmentId ?? (p.hostingEnvironmentProfile as { id?: string } | undefined)?.id);
  const defaultHost = `${hostLabel.toLowerCase()}.${suffix}`;
  const scmHost = `${hostLabel.toLowerCase()}.scm.${suffix}`;
  const custom = (s.customHostNames ?? []).map((h) => (typeof h === "string" ? { name: h } : h));
  p.defaultHostName = defaultHost;
  p.hostNames = [...custom.map((h) => h.name), defaultHost];
  p.enabledHostNames = [...custom.map((h) => h.name), defaultHost, scmHost];
  p.hostNameSslStates = (
    s.hostNameSslStates ?? [...custom, { name: defaultHost, hostType: "Standard" as const }, { name: scmHost, hostType: "Repository" as const }]
  ).map(sslState);
}

/** Applies the settings that are given; used for sites and for slot overrides. */
function applySiteSettings(p: Props, s: SiteSettings): void {
  withOptional(p, {
    serverFarmId: s.serverFarmId,
    reserved: s.reserved,
    hyperV: s.hyperV,
    isXenon: s.isXenon,
    httpsOnly: s.httpsOnly,
    state: s.state,
    enabled: s.enabled,
    virtualNetworkSubnetId: s.virtualNetworkSubnetId,
    publicNetworkAccess: s.publicNetworkAccess,
    managedEnvironmentId: s.managedEnvironmentId,
  });
  if (s.outboundVnetRouting) p.outboundVnetRouting = { ...(p.outboundVnetRouting as Props), ...s.outboundVnetRouting };
  if (s.dnsServers || s.dnsAltServer) {
    p.dnsConfiguration = withOptional({ ...(p.dnsConfiguration as Props) }, { dnsServers: s.dnsServers, dnsAltServer: s.dnsAltServer });
  }
  if (s.hostingEnvironmentId) {
    p.hostingEnvironmentProfile = { id: s.hostingEnvironmentId, name: lastSegment(s.hostingEnvironmentId), type: "Microsoft.Web/hostingEnvironments" };
  }
  if (s.extra) Object.assign(p, s.extra);
}

/** A Microsoft.Web/sites resource (web app or function app) as `webApps.get`/`list` return it. */
export function site(options: SiteOptions): ArmResource {
  const id = resourceId(options.subscriptionId, options.resourceGroup, "Microsoft.Web/sites", options.name);
  const reserved = options.reserved ?? false;
  const p: Props = {
    name: options.name,
    repositorySiteName: options.name,
    state: "Running",
    usageState: "Normal",
    availabilityState: "Normal",
    enabled: true,
    serverFarmId: options.serverFarmId,
    reserved,
    isXenon: false,
    hyperV: false,
    lastModifiedTimeUtc: "2025-01-01T00:00:00.000Z",
    dnsConfiguration: {},
    outboundVnetRouting: { allTraffic: false, applicationTraffic: false, contentShareTraffic: false, imagePullTraffic: false, backupRestoreTraffic: false },
    virtualNetworkSubnetId: null,
    clientAffinityEnabled: true,
    clientCertEnabled: false,
    clientCertMode: "Required",
    hostNamesDisabled: false,
    containerSize: 0,
    dailyMemoryTimeQuota: 0,
    resourceGroup: options.resourceGroup,
    httpsOnly: false,
    redundancyMode: "None",
    publicNetworkAccess: "Enabled",
    storageAccountRequired: false,
    keyVaultReferenceIdentity: "SystemAssigned",
  };
  applySiteSettings(p, options);
  applyHostNames(p, options.name, options);
  return withOptional(
    {
      id,
      name: options.name,
      type: "Microsoft.Web/sites",
      kind: options.kind ?? (reserved ? "app,linux" : "app"),
      location: options.location ?? DEFAULT_WEB_LOCATION,
      properties: p,
    },
    { tags: options.tags },
  );
}

/**
 * A deployment slot of `parentSite`. It starts as a copy of the parent's
 * properties (plan, OS, VNet integration, routing, DNS) with its own host
 * names; `overrides` changes any of them (e.g. `{ virtualNetworkSubnetId: null }`).
 * ARM names slots "site/slot".
 */
export function slot(parentSite: ArmResource, slotName: string, overrides: SiteSettings = {}): ArmResource {
  const p = structuredClone((parentSite.properties ?? {}) as Props);
  const hostLabel = `${parentSite.name}-${slotName}`;
  p.name = `${parentSite.name}(${slotName})`;
  p.slotName = slotName;
  applySiteSettings(p, overrides);
  applyHostNames(p, hostLabel, overrides);
  p.repositorySiteName = parentSite.name;
  return withOptional(
    {
      id: `${parentSite.id}/slots/${slotName}`,
      name: `${parentSite.name}/${slotName}`,
      type: "Microsoft.Web/sites/slots",
      kind: overrides.kind ?? parentSite.kind,
      location: overrides.location ?? parentSite.location,
      properties: p,
    },
    { tags: overrides.tags ?? parentSite.tags },
  );
}

function configType(siteOrSlotId: string): string {
  return isSlotId(siteOrSlotId) ? "Microsoft.Web/sites/slots/config" : "Microsoft.Web/sites/config";
}

/** `config/web` of a site or slot (webApps.getConfiguration / getConfigurationSlot). */
export function siteConfig(
  siteOrSlotId: string,
  options: { vnetRouteAllEnabled?: boolean; vnetName?: string; location?: string; linuxFxVersion?: string; alwaysOn?: boolean; extra?: Props } = {},
): ArmResource {
  const p: Props = {
    numberOfWorkers: 1,
    netFrameworkVersion: "v4.0",
    linuxFxVersion: options.linuxFxVersion ?? "",
    alwaysOn: options.alwaysOn ?? false,
    http20Enabled: false,
    minTlsVersion: "1.2",
    ftpsState: "FtpsOnly",
    vnetName: options.vnetName ?? "",
    vnetRouteAllEnabled: options.vnetRouteAllEnabled ?? false,
    vnetPrivatePortsCount: 0,
    ...options.extra,
  };
  return withOptional({ id: `${siteOrSlotId}/config/web`, name: "web", type: configType(siteOrSlotId), properties: p }, { location: options.location });
}

/** `config/appsettings` of a site or slot, served through POST .../config/appsettings/list. */
export function appSettings(siteOrSlotId: string, settings: Record<string, string>, options: { location?: string } = {}): ArmResource {
  return withOptional(
    { id: `${siteOrSlotId}/config/appsettings`, name: "appsettings", type: configType(siteOrSlotId), properties: { ...settings } },
    { location: options.location },
  );
}

export interface VnetConnectionOptions {
  /** Default: regional integration "{guid}_{subnet}", gateway-required: the VNet's name. */
  name?: string;
  /** Subnet ID for regional (swift) integration, VNet ID for gateway-required. */
  vnetResourceId: string;
  /** Default: true when vnetResourceId is a subnet. */
  isSwift?: boolean;
  resyncRequired?: boolean;
  /** Base64 DER of the point-to-site certificate (see p2sCertificate). */
  certBlob?: string;
  certThumbprint?: string;
  dnsServers?: string;
  routes?: Array<{ name: string; startAddress: string; endAddress?: string; routeType?: "DEFAULT" | "INHERITED" | "STATIC" }>;
  location?: string;
}

function vnetInfo(id: string, type: string, o: VnetConnectionOptions, defaultName: string): ArmResource {
  const isSwift = o.isSwift ?? /\/subnets\/[^/]+$/i.test(o.vnetResourceId);
  const routes = o.routes?.map((r) => ({
    id: `${id}/routes/${r.name}`,
    name: r.name,
    type: `${type}/routes`,
    properties: { startAddress: r.startAddress, endAddress: r.endAddress ?? null, routeType: r.routeType ?? "STATIC" },
  }));
  return withOptional(
    {
      id,
      name: o.name ?? defaultName,
      type,
      properties: {
        vnetResourceId: o.vnetResourceId,
        certThumbprint: o.certThumbprint ?? null,
        certBlob: o.certBlob ?? null,
        routes: routes ?? (isSwift ? null : []),
        resyncRequired: o.resyncRequired ?? false,
        dnsServers: o.dnsServers ?? null,
        isSwift,
      },
    },
    { location: o.location },
  );
}

function connectionName(o: VnetConnectionOptions): string {
  if (o.name) return o.name;
  const isSwift = o.isSwift ?? /\/subnets\/[^/]+$/i.test(o.vnetResourceId);
  // Regional integration connections are named "{guid}_{subnetName}" by App Service.
  return isSwift ? `${stableGuid(o.vnetResourceId.toLowerCase())}_${lastSegment(o.vnetResourceId)}` : lastSegment(o.vnetResourceId);
}

/** A site's or slot's VNet connection (webApps.listVnetConnections[Slot] items). */
export function vnetConnection(siteOrSlotId: string, options: VnetConnectionOptions): ArmResource {
  const name = connectionName(options);
  const type = isSlotId(siteOrSlotId) ? "Microsoft.Web/sites/slots/virtualNetworkConnections" : "Microsoft.Web/sites/virtualNetworkConnections";
  return vnetInfo(`${siteOrSlotId}/virtualNetworkConnections/${name}`, type, options, name);
}

/** A plan's VNet connection (appServicePlans.listVnets items). */
export function planVnetConnection(planId: string, options: VnetConnectionOptions): ArmResource {
  const name = connectionName(options);
  return vnetInfo(`${planId}/virtualNetworkConnections/${name}`, "Microsoft.Web/serverfarms/virtualNetworkConnections", options, name);
}

/**
 * A real self-signed point-to-site certificate expiring at `notAfter`, in the
 * form a gateway-required VNet connection carries it. Cached per date.
 */
export async function p2sCertificate(options: { notAfter: Date; notBefore?: Date; commonName?: string }): Promise<{
  certBlob: string;
  certThumbprint: string;
  pem: string;
  notBefore: Date;
  notAfter: Date;
}> {
  const c = await createSelfSignedCertificate(options);
  return { certBlob: c.derBase64, certThumbprint: c.thumbprint, pem: c.pem, notBefore: c.notBefore, notAfter: c.notAfter };
}

export interface PlanSku {
  /** e.g. B1, S1, P1v3, EP1, Y1, I1v2, FC1 */
  name: string;
  tier?: string;
  size?: string;
  family?: string;
  capacity?: number;
}

const SKU_TIERS: Array<[RegExp, string]> = [
  [/^FC/i, "FlexConsumption"],
  [/^F/i, "Free"],
  [/^D/i, "Shared"],
  [/^B/i, "Basic"],
  [/^S/i, "Standard"],
  [/^P\d+mv3$/i, "PremiumMV3"],
  [/^P\d+v3$/i, "PremiumV3"],
  [/^P\d+v2$/i, "PremiumV2"],
  [/^P\d+v4$/i, "PremiumV4"],
  [/^P/i, "Premium"],
  [/^EP/i, "ElasticPremium"],
  [/^Y/i, "Dynamic"],
  [/^I\d+v2$/i, "IsolatedV2"],
  [/^I/i, "Isolated"],
  [/^WS/i, "WorkflowStandard"],
];

function skuWire(sku: PlanSku): Props {
  const tier = sku.tier ?? SKU_TIERS.find(([re]) => re.test(sku.name))?.[1] ?? "Standard";
  return {
    name: sku.name,
    tier,
    size: sku.size ?? sku.name,
    family: sku.family ?? sku.name.replace(/\d+/, ""),
    capacity: sku.capacity ?? (tier === "Dynamic" || tier === "FlexConsumption" ? 0 : 1),
  };
}

export interface PlanOptions {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  /** Default S1. */
  sku?: PlanSku;
  /** Default "app" (Windows), "linux" when reserved, "elastic" for EP, "functionapp" for Y1. */
  kind?: string;
  reserved?: boolean;
  hyperV?: boolean;
  isXenon?: boolean;
  maximumElasticWorkerCount?: number;
  elasticScaleEnabled?: boolean;
  perSiteScaling?: boolean;
  zoneRedundant?: boolean;
  numberOfSites?: number;
  maximumNumberOfWorkers?: number;
  /** Plan-level VNet integration (ServerFarmNetworkSettings). */
  network?: { virtualNetworkSubnetId: string };
  hostingEnvironmentId?: string;
  tags?: Record<string, string>;
  extra?: Props;
}

/** A Microsoft.Web/serverfarms resource (App Service plan). */
export function plan(options: PlanOptions): ArmResource {
  const sku = skuWire(options.sku ?? { name: "S1" });
  const reserved = options.reserved ?? false;
  const tier = String(sku.tier);
  const kind = options.kind ?? (tier === "ElasticPremium" ? "elastic" : tier === "Dynamic" ? "functionapp" : reserved ? "linux" : "app");
  const location = options.location ?? DEFAULT_WEB_LOCATION;
  const p: Props = {
    status: "Ready",
    maximumNumberOfWorkers: options.maximumNumberOfWorkers ?? (tier === "ElasticPremium" ? 100 : 30),
    numberOfWorkers: sku.capacity,
    geoRegion: location,
    numberOfSites: options.numberOfSites ?? 0,
    isSpot: false,
    reserved,
    isXenon: options.isXenon ?? false,
    hyperV: options.hyperV ?? false,
    perSiteScaling: options.perSiteScaling ?? false,
    elasticScaleEnabled: options.elasticScaleEnabled ?? tier === "ElasticPremium",
    maximumElasticWorkerCount: options.maximumElasticWorkerCount ?? (tier === "ElasticPremium" ? 20 : 1),
    zoneRedundant: options.zoneRedundant ?? false,
    resourceGroup: options.resourceGroup,
    provisioningState: "Succeeded",
  };
  withOptional(p, {
    network: options.network ? { virtualNetworkSubnetId: options.network.virtualNetworkSubnetId } : undefined,
    hostingEnvironmentProfile: options.hostingEnvironmentId
      ? { id: options.hostingEnvironmentId, name: lastSegment(options.hostingEnvironmentId), type: "Microsoft.Web/hostingEnvironments" }
      : undefined,
  });
  if (options.extra) Object.assign(p, options.extra);
  return withOptional(
    { id: resourceId(options.subscriptionId, options.resourceGroup, "Microsoft.Web/serverfarms", options.name), name: options.name, type: "Microsoft.Web/serverfarms", kind, location, sku, properties: p },
    { tags: options.tags },
  );
}

export interface CertificateOptions {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  thumbprint: string;
  expirationDate: Date | string;
  issueDate?: Date | string;
  hostNames: string[];
  subjectName: string;
  friendlyName?: string;
  issuer: string;
  serverFarmId?: string;
  keyVaultId?: string;
  keyVaultSecretName?: string;
  /** App Service managed certificate: the domain it was issued for. */
  canonicalName?: string;
  tags?: Record<string, string>;
}

/**
 * Dates as Microsoft.Web writes them: `2039-12-31T23:59:59+00:00`, seconds and a numeric
 * offset, no milliseconds (ListCertificates example, web 2025-05-01).
 */
function isoDate(d: Date | string): string {
  return typeof d === "string" ? d : d.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** A Microsoft.Web/certificates resource (certificates.list items). */
export function certificate(options: CertificateOptions): ArmResource {
  const expiration = isoDate(options.expirationDate);
  const p: Props = {
    friendlyName: options.friendlyName ?? "",
    subjectName: options.subjectName,
    hostNames: options.hostNames,
    issuer: options.issuer,
    issueDate: isoDate(options.issueDate ?? new Date(new Date(expiration).getTime() - 365 * 24 * 3600 * 1000)),
    expirationDate: expiration,
    thumbprint: options.thumbprint,
  };
  withOptional(p, {
    serverFarmId: options.serverFarmId,
    keyVaultId: options.keyVaultId,
    keyVaultSecretName: options.keyVaultSecretName,
    keyVaultSecretStatus: options.keyVaultId ? "Succeeded" : undefined,
    canonicalName: options.canonicalName,
  });
  return withOptional(
    { id: resourceId(options.subscriptionId, options.resourceGroup, "Microsoft.Web/certificates", options.name), name: options.name, type: "Microsoft.Web/certificates", location: options.location ?? DEFAULT_WEB_LOCATION, properties: p },
    { tags: options.tags },
  );
}

// ---------------------------------------------------------------------------
// Networking: VNets, gateways, private DNS
// ---------------------------------------------------------------------------

export interface SubnetSpec {
  name: string;
  addressPrefix?: string;
  addressPrefixes?: string[];
  /** Service names, e.g. "Microsoft.Web/serverFarms". */
  delegations?: string[];
  ipConfigurationIds?: string[];
  privateEndpointIds?: string[];
  serviceEndpointPolicyIds?: string[];
  /** Container network profiles' IP configuration profiles using the subnet (ACI). */
  ipConfigurationProfileIds?: string[];
  /** Service names, e.g. "Microsoft.Storage". */
  serviceEndpoints?: string[];
  networkSecurityGroupId?: string;
  routeTableId?: string;
  natGatewayId?: string;
  privateEndpointNetworkPolicies?: "Enabled" | "Disabled" | "NetworkSecurityGroupEnabled" | "RouteTableEnabled";
  defaultOutboundAccess?: boolean;
}

export interface VnetOptions {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  addressPrefixes: string[];
  /** DNS servers; absent = Azure-provided DNS (sent as `dhcpOptions: { dnsServers: [] }`). */
  dnsServers?: string[];
  subnets: SubnetSpec[];
  tags?: Record<string, string>;
  /** `virtualNetworkPeerings`, in the shape of the published example (VirtualNetworkPeeringGet.json). */
  peerings?: { name: string; remoteVirtualNetworkId: string; remoteAddressPrefixes: string[]; peeringState?: "Initiated" | "Connected" | "Disconnected"; allowGatewayTransit?: boolean; useRemoteGateways?: boolean }[];
}

const idRefs = (ids: string[] | undefined) => (ids && ids.length > 0 ? ids.map((id) => ({ id })) : undefined);

function subnetWire(vnetId: string, location: string, s: SubnetSpec): ArmResource {
  const id = subnetId(vnetId, s.name);
  const p: Props = { provisioningState: "Succeeded" };
  if (s.addressPrefixes) p.addressPrefixes = s.addressPrefixes;
  else p.addressPrefix = s.addressPrefix;
  withOptional(p, {
    networkSecurityGroup: s.networkSecurityGroupId ? { id: s.networkSecurityGroupId } : undefined,
    routeTable: s.routeTableId ? { id: s.routeTableId } : undefined,
    natGateway: s.natGatewayId ? { id: s.natGatewayId } : undefined,
    serviceEndpoints: s.serviceEndpoints?.map((service) => ({ provisioningState: "Succeeded", service, locations: [location] })),
    serviceEndpointPolicies: idRefs(s.serviceEndpointPolicyIds),
    ipConfigurations: idRefs(s.ipConfigurationIds),
    ipConfigurationProfiles: idRefs(s.ipConfigurationProfileIds),
    privateEndpoints: idRefs(s.privateEndpointIds),
  });
  p.delegations = (s.delegations ?? []).map((serviceName, i) => {
    const name = i === 0 ? "delegation" : `delegation${i}`;
    return {
      name,
      id: `${id}/delegations/${name}`,
      etag: etag(`${id}/delegations/${name}`),
      type: "Microsoft.Network/virtualNetworks/subnets/delegations",
      properties: { provisioningState: "Succeeded", serviceName, actions: ["Microsoft.Network/virtualNetworks/subnets/action"] },
    };
  });
  p.privateEndpointNetworkPolicies = s.privateEndpointNetworkPolicies ?? "Disabled";
  p.privateLinkServiceNetworkPolicies = "Enabled";
  if (s.defaultOutboundAccess !== undefined) p.defaultOutboundAccess = s.defaultOutboundAccess;
  return { name: s.name, id, etag: etag(id), type: "Microsoft.Network/virtualNetworks/subnets", properties: p };
}

/** A Microsoft.Network/virtualNetworks resource with its subnets inline, as virtualNetworks.get/listAll return it. */
export function vnet(options: VnetOptions): ArmResource {
  const id = resourceId(options.subscriptionId, options.resourceGroup, "Microsoft.Network/virtualNetworks", options.name);
  const location = options.location ?? DEFAULT_NETWORK_LOCATION;
  const p: Props = {
    provisioningState: "Succeeded",
    resourceGuid: stableGuid(`guid:${id.toLowerCase()}`),
    addressSpace: { addressPrefixes: options.addressPrefixes },
  };
  // Azure always sends dhcpOptions; with nothing set it is `{ dnsServers: [] }` (swagger
  // VirtualNetworkPropertiesFormat.dhcpOptions, network 2025-05-01 virtualNetwork.json).
  p.dhcpOptions = { dnsServers: options.dnsServers ?? [] };
  p.subnets = options.subnets.map((s) => subnetWire(id, location, s));
  p.virtualNetworkPeerings = (options.peerings ?? []).map((peering) => {
    const peeringId = `${id}/virtualNetworkPeerings/${peering.name}`;
    return {
      id: peeringId,
      name: peering.name,
      etag: etag(peeringId),
      type: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
      properties: {
        allowVirtualNetworkAccess: true,
        allowForwardedTraffic: true,
        allowGatewayTransit: peering.allowGatewayTransit ?? false,
        useRemoteGateways: peering.useRemoteGateways ?? false,
        remoteVirtualNetwork: { id: peering.remoteVirtualNetworkId },
        remoteAddressSpace: { addressPrefixes: peering.remoteAddressPrefixes },
        remoteVirtualNetworkAddressSpace: { addressPrefixes: peering.remoteAddressPrefixes },
        peeringState: peering.peeringState ?? "Connected",
        peeringSyncLevel: "FullyInSync",
        provisioningState: "Succeeded",
      },
    };
  });
  p.enableDdosProtection = false;
  return withOptional({ id, name: options.name, type: "Microsoft.Network/virtualNetworks", location, etag: etag(id), properties: p }, { tags: options.tags });
}

export interface VpnGatewayOptions {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  /** The VNet whose GatewaySubnet the gateway sits in. */
  vnetId: string;
  gatewayType?: "Vpn" | "ExpressRoute" | "LocalGateway";
  vpnType?: "RouteBased" | "PolicyBased";
  /** Default VpnGw1. */
  sku?: { name: string; tier?: string; capacity?: number };
  vpnGatewayGeneration?: "Generation1" | "Generation2" | "None";
  activeActive?: boolean;
  enableBgp?: boolean;
  publicIpAddressId?: string;
  /**
   * Point-to-site configuration, required for App Service gateway-required VNet integration.
   * Absent: sent as `vpnClientConfiguration: null`, as Azure does for ExpressRoute and
   * policy-based gateways and gateways without point-to-site. `addressPrefixes` absent: no pool.
   */
  vpnClientConfiguration?: {
    addressPrefixes?: string[];
    protocols: Array<"IkeV2" | "SSTP" | "OpenVPN">;
    /** Default ["Certificate"]; an empty list sends no `vpnAuthenticationTypes` (older gateways). */
    authenticationTypes?: Array<"Certificate" | "Radius" | "AAD">;
  };
}

/**
 * A Microsoft.Network/virtualNetworkGateways resource. Its ipConfiguration
 * points at the VNet's GatewaySubnet; use `attachGateway(vnet, gateway)` to add
 * the matching back-reference to that subnet, as Azure does.
 */
export function vpnGateway(options: VpnGatewayOptions): ArmResource {
  const id = resourceId(options.subscriptionId, options.resourceGroup, "Microsoft.Network/virtualNetworkGateways", options.name);
  const ipConfigId = `${id}/ipConfigurations/default`;
  const skuName = options.sku?.name ?? "VpnGw1";
  const p: Props = {
    provisioningState: "Succeeded",
    resourceGuid: stableGuid(`guid:${id.toLowerCase()}`),
    ipConfigurations: [
      {
        name: "default",
        id: ipConfigId,
        etag: etag(ipConfigId),
        type: "Microsoft.Network/virtualNetworkGateways/ipConfigurations",
        properties: withOptional(
          { provisioningState: "Succeeded", privateIPAllocationMethod: "Dynamic", subnet: { id: subnetId(options.vnetId, "GatewaySubnet") } },
          { publicIPAddress: options.publicIpAddressId ? { id: options.publicIpAddressId } : undefined },
        ),
      },
    ],
    sku: { name: skuName, tier: options.sku?.tier ?? skuName, ...(options.sku?.capacity !== undefined ? { capacity: options.sku.capacity } : {}) },
    gatewayType: options.gatewayType ?? "Vpn",
    vpnType: options.vpnType ?? "RouteBased",
    enableBgp: options.enableBgp ?? false,
    activeActive: options.activeActive ?? false,
    vpnGatewayGeneration: options.vpnGatewayGeneration ?? "Generation1",
  };
  // Shape: swagger VpnClientConfiguration (network 2025-05-01 virtualNetworkGateway.json).
  p.vpnClientConfiguration = null;
  if (options.vpnClientConfiguration) {
    const c = options.vpnClientConfiguration;
    const authenticationTypes = c.authenticationTypes ?? ["Certificate"];
    const rootCertificateId = `${id}/vpnClientRootCertificates/AppServiceCertificate`;
    p.vpnClientConfiguration = withOptional(
      {
        vpnClientProtocols: c.protocols,
        // App Service uploads its certificate as a root certificate once integration is set up.
        vpnClientRootCertificates: authenticationTypes.includes("Certificate")
          ? [{ name: "AppServiceCertificate", id: rootCertificateId, etag: etag(rootCertificateId), properties: { provisioningState: "Succeeded", publicCertData: "MIIC" } }]
          : [],
        vpnClientRevokedCertificates: [],
        vpnClientIpsecPolicies: [],
        radiusServers: [],
      },
      {
        vpnClientAddressPool: c.addressPrefixes ? { addressPrefixes: c.addressPrefixes } : undefined,
        vpnAuthenticationTypes: authenticationTypes.length > 0 ? authenticationTypes : undefined,
        radiusServerAddress: authenticationTypes.includes("Radius") ? "10.0.0.10" : undefined,
        aadTenant: authenticationTypes.includes("AAD") ? "https://login.microsoftonline.com/72f988bf-0000-4000-8000-00000000c0de/" : undefined,
        aadAudience: authenticationTypes.includes("AAD") ? "c632b3df-fb67-4d84-bdcf-b95ad541b5c8" : undefined,
      },
    );
  }
  return { id, name: options.name, type: "Microsoft.Network/virtualNetworkGateways", location: options.location ?? DEFAULT_NETWORK_LOCATION, etag: etag(id), properties: p };
}

/**
 * Returns a copy of `vnet` whose GatewaySubnet lists the gateways'
 * ipConfiguration IDs in `ipConfigurations`, as Azure shows a deployed gateway.
 */
export function attachGateway(vnetResource: ArmResource, ...gateways: ArmResource[]): ArmResource {
  const copy = structuredClone(vnetResource);
  const subnets = ((copy.properties ?? {}) as Props).subnets as ArmResource[] | undefined;
  const gatewaySubnet = subnets?.find((s) => s.name.toLowerCase() === "gatewaysubnet");
  if (!gatewaySubnet) throw new Error(`attachGateway: ${vnetResource.id} has no GatewaySubnet`);
  const sp = (gatewaySubnet.properties ?? {}) as Props;
  const refs = (sp.ipConfigurations as Array<{ id: string }> | undefined) ?? [];
  for (const gw of gateways) {
    for (const ipc of ((gw.properties ?? {}) as Props).ipConfigurations as Array<{ id: string }>) refs.push({ id: ipc.id });
  }
  sp.ipConfigurations = refs;
  gatewaySubnet.properties = sp;
  return copy;
}

/**
 * A VNet with gateways in its GatewaySubnet (in the VNet's subscription and resource group),
 * the subnet listing their IP configurations as Azure shows deployed gateways.
 */
export function gatewayNetwork(
  vnetOptions: VnetOptions,
  gateways: Array<Omit<VpnGatewayOptions, "subscriptionId" | "resourceGroup" | "vnetId">>,
): { vnet: ArmResource; gateways: ArmResource[] } {
  const base = vnet(vnetOptions);
  const built = gateways.map((gateway) => vpnGateway({ subscriptionId: vnetOptions.subscriptionId, resourceGroup: vnetOptions.resourceGroup, vnetId: base.id, ...gateway }));
  return { vnet: attachGateway(base, ...built), gateways: built };
}

export interface PrivateDnsZoneOptions {
  subscriptionId: string;
  resourceGroup: string;
  /** e.g. privatelink.azurewebsites.net */
  name: string;
  numberOfRecordSets?: number;
  numberOfVirtualNetworkLinks?: number;
  numberOfVirtualNetworkLinksWithRegistration?: number;
  tags?: Record<string, string>;
}

/** A Microsoft.Network/privateDnsZones resource (location is always "global"). */
export function privateDnsZone(options: PrivateDnsZoneOptions): ArmResource {
  const id = resourceId(options.subscriptionId, options.resourceGroup, "Microsoft.Network/privateDnsZones", options.name);
  return withOptional(
    {
      id,
      name: options.name,
      type: "Microsoft.Network/privateDnsZones",
      location: "global",
      etag: stableGuid(`etag:${id}`),
      properties: {
        maxNumberOfRecordSets: 25000,
        maxNumberOfVirtualNetworkLinks: 1000,
        maxNumberOfVirtualNetworkLinksWithRegistration: 100,
        numberOfRecordSets: options.numberOfRecordSets ?? 1,
        numberOfVirtualNetworkLinks: options.numberOfVirtualNetworkLinks ?? 0,
        numberOfVirtualNetworkLinksWithRegistration: options.numberOfVirtualNetworkLinksWithRegistration ?? 0,
        provisioningState: "Succeeded",
        internalId: Buffer.from(id.toLowerCase()).toString("base64").slice(0, 40),
      },
    },
    { tags: options.tags },
  );
}

/** A virtual network link of a private DNS zone (virtualNetworkLinks.list items). */
export function vnetLink(
  zoneId: string,
  vnetId: string,
  options: { name?: string; registrationEnabled?: boolean; resolutionPolicy?: "Default" | "NxDomainRedirect"; virtualNetworkLinkState?: "InProgress" | "Completed" } = {},
): ArmResource {
  const name = options.name ?? `${lastSegment(vnetId)}-link`;
  const id = `${zoneId}/virtualNetworkLinks/${name}`;
  return {
    id,
    name,
    type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    location: "global",
    etag: stableGuid(`etag:${id}`),
    properties: {
      virtualNetwork: { id: vnetId },
      registrationEnabled: options.registrationEnabled ?? false,
      resolutionPolicy: options.resolutionPolicy ?? "Default",
      virtualNetworkLinkState: options.virtualNetworkLinkState ?? "Completed",
      provisioningState: "Succeeded",
    },
  };
}

// ---------------------------------------------------------------------------
// Monitor: autoscale
// ---------------------------------------------------------------------------

export interface AutoscaleProfileSpec {
  name: string;
  /** Numbers are written as strings, as the API carries them. */
  capacity: { minimum: number | string; maximum: number | string; default: number | string };
  rules?: object[];
  /** e.g. `{ frequency: "Week", schedule: { timeZone: "UTC", days: ["Monday"], hours: [8], minutes: [0] } }`. */
  recurrence?: object;
  /** e.g. `{ timeZone: "UTC", start: "2015-03-05T14:00:00Z", end: "2015-03-05T14:30:00Z" }`. */
  fixedDate?: { timeZone?: string; start: string; end: string };
}

export interface AutoscaleSettingOptions {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  /** Usually an App Service plan ID. */
  targetResourceUri: string;
  enabled?: boolean;
  profiles: AutoscaleProfileSpec[];
  /** Sends targetResourceUri as given instead of lower-cased. */
  keepTargetCase?: boolean;
  tags?: Record<string, string>;
}

/**
 * A Microsoft.Insights/autoscalesettings resource (autoscaleSettings.listBySubscription items),
 * as the monitor 2022-10-01 listAutoscaleSetting example has it: the ID's provider lower-cased
 * (`microsoft.insights/autoscalesettings`), capacities as strings, `fixedDate` or `recurrence`
 * profiles. `targetResourceUri` is sent lower-cased, as ARM returns it for App Service plans,
 * unless `keepTargetCase`.
 */
export function autoscaleSetting(options: AutoscaleSettingOptions): ArmResource {
  const location = options.location ?? DEFAULT_WEB_LOCATION;
  return withOptional(
    {
      id: `${resourceGroupId(options.subscriptionId, options.resourceGroup)}/providers/microsoft.insights/autoscalesettings/${options.name}`,
      name: options.name,
      type: "Microsoft.Insights/autoscaleSettings",
      location,
      properties: {
        profiles: options.profiles.map((pr) =>
          withOptional(
            {
              name: pr.name,
              capacity: { minimum: String(pr.capacity.minimum), maximum: String(pr.capacity.maximum), default: String(pr.capacity.default) },
              rules: pr.rules ?? [],
            },
            { recurrence: pr.recurrence, fixedDate: pr.fixedDate },
          ),
        ),
        notifications: [],
        enabled: options.enabled ?? true,
        predictiveAutoscalePolicy: { scaleMode: "Disabled" },
        name: options.name,
        targetResourceUri: options.keepTargetCase ? options.targetResourceUri : options.targetResourceUri.toLowerCase(),
        targetResourceLocation: location,
      },
    },
    { tags: options.tags },
  );
}

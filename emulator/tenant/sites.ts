/**
 * App Service sites and slots as Microsoft.Web serves them (web 2025-05-01), their config
 * documents, and VNet connections (with the point-to-site certificate a gateway-required one
 * carries).
 */
import type { ArmResource } from "../index.js";
import { createSelfSignedCertificate } from "../ca.js";
import { DEFAULT_WEB_LOCATION, isSlotId, lastSegment, resourceId, stableGuid, withOptional, type Props } from "./ids.js";

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

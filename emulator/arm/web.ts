/**
 * Microsoft.Web as Resource Manager serves it: VNet-connection lists as bare arrays, secret
 * config documents only through POST list, the implicit `config/web` of every site and slot,
 * and the default `siteConfig` every site list carries.
 */
import type { ArmResource } from "./types.js";
import type { ResourceStore } from "./store.js";
import { lower, props, segmentsOf } from "./wire.js";

/**
 * Collection types answered with a bare JSON array instead of `{ value }`. Microsoft publishes
 * no example for these (WebApps_ListVnetConnections, AppServicePlans_ListVnets); the swagger
 * (web 2025-05-01, WebApps.json / AppServicePlans.json) declares the 200 response as an array
 * of VnetInfoResource, and the SDK's deserializer (@azure/arm-appservice
 * `vnetInfoResourceArrayDeserializer`) reads a bare array.
 */
export const BARE_ARRAY_TYPES = new Set([
  "microsoft.web/sites/virtualnetworkconnections",
  "microsoft.web/sites/slots/virtualnetworkconnections",
  "microsoft.web/serverfarms/virtualnetworkconnections",
]);

/**
 * Site config documents that hold secrets: ARM serves them only through
 * `POST .../config/{name}/list`, never GET.
 */
export const LIST_ONLY_CONFIG = new Set(["appsettings", "connectionstrings", "authsettings", "metadata", "pushsettings", "azurestorageaccounts", "backup"]);

export const SITE_CONFIG_TYPES = new Set(["microsoft.web/sites/config", "microsoft.web/sites/slots/config"]);
export const SITE_TYPES = new Set(["microsoft.web/sites", "microsoft.web/sites/slots"]);

/**
 * The `siteConfig` a site list carries for every site, whatever its `config/web` says: the
 * defaults of the ListWebApps example (web 2025-05-01), `vnetRouteAllEnabled: false` included.
 * Only `webApps.getConfiguration` tells the real value; the audit must never judge from this.
 */
export const LIST_SITE_CONFIG: Readonly<Record<string, unknown>> = Object.freeze({
  acrUseManagedIdentityCreds: false,
  alwaysOn: false,
  appCommandLine: "",
  autoHealEnabled: false,
  azureStorageAccounts: {},
  defaultDocuments: ["Default.htm", "Default.html", "Default.asp", "index.htm", "index.html", "iisstart.htm", "default.aspx", "index.php", "hostingstart.html"],
  detailedErrorLoggingEnabled: false,
  ftpsState: "AllAllowed",
  functionAppScaleLimit: 0,
  functionsRuntimeScaleMonitoringEnabled: false,
  http20Enabled: false,
  httpLoggingEnabled: false,
  linuxFxVersion: "",
  loadBalancing: "LeastRequests",
  logsDirectorySizeLimit: 35,
  managedPipelineMode: "Integrated",
  minTlsVersion: "1.2",
  minimumElasticInstanceCount: 0,
  netFrameworkVersion: "v4.0",
  nodeVersion: "",
  numberOfWorkers: 1,
  phpVersion: "5.6",
  powerShellVersion: "",
  pythonVersion: "",
  remoteDebuggingEnabled: false,
  requestTracingEnabled: false,
  scmMinTlsVersion: "1.2",
  use32BitWorkerProcess: true,
  virtualApplications: [{ physicalPath: "site\\wwwroot", preloadEnabled: false, virtualPath: "/" }],
  vnetName: "",
  vnetPrivatePortsCount: 0,
  vnetRouteAllEnabled: false,
  webSocketsEnabled: false,
});

/** A site as a list returns it: its properties plus the list's default `siteConfig`. */
export function asListedSite(resource: ArmResource): ArmResource {
  return { ...resource, properties: { ...props(resource), siteConfig: LIST_SITE_CONFIG } };
}


/**
 * The config documents every site and slot has without the tenant spelling them out:
 * `config/web` (Route All off, as a new app has it) and `config/{appsettings,...}`, read
 * through POST list (an empty dictionary).
 */
export function implicitSiteConfig(store: ResourceStore, id: string): ArmResource | undefined {
  const segs = segmentsOf(id);
  const parentId = "/" + segs.slice(0, -2).join("/");
  const name = segs[segs.length - 1]!;
  const parent = store.get(parentId);
  if (!parent || !SITE_TYPES.has(lower(parent.type))) return undefined;
  const isSlot = lower(parent.type) === "microsoft.web/sites/slots";
  const base = { id: `${parent.id}/config/${name}`, name: lower(name), type: isSlot ? "Microsoft.Web/sites/slots/config" : "Microsoft.Web/sites/config", ...(parent.location ? { location: parent.location } : {}) };
  if (lower(name) === "web") return { ...base, name: "web", properties: { numberOfWorkers: 1, vnetRouteAllEnabled: false, http20Enabled: false, minTlsVersion: "1.2" } };
  return { ...base, properties: {} };
}

/**
 * An HTTPS emulator of Azure Resource Manager (read side) plus the App Service
 * managed-identity endpoint, for integration tests, the demo and benchmarks.
 *
 * The product runs unchanged against it: real DefaultAzureCredential (App
 * Service managed identity via IDENTITY_ENDPOINT/IDENTITY_HEADER), real SDK
 * clients, their bearer-token, paging and retry policies. Everything the
 * emulator serves is an `ArmResource` in ARM wire format; routing is generic
 * over resource IDs (GET an ID, GET a collection, POST `.../list`), with the
 * few ARM quirks the SDKs depend on (bare-array VNet connection lists,
 * `includeSlots`, appsettings only through POST list, implicit `config/web`).
 *
 * See test/support/README.md for usage.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { createTestCa, issueServerCertificate, testCaFromEnv, type TestCa } from "./test-ca.js";

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export type SubscriptionState = "Enabled" | "Warned" | "PastDue" | "Disabled" | "Deleted";

export interface EmulatedSubscription {
  subscriptionId: string;
  displayName: string;
  state: SubscriptionState;
}

/** A resource exactly as ARM returns it (nested `properties`). */
export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  kind?: string;
  sku?: object;
  tags?: object;
  properties?: object;
  [key: string]: unknown;
}

/** A management group: its children are the groups naming it as `parent`, and its `subscriptions`. */
export interface EmulatedManagementGroup {
  /** The group ID (its name in Resource Manager). */
  name: string;
  displayName: string;
  /** The parent group's ID; absent for the tenant root group. */
  parent?: string;
  subscriptions: string[];
}

export interface EmulatedTenant {
  tenantId: string;
  subscriptions: EmulatedSubscription[];
  resources: ArmResource[];
  managementGroups?: EmulatedManagementGroup[];
}

export interface TokenBucketSettings {
  capacity: number;
  refillPerSecond: number;
}

/**
 * Resource Manager's per-subscription throttling (token bucket per
 * subscription, per principal, per region; this emulator has one principal
 * and one region). GETs draw on the read bucket, POSTs (list actions such as
 * appsettings/list) on the write bucket, as ARM counts them.
 */
export interface ThrottleSettings extends TokenBucketSettings {
  /** Write bucket; default ARM's 200 capacity, 10/s refill. */
  writes?: TokenBucketSettings;
}

/** ARM's documented subscription read limits. */
export const ARM_READ_THROTTLE: ThrottleSettings = { capacity: 250, refillPerSecond: 25 };
const ARM_WRITE_THROTTLE: TokenBucketSettings = { capacity: 200, refillPerSecond: 10 };

export interface ArmEmulatorOptions {
  tenant: EmulatedTenant;
  /**
   * CA that signs the server certificate. Default: the run's CA installed by
   * `installTestCa()` (found through its environment variables), else a new one.
   */
  ca?: TestCa;
  /** Items per page of collection GETs; default 1000 like ARM. */
  pageSize?: number;
  /** Added before every ARM response (not the token endpoint); default 0. */
  latencyMs?: number;
  /** Per-subscription token buckets; default none (no throttling). See ARM_READ_THROTTLE. */
  throttle?: ThrottleSettings;
  /** Listen address of the ARM server; default 127.0.0.1. */
  host?: string;
  /** Port of the ARM server; default 0 (a free port). */
  port?: number;
}

export type FaultStatus = 403 | 404 | 429 | 500 | 503;

export interface FaultSpec {
  /** HTTP method to match (case-insensitive); any when absent. */
  method?: string;
  /**
   * Request path to match, without query. A string matches the whole path
   * case-insensitively; a RegExp is tested against the (URL-decoded) path. Absent
   * means every path (use with `subscriptionId` for "a subscription that
   * answers 403 to everything").
   */
  path?: RegExp | string;
  /** Only requests under this subscription (case-insensitive). */
  subscriptionId?: string;
  status: FaultStatus;
  /** How many requests to fail; default forever. */
  times?: number;
  /** Sends `Retry-After: <seconds>`; without it no Retry-After header is sent. */
  retryAfterSeconds?: number;
  /** ARM error code; defaults: 403 AuthorizationFailed, 404 ResourceNotFound, 429 TooManyRequests, 500 InternalServerError, 503 ServiceUnavailable. */
  code?: string;
  message?: string;
}

/**
 * A hostile or broken answer that is not an error status (fault injection, vnet-audit's
 * boundary tests). The matching request is routed normally, then its response is altered:
 * - `foreignNextLink`: the page's nextLink names `foreignOrigin` (same path and query), as a
 *   man in the middle or a buggy front door might; a client that follows it sends its token there;
 * - `selfNextLink`: the page's nextLink is the request's own URL, so paging never ends;
 * - `emptyBody`: 200 with no body; `nullValue`: 200 with `{ "value": null }` (no published
 *   example has either; they are what the review saw from a misbehaving proxy).
 * `stallMs` holds the response that long first (a Resource Manager that stops answering).
 */
export interface PageFaultSpec {
  method?: string;
  path?: RegExp | string;
  subscriptionId?: string;
  /** How many responses to alter; default forever. */
  times?: number;
  page?: "foreignNextLink" | "selfNextLink" | "emptyBody" | "nullValue";
  /** For foreignNextLink, e.g. `https://127.0.0.1:4443`. */
  foreignOrigin?: string;
  stallMs?: number;
}

export interface FaultHandle {
  remove(): void;
  /** Requests this fault has answered so far. */
  readonly hits: number;
}

export interface RecordedRequest {
  method: string;
  /** Path as sent, without the query string. */
  path: string;
  query: Record<string, string>;
  /** The subscription in the path, in the tenant's spelling when known. */
  subscriptionId?: string;
  apiVersion?: string;
  status: number;
  /** Epoch milliseconds when the request arrived. */
  at: number;
}

export interface TokenRequestRecord {
  /** The `resource` query parameter (the scope without `/.default`). */
  resource?: string;
  apiVersion?: string;
  /** User-assigned identity selector if one was sent (client_id, mi_res_id, object_id, principal_id). */
  identity?: Record<string, string>;
  status: number;
  at: number;
}

export interface CountOptions {
  /**
   * Count every ARM request whatever its status (401, 403, 404, 429, 5xx
   * included). By default only requests answered 2xx are counted.
   */
  all?: boolean;
}

export interface ArmEmulator {
  /** https://127.0.0.1:port, no trailing slash. */
  readonly url: string;
  /** http://127.0.0.1:port/msi/token (shared by every emulator in this process, see README). */
  readonly identityEndpoint: string;
  readonly identityHeader: string;
  readonly caCertPem: string;
  /** Temp file holding caCertPem, for NODE_EXTRA_CA_CERTS. */
  readonly caCertPath: string;
  /** Every ARM request received (any status), oldest first. Token requests are in `tokenRequests`. */
  readonly requests: readonly RecordedRequest[];
  /** Calls to the managed-identity endpoint that concern this emulator (its URL as resource, or an unknown resource). */
  readonly tokenRequests: readonly TokenRequestRecord[];
  /** Number of token requests answered 200. */
  readonly tokenRequestCount: number;
  /** Number of 429s sent (token bucket and injected faults). */
  readonly throttledCount: number;

  /**
   * Environment for a child process running the product: ARM endpoint,
   * managed identity, CA trust. Keys whose value is `undefined` must be
   * removed (child_process does so when spreading over process.env).
   */
  env(): Record<string, string | undefined>;
  /** Applies env() to `target` (default process.env); returns a function restoring the previous values. */
  applyEnv(target?: NodeJS.ProcessEnv): () => void;

  injectFault(fault: FaultSpec): FaultHandle;
  /** Alters otherwise normal answers (see PageFaultSpec); cleared by clearFaults too. */
  injectPageFault(fault: PageFaultSpec): FaultHandle;
  clearFaults(): void;

  upsertResource(resource: ArmResource): void;
  removeResource(id: string): boolean;
  setTenant(tenant: EmulatedTenant): void;

  /** ARM requests per subscription (2xx only unless `all`). */
  countBySubscription(options?: CountOptions): Record<string, number>;
  /** ARM requests per lower-cased site or slot ID, for paths under Microsoft.Web/sites/{name}[/slots/{slot}] (2xx only unless `all`). */
  countBySite(options?: CountOptions): Record<string, number>;
  /** ARM requests (2xx only unless `all`); token requests never count. */
  total(options?: CountOptions): number;
  /** Clears requests, tokenRequests and the 429 counter (not faults, not buckets). */
  resetCounters(): void;

  close(): Promise<void>;
}

/** Options that point a real SDK client at an emulator; see armClientOptions. */
export interface ArmClientOptions {
  endpoint: string;
  /** Token scope for the modular clients (@azure/arm-appservice 19, @azure/arm-privatedns 4). */
  credentials: { scopes: string[] };
  /** Token scope for the classic clients (@azure/arm-network, -monitor, -resources-subscriptions). */
  credentialScopes: string[];
  /** Trusts the emulator's CA in this process (replaces the default roots for that client). */
  tlsOptions: { ca: string };
  [key: string]: unknown;
}

/**
 * Client options for any of the project's ARM SDK clients in-process:
 * `new WebSiteManagementClient(cred, sub, armClientOptions(emulator))`.
 * `extra` is merged on top (e.g. `{ retryOptions: { maxRetries: 0 } }`).
 */
export function armClientOptions(emulator: Pick<ArmEmulator, "url" | "caCertPem">, extra: Record<string, unknown> = {}): ArmClientOptions {
  const scope = `${emulator.url}/.default`;
  return {
    endpoint: emulator.url,
    credentials: { scopes: [scope] },
    credentialScopes: [scope],
    tlsOptions: { ca: emulator.caCertPem },
    ...extra,
  };
}

// ---------------------------------------------------------------------------
// ARM conventions
// ---------------------------------------------------------------------------

/**
 * Collection types answered with a bare JSON array instead of `{ value }`. Microsoft publishes
 * no example for these (WebApps_ListVnetConnections, AppServicePlans_ListVnets); the swagger
 * (web 2025-05-01, WebApps.json / AppServicePlans.json) declares the 200 response as an array
 * of VnetInfoResource, and the SDK's deserializer (@azure/arm-appservice
 * `vnetInfoResourceArrayDeserializer`) reads a bare array.
 */
const BARE_ARRAY_TYPES = new Set([
  "microsoft.web/sites/virtualnetworkconnections",
  "microsoft.web/sites/slots/virtualnetworkconnections",
  "microsoft.web/serverfarms/virtualnetworkconnections",
]);

/**
 * Resource types the emulator knows even when the tenant has none of them, so
 * listing them answers 200 with an empty list (as ARM does for a registered
 * type) rather than 404 InvalidResourceType.
 */
const BUILTIN_TYPES = [
  "Microsoft.Web/sites",
  "Microsoft.Web/sites/slots",
  "Microsoft.Web/sites/config",
  "Microsoft.Web/sites/slots/config",
  "Microsoft.Web/sites/virtualNetworkConnections",
  "Microsoft.Web/sites/slots/virtualNetworkConnections",
  "Microsoft.Web/serverfarms",
  "Microsoft.Web/serverfarms/virtualNetworkConnections",
  "Microsoft.Web/certificates",
  "Microsoft.Web/hostingEnvironments",
  "Microsoft.Network/virtualNetworks",
  "Microsoft.Network/virtualNetworks/subnets",
  "Microsoft.Network/virtualNetworkGateways",
  "Microsoft.Network/privateDnsZones",
  "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
  "Microsoft.Network/privateEndpoints",
  "Microsoft.Network/networkSecurityGroups",
  "Microsoft.Network/routeTables",
  "Microsoft.Network/natGateways",
  "Microsoft.Insights/autoscalesettings",
  "Microsoft.App/managedEnvironments",
].map((t) => t.toLowerCase());

/**
 * Site config documents that hold secrets: ARM serves them only through
 * `POST .../config/{name}/list`, never GET.
 */
const LIST_ONLY_CONFIG = new Set(["appsettings", "connectionstrings", "authsettings", "metadata", "pushsettings", "azurestorageaccounts", "backup"]);

const SITE_CONFIG_TYPES = new Set(["microsoft.web/sites/config", "microsoft.web/sites/slots/config"]);
const SITE_TYPES = new Set(["microsoft.web/sites", "microsoft.web/sites/slots"]);

/**
 * The `siteConfig` a site list carries for every site, whatever its `config/web` says: the
 * defaults of the ListWebApps example (web 2025-05-01), `vnetRouteAllEnabled: false` included.
 * Only `webApps.getConfiguration` tells the real value; the audit must never judge from this.
 */
const LIST_SITE_CONFIG: Readonly<Record<string, unknown>> = Object.freeze({
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
function asListedSite(resource: ArmResource): ArmResource {
  return { ...resource, properties: { ...props(resource), siteConfig: LIST_SITE_CONFIG } };
}

interface ArmResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function armError(status: number, code: string, message: string, headers?: Record<string, string>): ArmResult {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

const DEFAULT_FAULT_CODES: Record<FaultStatus, [string, string]> = {
  403: ["AuthorizationFailed", "The client does not have authorization to perform action over scope '{path}' or the scope is invalid. If access was recently granted, please refresh your credentials."],
  404: ["ResourceNotFound", "The Resource '{path}' was not found."],
  429: ["TooManyRequests", "Too many requests. Please retry later."],
  500: ["InternalServerError", "An internal server error occurred."],
  503: ["ServiceUnavailable", "The service is temporarily unavailable."],
};

function lower(s: string): string {
  return s.toLowerCase();
}

/** The path segments of a resource ID or request path, without empty ones. */
function segmentsOf(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

/** The ID of the collection a resource lives in: its ID minus the last segment, lower-cased. */
function collectionKey(id: string): string {
  const segs = segmentsOf(id);
  return lower("/" + segs.slice(0, -1).join("/"));
}

function props(resource: ArmResource | undefined): Record<string, unknown> {
  return (resource?.properties ?? {}) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------
// Resource store: the tenant, indexed for case-insensitive lookups
// ---------------------------------------------------------------------------

interface StoreIndex {
  /** lower(collection path) -> resources directly in it (RG-level lists and child lists). */
  byCollection: Map<string, ArmResource[]>;
  /** `${lower(scope)}|${lower(type)}` -> resources of that type in a subscription or resource group. */
  byScopeType: Map<string, ArmResource[]>;
  /** lower(`/subscriptions/{s}/resourcegroups/{rg}`) -> explicit RG resource or first resource in it. */
  groups: Map<string, { id: string; name: string; location?: string; explicit?: ArmResource }>;
  types: Set<string>;
  /** lower(subnet ID) -> the plan whose sites (or the plan itself) use it for regional integration. */
  integratedSubnets: Map<string, string>;
}

class ResourceStore {
  tenantId = "";
  private subscriptions = new Map<string, EmulatedSubscription>();
  private subscriptionOrder: EmulatedSubscription[] = [];
  private managementGroups: EmulatedManagementGroup[] = [];
  private resources = new Map<string, ArmResource>();
  private index: StoreIndex | undefined;

  constructor(tenant: EmulatedTenant) {
    this.setTenant(tenant);
  }

  setTenant(tenant: EmulatedTenant): void {
    this.tenantId = tenant.tenantId;
    this.managementGroups = (tenant.managementGroups ?? []).map((group) => ({ ...group, subscriptions: [...group.subscriptions] }));
    this.subscriptionOrder = tenant.subscriptions.map((s) => ({ ...s }));
    this.subscriptions = new Map(this.subscriptionOrder.map((s) => [lower(s.subscriptionId), s]));
    this.resources = new Map();
    this.index = undefined;
    for (const r of tenant.resources) this.upsert(r);
  }

  upsert(resource: ArmResource): void {
    if (!/^\/subscriptions\/[^/]+\//i.test(resource.id)) {
      throw new Error(`ARM emulator: resource ID must start with /subscriptions/{id}/: ${resource.id}`);
    }
    // Copy so later changes to the caller's object do not leak in.
    this.resources.set(lower(resource.id), structuredClone(resource));
    this.index = undefined;
  }

  remove(id: string): boolean {
    const removed = this.resources.delete(lower(id));
    if (removed) this.index = undefined;
    return removed;
  }

  listSubscriptions(): EmulatedSubscription[] {
    return this.subscriptionOrder;
  }

  managementGroup(name: string): EmulatedManagementGroup | undefined {
    return this.managementGroups.find((group) => lower(group.name) === lower(name));
  }

  /** Every group and subscription below `group`, at all levels, parents before children. */
  descendants(group: EmulatedManagementGroup): Array<{ kind: "group"; group: EmulatedManagementGroup; parent: string } | { kind: "subscription"; subscriptionId: string; parent: string }> {
    const children = this.managementGroups.filter((candidate) => candidate.parent !== undefined && lower(candidate.parent) === lower(group.name));
    return [
      ...children.map((child) => ({ kind: "group" as const, group: child, parent: group.name })),
      ...group.subscriptions.map((subscriptionId) => ({ kind: "subscription" as const, subscriptionId, parent: group.name })),
      ...children.flatMap((child) => this.descendants(child)),
    ];
  }

  subscription(id: string): EmulatedSubscription | undefined {
    return this.subscriptions.get(lower(id));
  }

  get(id: string): ArmResource | undefined {
    return this.resources.get(lower(id));
  }

  inCollection(path: string): ArmResource[] {
    return this.indexed().byCollection.get(lower(path)) ?? [];
  }

  inScope(scope: string, type: string): ArmResource[] {
    return this.indexed().byScopeType.get(`${lower(scope)}|${lower(type)}`) ?? [];
  }

  resourceGroup(subscriptionId: string, name: string) {
    return this.indexed().groups.get(lower(`/subscriptions/${subscriptionId}/resourceGroups/${name}`));
  }

  resourceGroups(subscriptionId: string) {
    const prefix = lower(`/subscriptions/${subscriptionId}/resourcegroups/`);
    return [...this.indexed().groups.entries()].filter(([k]) => k.startsWith(prefix)).map(([, g]) => g);
  }

  knowsType(type: string): boolean {
    return this.indexed().types.has(lower(type));
  }

  /** The plan integrating into a subnet (regional integration), if any. */
  integratingPlan(subnetId: string): string | undefined {
    return this.indexed().integratedSubnets.get(lower(subnetId));
  }

  private indexed(): StoreIndex {
    if (this.index) return this.index;
    const index: StoreIndex = { byCollection: new Map(), byScopeType: new Map(), groups: new Map(), types: new Set(BUILTIN_TYPES), integratedSubnets: new Map() };
    const push = (map: Map<string, ArmResource[]>, key: string, r: ArmResource) => {
      const list = map.get(key);
      if (list) list.push(r);
      else map.set(key, [r]);
    };
    for (const r of this.resources.values()) {
      const segs = segmentsOf(r.id);
      const type = lower(r.type);
      index.types.add(type);
      push(index.byCollection, collectionKey(r.id), r);
      const integrationSubnet = SITE_TYPES.has(type)
        ? props(r).virtualNetworkSubnetId
        : type === "microsoft.web/serverfarms"
          ? (props(r).network as { virtualNetworkSubnetId?: unknown } | undefined)?.virtualNetworkSubnetId
          : undefined;
      if (typeof integrationSubnet === "string" && integrationSubnet && !index.integratedSubnets.has(lower(integrationSubnet))) {
        const planId = type === "microsoft.web/serverfarms" ? r.id : props(r).serverFarmId;
        if (typeof planId === "string") index.integratedSubnets.set(lower(integrationSubnet), planId);
      }
      const sub = `/subscriptions/${segs[1]}`;
      if (type === "microsoft.resources/resourcegroups") {
        const key = lower(r.id);
        index.groups.set(key, { id: r.id, name: r.name, ...(r.location ? { location: r.location } : {}), explicit: r });
        continue;
      }
      push(index.byScopeType, `${lower(sub)}|${type}`, r);
      if (lower(segs[2] ?? "") === "resourcegroups" && segs[3]) {
        const rgId = `${sub}/resourceGroups/${segs[3]}`;
        push(index.byScopeType, `${lower(rgId)}|${type}`, r);
        // A resource group exists when anything lives in it (ARM would also
        // list empty ones; add a Microsoft.Resources/resourceGroups resource for that).
        if (!index.groups.has(lower(rgId))) {
          index.groups.set(lower(rgId), { id: rgId, name: segs[3], ...(r.location ? { location: r.location } : {}) });
        }
      }
    }
    this.index = index;
    return index;
  }
}

// ---------------------------------------------------------------------------
// Routing: (method, path, query) -> ARM result. Pure apart from the store.
// ---------------------------------------------------------------------------

interface ArmRequest {
  method: string;
  /** Decoded path, no trailing slash. */
  path: string;
  /** Raw path and query as sent, for building nextLinks. */
  rawPath: string;
  rawQuery: string;
  query: URLSearchParams;
}

interface RouteContext {
  store: ResourceStore;
  baseUrl: string;
  pageSize: number;
}

/** Where a request path points, once the subscription/resource-group scope is peeled off. */
interface ParsedArmPath {
  subscriptionId: string;
  resourceGroup?: string;
  /** `/subscriptions/{s}` or `/subscriptions/{s}/resourceGroups/{rg}` in the request's spelling. */
  scope: string;
  /** Segments after the scope. */
  rest: string[];
}

function parseArmPath(segs: string[]): ParsedArmPath | undefined {
  if (lower(segs[0] ?? "") !== "subscriptions" || !segs[1]) return undefined;
  const subscriptionId = segs[1];
  if (lower(segs[2] ?? "") === "resourcegroups" && segs[3]) {
    return { subscriptionId, resourceGroup: segs[3], scope: `/subscriptions/${subscriptionId}/resourceGroups/${segs[3]}`, rest: segs.slice(4) };
  }
  return { subscriptionId, scope: `/subscriptions/${subscriptionId}`, rest: segs.slice(2) };
}

/** `providers/{ns}/{type}/{name}/{childType}...` -> full type and whether the path names a resource or a collection. */
function providerPath(rest: string[]): { type: string; isCollection: boolean } | undefined {
  if (lower(rest[0] ?? "") !== "providers" || rest.length < 3) return undefined;
  const after = rest.slice(2);
  const types = after.filter((_, i) => i % 2 === 0);
  return { type: [rest[1]!, ...types].join("/"), isCollection: after.length % 2 === 1 };
}

/** ARM's 404 for a resource; `rest` is the path after the scope (providers/{ns}/{type}/{name}...). */
function notFound(parsed: ParsedArmPath, rest: string[]): ArmResult {
  const what = rest.slice(1).join("/");
  const where = parsed.resourceGroup ? ` under resource group '${parsed.resourceGroup}'` : "";
  return armError(404, "ResourceNotFound", `The Resource '${what}'${where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
}

function methodNotAllowed(method: string, allow: string): ArmResult {
  return armError(405, "MethodNotAllowed", `The requested resource does not support http method '${method}'.`, { Allow: allow });
}

/**
 * One page of `items` per `$skiptoken`, with an absolute nextLink that keeps the original query.
 * `nullNextLink`: the last page says `"nextLink": null`, as Microsoft.Web's lists do (ListWebApps
 * and the other web 2025-05-01 list examples); other providers omit it on the last page.
 */
function paged(ctx: RouteContext, req: ArmRequest, items: unknown[], extra: Record<string, unknown> = {}, nullNextLink = false): ArmResult {
  const skiptoken = req.query.get("$skiptoken");
  let offset = 0;
  if (skiptoken) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(skiptoken, "base64url").toString("utf8"));
    if (!decoded) return armError(400, "InvalidSkipToken", `The skip token '${skiptoken}' is invalid.`);
    offset = Number(decoded[1]);
  }
  const top = Number(req.query.get("$top"));
  const size = Number.isInteger(top) && top > 0 ? Math.min(top, ctx.pageSize) : ctx.pageSize;
  const page = items.slice(offset, offset + size);
  const body: Record<string, unknown> = { value: page, ...extra };
  if (offset + size < items.length) {
    const token = Buffer.from(`offset:${offset + size}`, "utf8").toString("base64url");
    const query = req.rawQuery
      .split("&")
      .filter((p) => p && !/^(\$|%24)skiptoken=/i.test(p))
      .concat(`$skiptoken=${token}`)
      .join("&");
    body.nextLink = `${ctx.baseUrl}${req.rawPath}?${query}`;
  } else if (nullNextLink) {
    body.nextLink = null;
  }
  return { status: 200, body };
}

const MANAGEMENT_GROUPS = "/providers/Microsoft.Management/managementGroups";

/**
 * `GET /providers/Microsoft.Management/managementGroups/{groupId}/descendants`: every group and
 * subscription below the group, at all levels, paged with `$top` and `$skiptoken`. Shape from
 * azure-rest-api-specs, specification/managementgroups/resource-manager/Microsoft.Management/
 * ManagementGroups/stable/2023-04-01/examples/GetDescendants.json (the SDK asks 2021-04-01, the
 * same DescendantInfo shape). A group the caller can't see answers 403 AuthorizationFailed, as
 * Resource Manager does rather than say whether it exists.
 */
function managementGroupDescendants(ctx: RouteContext, req: ArmRequest, groupId: string): ArmResult {
  const group = ctx.store.managementGroup(groupId);
  if (!group) {
    return armError(403, "AuthorizationFailed", `The client does not have authorization to perform action 'Microsoft.Management/managementGroups/descendants/read' over scope '${MANAGEMENT_GROUPS}/${groupId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
  }
  const names = new Map(ctx.store.listSubscriptions().map((s) => [lower(s.subscriptionId), s.displayName]));
  const items = ctx.store.descendants(group).map((entry) =>
    entry.kind === "group"
      ? { name: entry.group.name, type: "Microsoft.Management/managementGroups", id: `${MANAGEMENT_GROUPS}/${entry.group.name}`, properties: { displayName: entry.group.displayName, parent: { id: `${MANAGEMENT_GROUPS}/${entry.parent}` } } }
      : {
          name: entry.subscriptionId,
          type: "Microsoft.Management/managementGroups/subscriptions",
          id: `/subscriptions/${entry.subscriptionId}`,
          properties: { displayName: names.get(lower(entry.subscriptionId)) ?? entry.subscriptionId, parent: { id: `${MANAGEMENT_GROUPS}/${entry.parent}` } },
        },
  );
  return paged(ctx, req, items);
}

/** ARM's subscription object as the Subscriptions API returns it. */
function subscriptionBody(store: ResourceStore, s: EmulatedSubscription) {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: store.tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "EnterpriseAgreement_2014-09-01", spendingLimit: "Off" },
  };
}

/**
 * A resource group as `ResourceGroups_List` returns it (`GET /subscriptions/{s}/resourcegroups`,
 * paged `value` + `nextLink`). The published example (Microsoft.Resources stable 2021-04-01
 * examples/ListResourceGroups.json) has an empty body, so the shape follows the ResourceGroup
 * definition of the same resources.json (id, name, type, location, tags, managedBy,
 * properties.provisioningState) and @azure/arm-resources' `resourceGroupDeserializer`.
 * Explicit groups (tenant-builder `resourceGroup`) carry their tags; implicit ones have none.
 */
function resourceGroupBody(g: { id: string; name: string; location?: string; explicit?: ArmResource }) {
  // Resource groups carry short location names ("West Europe" -> "westeurope").
  const location = (g.location ?? "westeurope").toLowerCase().replace(/\s+/g, "");
  return g.explicit ?? { id: g.id, name: g.name, type: "Microsoft.Resources/resourceGroups", location, properties: { provisioningState: "Succeeded" } };
}

/**
 * Resources ARM serves without the tenant having to spell them out:
 * - `config/web` of an existing site or slot (every app has one);
 * - `config/{appsettings,...}` read through POST list (empty dictionary);
 * - subnets of a VNet, which ARM keeps inline in properties.subnets.
 */
function implicitResource(store: ResourceStore, id: string, type: string): ArmResource | undefined {
  const t = lower(type);
  const segs = segmentsOf(id);
  const parentId = "/" + segs.slice(0, -2).join("/");
  const name = segs[segs.length - 1]!;
  if (SITE_CONFIG_TYPES.has(t)) {
    const parent = store.get(parentId);
    if (!parent || !SITE_TYPES.has(lower(parent.type))) return undefined;
    const isSlot = lower(parent.type) === "microsoft.web/sites/slots";
    const base = { id: `${parent.id}/config/${name}`, name: lower(name), type: isSlot ? "Microsoft.Web/sites/slots/config" : "Microsoft.Web/sites/config", ...(parent.location ? { location: parent.location } : {}) };
    if (lower(name) === "web") return { ...base, name: "web", properties: { numberOfWorkers: 1, vnetRouteAllEnabled: false, http20Enabled: false, minTlsVersion: "1.2" } };
    return { ...base, properties: {} };
  }
  if (t === "microsoft.network/virtualnetworks/subnets") {
    const vnet = store.get(parentId);
    const subnets = (props(vnet).subnets ?? []) as ArmResource[];
    return subnets.find((s) => lower(s.name) === lower(name));
  }
  return undefined;
}

/**
 * A subnet used for regional integration carries a service association link to App Service
 * (swagger ServiceAssociationLink, network 2025-05-01 virtualNetwork.json), which Azure adds
 * when the integration is made. The emulator derives it from the sites and plans that name the
 * subnet, so tenants don't spell it out; a subnet that already has links keeps them.
 */
function withServiceAssociationLinks(store: ResourceStore, subnet: ArmResource): ArmResource {
  const p = props(subnet);
  const planId = store.integratingPlan(subnet.id);
  if (!planId || Array.isArray(p.serviceAssociationLinks)) return subnet;
  const id = `${subnet.id}/serviceAssociationLinks/AppServiceLink`;
  const link = {
    name: "AppServiceLink",
    id,
    etag: `W/"${createHash("sha1").update(lower(id)).digest("hex").slice(0, 32)}"`,
    type: "Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks",
    properties: { provisioningState: "Succeeded", linkedResourceType: "Microsoft.Web/serverFarms", link: planId, allowDelete: false, locations: [] },
  };
  return { ...subnet, properties: { ...p, serviceAssociationLinks: [link] } };
}

/** A VNet as Azure serves it: its subnets with their service association links. */
function servedNetwork(store: ResourceStore, resource: ArmResource): ArmResource {
  if (lower(resource.type) === "microsoft.network/virtualnetworks/subnets") return withServiceAssociationLinks(store, resource);
  if (lower(resource.type) !== "microsoft.network/virtualnetworks") return resource;
  const subnets = (props(resource).subnets ?? []) as ArmResource[];
  return { ...resource, properties: { ...props(resource), subnets: subnets.map((subnet) => withServiceAssociationLinks(store, subnet)) } };
}

function implicitChildren(parent: ArmResource, childType: string): ArmResource[] {
  if (lower(childType) === "microsoft.network/virtualnetworks/subnets") return (props(parent).subnets ?? []) as ArmResource[];
  return [];
}

function routeArm(ctx: RouteContext, req: ArmRequest): ArmResult {
  const { store } = ctx;
  const segs = segmentsOf(req.path);
  const method = req.method;
  // The emulator is read-only: ARM's reads are GETs plus POST list actions.
  if (method !== "GET" && method !== "POST") return methodNotAllowed(method, "GET, POST");

  if (segs.length === 1 && lower(segs[0]!) === "subscriptions") {
    if (method !== "GET") return methodNotAllowed(method, "GET");
    const subs = store.listSubscriptions().map((s) => subscriptionBody(store, s));
    return paged(ctx, req, subs, { count: { type: "Total", value: subs.length } });
  }
  const groupRoute = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\/descendants$/i.exec(req.path);
  if (groupRoute) {
    if (method !== "GET") return methodNotAllowed(method, "GET");
    return managementGroupDescendants(ctx, req, groupRoute[1]!);
  }
  const parsed = parseArmPath(segs);
  if (!parsed) return armError(404, "NotFound", `The emulator does not serve '${req.path}'.`);
  const subscription = store.subscription(parsed.subscriptionId);
  if (!subscription) return armError(404, "SubscriptionNotFound", `The subscription '${parsed.subscriptionId}' could not be found.`);

  if (segs.length === 2) {
    if (method !== "GET") return methodNotAllowed(method, "GET");
    return { status: 200, body: subscriptionBody(store, subscription) };
  }
  if (segs.length === 3 && lower(segs[2]!) === "resourcegroups") {
    if (method !== "GET") return methodNotAllowed(method, "GET");
    return paged(ctx, req, store.resourceGroups(subscription.subscriptionId).map(resourceGroupBody));
  }
  if (parsed.resourceGroup) {
    const group = store.resourceGroup(subscription.subscriptionId, parsed.resourceGroup);
    if (!group) return armError(404, "ResourceGroupNotFound", `Resource group '${parsed.resourceGroup}' could not be found.`);
    if (parsed.rest.length === 0) {
      if (method !== "GET") return methodNotAllowed(method, "GET");
      return { status: 200, body: resourceGroupBody(group) };
    }
  }

  const pp = providerPath(parsed.rest);
  if (!pp) return armError(404, "NotFound", `The emulator does not serve '${req.path}'.`);

  // POST {config resource}/list: the only action the product needs (app settings).
  if (lower(segs[segs.length - 1]!) === "list" && pp.isCollection) {
    const targetId = "/" + segs.slice(0, -1).join("/");
    const targetType = pp.type.split("/").slice(0, -1).join("/");
    const target = SITE_CONFIG_TYPES.has(lower(targetType)) ? (store.get(targetId) ?? implicitResource(store, targetId, targetType)) : undefined;
    if (!target) return notFound(parsed, parsed.rest.slice(0, -1));
    if (method !== "POST") return methodNotAllowed(method, "POST");
    return { status: 200, body: target };
  }

  if (!pp.isCollection) {
    const resource = store.get(req.path) ?? implicitResource(store, req.path, pp.type);
    if (!resource) return notFound(parsed, parsed.rest);
    if (method !== "GET") return methodNotAllowed(method, "GET");
    if (SITE_CONFIG_TYPES.has(lower(pp.type)) && LIST_ONLY_CONFIG.has(lower(resource.name))) {
      return methodNotAllowed(method, "POST (use .../list)");
    }
    return { status: 200, body: servedNetwork(store, resource) };
  }

  // Collections.
  if (!store.knowsType(pp.type)) {
    return armError(404, "InvalidResourceType", `The resource type '${pp.type.split("/").slice(1).join("/")}' could not be found in the namespace '${pp.type.split("/")[0]}'.`);
  }
  const isChild = pp.type.split("/").length > 2;
  let items: ArmResource[];
  if (isChild) {
    const parentId = "/" + segs.slice(0, -1).join("/");
    const parent = store.get(parentId);
    if (!parent) return notFound(parsed, parsed.rest.slice(0, -1));
    items = store.inCollection(req.path);
    if (items.length === 0) items = implicitChildren(parent, pp.type);
    if (SITE_CONFIG_TYPES.has(lower(pp.type))) {
      // GET .../config lists only the site config document ("web").
      const web = items.find((r) => lower(r.name) === "web") ?? implicitResource(store, `${parent.id}/config/web`, pp.type);
      items = web ? [web] : [];
    }
  } else if (parsed.resourceGroup) {
    items = store.inScope(parsed.scope, pp.type);
    if (lower(pp.type) === "microsoft.web/sites" && lower(req.query.get("includeSlots") ?? "") === "true") {
      items = [...items, ...store.inScope(parsed.scope, "Microsoft.Web/sites/slots")];
    }
  } else {
    items = store.inScope(parsed.scope, pp.type);
  }
  if (method !== "GET") return methodNotAllowed(method, "GET");
  if (BARE_ARRAY_TYPES.has(lower(pp.type))) return { status: 200, body: items };
  const type = lower(pp.type);
  if (SITE_TYPES.has(type)) items = items.map(asListedSite);
  else if (type.startsWith("microsoft.network/virtualnetworks")) items = items.map((item) => servedNetwork(store, item));
  return paged(ctx, req, items, {}, type.startsWith("microsoft.web/"));
}

// ---------------------------------------------------------------------------
// Throttling and faults
// ---------------------------------------------------------------------------

class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(private readonly settings: TokenBucketSettings) {
    this.tokens = settings.capacity;
  }

  /** Takes a token if one is available; otherwise returns seconds until one is. */
  take(): { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number } {
    const now = Date.now();
    this.tokens = Math.min(this.settings.capacity, this.tokens + ((now - this.last) / 1000) * this.settings.refillPerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true, remaining: Math.floor(this.tokens) };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.settings.refillPerSecond)) };
  }
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
  hits: number;
}

function faultMatches(f: FaultSpec, method: string, path: string, subscriptionId: string | undefined): boolean {
  if (f.method && lower(f.method) !== lower(method)) return false;
  if (f.subscriptionId && (!subscriptionId || lower(f.subscriptionId) !== lower(subscriptionId))) return false;
  if (f.path === undefined) return true;
  if (typeof f.path === "string") return lower(f.path) === lower(path);
  f.path.lastIndex = 0; // a /g or /y RegExp keeps state between tests
  return f.path.test(path);
}

interface ActivePageFault {
  spec: PageFaultSpec;
  remaining: number;
  hits: number;
}

/** Applies a page fault to a routed result; returns how long to stall first. */
function alterPage(f: PageFaultSpec, req: ArmRequest, baseUrl: string, result: ArmResult): number {
  const body = result.body as { nextLink?: string; value?: unknown } | undefined;
  if (f.page === "emptyBody") result.body = undefined;
  else if (f.page === "nullValue") result.body = { value: null };
  else if (f.page === "selfNextLink" && body && typeof body === "object") body.nextLink = `${baseUrl}${req.rawPath}${req.rawQuery ? `?${req.rawQuery}` : ""}`;
  else if (f.page === "foreignNextLink" && body && typeof body === "object") {
    body.nextLink = `${f.foreignOrigin ?? "https://attacker.invalid"}${req.rawPath}${req.rawQuery ? `?${req.rawQuery}` : ""}`;
  }
  return f.stallMs ?? 0;
}

function faultResult(f: FaultSpec, path: string): ArmResult {
  const [code, message] = DEFAULT_FAULT_CODES[f.status];
  const headers: Record<string, string> = {};
  if (f.retryAfterSeconds !== undefined) headers["Retry-After"] = String(f.retryAfterSeconds);
  return armError(f.status, f.code ?? code, f.message ?? message.replace("{path}", path), headers);
}

// ---------------------------------------------------------------------------
// The App Service managed-identity endpoint, shared per process
// ---------------------------------------------------------------------------
//
// MSAL caches the managed-identity source (endpoint URL and secret header)
// in a static field the first time a token is requested in a process
// (ManagedIdentityClient.identitySource), and its token cache is static as
// well. A second emulator in the same process with its own identity server
// would never be called. So there is one identity endpoint per process, with
// one header, one token registry, and the same port across restarts: the
// last emulator to close stops it, the next one listens again on that port.

interface IssuedToken {
  resource: string;
  expiresAt: number;
}

interface IdentityListener {
  url: string;
  onTokenRequest(record: TokenRequestRecord, resourceMatches: boolean): void;
}

const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60; // App Service tokens last about a day
const identity = {
  header: randomBytes(24).toString("base64url"),
  clientId: randomUUID(),
  tokens: new Map<string, IssuedToken>(),
  listeners: new Set<IdentityListener>(),
  server: undefined as http.Server | undefined,
  port: 0,
  /** Serialises start/stop so concurrent emulators share one server. */
  lock: Promise.resolve() as Promise<unknown>,
};

function withIdentityLock<T>(fn: () => Promise<T>): Promise<T> {
  const next = identity.lock.then(fn, fn);
  identity.lock = next.catch(() => undefined);
  return next;
}

function normalizeResource(resource: string): string {
  return lower(resource.replace(/\/+$/, ""));
}

function handleTokenRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const resource = url.searchParams.get("resource") ?? undefined;
  const apiVersion = url.searchParams.get("api-version") ?? undefined;
  const selector: Record<string, string> = {};
  for (const key of ["client_id", "mi_res_id", "object_id", "principal_id"]) {
    const v = url.searchParams.get(key);
    if (v) selector[key] = v;
  }
  const record = (status: number) => {
    const rec: TokenRequestRecord = { status, at: Date.now(), ...(resource !== undefined ? { resource } : {}), ...(apiVersion ? { apiVersion } : {}), ...(Object.keys(selector).length ? { identity: selector } : {}) };
    const matches = [...identity.listeners].filter((l) => resource !== undefined && normalizeResource(l.url) === normalizeResource(resource));
    // A token for an unknown resource is reported to every emulator, so a
    // test sees a wrong scope instead of silently nothing.
    for (const l of identity.listeners) if (matches.length === 0 || matches.includes(l)) l.onTokenRequest(rec, matches.includes(l));
  };
  const fail = (status: number, message: string) => {
    record(status);
    reply(status, { statusCode: status, message, correlationId: randomUUID() });
  };

  if (!/^\/msi\/token\/?$/i.test(url.pathname)) return fail(404, `No route for ${url.pathname}.`);
  if (req.method !== "GET") return fail(405, `Method ${req.method} is not allowed.`);
  const header = req.headers["x-identity-header"];
  if (header === undefined) return fail(400, "The X-IDENTITY-HEADER header is missing.");
  if (header !== identity.header) return fail(401, "The X-IDENTITY-HEADER header is invalid.");
  if (apiVersion !== "2019-08-01") return fail(400, `Unsupported api-version '${apiVersion ?? ""}'; expected 2019-08-01.`);
  if (!resource) return fail(400, "The resource query parameter is required.");

  const token = `emu.${randomBytes(24).toString("base64url")}`;
  const expiresOn = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_SECONDS;
  identity.tokens.set(token, { resource, expiresAt: expiresOn * 1000 });
  record(200);
  // Field types as App Service sends them: expires_on is a string of epoch seconds.
  reply(200, { access_token: token, expires_on: String(expiresOn), resource, token_type: "Bearer", client_id: identity.clientId });
}

async function listen(server: http.Server | https.Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function stopServer(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function attachIdentity(listener: IdentityListener): Promise<string> {
  return withIdentityLock(async () => {
    identity.listeners.add(listener);
    if (!identity.server) {
      const server = http.createServer(handleTokenRequest);
      try {
        // Same port as last time, so an endpoint MSAL cached still works.
        identity.port = await listen(server, "127.0.0.1", identity.port);
      } catch {
        identity.port = await listen(server, "127.0.0.1", 0);
      }
      identity.server = server;
    }
    return `http://127.0.0.1:${identity.port}/msi/token`;
  });
}

function detachIdentity(listener: IdentityListener): Promise<void> {
  return withIdentityLock(async () => {
    identity.listeners.delete(listener);
    if (identity.listeners.size === 0 && identity.server) {
      const server = identity.server;
      identity.server = undefined;
      await stopServer(server);
    }
  });
}

// ---------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------

const SITE_PATH = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.web\/sites\/[^/]+)(\/slots\/[^/]+)?/i;

function queryRecord(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) out[k] = v;
  return out;
}

function decodePath(rawPath: string): string {
  const decoded = rawPath
    .split("/")
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    })
    .join("/");
  return decoded.length > 1 ? decoded.replace(/\/+$/, "") : decoded;
}

export async function startArmEmulator(options: ArmEmulatorOptions): Promise<ArmEmulator> {
  const store = new ResourceStore(options.tenant);
  const ca = options.ca ?? testCaFromEnv() ?? (await createTestCa());
  const serverCert = await issueServerCertificate(ca);
  const tempDir = await mkdtemp(join(tmpdir(), "arm-emulator-"));
  const caCertPath = join(tempDir, "ca.pem");
  await writeFile(caCertPath, ca.certPem);

  const pageSize = options.pageSize ?? 1000;
  const latencyMs = options.latencyMs ?? 0;
  const requests: RecordedRequest[] = [];
  const tokenRequests: TokenRequestRecord[] = [];
  const faults: ActiveFault[] = [];
  const pageFaults: ActivePageFault[] = [];
  const buckets = new Map<string, TokenBucket>();
  let throttledCount = 0;
  let url = "";

  const listener: IdentityListener = {
    get url() {
      return url;
    },
    onTokenRequest: (rec) => tokenRequests.push(rec),
  };

  function authenticate(header: string | undefined): ArmResult | undefined {
    if (!header) {
      return armError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", {
        "WWW-Authenticate": `Bearer authorization_uri="https://login.microsoftonline.com/${store.tenantId}", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`,
      });
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const issued = match ? identity.tokens.get(match[1]!) : undefined;
    if (!issued) {
      return armError(401, "AuthenticationFailed", "Authentication failed. The access token is not one the emulator issued.", {
        "WWW-Authenticate": `Bearer authorization_uri="https://login.microsoftonline.com/${store.tenantId}", error="invalid_token", error_description="The access token is invalid."`,
      });
    }
    if (issued.expiresAt <= Date.now()) return armError(401, "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.");
    // Like ARM, accept only tokens whose audience is this endpoint: a client
    // left on the public-cloud scope (https://management.azure.com/.default)
    // fails here exactly as it would against a sovereign cloud.
    if (normalizeResource(issued.resource) !== normalizeResource(url)) {
      return armError(401, "InvalidAuthenticationTokenAudience", `The access token has been obtained for wrong audience or resource '${issued.resource}'. It should exactly match with one of the allowed audiences '${url}', '${url}/'.`);
    }
    return undefined;
  }

  function takeFault(method: string, path: string, subscriptionId: string | undefined): ArmResult | undefined {
    for (const f of faults) {
      if (f.remaining <= 0 || !faultMatches(f.spec, method, path, subscriptionId)) continue;
      f.remaining -= 1;
      f.hits += 1;
      return faultResult(f.spec, path);
    }
    return undefined;
  }

  function throttle(method: string, subscriptionId: string | undefined): ArmResult | { remaining: number; kind: string } | undefined {
    if (!options.throttle || !subscriptionId) return undefined;
    const kind = method === "GET" ? "reads" : "writes";
    const key = `${lower(subscriptionId)}|${kind}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(kind === "reads" ? options.throttle : (options.throttle.writes ?? ARM_WRITE_THROTTLE));
      buckets.set(key, bucket);
    }
    const taken = bucket.take();
    if (taken.ok) return { remaining: taken.remaining, kind };
    const op = kind === "reads" ? "read" : "write";
    return armError(
      429,
      "SubscriptionRequestsThrottled",
      `Number of '${op}' requests for subscription '${subscriptionId}' actor '${identity.clientId}' exceeded. Please try again after '${taken.retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
      { "Retry-After": String(taken.retryAfterSeconds), [`x-ms-ratelimit-remaining-subscription-${kind}`]: "0" },
    );
  }

  function dispatch(req: ArmRequest, authorization: string | undefined, subscriptionId: string | undefined): ArmResult {
    const denied = authenticate(authorization);
    if (denied) return denied;
    if (!req.query.get("api-version")) {
      return armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    }
    const fault = takeFault(req.method, req.path, subscriptionId);
    if (fault) return fault;
    const throttled = throttle(req.method, subscriptionId);
    if (throttled && "status" in throttled) return throttled;
    const result = routeArm({ store, baseUrl: url, pageSize }, req);
    if (throttled) {
      result.headers = { ...result.headers, [`x-ms-ratelimit-remaining-subscription-${throttled.kind}`]: String(throttled.remaining) };
    }
    return result;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    req.resume(); // no ARM route here reads a body
    const parsedUrl = new URL(req.url ?? "/", "https://127.0.0.1");
    const rawQuery = parsedUrl.search.replace(/^\?/, "");
    const armReq: ArmRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path: decodePath(parsedUrl.pathname),
      rawPath: parsedUrl.pathname,
      rawQuery,
      query: parsedUrl.searchParams,
    };
    const subSegment = /^\/subscriptions\/([^/]+)/i.exec(armReq.path)?.[1];
    const subscriptionId = subSegment ? (store.subscription(subSegment)?.subscriptionId ?? subSegment) : undefined;

    let result: ArmResult;
    try {
      result = dispatch(armReq, req.headers.authorization, subscriptionId);
    } catch (err) {
      result = armError(500, "InternalServerError", `ARM emulator error: ${(err as Error).message}`);
    }
    let stallMs = 0;
    for (const f of pageFaults) {
      if (f.remaining <= 0 || result.status !== 200 || !faultMatches({ ...f.spec, status: 500 }, armReq.method, armReq.path, subscriptionId)) continue;
      f.remaining -= 1;
      f.hits += 1;
      stallMs = alterPage(f.spec, armReq, url, result);
      break;
    }
    if (stallMs > 0) await delay(stallMs);
    if (result.status === 429) throttledCount += 1;
    const apiVersion = armReq.query.get("api-version") ?? undefined;
    requests.push({
      method: armReq.method,
      path: armReq.path,
      query: queryRecord(armReq.query),
      ...(subscriptionId ? { subscriptionId } : {}),
      ...(apiVersion ? { apiVersion } : {}),
      status: result.status,
      at,
    });
    if (latencyMs > 0) await delay(latencyMs);
    const requestId = randomUUID();
    const correlation = req.headers["x-ms-correlation-request-id"];
    res.writeHead(result.status, {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-cache",
      "x-ms-request-id": requestId,
      "x-ms-correlation-request-id": typeof correlation === "string" ? correlation : requestId,
      "x-ms-routing-request-id": `EMULATOR:${requestId}`,
      ...result.headers,
    });
    res.end(result.body === undefined ? undefined : JSON.stringify(result.body));
  }

  const server = https.createServer({ key: serverCert.keyPem, cert: serverCert.certPem }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "InternalServerError", message: String(err) } }));
    });
  });
  const host = options.host ?? "127.0.0.1";
  let identityEndpoint: string;
  try {
    const port = await listen(server, host, options.port ?? 0);
    url = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
    identityEndpoint = await attachIdentity(listener);
  } catch (err) {
    if (server.listening) await stopServer(server);
    await rm(tempDir, { recursive: true, force: true });
    throw err;
  }

  const inCount = (r: RecordedRequest, o?: CountOptions) => o?.all === true || (r.status >= 200 && r.status < 300);
  let closed = false;

  const emulator: ArmEmulator = {
    url,
    identityEndpoint,
    identityHeader: identity.header,
    caCertPem: ca.certPem,
    caCertPath,
    get requests() {
      return requests;
    },
    get tokenRequests() {
      return tokenRequests;
    },
    get tokenRequestCount() {
      return tokenRequests.filter((t) => t.status === 200).length;
    },
    get throttledCount() {
      return throttledCount;
    },

    env() {
      return {
        AUDIT_ARM_ENDPOINT: url,
        IDENTITY_ENDPOINT: identityEndpoint,
        IDENTITY_HEADER: identity.header,
        NODE_EXTRA_CA_CERTS: caCertPath,
        // A user-assigned client ID would make MSAL ask for that identity;
        // the other variables would select another credential or MI source.
        AZURE_CLIENT_ID: undefined,
        AZURE_TENANT_ID: undefined,
        AZURE_CLIENT_SECRET: undefined,
        AZURE_CLIENT_CERTIFICATE_PATH: undefined,
        AZURE_FEDERATED_TOKEN_FILE: undefined,
        AZURE_TOKEN_CREDENTIALS: undefined,
        IDENTITY_SERVER_THUMBPRINT: undefined,
        MSI_ENDPOINT: undefined,
        MSI_SECRET: undefined,
        IMDS_ENDPOINT: undefined,
      };
    },
    applyEnv(target = process.env) {
      const previous = new Map<string, string | undefined>();
      for (const [k, v] of Object.entries(emulator.env())) {
        previous.set(k, target[k]);
        if (v === undefined) delete target[k];
        else target[k] = v;
      }
      return () => {
        for (const [k, v] of previous) {
          if (v === undefined) delete target[k];
          else target[k] = v;
        }
      };
    },

    injectFault(spec) {
      const fault: ActiveFault = { spec, remaining: spec.times ?? Number.POSITIVE_INFINITY, hits: 0 };
      faults.push(fault);
      return {
        remove() {
          const i = faults.indexOf(fault);
          if (i >= 0) faults.splice(i, 1);
        },
        get hits() {
          return fault.hits;
        },
      };
    },
    injectPageFault(spec) {
      const fault: ActivePageFault = { spec, remaining: spec.times ?? Number.POSITIVE_INFINITY, hits: 0 };
      pageFaults.push(fault);
      return {
        remove() {
          const i = pageFaults.indexOf(fault);
          if (i >= 0) pageFaults.splice(i, 1);
        },
        get hits() {
          return fault.hits;
        },
      };
    },
    clearFaults() {
      faults.length = 0;
      pageFaults.length = 0;
    },

    upsertResource(resource) {
      store.upsert(resource);
    },
    removeResource(id) {
      return store.remove(id);
    },
    setTenant(tenant) {
      store.setTenant(tenant);
    },

    countBySubscription(o) {
      const out: Record<string, number> = {};
      for (const r of requests) if (r.subscriptionId && inCount(r, o)) out[r.subscriptionId] = (out[r.subscriptionId] ?? 0) + 1;
      return out;
    },
    countBySite(o) {
      const out: Record<string, number> = {};
      for (const r of requests) {
        const m = SITE_PATH.exec(r.path);
        if (!m || !inCount(r, o)) continue;
        const key = lower(m[1]! + (m[2] ?? ""));
        out[key] = (out[key] ?? 0) + 1;
      }
      return out;
    },
    total(o) {
      return requests.filter((r) => inCount(r, o)).length;
    },
    resetCounters() {
      requests.length = 0;
      tokenRequests.length = 0;
      throttledCount = 0;
    },

    async close() {
      if (closed) return;
      closed = true;
      await stopServer(server);
      await detachIdentity(listener);
      await rm(tempDir, { recursive: true, force: true });
    },
  };
  return emulator;
}

/**
 * The ARM emulator's public types: the tenant it serves (`EmulatedTenant`, `ArmResource` in
 * ARM's wire format), its options, faults, recorded requests, the handle `startArmEmulator`
 * returns, and the client options that point a real SDK client at it.
 */
import type { TestCa } from "../ca.js";

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
export const ARM_WRITE_THROTTLE: TokenBucketSettings = { capacity: 200, refillPerSecond: 10 };

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

import type { TokenCredential } from "@azure/core-auth";
import type { AdditionalPolicyConfig } from "@azure/core-client";
import { DefaultAzureCredential } from "@azure/identity";
import { WebSiteManagementClient } from "@azure/arm-appservice";
import { NetworkManagementClient } from "@azure/arm-network";
import { PrivateDnsManagementClient } from "@azure/arm-privatedns";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { ResourceManagementClient } from "@azure/arm-resources";
import { MonitorClient } from "@azure/arm-monitor";
import { ManagementGroupsAPI } from "@azure/arm-managementgroups";
import { DEFAULT_ARM_REQUEST_TIMEOUT_MS, listPagePolicy, originPinPolicy, requestTimeoutPolicy } from "./boundary.js";
import { armErrorCapturePolicy } from "./errors.js";
import { throttleBackoffPolicy, type ThrottleBackoffOptions } from "./throttling.js";

export const PUBLIC_ARM_ENDPOINT = "https://management.azure.com";

/** Per-subscription clients kept per kind: comfortably above the subscriptions scanned at once. */
const CLIENT_CACHE_SIZE = 64;

/** The SDK clients collection uses, one set per subscription, all pointed at one Resource Manager. */
export interface AzureClients {
  readonly endpoint: string;
  readonly subscriptions: SubscriptionClient;
  /** Tenant-level: the descendants of a management group (`--management-group`). */
  readonly managementGroups: ManagementGroupsAPI;
  web(subscriptionId: string): WebSiteManagementClient;
  network(subscriptionId: string): NetworkManagementClient;
  privateDns(subscriptionId: string): PrivateDnsManagementClient;
  monitor(subscriptionId: string): MonitorClient;
  /** Resource groups (their owner tags). */
  resources(subscriptionId: string): ResourceManagementClient;
}

export interface AzureClientOptions {
  /** Resource Manager base URL; the token scope follows it (`<endpoint>/.default`). */
  endpoint?: string;
  credential?: TokenCredential;
  /** Per-attempt request timeout (default DEFAULT_ARM_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number;
  /** Throttling overrides (tests shorten the wait budget). */
  throttling?: Partial<ThrottleBackoffOptions>;
}

/**
 * Builds every client with the same endpoint *and* token scope. Both matter: the classic
 * clients (network, monitor, subscriptions, resources) build URLs from `$host` and the modular ones
 * (appservice 19) from `endpoint`, and the modular ones keep the public-cloud
 * scope unless `credentials.scopes` is passed, which would make every sovereign-cloud or
 * emulator call fail authentication.
 */
export function createAzureClients(options: AzureClientOptions = {}): AzureClients {
  const endpoint = (options.endpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/+$/, "");
  const credential = options.credential ?? new DefaultAzureCredential();
  const scopes = [`${endpoint}/.default`];
  // Order matters (each perRetry policy wraps the next): refuse a foreign origin before anything
  // else sees the request; pace and bound waits; check list pages; time each attempt.
  const additionalPolicies: AdditionalPolicyConfig[] = [
    { policy: originPinPolicy(endpoint), position: "perRetry" },
    { policy: throttleBackoffPolicy(options.throttling), position: "perRetry" },
    { policy: listPagePolicy(), position: "perRetry" },
    { policy: requestTimeoutPolicy(options.requestTimeoutMs ?? DEFAULT_ARM_REQUEST_TIMEOUT_MS), position: "perRetry" },
    // perCall: sees the final answer after retries, whose ARM error the report should carry.
    { policy: armErrorCapturePolicy(), position: "perCall" },
  ];
  const userAgentOptions = { userAgentPrefix: "vnet-audit" };

  const classicOptions = { endpoint, $host: endpoint, credentialScopes: scopes, additionalPolicies, userAgentOptions };
  const modularOptions = { endpoint, credentials: { scopes }, additionalPolicies, userAgentOptions };

  // A small most-recently-used cache: clients are cheap to build but not free (~100 KB each),
  // and memory must not grow with the number of subscriptions already scanned.
  const perSubscription = <T>(create: (subscriptionId: string) => T) => {
    const cache = new Map<string, T>();
    return (subscriptionId: string): T => {
      let client = cache.get(subscriptionId);
      if (client) cache.delete(subscriptionId);
      else client = create(subscriptionId);
      cache.set(subscriptionId, client);
      if (cache.size > CLIENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return client;
    };
  };

  return {
    endpoint,
    subscriptions: new SubscriptionClient(credential, classicOptions),
    managementGroups: new ManagementGroupsAPI(credential, classicOptions),
    web: perSubscription((id) => new WebSiteManagementClient(credential, id, modularOptions)),
    network: perSubscription((id) => new NetworkManagementClient(credential, id, classicOptions)),
    privateDns: perSubscription((id) => new PrivateDnsManagementClient(credential, id, classicOptions)),
    monitor: perSubscription((id) => new MonitorClient(credential, id, classicOptions)),
    resources: perSubscription((id) => new ResourceManagementClient(credential, id, classicOptions)),
  };
}

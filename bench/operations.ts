/**
 * Names the SDK operation behind an ARM request from its method and path, so the benchmark
 * and the request-count tests can count requests per operation kind.
 */

export interface ArmRequestLike {
  method: string;
  /** Decoded path without the query. */
  path: string;
}

const OPERATIONS: Array<[operation: string, method: string, pattern: RegExp]> = [
  ["subscriptions.list", "GET", /^\/subscriptions$/i],
  ["resourceGroups.list", "GET", /^\/subscriptions\/[^/]+\/resourcegroups$/i],
  ["privateZones.list", "GET", /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones$/i],
  ["virtualNetworkLinks.list", "GET", /\/privateDnsZones\/[^/]+\/virtualNetworkLinks$/i],
  ["webApps.list", "GET", /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Web\/sites$/i],
  ["webApps.listByResourceGroup", "GET", /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web\/sites$/i],
  ["webApps.listSlots", "GET", /\/sites\/[^/]+\/slots$/i],
  ["appServicePlans.list", "GET", /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Web\/serverfarms$/i],
  ["appServicePlans.listVnets", "GET", /\/serverfarms\/[^/]+\/virtualNetworkConnections$/i],
  ["virtualNetworks.listAll", "GET", /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks$/i],
  ["certificates.list", "GET", /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Web\/certificates$/i],
  ["autoscaleSettings.listBySubscription", "GET", /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Insights\/autoscalesettings$/i],
  ["webApps.getConfiguration", "GET", /\/sites\/[^/]+(\/slots\/[^/]+)?\/config\/web$/i],
  ["webApps.listVnetConnections", "GET", /\/sites\/[^/]+(\/slots\/[^/]+)?\/virtualNetworkConnections$/i],
  ["webApps.listApplicationSettings", "POST", /\/sites\/[^/]+(\/slots\/[^/]+)?\/config\/appsettings\/list$/i],
  ["virtualNetworks.get", "GET", /\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i],
  ["virtualNetworkGateways.get", "GET", /\/providers\/Microsoft\.Network\/virtualNetworkGateways\/[^/]+$/i],
];

/** The operation name, or `"<METHOD> <path>"` for a request no known operation matches. */
export function operationOf(request: ArmRequestLike): string {
  const method = request.method.toUpperCase();
  return OPERATIONS.find(([, verb, pattern]) => verb === method && pattern.test(request.path))?.[0] ?? `${method} ${request.path}`;
}

/** Requests per operation, most frequent first. */
export function countByOperation(requests: readonly ArmRequestLike[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) {
    const operation = operationOf(request);
    counts[operation] = (counts[operation] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}

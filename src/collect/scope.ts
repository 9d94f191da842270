import type { SubscriptionRecord } from "../model/inventory.js";
import type { AzureClients } from "../azure/clients.js";
import { readAllPages } from "../azure/boundary.js";
import { collectionError, describeAzureFailure } from "../azure/errors.js";
import { uniqueSubscriptionIds } from "../model/ids.js";

/** Subscription states that are audited; Disabled and Deleted ones are reported as skipped (docs/ARCHITECTURE.md, CLI). */
const AUDITED_STATES = new Set(["enabled", "warned", "pastdue"]);

/**
 * The subscriptions in scope: every one the credential sees, or the allow-list. An
 * allow-listed ID the credential can't see is reported as `failed`, never silently dropped.
 */
export async function resolveScope(clients: AzureClients, allowList: readonly string[]): Promise<SubscriptionRecord[]> {
  const visible = new Map<string, SubscriptionRecord>();
  for (const subscription of await readAllPages(clients.subscriptions.subscriptions.list())) {
    if (!subscription.subscriptionId) continue;
    visible.set(subscription.subscriptionId.toLowerCase(), toRecord(subscription.subscriptionId, subscription.displayName, subscription.state));
  }
  const wanted = uniqueSubscriptionIds(allowList.length > 0 ? allowList : [...visible.values()].map((record) => record.subscriptionId));
  const records: SubscriptionRecord[] = [];
  for (const subscriptionId of wanted) {
    const known = visible.get(subscriptionId.toLowerCase());
    records.push(known ?? (await lookUp(clients, subscriptionId)));
  }
  return records.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.subscriptionId.localeCompare(b.subscriptionId));
}

async function lookUp(clients: AzureClients, subscriptionId: string): Promise<SubscriptionRecord> {
  try {
    const subscription = await clients.subscriptions.subscriptions.get(subscriptionId);
    return toRecord(subscription.subscriptionId ?? subscriptionId, subscription.displayName, subscription.state);
  } catch (error) {
    return {
      subscriptionId,
      displayName: subscriptionId,
      state: "Unknown",
      status: "failed",
      errors: [collectionError("subscriptions.get", `/subscriptions/${subscriptionId}`, error)],
    };
  }
}

function toRecord(subscriptionId: string, displayName: string | undefined, state: string | undefined): SubscriptionRecord {
  const audited = AUDITED_STATES.has((state ?? "").toLowerCase());
  return {
    subscriptionId,
    displayName: displayName ?? subscriptionId,
    state: state ?? "Unknown",
    // `complete` is provisional for audited subscriptions: collection sets the real status.
    status: audited ? "complete" : "skipped",
    errors: [],
  };
}

export function isAudited(record: SubscriptionRecord): boolean {
  return record.status !== "skipped" && record.status !== "failed";
}

/**
 * The subscriptions under a management group, at every level below it: the descendants API
 * lists the whole subtree (groups and subscriptions), paged. A group that can't be read throws:
 * no scope is better than a wrong one.
 */
export async function managementGroupSubscriptions(clients: AzureClients, groupId: string): Promise<string[]> {
  const subscriptions: string[] = [];
  try {
    for (const descendant of await readAllPages(clients.managementGroups.managementGroups.listDescendants(groupId))) {
      const isSubscription = /\/subscriptions$/i.test(descendant.type ?? "") || /^\/subscriptions\/[^/]+$/i.test(descendant.id ?? "");
      const subscriptionId = descendant.name ?? descendant.id?.split("/").pop();
      if (isSubscription && subscriptionId) subscriptions.push(subscriptionId);
    }
  } catch (error) {
    const failure = describeAzureFailure(error);
    throw new Error(`management group ${groupId}: ${failure.code ?? failure.statusCode ?? "error"}: ${failure.message}`);
  }
  return uniqueSubscriptionIds(subscriptions);
}

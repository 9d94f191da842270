/** The tenant, its subscriptions and explicit resource groups. */
import type { ArmResource, EmulatedSubscription, EmulatedTenant, SubscriptionState } from "../index.js";
import { DEFAULT_NETWORK_LOCATION, resourceGroupId, stableGuid, withOptional } from "./ids.js";

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

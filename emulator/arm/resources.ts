/**
 * Microsoft.Resources and Microsoft.Management as Resource Manager serves them: subscriptions,
 * resource groups and management-group descendants.
 */
import type { ArmResource, EmulatedSubscription } from "./types.js";
import type { ResourceStore } from "./store.js";
import { armError, lower, paged, type ArmRequest, type ArmResult, type RouteContext } from "./wire.js";

export const MANAGEMENT_GROUPS = "/providers/Microsoft.Management/managementGroups";

/**
 * `GET /providers/Microsoft.Management/managementGroups/{groupId}/descendants`: every group and
 * subscription below the group, at all levels, paged with `$top` and `$skiptoken`. Shape from
 * azure-rest-api-specs, specification/managementgroups/resource-manager/Microsoft.Management/
 * ManagementGroups/stable/2023-04-01/examples/GetDescendants.json (the SDK asks 2021-04-01, the
 * same DescendantInfo shape). A group the caller can't see answers 403 AuthorizationFailed, as
 * Resource Manager does rather than say whether it exists.
 */
export function managementGroupDescendants(ctx: RouteContext, req: ArmRequest, groupId: string): ArmResult {
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
export function subscriptionBody(store: ResourceStore, s: EmulatedSubscription) {
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
export function resourceGroupBody(g: { id: string; name: string; location?: string; explicit?: ArmResource }) {
  // Resource groups carry short location names ("West Europe" -> "westeurope").
  const location = (g.location ?? "westeurope").toLowerCase().replace(/\s+/g, "");
  return g.explicit ?? { id: g.id, name: g.name, type: "Microsoft.Resources/resourceGroups", location, properties: { provisioningState: "Succeeded" } };
}

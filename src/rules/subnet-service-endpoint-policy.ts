import { subscriptionOf } from "../util/arm-id.js";
import type { Rule, RuleResult } from "./rule.js";
import { indexInventory } from "./inventory-index.js";
import { regionalIntegrations, type RegionalIntegration } from "./selectors.js";
import { sortByResourceId } from "./evidence.js";

export const subnetServiceEndpointPolicy: Rule = {
  meta: {
    id: "subnet-service-endpoint-policy",
    title: "Regional integration subnet has service endpoint policies",
    category: "subnet",
    resourceType: "Microsoft.Network/virtualNetworks/subnets",
    severities: ["medium"],
    rationale:
      "Regional VNet integration does not support service endpoint policies on the integration subnet; " +
      "traffic that the policy is meant to restrict is not governed as expected.",
    remediation: {
      text:
        "Remove the service endpoint policies from the integration subnet and restrict access at the target service " +
        "(firewall rules for the subnet, or private endpoints) instead.",
      az: "az network vnet subnet update --remove serviceEndpointPolicies",
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#limitations",
      "https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview",
    ],
  },

  evaluate({ inventory }) {
    return sortByResourceId(regionalIntegrations(indexInventory(inventory)).flatMap(judge));
  },
};

function judge({ subnet, vnet }: RegionalIntegration): RuleResult[] {
  if (!subnet || !vnet || subnet.serviceEndpointPolicyIds.length === 0) return [];
  return [
    {
      resourceId: subnet.id,
      subscriptionId: subscriptionOf(subnet.id) ?? vnet.subscriptionId,
      severity: "medium",
      message: `Integration subnet ${subnet.name} has ${subnet.serviceEndpointPolicyIds.length} service endpoint policy(ies), which regional integration does not support.`,
      evidence: { virtualNetworkId: vnet.id, serviceEndpointPolicyIds: subnet.serviceEndpointPolicyIds },
    },
  ];
}

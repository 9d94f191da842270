import { defineRule, fail, pass } from "./rule.js";
import { integrationSubnets, subnetTarget } from "./selectors.js";

export const subnetServiceEndpointPolicy = defineRule({
  meta: {
    id: "subnet-service-endpoint-policy",
    title: "Regional integration subnet has service endpoint policies",
    category: "subnet",
    resourceType: "Microsoft.Network/virtualNetworks/subnets",
    severities: ["medium"],
    thresholds: {},
    // Regional integration shows in the sites' VNet connection lists too (a swift connection).
    reads: ["vnetConnections"],
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

  select: integrationSubnets,
  target: subnetTarget,
  judge({ subnet, vnet }) {
    if (subnet.serviceEndpointPolicyIds.length === 0) return pass();
    return fail({
      severity: "medium",
      message: `Integration subnet ${subnet.name} has ${subnet.serviceEndpointPolicyIds.length} service endpoint policy(ies), which regional integration does not support.`,
      evidence: { virtualNetworkId: vnet.id, serviceEndpointPolicyIds: subnet.serviceEndpointPolicyIds },
    });
  },
});

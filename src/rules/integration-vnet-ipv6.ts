import type { VirtualNetwork } from "../model/inventory.js";
import type { Rule, RuleResult } from "./rule.js";
import { indexInventory } from "./inventory-index.js";
import { isIPv6Prefix } from "../util/ipv4.js";
import { regionalIntegrations } from "./selectors.js";
import { sortByResourceId } from "./evidence.js";

export const integrationVnetIpv6: Rule = {
  meta: {
    id: "integration-vnet-ipv6",
    title: "Integration virtual network has an IPv6 address space",
    category: "subnet",
    resourceType: "Microsoft.Network/virtualNetworks",
    severities: ["medium"],
    rationale:
      "Regional VNet integration does not support virtual networks with IPv6 address spaces; the integration can fail " +
      "to connect or behave unpredictably.",
    remediation: {
      text:
        "Integrate with a virtual network that has only IPv4 address spaces (peer it to the dual-stack network if needed), " +
        "or remove the IPv6 address space from this one.",
      az: "az network vnet update --address-prefixes",
    },
    references: ["https://learn.microsoft.com/azure/app-service/overview-vnet-integration#limitations"],
  },

  evaluate({ inventory }) {
    const index = indexInventory(inventory);
    // One finding per VNet, however many of its subnets are used for integration.
    const subnetIdsByVnet = new Map<VirtualNetwork, string[]>();
    for (const { vnet, subnet } of regionalIntegrations(index)) {
      if (vnet && subnet) subnetIdsByVnet.set(vnet, [...(subnetIdsByVnet.get(vnet) ?? []), subnet.id]);
    }
    return sortByResourceId([...subnetIdsByVnet].flatMap(([vnet, subnetIds]) => judge(vnet, subnetIds)));
  },
};

function judge(vnet: VirtualNetwork, integrationSubnetIds: string[]): RuleResult[] {
  const ipv6Prefixes = vnet.addressPrefixes.filter(isIPv6Prefix);
  if (ipv6Prefixes.length === 0) return [];
  return [
    {
      resourceId: vnet.id,
      subscriptionId: vnet.subscriptionId,
      severity: "medium",
      message:
        `Virtual network ${vnet.name} is used for regional integration by ${integrationSubnetIds.length} subnet(s) ` +
        `and has ${ipv6Prefixes.length} IPv6 address space(s) (${ipv6Prefixes.join(", ")}).`,
      evidence: {
        ipv6AddressPrefixes: ipv6Prefixes,
        addressPrefixes: vnet.addressPrefixes,
        integrationSubnetIds,
      },
    },
  ];
}

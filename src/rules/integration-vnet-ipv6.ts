import { defineRule, fail, pass } from "./rule.js";
import { integrationVirtualNetworks } from "./selectors.js";
import { isIPv6Prefix } from "../util/ipv4.js";

export const integrationVnetIpv6 = defineRule({
  meta: {
    id: "integration-vnet-ipv6",
    title: "Integration virtual network has an IPv6 address space",
    category: "subnet",
    resourceType: "Microsoft.Network/virtualNetworks",
    severities: ["medium"],
    thresholds: {},
    // Regional integration shows in the sites' VNet connection lists too (a swift connection).
    reads: ["vnetConnections"],
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

  // One verdict per VNet, however many of its subnets are used for integration.
  select: integrationVirtualNetworks,
  target: ({ vnet }) => ({ resourceId: vnet.id, subscriptionId: vnet.subscriptionId }),
  judge({ vnet, integrationSubnetIds }) {
    const ipv6Prefixes = vnet.addressPrefixes.filter(isIPv6Prefix);
    if (ipv6Prefixes.length === 0) return pass();
    return fail({
      severity: "medium",
      message:
        `Virtual network ${vnet.name} is used for regional integration by ${integrationSubnetIds.length} subnet(s) ` +
        `and has ${ipv6Prefixes.length} IPv6 address space(s) (${ipv6Prefixes.join(", ")}).`,
      evidence: {
        ipv6AddressPrefixes: ipv6Prefixes,
        addressPrefixes: vnet.addressPrefixes,
        integrationSubnetIds,
      },
    });
  },
});

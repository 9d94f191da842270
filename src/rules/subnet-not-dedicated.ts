import { defineRule, fail, pass } from "./rule.js";
import type { InventoryIndex } from "./inventory-index.js";
import { integrationSubnets, subnetTarget, type RegionalIntegration } from "./selectors.js";

/** The delegation an integration subnet carries. */
const APP_SERVICE_DELEGATION = "microsoft.web/serverfarms";
/** Flex Consumption plans integrate through a subnet delegated to Container Apps environments instead. */
const FLEX_CONSUMPTION_DELEGATION = "microsoft.app/environments";

export const subnetNotDedicated = defineRule({
  meta: {
    id: "subnet-not-dedicated",
    title: "Regional integration subnet is shared with other resources",
    category: "subnet",
    resourceType: "Microsoft.Network/virtualNetworks/subnets",
    severities: ["medium"],
    thresholds: {},
    // Regional integration shows in the sites' VNet connection lists too (a swift connection).
    reads: ["vnetConnections"],
    rationale:
      "Regional VNet integration depends on a dedicated subnet: other IP configurations or another service's delegation " +
      "take addresses the plan needs to scale, and block or break the integration.",
    remediation: {
      text:
        "Move the other resources (NICs, private endpoints, other delegated services) to their own subnet, or move the " +
        "integration to a new dedicated subnet delegated only to Microsoft.Web/serverFarms.",
      az: "az network vnet subnet create --delegations Microsoft.Web/serverFarms; az webapp vnet-integration add",
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#subnet-requirements",
      "https://learn.microsoft.com/azure/virtual-network/subnet-delegation-overview",
    ],
  },

  select: integrationSubnets,
  target: subnetTarget,
  judge(integration, { index }) {
    const { subnet, vnet, sites } = integration;
    const expected = allFlexConsumption(integration, index) ? FLEX_CONSUMPTION_DELEGATION : APP_SERVICE_DELEGATION;
    const otherDelegations = subnet.delegations.filter((service) => service.toLowerCase() !== expected);
    // A private endpoint shows twice: as itself and as its NIC's IP configuration. Count it once
    // (an endpoint IP configuration whose endpoint the subnet doesn't list still counts).
    const ipConfigurationIds = subnet.ipConfigurationIds.filter((id) => !isPrivateEndpointIpConfiguration(id));
    const privateEndpoints = Math.max(subnet.privateEndpointIds.length, subnet.ipConfigurationIds.length - ipConfigurationIds.length);
    const occupants = ipConfigurationIds.length + privateEndpoints;
    if (occupants === 0 && otherDelegations.length === 0) return pass();

    return fail({
      severity: "medium",
      message:
        `Integration subnet ${subnet.name} also holds ${ipConfigurationIds.length} IP configuration(s), ` +
        `${privateEndpoints} private endpoint(s) and ${otherDelegations.length} other delegation(s).`,
      evidence: {
        virtualNetworkId: vnet.id,
        ipConfigurationIds,
        privateEndpointIds: subnet.privateEndpointIds,
        otherDelegations,
        integratedSiteIds: sites.map((site) => site.id),
      },
    });
  },
});

/**
 * The IP configuration Azure creates on a private endpoint's network interface is named
 * `privateEndpointIpConfig.{guid}` (ARM often returns it upper-cased), whatever the NIC is called.
 */
function isPrivateEndpointIpConfiguration(id: string): boolean {
  return /\/ipConfigurations\/privateEndpointIpConfig\.[^/]+$/i.test(id);
}

function allFlexConsumption({ planIds }: RegionalIntegration, index: InventoryIndex): boolean {
  return planIds.length > 0 && planIds.every((planId) => index.plan(planId)?.sku.tier?.toLowerCase() === "flexconsumption");
}

import type { Rule, RuleResult } from "./rule.js";
import { gatewayConnectionEvidence, sortByResourceId } from "./evidence.js";
import { gatewayIntegratedSites, type GatewayIntegratedSite } from "./selectors.js";
import { indexInventory, type InventoryIndex } from "./inventory-index.js";
import { isExpressRouteGateway, isLinuxSite, isWindowsContainerSite } from "./terms.js";

type Reason = "linux-site" | "windows-container-site" | "expressroute-gateway";

const DESCRIPTION: Record<Reason, string> = {
  "linux-site": "it is a Linux site",
  "windows-container-site": "it is a Windows container site",
  "expressroute-gateway": "its VNet has an ExpressRoute gateway",
};

export const gatewayIntegrationUnsupported: Rule = {
  meta: {
    id: "gateway-integration-unsupported",
    title: "Gateway-required VNet integration in a configuration that does not support it",
    category: "gateway",
    resourceType: "Microsoft.Web/sites",
    severities: ["high"],
    rationale:
      "Gateway-required integration works only for Windows code apps, and not with a VNet that has an ExpressRoute " +
      "gateway, even in coexistence with a VPN gateway: such a connection does not carry the app's traffic.",
    remediation: {
      text:
        "Replace the gateway-required connection with regional VNet integration, which supports Linux, Windows " +
        "containers and ExpressRoute-connected networks.",
      az: "az webapp vnet-integration add",
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration",
      "https://learn.microsoft.com/azure/expressroute/expressroute-howto-coexist-resource-manager",
    ],
  },

  evaluate({ inventory }) {
    const index = indexInventory(inventory);
    return sortByResourceId(gatewayIntegratedSites(index).flatMap((entry) => judge(index, entry)));
  },
};

function judge(index: InventoryIndex, entry: GatewayIntegratedSite): RuleResult[] {
  const { site, plan, connections } = entry;
  const expressRouteGatewayIds = connections.flatMap((connection) =>
    index.gatewaysOf(connection.vnetResourceId).filter(isExpressRouteGateway).map((gateway) => gateway.id),
  );
  const reasons: Reason[] = [];
  if (isLinuxSite(site, plan)) reasons.push("linux-site");
  if (isWindowsContainerSite(site)) reasons.push("windows-container-site");
  if (expressRouteGatewayIds.length > 0) reasons.push("expressroute-gateway");
  if (reasons.length === 0) return [];

  return [
    {
      resourceId: site.id,
      subscriptionId: site.subscriptionId,
      severity: "high",
      message: `Site ${site.name} has ${connections.length} gateway-required VNet connection(s), which cannot work because ${reasons.map((reason) => DESCRIPTION[reason]).join(" and ")}.`,
      evidence: {
        reasons,
        expressRouteGatewayIds,
        connections: connections.map((connection) => gatewayConnectionEvidence(index, entry, connection)),
      },
    },
  ];
}

import { defineRule, fail, pass } from "./rule.js";
import { gatewayConnectionEvidence } from "./evidence.js";
import { gatewayIntegratedSites, siteTarget } from "./selectors.js";
import { isExpressRouteGateway, isLinuxSite, isWindowsContainerSite } from "./terms.js";

type Reason = "linux-site" | "windows-container-site" | "expressroute-gateway";

const DESCRIPTION: Record<Reason, string> = {
  "linux-site": "it is a Linux site",
  "windows-container-site": "it is a Windows container site",
  "expressroute-gateway": "its VNet has an ExpressRoute gateway",
};

export const gatewayIntegrationUnsupported = defineRule({
  meta: {
    id: "gateway-integration-unsupported",
    title: "Gateway-required VNet integration in a configuration that does not support it",
    category: "gateway",
    resourceType: "Microsoft.Web/sites",
    severities: ["high"],
    thresholds: {},
    reads: ["vnetConnections"],
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

  select: gatewayIntegratedSites,
  target: siteTarget,
  judge(entry, { index }) {
    const { site, plan, connections } = entry;
    const expressRouteGatewayIds = connections.flatMap((connection) =>
      index.gatewaysOf(connection.vnetResourceId).filter(isExpressRouteGateway).map((gateway) => gateway.id),
    );
    const reasons: Reason[] = [];
    if (isLinuxSite(site, plan)) reasons.push("linux-site");
    if (isWindowsContainerSite(site)) reasons.push("windows-container-site");
    if (expressRouteGatewayIds.length > 0) reasons.push("expressroute-gateway");
    if (reasons.length === 0) return pass();

    return fail({
      severity: "high",
      message: `Site ${site.name} has ${connections.length} gateway-required VNet connection(s), which cannot work because ${reasons.map((reason) => DESCRIPTION[reason]).join(" and ")}.`,
      evidence: {
        reasons,
        expressRouteGatewayIds,
        connections: connections.map((connection) => gatewayConnectionEvidence(index, entry, connection)),
      },
    });
  },
});

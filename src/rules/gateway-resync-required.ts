import { defineRule, fail, pass } from "./rule.js";
import { connectionVnetName } from "./terms.js";
import { gatewayConnectionEvidence } from "./evidence.js";
import { gatewayIntegratedSites, siteTarget } from "./selectors.js";

export const gatewayResyncRequired = defineRule({
  meta: {
    id: "gateway-resync-required",
    title: "Gateway-required VNet connection needs Sync Network",
    category: "gateway",
    resourceType: "Microsoft.Web/sites",
    severities: ["medium"],
    thresholds: {},
    reads: ["vnetConnections"],
    rationale:
      "When a VNet's certificates, DNS or other network information change, the app's gateway-required connection " +
      "keeps the old copy until Sync Network runs; until then the app may fail to reach the VNet or resolve names.",
    remediation: {
      portal: ["App Service plan > Networking > VNet integration > select the VNet > Sync Network"],
      text:
        "In the portal, open the App Service plan > Networking > VNet integration, select the VNet and run Sync Network " +
        "(a brief connectivity outage; apps using that VNet restart). It doesn't work when the app and the VNet are in " +
        "different subscriptions: disconnect and reconnect instead. Better, migrate to regional VNet integration.",
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration#manage-virtual-network-integration",
      "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration#gateway-required-virtual-network-integration-certificates",
    ],
  },

  select: gatewayIntegratedSites,
  target: siteTarget,
  // Sync Network "is used only for the gateway-dependent VNet Integration feature" ("Integrate your app with an Azure virtual network", 2021 edition), so
  // regional connections, which never need it, are not looked at.
  judge(entry, { index }) {
    const { site } = entry;
    const stale = entry.connections.filter((connection) => connection.resyncRequired);
    if (stale.length === 0) return pass();
    return fail({
      severity: "medium",
      message: `Site ${site.name} has ${stale.length} gateway-required VNet connection(s) that need Sync Network (${stale.map(connectionVnetName).join(", ")}).`,
      evidence: { connections: stale.map((connection) => gatewayConnectionEvidence(index, entry, connection)) },
    });
  },
});

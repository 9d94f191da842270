import { defineRule, fail, pass } from "./rule.js";
import { distinctIds } from "../util/arm-id.js";
import { effectiveRouteAll, isLinuxSite, namesOnlyAzureProvidedDns, readCoverage } from "./terms.js";
import { regionallyIntegratedSites, siteTarget } from "./selectors.js";

export const linuxPrivateDnsWithoutRouteAll = defineRule({
  meta: {
    id: "linux-private-dns-without-route-all",
    title: "Linux app relies on Azure DNS private zones without Route All",
    category: "routing-dns",
    resourceType: "Microsoft.Web/sites",
    severities: ["high"],
    thresholds: {},
    reads: ["config", "appSettings", "vnetConnections"],
    rationale:
      "For Linux apps, Azure DNS private zones linked to the integration VNet only work when Route All is enabled; " +
      "without it the app resolves private endpoints to their public addresses and its calls fail or leave the network.",
    remediation: {
      portal: ["App > Networking > VNet integration > Outbound internet traffic: Route All"],
      text:
        "Enable Route All on the app (outbound VNet routing of application traffic), and check that the integration " +
        "subnet's NSG and route table allow the app's internet-bound traffic.",
      az: "az webapp config set --vnet-route-all-enabled true",
      bicep: [
        "resource app 'Microsoft.Web/sites@2024-04-01' = {",
        "  name: appName",
        "  location: location",
        "  properties: {",
        "    virtualNetworkSubnetId: integrationSubnetId",
        "    outboundVnetRouting: { applicationTraffic: true }",
        "  }",
        "}",
      ].join("\n"),
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#azure-dns-private-zones",
      "https://learn.microsoft.com/azure/app-service/configure-vnet-integration-routing",
      "https://learn.microsoft.com/azure/app-service/tutorial-networking-isolate-vnet",
      "https://learn.microsoft.com/azure/private-link/private-endpoint-dns",
    ],
  },

  select: regionallyIntegratedSites,
  target: siteTarget,
  judge({ site, plan, subnetId }, { index }) {
    if (!isLinuxSite(site, plan)) return pass();
    // Without the VNet we don't know its DNS servers: nothing to say.
    const vnet = index.subnet(subnetId)?.vnet;
    if (!vnet) return pass();

    // Custom DNS anywhere (VNet, site, app setting) means private zones are not resolved by Azure
    // DNS for the app. 168.63.129.16 is Azure DNS named by its address, not a custom resolver.
    const appSettingDns = site.appSettings?.WEBSITE_DNS_SERVER;
    const usesAzureProvidedDns =
      namesOnlyAzureProvidedDns(vnet.dnsServers) &&
      namesOnlyAzureProvidedDns(site.dnsServers) &&
      (!appSettingDns || namesOnlyAzureProvidedDns([appSettingDns]));
    const zones = index.zonesLinkedTo(vnet.id);
    const routeAll = effectiveRouteAll(site);
    if (!usesAzureProvidedDns || zones.length === 0 || routeAll.enabled) return pass();

    const otherSubscriptions = distinctIds([vnet.subscriptionId, ...zones.map((zone) => zone.subscriptionId)]).filter(
      (subscriptionId) => subscriptionId.toLowerCase() !== site.subscriptionId.toLowerCase(),
    );
    return fail({
      severity: "high",
      message:
        `Linux site ${site.name} integrates with VNet ${vnet.name}, which uses Azure-provided DNS and has ${zones.length} ` +
        `linked private DNS zone(s) (${zones.map((zone) => zone.name).join(", ")}), but Route All is off, so those zones don't resolve for it.`,
      evidence: {
        subnetId,
        virtualNetworkId: vnet.id,
        // The VNet's DNS servers as configured: [] or ["168.63.129.16"] both mean Azure-provided DNS.
        virtualNetworkDnsServers: vnet.dnsServers,
        privateDnsZones: zones.map((zone) => ({ name: zone.name, id: zone.id })),
        routeAllSourcesRead: routeAll.read,
        routeAllSourcesUnread: routeAll.unread,
        // appSettingsReadable false: WEBSITE_VNET_ROUTE_ALL or WEBSITE_DNS_SERVER may still change the verdict.
        ...readCoverage(site),
      },
      dependsOnSubscriptions: otherSubscriptions,
    });
  },
});

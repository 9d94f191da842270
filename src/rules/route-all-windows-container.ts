import { defineRule, fail, pass } from "./rule.js";
import { effectiveRouteAll, isWindowsContainerSite, readCoverage } from "./terms.js";
import { regionallyIntegratedSites, siteTarget } from "./selectors.js";

export const routeAllWindowsContainer = defineRule({
  meta: {
    id: "route-all-windows-container",
    title: "Route All enabled on a Windows container app",
    category: "routing-dns",
    resourceType: "Microsoft.Web/sites",
    severities: ["low"],
    thresholds: {},
    reads: ["config", "appSettings", "vnetConnections"],
    rationale:
      "Route All is not supported in Windows containers: the app's internet-bound traffic does not go through the " +
      "integration subnet's NSGs and route tables, whatever the setting says.",
    remediation: {
      text:
        "Don't rely on Route All for this app: control its outbound traffic at the destination, or run it as a Linux " +
        "container or code app where Route All is supported; disable the setting to make the configuration honest.",
      az: "az webapp config set --vnet-route-all-enabled false",
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#application-routing",
      "https://learn.microsoft.com/azure/app-service/configure-vnet-integration-routing",
    ],
  },

  // Route All has no effect without regional integration, so only integrated sites are judged.
  select: regionallyIntegratedSites,
  target: siteTarget,
  judge({ site }) {
    if (!isWindowsContainerSite(site)) return pass();
    const routeAll = effectiveRouteAll(site);
    if (!routeAll.enabled) return pass();
    return fail({
      severity: "low",
      message: `Windows container site ${site.name} has Route All enabled (${routeAll.enabledBy.join(", ")}), which Windows containers don't support.`,
      evidence: { routeAllEnabledBy: routeAll.enabledBy, routeAllSourcesRead: routeAll.read, ...readCoverage(site) },
    });
  },
});

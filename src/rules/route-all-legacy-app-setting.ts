import { defineRule, fail, pass } from "./rule.js";
import { SITE_LEVEL_ROUTE_ALL_SOURCES, effectiveRouteAll, readCoverage } from "./terms.js";
import { regionallyIntegratedSites, siteTarget } from "./selectors.js";

export const routeAllLegacyAppSetting = defineRule({
  meta: {
    id: "route-all-legacy-app-setting",
    title: "Route All is enabled only by the legacy WEBSITE_VNET_ROUTE_ALL app setting",
    category: "routing-dns",
    resourceType: "Microsoft.Web/sites",
    severities: ["low"],
    thresholds: {},
    reads: ["config", "appSettings", "vnetConnections"],
    rationale:
      "The Route All site setting replaces and takes precedence over the legacy WEBSITE_VNET_ROUTE_ALL app setting; " +
      "Azure Policy's built-in Route All audits read only the site setting, so this app is reported as non-compliant and " +
      "its routing is easy to lose in a configuration change.",
    remediation: {
      text: "Enable Route All with the site setting, then remove the WEBSITE_VNET_ROUTE_ALL app setting.",
      az: "az webapp config set --vnet-route-all-enabled true; az webapp config appsettings delete --setting-names WEBSITE_VNET_ROUTE_ALL",
      bicep: [
        "resource app 'Microsoft.Web/sites@2024-04-01' = {",
        "  name: appName",
        "  location: location",
        "  properties: {",
        "    outboundVnetRouting: { applicationTraffic: true }",
        "  }",
        "}",
      ].join("\n"),
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/configure-vnet-integration-routing",
      "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#application-routing",
      "https://learn.microsoft.com/azure/app-service/policy-reference",
    ],
  },

  // Route All means nothing without regional integration, so only integrated sites are judged.
  select: regionallyIntegratedSites,
  target: siteTarget,
  judge({ site }) {
    const routeAll = effectiveRouteAll(site);
    const bySiteSetting = routeAll.enabledBy.some((source) => SITE_LEVEL_ROUTE_ALL_SOURCES.includes(source));
    if (!routeAll.enabledBy.includes("WEBSITE_VNET_ROUTE_ALL") || bySiteSetting) return pass();

    return fail({
      severity: "low",
      message: `Site ${site.name} enables Route All only through WEBSITE_VNET_ROUTE_ALL=${site.appSettings?.WEBSITE_VNET_ROUTE_ALL}, which Azure Policy's Route All audits don't see.`,
      evidence: {
        WEBSITE_VNET_ROUTE_ALL: site.appSettings?.WEBSITE_VNET_ROUTE_ALL ?? null,
        routeAllSourcesRead: routeAll.read,
        // siteConfigReadable false: siteConfig.vnetRouteAllEnabled was not read and might already be on.
        ...readCoverage(site),
      },
    });
  },
});

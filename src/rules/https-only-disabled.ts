import { defineRule, fail, pass } from "./rule.js";
import { allSites, siteTarget } from "./selectors.js";

export const httpsOnlyDisabled = defineRule({
  meta: {
    id: "https-only-disabled",
    title: "Site accepts plain HTTP requests",
    category: "inbound",
    resourceType: "Microsoft.Web/sites",
    severities: ["medium"],
    thresholds: {},
    reads: [],
    rationale:
      "Without HTTPS Only, the app answers unencrypted HTTP requests, so credentials, cookies and data can be read or " +
      "altered in transit.",
    remediation: {
      portal: ["App > Configuration > General settings > HTTPS Only: On"],
      text: "Turn on HTTPS Only so that App Service redirects HTTP requests to HTTPS.",
      az: "az webapp update --https-only true",
      bicep: [
        "resource app 'Microsoft.Web/sites@2023-12-01' = {",
        "  name: appName",
        "  location: location",
        "  properties: {",
        "    httpsOnly: true",
        "  }",
        "}",
      ].join("\n"),
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/configure-ssl-bindings#enforce-https",
      "https://learn.microsoft.com/azure/app-service/tutorial-networking-isolate-vnet",
    ],
  },

  // Every site and slot, ASE and Container Apps included: inbound HTTPS is not an integration concern.
  select: allSites,
  target: siteTarget,
  judge({ site }) {
    if (site.httpsOnly === true) return pass();
    return fail({
      severity: "medium",
      message: `Site ${site.name} has httpsOnly ${site.httpsOnly === false ? "set to false" : "unset"}, so it answers plain HTTP requests.`,
      evidence: { httpsOnly: site.httpsOnly ?? null },
    });
  },
});

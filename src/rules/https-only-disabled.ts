import type { Site } from "../model/inventory.js";
import type { Rule, RuleResult } from "./rule.js";
import { sortByResourceId } from "./evidence.js";

export const httpsOnlyDisabled: Rule = {
  meta: {
    id: "https-only-disabled",
    title: "Site accepts plain HTTP requests",
    category: "inbound",
    resourceType: "Microsoft.Web/sites",
    severities: ["medium"],
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
  evaluate({ inventory }) {
    return sortByResourceId(inventory.sites.flatMap(judge));
  },
};

function judge(site: Site): RuleResult[] {
  if (site.httpsOnly === true) return [];
  return [
    {
      resourceId: site.id,
      subscriptionId: site.subscriptionId,
      severity: "medium",
      message: `Site ${site.name} has httpsOnly ${site.httpsOnly === false ? "set to false" : "unset"}, so it answers plain HTTP requests.`,
      evidence: { httpsOnly: site.httpsOnly ?? null },
    },
  ];
}

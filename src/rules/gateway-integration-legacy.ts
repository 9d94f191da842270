import type { Severity } from "../model/severity.js";
import { defineRule, fail } from "./rule.js";
import { calendarDaysUntil } from "../util/time.js";
import { connectionVnetName, GATEWAY_INTEGRATION_RETIREMENT_DATE } from "./terms.js";
import { gatewayConnectionEvidence } from "./evidence.js";
import { gatewayIntegratedSites, siteTarget } from "./selectors.js";

/** From this many calendar days before retirement the finding is high: 2026-10-02 is the first high day. */
export const LEGACY_HIGH_WITHIN_DAYS = 180;

/** medium until 180 days before retirement, high within 180 days, critical from the date itself. */
/** The rule's severity with `daysUntilRetirement` calendar days left (the report colours the countdown by it). */
export function retirementSeverity(daysUntilRetirement: number): Severity {
  return daysUntilRetirement <= 0 ? "critical" : daysUntilRetirement <= LEGACY_HIGH_WITHIN_DAYS ? "high" : "medium";
}

function legacySeverity(now: Date): { severity: Severity; daysUntilRetirement: number } {
  const daysUntilRetirement = calendarDaysUntil(GATEWAY_INTEGRATION_RETIREMENT_DATE, now);
  return { severity: retirementSeverity(daysUntilRetirement), daysUntilRetirement };
}

export const gatewayIntegrationLegacy = defineRule({
  meta: {
    id: "gateway-integration-legacy",
    title: "Site uses gateway-required (legacy) VNet integration",
    category: "gateway",
    resourceType: "Microsoft.Web/sites",
    severities: ["critical", "high", "medium"],
    thresholds: { retirementDate: GATEWAY_INTEGRATION_RETIREMENT_DATE, highWithinDays: LEGACY_HIGH_WITHIN_DAYS },
    reads: ["vnetConnections"],
    rationale:
      "Gateway-required VNet integration is a legacy method that is retired on 2027-03-31; regional integration is the " +
      "recommended method and removes its limits (Windows only, no ExpressRoute, point-to-site gateway, certificates).",
    remediation: {
      portal: ["App > Networking > VNet integration > Add virtual network integration (regional), then Disconnect the gateway-required connection"],
      text:
        "Migrate to regional VNet integration: integrate with a subnet of a VNet in the app's region (peer it to the " +
        "remote VNet if needed), then disconnect the gateway-required connection.",
      az: "az network vnet subnet create --delegations Microsoft.Web/serverFarms; az webapp vnet-integration add; az rest --method delete (the gateway-required connection)",
      bicep: [
        "resource app 'Microsoft.Web/sites@2023-12-01' = {",
        "  name: appName",
        "  location: location",
        "  properties: {",
        "    serverFarmId: planId",
        "    virtualNetworkSubnetId: integrationSubnetId",
        "  }",
        "}",
      ].join("\n"),
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration",
      "https://learn.microsoft.com/azure/app-service/overview-vnet-integration",
      "https://learn.microsoft.com/azure/app-service/configure-vnet-integration-enable",
    ],
  },

  // Every gateway-required connection fails, whatever its state: the method itself is retired.
  select: gatewayIntegratedSites,
  target: siteTarget,
  judge(entry, { index, now }) {
    const { site, connections } = entry;
    const { severity, daysUntilRetirement } = legacySeverity(now);
    const when =
      daysUntilRetirement > 0
        ? `which retires on ${GATEWAY_INTEGRATION_RETIREMENT_DATE} (in ${daysUntilRetirement} days)`
        : `which was retired on ${GATEWAY_INTEGRATION_RETIREMENT_DATE}`;
    return fail({
      severity,
      message: `Site ${site.name} uses gateway-required VNet integration to ${connections.map(connectionVnetName).join(", ")}, ${when}: migrate it to regional VNet integration.`,
      evidence: {
        retirementDate: GATEWAY_INTEGRATION_RETIREMENT_DATE,
        daysUntilRetirement,
        connections: connections.map((connection) => ({
          ...gatewayConnectionEvidence(index, entry, connection),
          // Coverage note: gateway-certificate-expiring can't judge this connection's certificate.
          certificateUnreadable: connection.certificate.unreadable ?? null,
        })),
      },
    });
  },
});

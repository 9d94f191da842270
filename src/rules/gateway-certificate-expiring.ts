import type { Severity } from "../model/severity.js";
import type { Rule, RuleResult } from "./rule.js";
import { connectionVnetName } from "./terms.js";
import { gatewayConnectionEvidence, sortByResourceId } from "./evidence.js";
import { gatewayIntegratedSites, type GatewayIntegratedSite } from "./selectors.js";
import { indexInventory, type InventoryIndex } from "./inventory-index.js";
import { readableTime, wholeDaysUntil } from "../util/time.js";

/** "less than six months to expiry" ("Configure gateway-required virtual network integration", "Certificate renewal"), as whole days. */
const HIGH_WITHIN_DAYS = 183;

export const gatewayCertificateExpiring: Rule = {
  meta: {
    id: "gateway-certificate-expiring",
    title: "Gateway-required integration certificate expired or expiring within six months",
    category: "gateway",
    resourceType: "Microsoft.Web/sites",
    severities: ["critical", "high"],
    rationale:
      "The certificate of a gateway-required connection lives eight years; once it expires the app loses its connection " +
      "to the virtual network. The portal warns from six months before expiry.",
    remediation: {
      text:
        "Renew the certificate by disconnecting and reconnecting the VNet on the app (a brief connectivity outage; the app " +
        "is not restarted), or, as the command below does, migrate to regional VNet integration, which has no certificate.",
      az: "az webapp vnet-integration add",
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration#certificate-renewal",
    ],
  },

  evaluate({ inventory, now }) {
    const index = indexInventory(inventory);
    return sortByResourceId(gatewayIntegratedSites(index).flatMap((entry) => judge(index, entry, now)));
  },
};

function severityFor(daysLeft: number): Severity | undefined {
  if (daysLeft < 0) return "critical";
  return daysLeft <= HIGH_WITHIN_DAYS ? "high" : undefined;
}

function judge(index: InventoryIndex, entry: GatewayIntegratedSite, now: Date): RuleResult[] {
  const { site } = entry;
  // Missing or unreadable blobs have no NotAfter: a coverage note on gateway-integration-legacy, not a finding here.
  const expiring = entry.connections
    .flatMap((connection) => {
      const { notAfter } = connection.certificate;
      const daysLeft = notAfter === undefined ? undefined : wholeDaysUntil(notAfter, now);
      if (notAfter === undefined || daysLeft === undefined) return [];
      const severity = severityFor(daysLeft);
      return severity ? [{ connection, notAfter, daysLeft, severity }] : [];
    })
    .sort((a, b) => a.daysLeft - b.daysLeft);
  const soonest = expiring[0];
  if (!soonest) return [];

  const when = soonest.daysLeft < 0 ? `expired on ${readableTime(soonest.notAfter)}` : `expires on ${readableTime(soonest.notAfter)} (in ${soonest.daysLeft} days)`;
  return [
    {
      resourceId: site.id,
      subscriptionId: site.subscriptionId,
      severity: soonest.severity,
      message: `The gateway-required integration certificate of site ${site.name} for ${connectionVnetName(soonest.connection)} ${when}.`,
      evidence: {
        highWithinDays: HIGH_WITHIN_DAYS,
        connections: expiring.map(({ connection, notAfter, daysLeft }) => ({
          ...gatewayConnectionEvidence(index, entry, connection),
          notAfter,
          daysLeft,
          certificateThumbprint: connection.certificate.thumbprint ?? connection.certThumbprint ?? null,
          certificateSubject: connection.certificate.subject ?? null,
        })),
      },
    },
  ];
}

import type { Severity } from "../model/severity.js";
import { defineRule, fail, pass, unknown } from "./rule.js";
import { readableTime, wholeDaysUntil } from "../util/time.js";
import { connectionVnetName } from "./terms.js";
import { gatewayConnectionEvidence } from "./evidence.js";
import { gatewayIntegratedSites, siteTarget } from "./selectors.js";

/** "less than six months to expiry" ("Configure gateway-required virtual network integration", "Certificate renewal"), as whole days. */
export const GATEWAY_CERTIFICATE_HIGH_WITHIN_DAYS = 183;

export const gatewayCertificateExpiring = defineRule({
  meta: {
    id: "gateway-certificate-expiring",
    title: "Gateway-required integration certificate expired or expiring within six months",
    category: "gateway",
    resourceType: "Microsoft.Web/sites",
    severities: ["critical", "high"],
    thresholds: { highWithinDays: GATEWAY_CERTIFICATE_HIGH_WITHIN_DAYS },
    reads: ["vnetConnections"],
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

  select: gatewayIntegratedSites,
  target: siteTarget,
  judge(entry, { index, now }) {
    const { site } = entry;
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
    if (!soonest) {
      // A missing or unreadable blob has no NotAfter: that connection can't be judged (gateway-integration-legacy notes it).
      const unreadable = entry.connections.filter((connection) => connection.certificate.unreadable);
      return unreadable.length > 0 ? unknown(`certificate unreadable: ${unreadable.map(connectionVnetName).join(", ")}`) : pass();
    }

    const when = soonest.daysLeft < 0 ? `expired on ${readableTime(soonest.notAfter)}` : `expires on ${readableTime(soonest.notAfter)} (in ${soonest.daysLeft} days)`;
    return fail({
      severity: soonest.severity,
      message: `The gateway-required integration certificate of site ${site.name} for ${connectionVnetName(soonest.connection)} ${when}.`,
      evidence: {
        highWithinDays: GATEWAY_CERTIFICATE_HIGH_WITHIN_DAYS,
        connections: expiring.map(({ connection, notAfter, daysLeft }) => ({
          ...gatewayConnectionEvidence(index, entry, connection),
          notAfter,
          daysLeft,
          certificateThumbprint: connection.certificate.thumbprint ?? connection.certThumbprint ?? null,
          certificateSubject: connection.certificate.subject ?? null,
        })),
      },
    });
  },
});

function severityFor(daysLeft: number): Severity | undefined {
  if (daysLeft < 0) return "critical";
  return daysLeft <= GATEWAY_CERTIFICATE_HIGH_WITHIN_DAYS ? "high" : undefined;
}

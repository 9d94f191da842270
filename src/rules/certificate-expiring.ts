import type { Certificate } from "../model/inventory.js";
import type { Severity } from "../model/severity.js";
import { DEFAULT_RULE_SETTINGS, defineRule, fail, pass, type RuleSettings } from "./rule.js";
import { appServiceCertificates } from "./selectors.js";
import { readableTime, wholeDaysUntil } from "../util/time.js";

export const certificateExpiring = defineRule({
  meta: {
    id: "certificate-expiring",
    title: "App Service certificate expired or expiring soon",
    category: "certificates",
    resourceType: "Microsoft.Web/certificates",
    severities: ["critical", "high", "medium"],
    // The defaults; the config file's `certificateExpiry` tunes them (RuleSettings).
    thresholds: { ...DEFAULT_RULE_SETTINGS.certificateExpiry },
    settings: "certificateExpiry",
    reads: [],
    rationale:
      "When a certificate bound to a custom host name expires, clients get TLS errors and stop calling the app; " +
      "renewing and rebinding takes lead time.",
    remediation: {
      portal: ["Certificates > select the certificate > Renew (managed and App Service Certificate resources)", "App > Custom domains > Add binding with the renewed certificate"],
      text:
        "Renew the certificate (or upload a renewed one), then update every host name binding that uses the old " +
        "thumbprint; App Service managed and App Service Certificate resources can renew automatically.",
      az: "az webapp config ssl bind --ssl-type SNI",
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/configure-ssl-certificate",
      "https://learn.microsoft.com/azure/app-service/configure-ssl-bindings",
    ],
  },

  select: appServiceCertificates,
  target: (certificate: Certificate) => ({ resourceId: certificate.id, subscriptionId: certificate.subscriptionId }),
  judge(certificate, { index, now, settings }) {
    const { expirationDate, thumbprint } = certificate;
    const daysLeft = expirationDate === undefined ? undefined : wholeDaysUntil(expirationDate, now);
    const severity = daysLeft === undefined ? undefined : severityFor(daysLeft, settings.certificateExpiry);
    if (daysLeft === undefined || severity === undefined) return pass();

    const boundSites = thumbprint === undefined ? [] : index.sitesBinding(thumbprint);
    const date = readableTime(expirationDate!);
    const when = daysLeft < 0 ? `expired on ${date}` : `expires on ${date} (in ${daysLeft} days)`;
    return fail({
      severity,
      message: `Certificate ${certificate.name} ${when} and is bound by ${boundSites.length} site(s).`,
      evidence: {
        thumbprint: thumbprint ?? null,
        expirationDate,
        daysLeft,
        hostNames: certificate.hostNames,
        subjectName: certificate.subjectName ?? null,
        boundSiteIds: boundSites.map((site) => site.id),
        thresholds: settings.certificateExpiry,
      },
    });
  },
});

/** critical once expired; high within `highWithinDays`; medium within `mediumWithinDays` (both inclusive). */
function severityFor(daysLeft: number, { highWithinDays, mediumWithinDays }: RuleSettings["certificateExpiry"]): Severity | undefined {
  if (daysLeft < 0) return "critical";
  if (daysLeft <= highWithinDays) return "high";
  return daysLeft <= mediumWithinDays ? "medium" : undefined;
}

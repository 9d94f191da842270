import type { ScanResult } from "../engine/result.js";
import { SEVERITIES } from "../model/severity.js";
import type { Finding } from "../model/finding.js";
import { UNOWNED } from "../engine/owners.js";

/** Short resource label for tables: `rg/provider-type/name`, the full ID stays in JSON and CSV. */
export function shortResource(resourceId: string): string {
  const match = /resourceGroups\/([^/]+)\/providers\/[^/]+\/(.+)$/i.exec(resourceId);
  return match ? `${match[1]}/${match[2]}` : resourceId;
}

export function activeFindings(result: ScanResult): Finding[] {
  return result.findings.filter((finding) => !finding.suppressed);
}

export function severityLine(result: ScanResult): string {
  return SEVERITIES.map((severity) => `${severity} ${result.summary.bySeverity[severity]}`).join(", ");
}

export function expiredSuppressions(result: ScanResult): Finding[] {
  return result.findings.filter((finding) => finding.evidence.expiredSuppression !== undefined);
}

type ReportedSubscription = ScanResult["subscriptions"][number];

/**
 * A subscription's collection errors, one line per cause instead of one per call: "no Reader
 * on Contoso Sandbox (AuthorizationFailed on 6 lists)" rather than six 403s. The full errors,
 * with ARM's own messages, stay in the JSON result.
 */
export function errorCauses(subscription: ReportedSubscription): string[] {
  const groups = new Map<string, ReportedSubscription["errors"]>();
  for (const error of subscription.errors) {
    const cause = error.code ?? (error.statusCode !== undefined ? `HTTP ${error.statusCode}` : "error");
    groups.set(cause, [...(groups.get(cause) ?? []), error]);
  }
  const everythingDenied = subscription.status === "failed" && groups.size === 1 && subscription.errors.every((error) => error.statusCode === 403);
  return [...groups].map(([cause, errors]) => {
    const lists = errors.filter((error) => /\.list/i.test(error.operation)).length;
    const counted = [lists > 0 ? `${lists} list${lists === 1 ? "" : "s"}` : "", errors.length > lists ? `${errors.length - lists} read${errors.length - lists === 1 ? "" : "s"}` : ""].filter(Boolean).join(" and ");
    if (everythingDenied) return `no Reader on ${subscription.displayName} (${cause} on ${counted})`;
    const message = errors[0]!.message.length > 160 ? `${errors[0]!.message.slice(0, 157)}...` : errors[0]!.message;
    return `${subscription.displayName}: ${cause} on ${counted}: ${message}`;
  });
}

/** A finding's owner for display: the tag's value, or `unowned`. */
export function ownerLabel(finding: Pick<Finding, "owner">): string {
  return finding.owner ?? UNOWNED;
}

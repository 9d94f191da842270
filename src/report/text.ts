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

/** A finding's owner for display: the tag's value, or `unowned`. */
export function ownerLabel(finding: Pick<Finding, "owner">): string {
  return finding.owner ?? UNOWNED;
}

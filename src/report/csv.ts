import type { ScanResult } from "../engine/result.js";

const COLUMNS = ["id", "ruleId", "severity", "subscriptionId", "resourceId", "title", "message", "remediation", "suppressed", "suppressionReason", "fixSummary", "proposedSubnet", "fixBlockers", "owner", "change"] as const;

/** RFC 4180 CSV of every finding (suppressed ones marked), one row each. */
export function renderCsv(result: ScanResult): string {
  const rows = result.findings.map((finding) => [
    finding.id,
    finding.ruleId,
    finding.severity,
    finding.subscriptionId,
    finding.resourceId,
    finding.title,
    finding.message,
    finding.remediation,
    finding.suppressed ? "true" : "false",
    finding.suppressed?.reason ?? "",
    finding.fix?.summary ?? "",
    finding.fix?.proposedSubnet?.addressPrefix ?? "",
    (finding.fix?.blockers ?? []).map((blocker) => blocker.code).join(" "),
    finding.owner ?? "",
    finding.change ?? "",
  ]);
  return [COLUMNS as readonly string[], ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** Quotes when needed and defuses spreadsheet formulas (a cell starting with = + - @ runs in Excel). */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

import type { ScanResult } from "../engine/result.js";
import { activeFindings, expiredSuppressions, ownerLabel, severityLine, shortResource } from "./text.js";

/** A plain-text report for a terminal: subscriptions, then findings, then the summary. */
export function renderTable(result: ScanResult): string {
  const lines: string[] = [];
  lines.push(formatColumns(["SUBSCRIPTION", "STATUS", "ERRORS"], result.subscriptions.map((s) => [`${s.displayName} (${s.subscriptionId})`, s.status, String(s.errors.length)])));
  for (const subscription of result.subscriptions) {
    for (const error of subscription.errors) {
      lines.push(`  ! ${subscription.displayName}: ${error.operation} ${error.statusCode ?? ""} ${error.code ?? ""} ${shortResource(error.resourceId)}: ${error.message}`.replace(/\s+/g, " "));
    }
  }
  lines.push("");
  const findings = activeFindings(result);
  if (findings.length === 0) {
    lines.push("No findings.");
  } else {
    lines.push(formatColumns(["SEVERITY", "RULE", "RESOURCE", "OWNER", "MESSAGE"], findings.map((f) => [f.severity, f.ruleId, shortResource(f.resourceId), ownerLabel(f), f.message])));
  }
  const suppressedCount = result.findings.length - findings.length;
  lines.push("");
  lines.push(`Summary: ${severityLine(result)}${suppressedCount > 0 ? `; ${suppressedCount} suppressed` : ""}`);
  for (const finding of expiredSuppressions(result)) {
    const expired = finding.evidence.expiredSuppression as { expiresOn?: string; reason?: string };
    lines.push(`Suppression expired ${expired.expiresOn}: ${finding.ruleId} ${shortResource(finding.resourceId)} (${expired.reason})`);
  }
  return `${lines.join("\n")}\n`;
}

export function formatColumns(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.min(column === header.length - 1 ? Infinity : 70, Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length))));
  const format = (row: string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ").trimEnd();
  return [format(header), ...rows.map(format)].join("\n");
}

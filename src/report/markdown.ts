import type { ScanResult } from "../engine/result.js";
import { activeFindings, expiredSuppressions, ownerLabel, shortResource } from "./text.js";
import { SEVERITIES } from "../model/severity.js";
import { renderRunbook } from "./runbook.js";

/** A Markdown report for pull requests, wikis and pipeline summaries. */
export function renderMarkdown(result: ScanResult): string {
  const out: string[] = [];
  out.push(`# vnet-audit report`, "", `Scan \`${result.scanId}\`, ${result.startedAt} to ${result.finishedAt}, vnet-audit ${result.tool.version}.`, "");
  out.push("| Severity | Findings |", "|---|---:|", ...SEVERITIES.map((s) => `| ${s} | ${result.summary.bySeverity[s]} |`), "");
  out.push("## Subscriptions", "", "| Subscription | ID | Status | Errors |", "|---|---|---|---:|");
  for (const s of result.subscriptions) out.push(`| ${md(s.displayName)} | \`${s.subscriptionId}\` | ${s.status} | ${s.errors.length} |`);
  const errors = result.subscriptions.flatMap((s) => s.errors.map((e) => ({ s, e })));
  if (errors.length > 0) {
    out.push("", "### Collection errors", "");
    for (const { s, e } of errors) out.push(`- ${md(s.displayName)}: \`${e.operation}\` ${e.statusCode ?? ""} ${e.code ?? ""} on \`${e.resourceId}\`: ${md(e.message)}`);
  }
  out.push("", "## Findings", "");
  const findings = activeFindings(result);
  if (findings.length === 0) out.push("No findings.");
  else {
    out.push("| Severity | Rule | Resource | Owner | Message |", "|---|---|---|---|---|");
    for (const f of findings) out.push(`| ${f.severity} | \`${f.ruleId}\` | \`${md(shortResource(f.resourceId))}\` | ${md(ownerLabel(f))} | ${md(f.message)} |`);
    out.push("", "### Remediation", "");
    for (const f of findings) out.push(`- **${f.ruleId}** \`${md(shortResource(f.resourceId))}\`: ${md(f.fix?.summary ?? f.remediation)}`);
  }
  const suppressed = result.findings.filter((f) => f.suppressed);
  if (suppressed.length > 0) {
    out.push("", "## Suppressed", "");
    for (const f of suppressed) out.push(`- \`${f.ruleId}\` \`${md(shortResource(f.resourceId))}\`: ${md(f.suppressed!.reason)}${f.suppressed!.expiresOn ? ` (until ${f.suppressed!.expiresOn})` : ""}`);
  }
  const expired = expiredSuppressions(result);
  if (expired.length > 0) {
    out.push("", "## Expired suppressions", "");
    for (const f of expired) {
      const e = f.evidence.expiredSuppression as { expiresOn?: string; reason?: string };
      out.push(`- \`${f.ruleId}\` \`${md(shortResource(f.resourceId))}\` expired ${e.expiresOn}: ${md(e.reason ?? "")}`);
    }
  }
  out.push("", ...renderRunbook(findings, md));
  return `${out.join("\n")}\n`;
}

/** Escapes text from Azure so it can't break the table or inject markup. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}

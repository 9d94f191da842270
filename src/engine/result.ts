import type { Finding } from "../model/finding.js";
import type { SubscriptionRecord } from "../model/inventory.js";
import type { RuleChecks } from "./checks.js";
import { SEVERITIES, atLeast, type Severity } from "../model/severity.js";

export const SCAN_RESULT_SCHEMA_VERSION = 1;

/** The scan result of docs/ARCHITECTURE.md, shared by `--format json`, the HTTP API and the stored report. */
export interface ScanResult {
  schemaVersion: typeof SCAN_RESULT_SCHEMA_VERSION;
  scanId: string;
  startedAt: string;
  finishedAt: string;
  tool: { name: "vnet-audit"; version: string };
  subscriptions: Pick<SubscriptionRecord, "subscriptionId" | "displayName" | "status" | "errors">[];
  findings: Finding[];
  summary: {
    bySeverity: Record<Severity, number>;
    byRule: Record<string, number>;
    /** Per rule ID: the resources it checked, and of those how many failed and how many it could not decide. */
    checks?: Record<string, RuleChecks>;
  };
  /** With history (`--store`, `--baseline`): findings of the last complete state resolved since. */
  resolved?: Finding[];
}

/** Counts active (unsuppressed) findings by severity (every severity present) and by rule. */
export function summarize(findings: readonly Finding[]): Pick<ScanResult["summary"], "bySeverity" | "byRule"> {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  const byRule: Record<string, number> = {};
  for (const finding of findings) {
    if (finding.suppressed) continue;
    bySeverity[finding.severity]++;
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  }
  return { bySeverity, byRule: Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => a.localeCompare(b))) };
}

export const EXIT = { ok: 0, findings: 1, usage: 2, incomplete: 3 } as const;

/**
 * docs/ARCHITECTURE.md's exit codes: findings at or above the threshold win over an incomplete scan. A
 * scope with no subscription in it (lost Reader, wrong tenant) is incomplete, never a pass.
 */
export function exitCodeFor(result: Pick<ScanResult, "findings" | "subscriptions">, failOn: Severity | undefined): number {
  if (result.subscriptions.length === 0) return EXIT.incomplete;
  if (failOn && result.findings.some((finding) => !finding.suppressed && atLeast(finding.severity, failOn))) return EXIT.findings;
  if (result.subscriptions.some((subscription) => subscription.status === "partial" || subscription.status === "failed")) return EXIT.incomplete;
  return EXIT.ok;
}

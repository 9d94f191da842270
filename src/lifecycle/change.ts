/**
 * What changed since the last complete state (docs/ARCHITECTURE.md, Scan result: `change`): pure, no storage. The same
 * answers come from a previous JSON result (`scan --baseline`) or from the stored severity
 * history (`scan --store`, the function app), so both paths share these definitions:
 *
 * - `new`: not open in the last state (never seen, or resolved since);
 * - `escalated`: open before, more severe now;
 * - `unchanged`: open before at the same or a higher severity;
 * - resolved: open in the last state, gone now, and every subscription it depends on (its own
 *   and `dependsOn`, e.g. the hub holding DNS zones) was scanned
 *   completely: a partial or failed scan resolves nothing.
 */
import { findingDependsOn, type Finding, type FindingChange } from "../model/finding.js";
import type { SubscriptionStatus } from "../model/inventory.js";
import { severityRank } from "../model/severity.js";
import type { SeverityHistoryEntry } from "./record.js";

/** What change needs of a stored finding's severity history entry. */
export type HistoryEntry = Pick<SeverityHistoryEntry, "severity" | "scanId" | "event">;

/** The change of a finding seen by scan `scanId`, from its history (which already holds this scan's sighting). */
export function changeFromHistory(history: readonly HistoryEntry[], scanId: string): FindingChange {
  const index = history.findIndex((entry) => entry.scanId === scanId && entry.event !== "resolved");
  if (index < 0) return "unchanged";
  const entry = history[index]!;
  if (entry.event === "opened" || entry.event === "reopened") return "new";
  const before = history[index - 1];
  return before && severityRank(entry.severity) > severityRank(before.severity) ? "escalated" : "unchanged";
}

export interface BaselineDiff {
  /** The current findings, each with `change` and `firstSeen`. */
  findings: Finding[];
  /** Baseline findings no longer reported whose dependencies were all scanned completely. */
  resolved: Finding[];
}

/** The subscriptions a finding's presence depends on (lower case). */
export function findingDependencies(finding: Pick<Finding, "subscriptionId" | "dependsOn" | "evidence">): string[] {
  return [...new Set([finding.subscriptionId.toLowerCase(), ...findingDependsOn(finding)])];
}

/**
 * Diffs a scan against a previous result (`--baseline`). Suppressed findings take part like
 * any other (their `change` says whether they are new).
 */
export function diffAgainstBaseline(
  current: { startedAt: string; findings: readonly Finding[]; subscriptions: readonly { subscriptionId: string; status: SubscriptionStatus }[] },
  baseline: { startedAt: string; findings: readonly Finding[] },
): BaselineDiff {
  const previous = new Map(baseline.findings.map((finding) => [finding.id, finding]));
  const findings = current.findings.map((finding): Finding => {
    const before = previous.get(finding.id);
    if (!before) return { ...finding, change: "new", firstSeen: current.startedAt };
    const change: FindingChange = severityRank(finding.severity) > severityRank(before.severity) ? "escalated" : "unchanged";
    return { ...finding, change, firstSeen: before.firstSeen ?? baseline.startedAt };
  });
  const seen = new Set(current.findings.map((finding) => finding.id));
  const complete = new Set(current.subscriptions.filter((s) => s.status === "complete").map((s) => s.subscriptionId.toLowerCase()));
  const resolved = baseline.findings.filter((finding) => !seen.has(finding.id) && findingDependencies(finding).every((id) => complete.has(id)));
  return { findings, resolved: resolved.map(({ change: _change, ...finding }) => finding) };
}

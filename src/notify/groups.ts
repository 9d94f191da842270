/**
 * What the digest's renderers (email, Teams) share: findings of one rule grouped into one
 * card that lists its resources, and the digest's owner index.
 */
import { UNOWNED } from "../engine/owners.js";
import { compareFindings, type Finding } from "../model/finding.js";
import { SEVERITIES, severityRank, type Severity } from "../model/severity.js";

export interface RuleGroup {
  ruleId: string;
  title: string;
  /** The most severe finding's severity. */
  worst: Severity;
  /** The rule's remediation as the findings carry it (the first one's). */
  remediation: string;
  references: string[];
  /** Most severe first, then by resource. */
  findings: Finding[];
}

/** One group per rule, the groups most severe first (then by rule ID). */
export function groupByRule(findings: readonly Finding[]): RuleGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) groups.set(finding.ruleId, [...(groups.get(finding.ruleId) ?? []), finding]);
  return [...groups.entries()]
    .map(([ruleId, members]): RuleGroup => {
      const sorted = [...members].sort(compareFindings);
      const first = sorted[0]!;
      return { ruleId, title: first.title, worst: first.severity, remediation: first.remediation, references: first.references, findings: sorted };
    })
    .sort((a, b) => severityRank(b.worst) - severityRank(a.worst) || a.ruleId.localeCompare(b.ruleId));
}

/** The digest's `byOwner` (docs/ARCHITECTURE.md, Digest): owner (or "unowned") → the IDs of its new, escalated and resolved findings. */
export type ByOwner = Record<string, { new: string[]; escalated: string[]; resolved: string[] }>;

export function indexByOwner(changes: { new: readonly Finding[]; escalated: readonly Finding[]; resolved: readonly Finding[] }): ByOwner {
  const index: ByOwner = {};
  for (const kind of ["new", "escalated", "resolved"] as const) {
    for (const finding of changes[kind]) {
      const owner = finding.owner ?? UNOWNED;
      index[owner] ??= { new: [], escalated: [], resolved: [] };
      index[owner][kind].push(finding.id);
    }
  }
  // Named owners alphabetically, unowned last: a flow mailing each team reads them in order.
  return Object.fromEntries(Object.entries(index).sort(([a], [b]) => (a === UNOWNED ? 1 : b === UNOWNED ? -1 : a.localeCompare(b))));
}

/** Severity counts, every severity present (for summary lines). */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

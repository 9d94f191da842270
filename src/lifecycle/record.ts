/**
 * A stored finding's lifecycle as plain data: what store/findings.ts decodes a table row into
 * and encodes back. The decisions over it (sightings.ts, resolution.ts, announcements.ts) are
 * pure functions of these shapes; they never see a table, a column or an ETag.
 */
import type { Finding } from "../model/finding.js";
import type { Severity } from "../model/severity.js";

export type FindingState = "open" | "resolved" | "suppressed";

export interface SeverityHistoryEntry {
  severity: Severity;
  at: string;
  scanId: string;
  /** Absent for a plain severity change. */
  event?: "opened" | "reopened" | "resolved";
}

/** docs/ARCHITECTURE.md's finding plus its lifecycle. */
export interface StoredFinding extends Finding {
  state: FindingState;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
  severityHistory: SeverityHistoryEntry[];
}

/** Where a finding stands, apart from what it says (its message, evidence, fix). */
export interface FindingLifecycle {
  severity: Severity;
  state: FindingState;
  firstSeen: string;
  lastSeen: string;
  /** The last scan that saw it. */
  lastScanId: string;
  resolvedAt?: string;
  resolvedScanId?: string;
  severityHistory: SeverityHistoryEntry[];
  /**
   * Every subscription whose complete scan it needs to resolve (lower case, sorted): the ones
   * whose scans saw it, its own, and its `dependsOn` (sightings.ts).
   */
  dependencies: string[];
}

/** What a digest said of a finding last (announcements.ts). */
export type AnnouncedAs = "new" | "escalated" | "resolved";

export interface Announced {
  /** The severity announced as open (kept when the finding is later announced resolved). */
  severity?: Severity;
  state?: "open" | "resolved";
  scanId?: string;
  as?: AnnouncedAs;
}

/** The docs/ARCHITECTURE.md finding shape of a stored finding (drops the lifecycle fields). */
export function toFinding(finding: Finding): Finding {
  const { id, ruleId, severity, title, resourceId, subscriptionId, dependsOn, message, remediation, evidence, references, suppressed, owner } = finding;
  return {
    id,
    ruleId,
    severity,
    title,
    resourceId,
    subscriptionId,
    ...(dependsOn && dependsOn.length > 0 ? { dependsOn } : {}),
    message,
    remediation,
    evidence,
    references,
    suppressed,
    owner: owner ?? null,
    fix: finding.fix ?? null,
  };
}

/** What a run's report says of a stored finding: it resolved it, or it saw it (`lastScanId`), or neither. */
export function partInRun(lifecycle: Pick<FindingLifecycle, "state" | "lastScanId" | "resolvedScanId">, scanId: string): "resolved" | "seen" | undefined {
  if (lifecycle.state === "resolved" && lifecycle.resolvedScanId === scanId) return "resolved";
  return lifecycle.lastScanId === scanId ? "seen" : undefined;
}

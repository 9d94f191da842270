/**
 * What a digest announces of a finding, and what it records having announced: pure, no storage.
 * A finding is announced once when it appears, once more if its severity rises, and once when
 * it resolves (docs/ARCHITECTURE.md, Digest). Suppressed findings are never announced.
 */
import { atLeast, severityRank, type Severity } from "../model/severity.js";
import type { Announced, AnnouncedAs, FindingLifecycle } from "./record.js";

export interface AnnouncementCandidate extends Pick<FindingLifecycle, "state" | "severity" | "lastScanId"> {
  announced: Announced;
}

/**
 * What scan `scanId`'s digest must say of this finding, if anything:
 * - new: open, seen by this scan, at/above minSeverity, not announced as open (never
 *   announced, or announced resolved and now back);
 * - escalated: open, seen by this scan, announced before, severity now above the announced one
 *   (and at/above min);
 * - resolved: resolved, announced as open at a severity at/above min.
 * A finding this scan already marked announced is announced again as it was (a re-run close
 * after a crash rebuilds the same digest).
 */
export function announcementOf(candidate: AnnouncementCandidate, scanId: string, minSeverity: Severity): AnnouncedAs | undefined {
  const { announced } = candidate;
  if (announced.scanId === scanId && announced.as) return announced.as;
  if (candidate.state === "open" && candidate.lastScanId === scanId && atLeast(candidate.severity, minSeverity)) {
    if (announced.state !== "open" || !announced.severity) return "new";
    return severityRank(candidate.severity) > severityRank(announced.severity) ? "escalated" : undefined;
  }
  if (candidate.state === "resolved" && announced.state === "open" && announced.severity && atLeast(announced.severity, minSeverity)) return "resolved";
  return undefined;
}

/**
 * What announcing a finding as `as` in scan `scanId` records: announced open at its severity, or
 * announced resolved (the severity it was announced open with is kept).
 */
export function announcedMark(as: AnnouncedAs, severity: Severity, scanId: string): Announced {
  return as === "resolved" ? { scanId, as, state: "resolved" } : { scanId, as, state: "open", severity };
}

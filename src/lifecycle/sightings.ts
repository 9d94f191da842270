/**
 * Merging one sighting of a finding into what is known of it: pure, no storage.
 *
 * A sighting is one subscription's scan reporting the finding. Within one scan several
 * subscriptions may report the same finding (a hub subnet judged from every spoke that
 * integrates into it): the most severe judgement wins, as in evaluate's dedupe, and the
 * dependencies add up, so that it resolves only once every one of those scans was complete
 * (resolution.ts). Merging the same sighting twice (a redelivered queue message) changes nothing.
 */
import { findingDependsOn, type Finding } from "../model/finding.js";
import { severityRank, type Severity } from "../model/severity.js";
import type { FindingLifecycle, FindingState } from "./record.js";

export interface Sighting {
  severity: Severity;
  suppressed: boolean;
  /** The subscriptions this sighting depends on (`sightingDependencies`). */
  dependencies: string[];
}

export interface SightingContext {
  scanId: string;
  /** ISO time of the sighting. */
  at: string;
}

/**
 * What a sighting depends on: the subscription whose scan produced it, the finding's own
 * subscription, and its `dependsOn` (e.g. the hub holding DNS zones). A shared hub subnet judged
 * while scanning spoke A depends on [a, h]; seen from spokes A and B in one scan, [a, b, h].
 */
export function sightingDependencies(finding: Pick<Finding, "subscriptionId" | "dependsOn" | "evidence">, scannedSubscriptionId: string): string[] {
  return union([scannedSubscriptionId, finding.subscriptionId], findingDependsOn(finding));
}

export function sightingOf(finding: Finding, scannedSubscriptionId: string): Sighting {
  return { severity: finding.severity, suppressed: Boolean(finding.suppressed), dependencies: sightingDependencies(finding, scannedSubscriptionId) };
}

/** One finding per id, the most severe judgement of each (the first of equals), in first-seen order. */
export function strongestSightings(findings: Iterable<Finding>): Finding[] {
  const byId = new Map<string, Finding>();
  for (const finding of findings) {
    const previous = byId.get(finding.id);
    if (!previous || severityRank(finding.severity) > severityRank(previous.severity)) byId.set(finding.id, finding);
  }
  return [...byId.values()];
}

/**
 * The lifecycle after this sighting. `takeFinding` says whether what the finding says (message,
 * evidence, fix) replaces what is stored: not when an earlier sighting of the same scan was more
 * severe. Whether anything changed at all is for the caller to tell (it compares what it stores).
 */
export function mergeSighting(current: FindingLifecycle | undefined, sighting: Sighting, context: SightingContext): { lifecycle: FindingLifecycle; takeFinding: boolean } {
  const { scanId, at } = context;
  const state: FindingState = sighting.suppressed ? "suppressed" : "open";
  if (!current) {
    return {
      takeFinding: true,
      lifecycle: {
        severity: sighting.severity,
        state,
        firstSeen: at,
        lastSeen: at,
        lastScanId: scanId,
        severityHistory: [{ severity: sighting.severity, at, scanId, event: "opened" }],
        dependencies: sighting.dependencies,
      },
    };
  }

  const sameScan = current.lastScanId === scanId;
  const keepCurrent = sameScan && severityRank(current.severity) > severityRank(sighting.severity);
  const severity = keepCurrent ? current.severity : sighting.severity;
  const dependencies = sameScan ? union(current.dependencies, sighting.dependencies) : sighting.dependencies;
  const history = current.severityHistory.map((entry) => ({ ...entry }));
  const reopened = current.state === "resolved";

  if (reopened) {
    history.push({ severity, at, scanId, event: "reopened" });
  } else if (severity !== current.severity) {
    const last = history[history.length - 1];
    if (last && last.scanId === scanId) {
      // A second sighting in the same scan adjusts this scan's entry instead of adding one.
      const before = history[history.length - 2];
      if (!last.event && before && before.severity === severity) history.pop();
      else last.severity = severity;
    } else {
      history.push({ severity, at, scanId });
    }
  }

  const { resolvedAt: _resolvedAt, resolvedScanId: _resolvedScanId, ...kept } = current;
  return {
    takeFinding: !keepCurrent,
    lifecycle: {
      ...kept,
      severity,
      state: reopened ? state : keepCurrent ? current.state : state,
      lastSeen: sameScan ? current.lastSeen : at,
      lastScanId: scanId,
      severityHistory: history,
      dependencies,
    },
  };
}

function union(...lists: readonly string[][]): string[] {
  return [...new Set(lists.flat().map((id) => id.toLowerCase()))].sort();
}

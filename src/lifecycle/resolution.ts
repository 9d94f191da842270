/**
 * Which findings a run may resolve: pure, no storage (store/findings.ts `resolveMissing` reads
 * the candidates and writes what this decides, under each row's ETag).
 *
 * A finding may only resolve when every subscription whose data could have produced it was
 * scanned completely in this run: its `dependencies` (sightings.ts). Because the finding's own
 * subscription is always among them, a resolvable finding always lives with a complete
 * subscription, so reading the findings of the complete subscriptions finds every one that may
 * resolve (a hub's are read only when the hub is complete; if it is not, none of them may resolve).
 *
 * Outside the allow-list. When the hub is not in the run's scope at all (AUDIT_SUBSCRIPTIONS lists
 * only the spokes), it is never scanned, yet the spoke's scan read the hub VNet itself and its own
 * status covers that read. So the finding's own subscription, when out of scope, is not required;
 * at least one dependency must still have been scanned completely, so dropping a subscription from
 * the allow-list resolves nothing of its own. Such findings are found through the subscriptions
 * outside their own that each scanned subscription wrote to (`subscriptionsToRead`).
 */
import type { FindingLifecycle } from "./record.js";

export interface ResolutionRun {
  scanId: string;
  /** Subscriptions scanned completely in this run (lower case). */
  complete: ReadonlySet<string>;
  /** Every subscription of the run's scope, any status (lower case); unknown: every one is required. */
  scope?: ReadonlySet<string>;
  /** When the run started (ms): a finding seen since (by this run or an overlapping one) is not missing. */
  startedAt?: number;
  /** Finding IDs this run could not judge (a site's app settings or config unreadable): never resolved by it. */
  undecided?: ReadonlySet<string>;
}

export function resolutionRun(
  scanId: string,
  completeSubscriptionIds: Iterable<string>,
  options: { runStartedAt?: string; undecided?: ReadonlySet<string>; scope?: Iterable<string> } = {},
): ResolutionRun {
  const lower = (ids: Iterable<string>) => new Set([...ids].map((id) => id.toLowerCase()));
  return {
    scanId,
    complete: lower(completeSubscriptionIds),
    ...(options.scope ? { scope: lower(options.scope) } : {}),
    ...(options.runStartedAt === undefined ? {} : { startedAt: Date.parse(options.runStartedAt) }),
    ...(options.undecided ? { undecided: options.undecided } : {}),
  };
}

/** A stored finding as resolution sees it. */
export interface ResolutionCandidate extends Pick<FindingLifecycle, "state" | "lastScanId" | "lastSeen" | "dependencies"> {
  id: string;
  /** The finding's own subscription (lower case). */
  subscriptionId: string;
}

/** Open or suppressed (a suppressed finding whose resource is fixed should not linger), missing from this run, decided, and every dependency met. */
export function mayResolve(candidate: ResolutionCandidate, run: ResolutionRun): boolean {
  return (
    (candidate.state === "open" || candidate.state === "suppressed") &&
    candidate.lastScanId !== run.scanId &&
    (run.startedAt === undefined || Date.parse(candidate.lastSeen) < run.startedAt) &&
    !run.undecided?.has(candidate.id) &&
    dependenciesMet(candidate, run)
  );
}

/** Every dependency complete, or (only the finding's own subscription) outside the scope; at least one complete. */
function dependenciesMet(candidate: ResolutionCandidate, run: ResolutionRun): boolean {
  let anyComplete = false;
  for (const id of candidate.dependencies) {
    if (run.complete.has(id)) anyComplete = true;
    else if (!(run.scope && id === candidate.subscriptionId && !run.scope.has(id))) return false;
  }
  return anyComplete;
}

/** The lifecycle once resolved by scan `scanId` at `at`. */
export function resolveFinding<T extends FindingLifecycle>(lifecycle: T, scanId: string, at: string): T {
  return {
    ...lifecycle,
    state: "resolved",
    resolvedAt: at,
    resolvedScanId: scanId,
    severityHistory: [...lifecycle.severityHistory, { severity: lifecycle.severity, at, scanId, event: "resolved" }],
  };
}

/**
 * Whose findings to read for resolution: the complete subscriptions', and, when the scope is
 * known, those outside it that a complete subscription's scan wrote findings for.
 */
export function subscriptionsToRead(run: ResolutionRun, writtenOutsideOwn: Iterable<string>): string[] {
  const read = new Set(run.complete);
  if (run.scope) for (const id of writtenOutsideOwn) if (!run.scope.has(id)) read.add(id);
  return [...read];
}

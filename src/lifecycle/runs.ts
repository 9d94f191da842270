/**
 * A scan run's lifecycle decisions: pure, no storage (store/runs.ts applies them to the
 * `scanruns` rows under their ETags, so concurrent queue handlers and closers each decide on
 * fresh data and exactly one of them wins each transition).
 *
 *   run:           running → closing → complete | partial
 *                  (`closing`: the last subscription finished and one closer owns the run for
 *                  its lease; a closer that fails gives the lease back at once, one that dies
 *                  loses it at expiry)
 *   subscription:  pending → running → complete | partial | failed (or skipped / failed from the start)
 */

export type RunTrigger = "timer" | "http" | "cli";
export type RunStatus = "running" | "closing" | "complete" | "partial";
export type SubscriptionRunStatus = "pending" | "running" | "complete" | "partial" | "failed" | "skipped";

/** A claim lasts longer than host.json's functionTimeout (30 min), so a slow scan is never claimed twice. */
export const DEFAULT_LEASE_MS = 35 * 60_000;

const TERMINAL: ReadonlySet<SubscriptionRunStatus> = new Set(["complete", "partial", "failed", "skipped"]);

/** Finished: the subscription's outcome is recorded and nothing changes it any more. */
export function isTerminal(status: SubscriptionRunStatus): boolean {
  return TERMINAL.has(status);
}

/** Pending, or running under a lease that has run out (the previous worker died). */
export function mayClaim(subscription: { status: SubscriptionRunStatus; leaseUntil?: string }, now: Date): boolean {
  const leaseLive = subscription.status === "running" && subscription.leaseUntil !== undefined && Date.parse(subscription.leaseUntil) > now.getTime();
  return subscription.status === "pending" || (subscription.status === "running" && !leaseLive);
}

/** A run stuck in `closing` whose closer's lease started before `closingBefore`: the next caller may take the close over. */
export function closerLeaseEnded(run: { status: RunStatus; closingAt?: string }, closingBefore: Date): boolean {
  return run.status === "closing" && run.closingAt !== undefined && Date.parse(run.closingAt) < closingBefore.getTime();
}

/** Whether a run is `closing` under a closer lease that has not expired (someone else is closing it). */
export function closingUnderLiveLease(run: { status: RunStatus; closingAt?: string } | undefined, now: Date, closerLeaseMs: number): boolean {
  return run?.status === "closing" && run.closingAt !== undefined && Date.parse(run.closingAt) >= now.getTime() - closerLeaseMs;
}

/**
 * A run's final status: partial when any subscription was partial or failed, or when the scope
 * held no subscription at all (lost Reader, wrong tenant: an empty audit is not a clean one).
 */
export function finalRunStatus(subscriptions: readonly { status: SubscriptionRunStatus }[]): "complete" | "partial" {
  return subscriptions.length === 0 || subscriptions.some((row) => row.status === "partial" || row.status === "failed") ? "partial" : "complete";
}

/**
 * What to do with a run that is still open: one that started before `olderThan` and is still
 * running has stragglers to fail before it closes; one stuck in `closing` whose closer lease
 * ended before `closingBefore` is taken over. Anything else is left alone.
 */
export function staleRunStep(run: { status: RunStatus; startedAt: string; closingAt?: string }, olderThan: Date, closingBefore: Date): "failStragglers" | "takeOverClose" | undefined {
  if (run.status === "running" && Date.parse(run.startedAt) < olderThan.getTime()) return "failStragglers";
  if (closerLeaseEnded(run, closingBefore)) return "takeOverClose";
  return undefined;
}

/** Lower-cased IDs of the subscriptions whose scan was complete: the set resolution takes. */
export function completeSubscriptionIds(run: { subscriptions: readonly { subscriptionId: string; status: SubscriptionRunStatus }[] }): Set<string> {
  return new Set(run.subscriptions.filter((row) => row.status === "complete").map((row) => row.subscriptionId.toLowerCase()));
}

export function countByStatus(subscriptions: readonly { status: SubscriptionRunStatus }[]): Record<SubscriptionRunStatus, number> {
  const counts: Record<SubscriptionRunStatus, number> = { pending: 0, running: 0, complete: 0, partial: 0, failed: 0, skipped: 0 };
  for (const subscription of subscriptions) counts[subscription.status]++;
  return counts;
}

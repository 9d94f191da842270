/**
 * One scan cycle, shared by every trigger: the timer fans out through the queue, the HTTP
 * API and `vnet-audit scan --store` run the same steps in one process.
 *
 *   startRun            scope, DNS zones (once per run), run rows
 *   scanSubscription    claim → collect → evaluate → record findings → complete → maybe close
 *   closeRun            resolve what disappeared → digest → outbox → report blobs → deliver
 *
 * Every step may run twice (queue redelivery, a retried timer, two closers racing): the
 * store's claims and ETag-guarded transitions make the second run a no-op.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { buildResult } from "../audit.js";
import { isAudited, resolveScope } from "../collect/scope.js";
import { collectSubscription } from "../collect/subscription.js";
import { collectScopeZones, DEFAULT_TENANT_COLLECT_OPTIONS } from "../collect/tenant.js";
import { dedupeFindings, evaluate } from "../engine/evaluate.js";
import { DEFAULT_OWNER_TAG } from "../engine/owners.js";
import { reconcileProposals } from "../fix/reconcile.js";
import { mergeTallies, type CheckTally } from "../engine/checks.js";
import { subscriptionIdSchema } from "../model/ids.js";
import { collectInsights, mergeAllInsights, type ReportInsights } from "../engine/insights.js";
import type { ScanResult } from "../engine/result.js";
import type { Finding } from "../model/finding.js";
import type { CollectionError, PrivateDnsZone, SubscriptionRecord } from "../model/inventory.js";
import { buildDigest, digestCoverage } from "../notify/digest.js";
import { deliverOutbox, digestDelivery, enqueueDigest, markDigestAnnounced, unappliedAnnouncements, type DigestDelivery } from "../notify/outbox.js";
import { teamsBody } from "../notify/teams.js";
import { reportLink } from "../store/report-link.js";
import { renderHtmlReport } from "../report/html.js";
import { findingsToAnnounce, markAnnounced, recordSubscriptionFindings, resolveMissing, runLifecycle, type RunLifecycle } from "../store/findings.js";
import { changeFromHistory } from "../lifecycle/change.js";
import { toFinding } from "../lifecycle/record.js";
import {
  claimSubscription,
  closeStaleRuns,
  closingElsewhere,
  completeSubscription,
  createRun,
  failSubscription,
  getRun,
  getRunArtifact,
  getRunHtmlReport,
  getRunInfo,
  getRunReport,
  markRunClosed,
  putRunArtifact,
  putRunReport,
  releaseClose,
  releaseSubscription,
  tryCloseRun,
  type RunDetails,
} from "../store/runs.js";
import { completeSubscriptionIds, type RunTrigger } from "../lifecycle/runs.js";
import { mapWithConcurrency } from "../util/concurrency.js";
import type { CycleDeps } from "./deps.js";

/** The queue message of one subscription of a run. */
export const scanMessageSchema = z.strictObject({
  scanId: z.string().uuid(),
  subscriptionId: subscriptionIdSchema,
  displayName: z.string(),
  state: z.string(),
});
export type ScanMessage = z.infer<typeof scanMessageSchema>;

/** Runs whose stragglers never finished are closed as partial by the next timer tick. */
export const STALE_RUN_AFTER_MS = 6 * 60 * 60_000;

const ZONES_ARTIFACT = "zones";
const subscriptionArtifact = (subscriptionId: string) => `subscription-${subscriptionId.toLowerCase()}`;

interface ZonesArtifact {
  zones: PrivateDnsZone[];
  errorsBySubscription: Record<string, CollectionError[]>;
}

interface SubscriptionArtifact {
  record: SubscriptionRecord;
  findings: Finding[];
  /** What the HTML report shows beyond findings (every subnet's capacity, legacy apps, certificates). */
  insights: ReportInsights;
  /** Findings this subscription's scan could not decide (unknown verdicts: unreadable app settings, config, certificates). */
  undecided: string[];
  /** What each rule checked (engine/checks.ts); absent in artifacts written before it existed. */
  checks?: CheckTally;
}

export interface StartedRun {
  scanId: string;
  /** One message per subscription to scan; skipped and unreadable ones are already recorded. */
  messages: ScanMessage[];
}

/**
 * Scope and phase one of a run. Also closes runs left open by stragglers, so a poison
 * message or a crashed worker never leaves a run hanging.
 */
export async function startRun(deps: CycleDeps, options: { trigger: RunTrigger; subscriptions?: readonly string[]; scanId?: string }): Promise<StartedRun> {
  const { storage } = deps;
  await storage.ensureCreated();
  // Stragglers after 6 h; a run left `closing` as soon as its closer lease is over (a CLI killed while closing).
  const now = deps.now().getTime();
  for (const staleScanId of await closeStaleRuns(storage, new Date(now - STALE_RUN_AFTER_MS), deps.now(), new Date(now - CLOSER_LEASE_MS))) {
    deps.log(`closing stale run ${staleScanId}`);
    await closeRun(deps, staleScanId);
  }

  const scanId = options.scanId ?? randomUUID();
  const startedAt = deps.now();
  const allowList = options.subscriptions && options.subscriptions.length > 0 ? options.subscriptions : deps.settings.AUDIT_SUBSCRIPTIONS;
  const scope = await resolveScope(deps.clients, allowList);
  if (scope.length === 0) deps.log(`run ${scanId}: no subscription in scope (the identity sees none: lost Reader, or the wrong tenant?); the run closes partial`);
  const zones = await collectScopeZones(deps.clients, scope, concurrency(deps).subscriptionConcurrency);
  await putRunArtifact(storage, scanId, ZONES_ARTIFACT, {
    zones: zones.zones,
    errorsBySubscription: Object.fromEntries(zones.errorsBySubscription),
  } satisfies ZonesArtifact);
  await createRun(storage, {
    scanId,
    trigger: options.trigger,
    startedAt: startedAt.toISOString(),
    subscriptions: scope.map((record) => ({
      subscriptionId: record.subscriptionId,
      displayName: record.displayName,
      status: isAudited(record) ? "pending" : record.status === "skipped" ? "skipped" : "failed",
      errors: record.errors,
    })),
  });
  deps.log(`run ${scanId}: ${scope.length} subscription(s) in scope`);
  return {
    scanId,
    messages: scope.filter(isAudited).map((record) => ({ scanId, subscriptionId: record.subscriptionId, displayName: record.displayName, state: record.state })),
  };
}

/**
 * Collects, evaluates and records one subscription of a run. A redelivered message for a
 * subscription already done is dropped (but may still close the run). When this is the
 * last subscription, it closes the run.
 */
export async function scanSubscription(deps: CycleDeps, message: ScanMessage): Promise<"scanned" | "duplicate"> {
  const { storage } = deps;
  // One point read per message: reading every subscription row here would be O(N²) per run.
  const run = await getRunInfo(storage, message.scanId);
  if (!run) throw new Error(`scan ${message.scanId} does not exist`);
  if (!(await claimSubscription(storage, message.scanId, message.subscriptionId, { now: deps.now() }))) {
    await closeIfLast(deps, message.scanId);
    return "duplicate";
  }
  try {
    const zones = (await getRunArtifact<ZonesArtifact>(storage, message.scanId, ZONES_ARTIFACT)) ?? { zones: [], errorsBySubscription: {} };
    const record: SubscriptionRecord = { subscriptionId: message.subscriptionId, displayName: message.displayName, state: message.state, status: "complete", errors: [] };
    const inventory = await collectSubscription(deps.clients, record, {
      concurrency: concurrency(deps).readConcurrency,
      privateDnsZones: zones.zones,
      initialErrors: zones.errorsBySubscription[message.subscriptionId.toLowerCase()],
      now: deps.now,
      ownerTag: deps.config.ownerTag ?? DEFAULT_OWNER_TAG,
    });
    const collected = inventory.subscriptions[0]!;
    const { findings, undecided, checks } = evaluate(inventory, {
      now: new Date(run.startedAt),
      settings: deps.config.ruleSettings,
      suppressions: deps.config.suppressions,
      ownerTag: deps.config.ownerTag,
    });
    await recordSubscriptionFindings(storage, message.scanId, message.subscriptionId, findings, deps.now());
    await putRunArtifact(storage, message.scanId, subscriptionArtifact(message.subscriptionId), {
      record: collected,
      findings,
      insights: collectInsights(inventory, new Date(run.startedAt)),
      undecided,
      checks,
    } satisfies SubscriptionArtifact);
    await completeSubscription(storage, message.scanId, message.subscriptionId, {
      status: collected.status === "skipped" ? "complete" : collected.status,
      errors: collected.errors,
      findingCount: findings.length,
      now: deps.now(),
    });
    deps.log(`run ${message.scanId}: ${message.displayName} ${collected.status}, ${findings.length} finding(s)`);
  } catch (error) {
    // Let the next delivery claim it straight away.
    await releaseSubscription(storage, message.scanId, message.subscriptionId);
    throw error;
  }
  await closeIfLast(deps, message.scanId);
  return "scanned";
}

/** A message the queue gave up on: the subscription is failed so the run can close. */
export async function failSubscriptionScan(deps: CycleDeps, message: ScanMessage, reason: string): Promise<void> {
  await failSubscription(deps.storage, message.scanId, message.subscriptionId, reason, deps.now());
  await closeIfLast(deps, message.scanId);
}

/**
 * How long a closer owns a run. A close that fails gives the lease back and is rethrown, so
 * the queue's redelivery (60 s later, host.json) takes the close over at once; a closer that
 * dies keeps it until expiry, and a message that finds the run closing under someone else's
 * live lease throws too (CloseInProgressError), so the queue comes back after the lease
 * instead of dropping the message and leaving the run `closing` until the next timer tick.
 * Every close step is idempotent.
 */
export const CLOSER_LEASE_MS = 2 * 60_000;

/** The run is being closed by another worker right now; retry the message later. */
export class CloseInProgressError extends Error {
  constructor(scanId: string) {
    super(`run ${scanId} is being closed by another worker; retrying later to take the close over if that worker died`);
  }
}

async function closeIfLast(deps: CycleDeps, scanId: string): Promise<void> {
  if (await tryCloseRun(deps.storage, scanId, deps.now(), { closerLeaseMs: CLOSER_LEASE_MS })) {
    try {
      await closeRun(deps, scanId);
    } catch (error) {
      await releaseClose(deps.storage, scanId).catch(() => undefined);
      throw error;
    }
  } else if (deps.retryWhileClosing && (await closingElsewhere(deps.storage, scanId, deps.now(), CLOSER_LEASE_MS))) {
    throw new CloseInProgressError(scanId);
  }
}

/**
 * Closes a run: resolves findings whose every dependency was scanned completely, queues
 * one digest of what changed, writes the report, then delivers the outbox (this run's
 * digest and any earlier one a webhook outage left behind).
 */
export async function closeRun(deps: CycleDeps, scanId: string): Promise<ScanResult | undefined> {
  const { storage, settings } = deps;
  const run = await getRun(storage, scanId);
  if (!run) return undefined;
  const now = deps.now();
  const artifacts = await readSubscriptionArtifacts(deps, run);
  await resolveMissing(storage, scanId, completeSubscriptionIds(run), now, {
    runStartedAt: run.startedAt,
    undecided: new Set(artifacts.flatMap((artifact) => artifact?.undecided ?? [])),
    scope: new Set(run.subscriptions.map((subscription) => subscription.subscriptionId)),
  });

  if (settings.AUDIT_WEBHOOK_URL) {
    // Announcing is one idempotent step whose journal is the outbox row (notify/outbox.ts):
    // first finish any announcement a dead closer left half done, then queue this run's digest
    // (its ID is the run's) unmarked, mark the findings, and flip the row to sendable.
    await replayAnnouncements(deps);
    const changes = await findingsToAnnounce(storage, scanId, settings.AUDIT_MIN_ALERT_SEVERITY);
    // The link is signed only when there is something to announce (a user delegation key is one request).
    const anything = changes.new.length + changes.escalated.length + changes.resolved.length > 0;
    const link = anything ? await reportLink(storage, scanId, settings.AUDIT_REPORT_LINK_DAYS, now) : undefined;
    if (link?.url === null && settings.AUDIT_REPORT_LINK_DAYS > 0) deps.log(`run ${scanId}: no report link (${link.reason})`);
    const digest = buildDigest({ scanId, changes, minSeverity: settings.AUDIT_MIN_ALERT_SEVERITY, now, coverage: digestCoverage(run.subscriptions), reportUrl: link?.url ?? null });
    if (digest) {
      await enqueueDigest(storage, digest, now, { announced: false });
      await markAnnounced(storage, digest, scanId);
      await markDigestAnnounced(storage, scanId);
    }
  }

  const { report, insights } = assembleReport(run, artifacts, now, await runLifecycle(storage, scanId));
  await putRunReport(storage, scanId, { json: report, html: renderHtmlReport(report, insights, { now }) });
  const status = await markRunClosed(storage, scanId, report.summary, now);
  deps.log(`run ${scanId} closed ${status}`);

  if (settings.AUDIT_WEBHOOK_URL) {
    const outcome = await deliverOutbox(storage, {
      webhookUrl: settings.AUDIT_WEBHOOK_URL,
      secret: settings.AUDIT_WEBHOOK_SECRET || undefined,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ignoreSchedule: true,
      // Leases and schedules on the cycle's clock (a crashed closer's lease ends when the cycle says so).
      now: deps.now,
      log: deps.log,
      ...(deps.lookup ? { lookup: deps.lookup } : {}),
      // The outbox keeps the digest JSON; a Teams webhook gets it as an Adaptive Card message.
      ...(settings.AUDIT_WEBHOOK_FORMAT === "teams" ? { render: teamsBody } : {}),
    });
    if (outcome.delivered + outcome.pending + outcome.deadLettered > 0) {
      deps.log(`outbox: ${outcome.delivered} delivered, ${outcome.pending} pending, ${outcome.deadLettered} dead-lettered`);
    }
  }
  return report;
}

/** Applies the announcement marks of digests whose closer died between queueing and marking. */
async function replayAnnouncements(deps: CycleDeps): Promise<void> {
  for (const payload of await unappliedAnnouncements(deps.storage)) {
    await markAnnounced(deps.storage, payload, payload.scanId);
    await markDigestAnnounced(deps.storage, payload.scanId);
    deps.log(`outbox: replayed the announcement of run ${payload.scanId}'s digest`);
  }
}

/** Each subscription's stored result, in the order of `run.subscriptions` (undefined where none was stored). */
function readSubscriptionArtifacts(deps: CycleDeps, run: RunDetails): Promise<(SubscriptionArtifact | undefined)[]> {
  return mapWithConcurrency(run.subscriptions, 8, (subscription) =>
    getRunArtifact<SubscriptionArtifact>(deps.storage, run.scanId, subscriptionArtifact(subscription.subscriptionId)),
  );
}

/** The run's scan result (docs/ARCHITECTURE.md shape) and report insights from each subscription's stored result. */
function assembleReport(
  run: RunDetails,
  artifacts: (SubscriptionArtifact | undefined)[],
  finishedAt: Date,
  lifecycle: RunLifecycle,
): { report: ScanResult; insights: ReportInsights } {
  const records: SubscriptionRecord[] = run.subscriptions.map((subscription, index) => ({
    subscriptionId: subscription.subscriptionId,
    displayName: subscription.displayName,
    state: artifacts[index]?.record.state ?? "",
    // A subscription still pending at close never finished (stale run): it is failed.
    status: subscription.status === "pending" || subscription.status === "running" ? "failed" : subscription.status,
    errors: subscription.errors,
  }));
  // Each finding's change since the last complete state, from its stored history (lifecycle/change.ts).
  // Each subscription was planned apart: withdraw fix proposals that overlap across them (fix/reconcile.ts).
  const findings = reconcileProposals(dedupeFindings(artifacts.flatMap((artifact) => artifact?.findings ?? []))).map((finding) => {
    const seen = lifecycle.seen.get(finding.id);
    return seen ? { ...finding, change: changeFromHistory(seen.severityHistory, run.scanId), firstSeen: seen.firstSeen } : finding;
  });
  return {
    report: {
      ...buildResult(run.scanId, new Date(run.startedAt), finishedAt, records, findings, runChecks(artifacts)),
      resolved: lifecycle.resolved.map(toFinding),
    },
    insights: mergeAllInsights(artifacts.flatMap((artifact) => (artifact ? [artifact.insights] : [])), run.startedAt),
  };
}

/** What each rule checked over the run's subscriptions; undefined when no artifact carries tallies (written before they existed). */
function runChecks(artifacts: (SubscriptionArtifact | undefined)[]): CheckTally | undefined {
  const tallies = artifacts.map((artifact) => artifact?.checks).filter((checks) => checks !== undefined);
  return tallies.length > 0 ? mergeTallies(tallies) : undefined;
}

/**
 * The whole cycle in this process (`scan --store`, small HTTP audits): the same steps the
 * queue fan-out runs, with subscriptions scanned concurrently instead of through the queue.
 * Returns when the run is closed and its digest delivered or left in the outbox.
 */
export async function runCycleInProcess(
  deps: CycleDeps,
  options: { trigger: RunTrigger; subscriptions?: readonly string[] },
): Promise<{ result: ScanResult; html: string; delivery: DigestDelivery }> {
  const started = await startRun(deps, options);
  await mapWithConcurrency(started.messages, concurrency(deps).subscriptionConcurrency, (message) => scanSubscription(deps, message));
  // With nothing to scan (all skipped or unreadable), no subscription closed the run.
  await closeIfLast(deps, started.scanId);
  const [result, html, delivery] = await Promise.all([
    getRunReport(deps.storage, started.scanId),
    getRunHtmlReport(deps.storage, started.scanId),
    digestDelivery(deps.storage, started.scanId),
  ]);
  if (!result || html === undefined) throw new Error(`run ${started.scanId} closed without a report`);
  return { result, html, delivery };
}

function concurrency(deps: CycleDeps) {
  return {
    subscriptionConcurrency: deps.config.concurrency.subscriptions ?? DEFAULT_TENANT_COLLECT_OPTIONS.subscriptionConcurrency,
    readConcurrency: deps.config.concurrency.reads ?? DEFAULT_TENANT_COLLECT_OPTIONS.readConcurrency,
  };
}

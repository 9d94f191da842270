import { odata, type TableEntity, type TransactionAction } from "@azure/data-tables";
import type { ScanResult } from "../engine/result.js";
import type { CollectionError } from "../model/inventory.js";
import {
  DEFAULT_LEASE_MS,
  closerLeaseEnded,
  closingUnderLiveLease,
  countByStatus,
  finalRunStatus,
  isTerminal,
  mayClaim,
  staleRunStep,
  type RunStatus,
  type RunTrigger,
  type SubscriptionRunStatus,
} from "../lifecycle/runs.js";
import { mapWithConcurrency } from "../util/concurrency.js";
import type { AuditStorage } from "./connection.js";
import {
  MAX_COLUMN_CHARS,
  anyRow,
  assertKey,
  createIfAbsent,
  getRow,
  isConflict,
  isNotFound,
  isPreconditionFailed,
  listRows,
  parseJson,
  stripMeta,
  updateWithEtag,
  type Row,
} from "./tables.js";

/*
 * Scan runs in the `scanruns` table (the statuses and what may move them: lifecycle/runs.ts):
 *   PK "run",   RK scanId          one row per run: running → closing → complete | partial
 *   PK scanId,  RK subscription id  one row per subscription: pending → running → complete | partial | failed
 * Every transition is an ETag-guarded replace, so concurrent queue handlers and closers decide
 * on fresh data and exactly one of them wins each transition.
 */

const RUN_PARTITION = "run";

export interface NewRun {
  scanId: string;
  trigger: RunTrigger;
  startedAt: string;
  subscriptions: { subscriptionId: string; displayName: string; status: "pending" | "skipped" | "failed"; errors?: CollectionError[] }[];
}

export interface SubscriptionRun {
  subscriptionId: string;
  displayName: string;
  status: SubscriptionRunStatus;
  errors: CollectionError[];
  findingCount: number | null;
  attempts: number;
  claimedAt: string | null;
  completedAt: string | null;
}

export interface RunInfo {
  scanId: string;
  trigger: RunTrigger;
  status: RunStatus;
  startedAt: string;
  closingAt: string | null;
  closedAt: string | null;
  subscriptionCount: number;
  /** What the closer recorded with `markRunClosed`. */
  summary: unknown;
}

export interface RunDetails extends RunInfo {
  subscriptions: SubscriptionRun[];
  counts: Record<SubscriptionRunStatus, number>;
}

type RunColumns = {
  trigger: RunTrigger;
  status: RunStatus;
  startedAt: string;
  closingAt?: string;
  closedAt?: string;
  subscriptionCount: number;
  summary?: string;
};

type SubscriptionColumns = {
  subscriptionId: string;
  displayName: string;
  status: SubscriptionRunStatus;
  errors: string;
  findingCount?: number;
  attempts: number;
  leaseUntil?: string;
  claimedAt?: string;
  completedAt?: string;
};

type SubscriptionEntity = TableEntity<SubscriptionColumns>;

/**
 * Records a run and one row per subscription. Idempotent: a second call (a retried timer)
 * leaves existing rows untouched. Subscription rows are written before the run row, so a run
 * row never exists with missing subscriptions (tryCloseRun relies on that).
 * Returns false when the run already existed.
 */
export async function createRun(storage: AuditStorage, run: NewRun): Promise<boolean> {
  assertKey(run.scanId, "scanId");
  const rows: SubscriptionEntity[] = run.subscriptions.map((subscription) => ({
    partitionKey: run.scanId,
    rowKey: subscriptionKey(subscription.subscriptionId),
    subscriptionId: subscription.subscriptionId,
    displayName: subscription.displayName,
    status: subscription.status,
    errors: errorsColumn(subscription.errors ?? []),
    attempts: 0,
    ...(subscription.status === "pending" ? {} : { completedAt: run.startedAt }),
  }));
  for (let start = 0; start < rows.length; start += 100) {
    const batch = rows.slice(start, start + 100);
    try {
      await storage.runs.submitTransaction(batch.map((row): TransactionAction => ["create", row]));
    } catch (error) {
      // Some rows exist already (a repeated createRun): create the rest one by one.
      if (!isConflict(error)) throw error;
      for (const row of batch) await createIfAbsent(storage.runs, row);
    }
  }
  return createIfAbsent<RunColumns>(storage.runs, {
    partitionKey: RUN_PARTITION,
    rowKey: run.scanId,
    trigger: run.trigger,
    status: "running",
    startedAt: run.startedAt,
    subscriptionCount: rows.length,
  });
}

/**
 * Takes a subscription for processing. True for exactly one caller: the row must be pending,
 * or running with an expired lease (the previous worker died). A redelivered message for a
 * finished subscription, or one another worker holds, gets false and should be dropped.
 */
export async function claimSubscription(
  storage: AuditStorage,
  scanId: string,
  subscriptionId: string,
  options: { leaseMs?: number; now?: Date } = {},
): Promise<boolean> {
  const now = options.now ?? new Date();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  return updateSubscription(storage, scanId, subscriptionId, (row) => {
    if (!mayClaim(row, now)) return undefined;
    return {
      ...row,
      status: "running",
      attempts: (row.attempts ?? 0) + 1,
      claimedAt: now.toISOString(),
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
    };
  });
}

/**
 * Gives a claimed subscription back (the handler failed and will throw so the queue retries):
 * the next delivery can claim it at once instead of waiting for the lease to expire.
 */
export async function releaseSubscription(storage: AuditStorage, scanId: string, subscriptionId: string): Promise<boolean> {
  return updateSubscription(storage, scanId, subscriptionId, (row) => {
    if (row.status !== "running") return undefined;
    const { leaseUntil: _lease, ...rest } = row;
    return { ...rest, status: "pending" };
  });
}

/**
 * Records the outcome of one subscription. False when the row was already terminal (a
 * duplicate worker finished first, or the run was closed as stale): the caller changes nothing.
 */
export async function completeSubscription(
  storage: AuditStorage,
  scanId: string,
  subscriptionId: string,
  outcome: { status: "complete" | "partial" | "failed"; errors?: CollectionError[]; findingCount?: number; now?: Date },
): Promise<boolean> {
  const completedAt = (outcome.now ?? new Date()).toISOString();
  return updateSubscription(storage, scanId, subscriptionId, (row) => {
    if (isTerminal(row.status)) return undefined;
    const { leaseUntil: _lease, ...rest } = row;
    return {
      ...rest,
      status: outcome.status,
      errors: errorsColumn(outcome.errors ?? []),
      ...(outcome.findingCount === undefined ? {} : { findingCount: outcome.findingCount }),
      completedAt,
    };
  });
}

/** For poison messages: the subscription counts as failed so the run can close as partial. */
export async function failSubscription(
  storage: AuditStorage,
  scanId: string,
  subscriptionId: string,
  reason: string,
  now: Date = new Date(),
): Promise<boolean> {
  return completeSubscription(storage, scanId, subscriptionId, {
    status: "failed",
    errors: [{ operation: "scanSubscription", resourceId: `/subscriptions/${subscriptionId}`, message: reason }],
    now,
  });
}

/**
 * True for exactly one caller, once no subscription is pending or running: the run moves
 * `running` → `closing` under its ETag. That caller diffs, queues the digest and calls
 * markRunClosed. Every handler calls this after completeSubscription; the last one wins.
 */
export async function tryCloseRun(storage: AuditStorage, scanId: string, now: Date = new Date(), options: { closerLeaseMs?: number } = {}): Promise<boolean> {
  assertKey(scanId, "scanId");
  const run = await getRow<RunColumns>(storage.runs, RUN_PARTITION, scanId);
  // A closer that failed (or died) leaves the run `closing`; after its lease, the next caller takes over.
  if (run?.status === "closing" && options.closerLeaseMs !== undefined) {
    return transitionToClosing(storage, scanId, "closing", now, new Date(now.getTime() - options.closerLeaseMs));
  }
  if (!run || run.status !== "running") return false;
  if (await anyRow(storage.runs, odata`PartitionKey eq ${scanId} and (status eq 'pending' or status eq 'running')`)) return false;
  return transitionToClosing(storage, scanId, "running", now);
}

/**
 * A closer that failed gives its lease back, so the queue's redelivery (or the next run) takes
 * the close over at once instead of after the lease. Idempotent; a no-op once closed.
 */
export async function releaseClose(storage: AuditStorage, scanId: string): Promise<void> {
  await updateWithEtag<RunColumns>(storage.runs, RUN_PARTITION, assertKey(scanId, "scanId"), (row) => {
    if (!row || row.status !== "closing") return undefined;
    return { ...row, closingAt: new Date(0).toISOString() };
  });
}

/** Whether a run is `closing` under a closer lease that has not expired (someone else is closing it). */
export async function closingElsewhere(storage: AuditStorage, scanId: string, now: Date, closerLeaseMs: number): Promise<boolean> {
  return closingUnderLiveLease(await getRow<RunColumns>(storage.runs, RUN_PARTITION, assertKey(scanId, "scanId")), now, closerLeaseMs);
}

/** running → closing (or a stuck closing → closing) under the row's ETag: one caller wins. */
async function transitionToClosing(storage: AuditStorage, scanId: string, from: RunStatus, now: Date, closingBefore?: Date): Promise<boolean> {
  const row = await getRow<RunColumns>(storage.runs, RUN_PARTITION, scanId);
  if (!row || row.status !== from) return false;
  if (closingBefore && !closerLeaseEnded(row, closingBefore)) return false;
  try {
    await storage.runs.updateEntity({ ...stripMeta(row), status: "closing", closingAt: now.toISOString() }, "Replace", { etag: row.etag });
    return true;
  } catch (error) {
    // Losing the ETag race means another closer owns the run.
    if (isPreconditionFailed(error) || isNotFound(error)) return false;
    throw error;
  }
}

/** Records the run's final status (lifecycle/runs.ts `finalRunStatus`) and the closer's summary. */
export async function markRunClosed(storage: AuditStorage, scanId: string, summary?: unknown, now: Date = new Date()): Promise<RunStatus> {
  const status = finalRunStatus(await listSubscriptionRows(storage, scanId));
  await updateWithEtag<RunColumns>(storage.runs, RUN_PARTITION, scanId, (row) => {
    if (!row) throw new Error(`scan run ${scanId} does not exist`);
    if (row.status === "complete" || row.status === "partial") return undefined;
    return {
      ...row,
      status,
      closedAt: now.toISOString(),
      ...(summary === undefined ? {} : { summary: truncateJson(summary) }),
    };
  });
  return status;
}

/**
 * Runs older than `olderThan` that never closed: pending or running subscriptions are marked
 * failed and the run moves to `closing`; so do runs stuck in `closing` whose closer lease
 * ended before `closingBefore` (default `olderThan`): their closer died or failed. Returns the
 * scan IDs the caller now owns: for each, do the same close steps as after tryCloseRun.
 */
export async function closeStaleRuns(storage: AuditStorage, olderThan: Date, now: Date = new Date(), closingBefore: Date = olderThan): Promise<string[]> {
  const open = await listRows<RunColumns>(
    storage.runs,
    odata`PartitionKey eq ${RUN_PARTITION} and (status eq 'running' or status eq 'closing')`,
  );
  const claimed: string[] = [];
  for (const run of open) {
    const scanId = run.rowKey;
    const step = staleRunStep(run, olderThan, closingBefore);
    if (step === "failStragglers") {
      const stragglers = (await listSubscriptionRows(storage, scanId)).filter((row) => !isTerminal(row.status));
      await mapWithConcurrency(stragglers, 8, (row) =>
        failSubscription(storage, scanId, row.subscriptionId, "did not finish before the run was closed as stale", now),
      );
      if (await transitionToClosing(storage, scanId, "running", now)) claimed.push(scanId);
    } else if (step === "takeOverClose") {
      if (await transitionToClosing(storage, scanId, "closing", now, closingBefore)) claimed.push(scanId);
    }
  }
  return claimed;
}

/** The run row alone (one point read): for callers that don't need every subscription's row. */
export async function getRunInfo(storage: AuditStorage, scanId: string): Promise<RunInfo | undefined> {
  assertKey(scanId, "scanId");
  const row = await getRow<RunColumns>(storage.runs, RUN_PARTITION, scanId);
  return row ? toRunInfo(row) : undefined;
}

export async function getRun(storage: AuditStorage, scanId: string): Promise<RunDetails | undefined> {
  assertKey(scanId, "scanId");
  const row = await getRow<RunColumns>(storage.runs, RUN_PARTITION, scanId);
  if (!row) return undefined;
  const subscriptions = (await listSubscriptionRows(storage, scanId)).map(toSubscriptionRun);
  return { ...toRunInfo(row), subscriptions, counts: countByStatus(subscriptions) };
}

/** The newest runs first (one small row per run, so reading them all is cheap). */
export async function listRuns(storage: AuditStorage, limit = 20): Promise<RunInfo[]> {
  const rows = await listRows<RunColumns>(storage.runs, odata`PartitionKey eq ${RUN_PARTITION}`);
  return rows
    .map(toRunInfo)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.scanId.localeCompare(a.scanId))
    .slice(0, limit);
}

// ---- per-run blobs -------------------------------------------------------------------------

/** Scratch JSON shared by a run's handlers (e.g. the DNS zones collected once per run). */
export async function putRunArtifact(storage: AuditStorage, scanId: string, name: string, value: unknown): Promise<void> {
  await putJson(storage, `runs/${assertKey(scanId, "scanId")}/artifacts/${artifactName(name)}.json`, JSON.stringify(value));
}

export async function getRunArtifact<T = unknown>(storage: AuditStorage, scanId: string, name: string): Promise<T | undefined> {
  const text = await getText(storage, `runs/${assertKey(scanId, "scanId")}/artifacts/${artifactName(name)}.json`);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

/** The run's report: the scan result JSON, and the rendered HTML when there is one. */
export async function putRunReport(storage: AuditStorage, scanId: string, report: { json: ScanResult; html?: string }): Promise<void> {
  const base = `runs/${assertKey(scanId, "scanId")}/report`;
  await putJson(storage, `${base}.json`, JSON.stringify(report.json));
  if (report.html !== undefined) {
    const body = Buffer.from(report.html, "utf8");
    await storage.reports.getBlockBlobClient(`${base}.html`).upload(body, body.length, {
      blobHTTPHeaders: { blobContentType: "text/html; charset=utf-8" },
    });
  }
}

export async function getRunReport(storage: AuditStorage, scanId: string): Promise<ScanResult | undefined> {
  const text = await getText(storage, `runs/${assertKey(scanId, "scanId")}/report.json`);
  return text === undefined ? undefined : (JSON.parse(text) as ScanResult);
}

export async function getRunHtmlReport(storage: AuditStorage, scanId: string): Promise<string | undefined> {
  return getText(storage, runHtmlReportBlobName(scanId));
}

/** The blob holding a run's HTML report (the digest links it through a SAS). */
export function runHtmlReportBlobName(scanId: string): string {
  return `runs/${assertKey(scanId, "scanId")}/report.html`;
}

export async function putJson(storage: AuditStorage, blobName: string, json: string): Promise<void> {
  const body = Buffer.from(json, "utf8");
  await storage.reports.getBlockBlobClient(blobName).upload(body, body.length, {
    blobHTTPHeaders: { blobContentType: "application/json" },
  });
}

export async function getText(storage: AuditStorage, blobName: string): Promise<string | undefined> {
  try {
    const buffer = await storage.reports.getBlockBlobClient(blobName).downloadToBuffer();
    return buffer.toString("utf8");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

// ---- helpers -------------------------------------------------------------------------------

export function subscriptionKey(subscriptionId: string): string {
  return assertKey(subscriptionId.toLowerCase(), "subscriptionId");
}

function artifactName(name: string): string {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) throw new Error(`artifact name ${JSON.stringify(name)} must be letters, digits, . _ -`);
  return name;
}

async function updateSubscription(
  storage: AuditStorage,
  scanId: string,
  subscriptionId: string,
  change: (row: Row<SubscriptionColumns>) => SubscriptionEntity | undefined,
): Promise<boolean> {
  assertKey(scanId, "scanId");
  const outcome = await updateWithEtag<SubscriptionColumns>(storage.runs, scanId, subscriptionKey(subscriptionId), (row) => {
    if (!row) throw new Error(`subscription ${subscriptionId} is not part of scan run ${scanId}`);
    return change(row);
  });
  return outcome.written;
}

async function listSubscriptionRows(storage: AuditStorage, scanId: string): Promise<Row<SubscriptionColumns>[]> {
  return listRows<SubscriptionColumns>(storage.runs, odata`PartitionKey eq ${scanId}`);
}

function toRunInfo(row: Row<RunColumns>): RunInfo {
  return {
    scanId: row.rowKey,
    trigger: row.trigger,
    status: row.status,
    startedAt: row.startedAt,
    closingAt: row.closingAt ?? null,
    closedAt: row.closedAt ?? null,
    subscriptionCount: row.subscriptionCount,
    summary: parseJson<unknown>(row.summary, null),
  };
}

function toSubscriptionRun(row: Row<SubscriptionColumns>): SubscriptionRun {
  return {
    subscriptionId: row.subscriptionId,
    displayName: row.displayName,
    status: row.status,
    errors: parseJson<CollectionError[]>(row.errors, []),
    findingCount: row.findingCount ?? null,
    attempts: row.attempts ?? 0,
    claimedAt: row.claimedAt ?? null,
    completedAt: row.completedAt ?? null,
  };
}

/** Keeps the errors column under the table's per-property limit: drop errors, say how many. */
function errorsColumn(errors: CollectionError[]): string {
  let kept = errors;
  let json = JSON.stringify(kept);
  while (json.length > MAX_COLUMN_CHARS && kept.length > 1) {
    kept = kept.slice(0, Math.floor(kept.length / 2));
    const note: CollectionError = { operation: "vnet-audit", resourceId: "", message: `${errors.length - kept.length} more errors not stored` };
    json = JSON.stringify([...kept, note]);
  }
  if (json.length > MAX_COLUMN_CHARS) json = JSON.stringify([{ operation: "vnet-audit", resourceId: "", message: `${errors.length} errors (too large to store)` }]);
  return json;
}

function truncateJson(value: unknown): string {
  const json = JSON.stringify(value);
  return json.length <= MAX_COLUMN_CHARS ? json : JSON.stringify({ truncated: true, length: json.length });
}

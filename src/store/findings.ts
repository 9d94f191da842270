import { odata, type TableEntity, type TransactionAction } from "@azure/data-tables";
import { compareFindings, type Finding } from "../model/finding.js";
import { SEVERITIES, atLeast, type Severity } from "../model/severity.js";
import { announcedMark, announcementOf } from "../lifecycle/announcements.js";
import { partInRun, type FindingState, type SeverityHistoryEntry, type StoredFinding } from "../lifecycle/record.js";
import { mayResolve, resolutionRun, resolveFinding, subscriptionsToRead, type ResolutionCandidate } from "../lifecycle/resolution.js";
import { mergeSighting, sightingOf, strongestSightings, type SightingContext } from "../lifecycle/sightings.js";
import { mapWithConcurrency } from "../util/concurrency.js";
import type { AuditStorage } from "./connection.js";
import {
  announcedColumns,
  announcedOf,
  lifecycleOf,
  partitionOf,
  resolvedRow,
  sameRow,
  sightedRow,
  toStoredFinding,
  type FindingColumns,
  type FindingEntity,
  type FindingRow,
} from "./finding-rows.js";
import { assertKey, getRow, isConflict, isNotFound, isPreconditionFailed, listRows, updateWithEtag } from "./tables.js";

/*
 * Table `findings` (rows: finding-rows.ts): the I/O of the finding lifecycle, whose decisions
 * (merging sightings, what may resolve, what to announce) are src/lifecycle's. This file reads
 * the rows a decision needs, and writes what it decided under each row's ETag, in batches.
 *
 * Resolution reads the findings of the complete subscriptions (lifecycle/resolution.ts says why
 * that finds every one that may resolve) and, when the run's scope is known, of the
 * subscriptions outside it that a complete one's scan wrote findings for: each scanned
 * subscription records those (`scanruns` PK "foreign", one row per scanned subscription).
 */

const WRITE_CONCURRENCY = 8;
/** A batch holds at most 100 operations and 4 MiB; stay well under the size. */
const MAX_BATCH_OPS = 100;
const MAX_BATCH_CHARS = 1_500_000;

export interface RecordOutcome {
  created: number;
  updated: number;
  unchanged: number;
  reopened: number;
}

/**
 * Upserts the findings one subscription's scan produced. Idempotent per scanId: recording the
 * same findings again for the same scan (a redelivered queue message) writes nothing.
 * Call it before completeSubscription, so a crash in between leads to a redelivery that is a
 * no-op here.
 */
export async function recordSubscriptionFindings(
  storage: AuditStorage,
  scanId: string,
  scannedSubscriptionId: string,
  findings: readonly Finding[],
  at: Date | string,
): Promise<RecordOutcome> {
  assertKey(scanId, "scanId");
  const scanned = scannedSubscriptionId.toLowerCase();
  const context: SightingContext = { scanId, at: toIso(at) };
  const outcome: RecordOutcome = { created: 0, updated: 0, unchanged: 0, reopened: 0 };
  /** The row after this sighting, or undefined when nothing would change (idempotent replays). */
  const sighted = (current: FindingRow | undefined, finding: Finding): FindingEntity | undefined => {
    const next = sightedRow(current, finding, mergeSighting(current && lifecycleOf(current), sightingOf(finding, scanned), context));
    return current && sameRow(current, next) ? undefined : next;
  };

  const byPartition = groupBy(findings, (finding) => {
    const partition = partitionOf(finding.subscriptionId);
    assertKey(finding.id, "finding id");
    return partition;
  });

  await recordForeignPartitions(storage, scanned, [...byPartition.keys()]);
  await mapWithConcurrency([...byPartition], WRITE_CONCURRENCY, async ([partition, sightings]) => {
    const incoming = strongestSightings(sightings);
    const existing = await readExisting(storage, partition, incoming.map((finding) => finding.id));
    const writes: { action: TransactionAction; finding: Finding; size: number }[] = [];
    for (const finding of incoming) {
      const current = existing.get(finding.id);
      const next = sighted(current, finding);
      if (!next) {
        outcome.unchanged++;
        continue;
      }
      count(outcome, current);
      const action: TransactionAction = current ? ["update", next, "Replace", { etag: current.etag }] : ["create", next];
      writes.push({ action, finding, size: JSON.stringify(next).length });
    }
    for (const batch of batches(writes)) {
      try {
        await storage.findings.submitTransaction(batch.map((write) => write.action));
      } catch (error) {
        // Another handler touched one of these rows since we read them (a shared hub finding):
        // redo this batch row by row on fresh data.
        if (!isPreconditionFailed(error) && !isConflict(error) && !isNotFound(error)) throw error;
        await mapWithConcurrency(batch, WRITE_CONCURRENCY, async ({ finding }) => {
          await updateWithEtag<FindingColumns>(storage.findings, partition, finding.id, (row) => sighted(row, finding));
        });
      }
    }
  });
  return outcome;
}

/**
 * Resolves findings not seen in this scan that lifecycle/resolution.ts says may resolve: every
 * dependency scanned completely (`completeSubscriptionIds`, any case). Open and suppressed
 * findings both resolve. Idempotent; returns the findings this call resolved.
 */
export async function resolveMissing(
  storage: AuditStorage,
  scanId: string,
  completeSubscriptionIds: ReadonlySet<string>,
  at: Date | string,
  options: {
    /**
     * When this run started: a finding seen since then (by this run, or by an overlapping
     * HTTP or CLI run) is not missing. Without it, only this run's own sightings count.
     */
    runStartedAt?: Date | string;
    /** Finding IDs this run could not judge (a site's app settings or config unreadable): never resolved by it. */
    undecided?: ReadonlySet<string>;
    /**
     * Every subscription of the run's scope (any status). With it, a finding's own subscription
     * outside the scope is not required, and the partitions of such findings are read too.
     */
    scope?: ReadonlySet<string>;
  } = {},
): Promise<StoredFinding[]> {
  assertKey(scanId, "scanId");
  const run = resolutionRun(scanId, completeSubscriptionIds, {
    ...(options.runStartedAt === undefined ? {} : { runStartedAt: toIso(options.runStartedAt) }),
    ...(options.undecided ? { undecided: options.undecided } : {}),
    ...(options.scope ? { scope: options.scope } : {}),
  });
  const resolvedAt = toIso(at);
  const resolvable = (row: FindingRow | undefined): row is FindingRow => row !== undefined && mayResolve(candidateOf(row), run);

  const partitions = subscriptionsToRead(run, run.scope ? await foreignPartitionsOf(storage, run.complete) : []);
  const resolved: StoredFinding[] = [];
  await mapWithConcurrency(partitions, WRITE_CONCURRENCY, async (partition) => {
    const candidates = (
      await listRows<FindingColumns>(storage.findings, odata`PartitionKey eq ${partition} and (state eq 'open' or state eq 'suppressed')`)
    ).filter(resolvable);
    await mapWithConcurrency(candidates, WRITE_CONCURRENCY, async (candidate) => {
      const outcome = await updateWithEtag<FindingColumns>(storage.findings, partition, candidate.rowKey, (row) => {
        if (!resolvable(row)) return undefined;
        return resolvedRow(row, resolveFinding(lifecycleOf(row), scanId, resolvedAt));
      });
      if (outcome.written) resolved.push(toStoredFinding(outcome.row));
    });
  });
  return resolved;
}

function candidateOf(row: FindingRow): ResolutionCandidate {
  const { state, lastScanId, lastSeen, dependencies } = lifecycleOf(row);
  return { id: row.rowKey, subscriptionId: row.partitionKey, state, lastScanId, lastSeen, dependencies };
}

export interface Announcement extends StoredFinding {
  /** The severity the last digest announced (for `escalated`: the old severity). */
  announcedSeverity: Severity | null;
}

export interface Announcements {
  new: Announcement[];
  escalated: Announcement[];
  resolved: Announcement[];
}

/**
 * What this scan's digest must say (lifecycle/announcements.ts decides each finding). Only rows
 * this scan touched are candidates (lastScanId, resolvedScanId or announcedScanId).
 */
export async function findingsToAnnounce(storage: AuditStorage, scanId: string, minSeverity: Severity): Promise<Announcements> {
  assertKey(scanId, "scanId");
  const rows = await listRows<FindingColumns>(
    storage.findings,
    odata`lastScanId eq ${scanId} or resolvedScanId eq ${scanId} or announcedScanId eq ${scanId}`,
  );
  const result: Announcements = { new: [], escalated: [], resolved: [] };
  for (const row of rows) {
    const as = announcementOf({ state: row.state, severity: row.severity, lastScanId: row.lastScanId, announced: announcedOf(row) }, scanId, minSeverity);
    if (as) result[as].push({ ...toStoredFinding(row), announcedSeverity: row.announcedSeverity ?? null });
  }
  for (const list of Object.values(result)) list.sort(compareFindings);
  return result;
}

/**
 * Records that a digest (already durably in the outbox) announced these findings, so the next
 * run does not repeat them. Merge writes touch only the announce columns; every other writer
 * replaces under an ETag, so nothing is lost either way.
 */
export async function markAnnounced(
  storage: AuditStorage,
  changes: { new: readonly Finding[]; escalated: readonly Finding[]; resolved: readonly Finding[] },
  scanId: string,
): Promise<void> {
  assertKey(scanId, "scanId");
  const updates: TableEntity<Partial<FindingColumns>>[] = [];
  for (const as of ["new", "escalated", "resolved"] as const) {
    for (const finding of changes[as]) {
      updates.push({ partitionKey: partitionOf(finding.subscriptionId), rowKey: finding.id, ...announcedColumns(announcedMark(as, finding.severity, scanId)) });
    }
  }
  const byPartition = groupBy(updates, (update) => update.partitionKey);
  await mapWithConcurrency([...byPartition.values()], WRITE_CONCURRENCY, async (rows) => {
    for (let start = 0; start < rows.length; start += MAX_BATCH_OPS) {
      const batch = rows.slice(start, start + MAX_BATCH_OPS);
      try {
        await storage.findings.submitTransaction(batch.map((row): TransactionAction => ["update", row, "Merge"]));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        // A row vanished (deleted by hand): mark the others.
        for (const row of batch) {
          await storage.findings.updateEntity(row, "Merge").catch((inner: unknown) => {
            if (!isNotFound(inner)) throw inner;
          });
        }
      }
    }
  });
}

/** What one run's report says about history: each finding it saw (first seen, severity history) and what it resolved. */
export interface RunLifecycle {
  seen: Map<string, { firstSeen: string; severityHistory: SeverityHistoryEntry[] }>;
  resolved: StoredFinding[];
}

/**
 * The rows this scan touched: findings it saw (`lastScanId`) and findings it resolved
 * (`resolvedScanId`). Read after resolveMissing, so a re-run close rebuilds the same report.
 */
export async function runLifecycle(storage: AuditStorage, scanId: string): Promise<RunLifecycle> {
  assertKey(scanId, "scanId");
  const rows = await listRows<FindingColumns>(storage.findings, odata`lastScanId eq ${scanId} or resolvedScanId eq ${scanId}`);
  const lifecycle: RunLifecycle = { seen: new Map(), resolved: [] };
  for (const row of rows) {
    const part = partInRun(row, scanId);
    if (part === "resolved") lifecycle.resolved.push(toStoredFinding(row));
    else if (part === "seen") lifecycle.seen.set(row.rowKey, { firstSeen: row.firstSeen, severityHistory: lifecycleOf(row).severityHistory });
  }
  lifecycle.resolved.sort(compareFindings);
  return lifecycle;
}

export interface FindingQuery {
  subscriptionId?: string;
  severity?: Severity;
  /** At or above this severity (combined with `severity` if both are given). */
  minSeverity?: Severity;
  ruleId?: string;
  state?: FindingState;
  /** Page size, 1-1000; default 100. */
  top?: number;
  /** From a previous page; opaque. */
  continuationToken?: string;
  /**
   * Only findings of these subscriptions (the allow-list, when one is set). Filtered as rows
   * are read: Table storage allows only 15 comparisons in a filter, allow-lists are longer.
   */
  subscriptionIds?: readonly string[];
}

export class InvalidContinuationTokenError extends Error {}

/**
 * One page of stored findings. Table queries filtered on non-key columns may return short or
 * empty pages with a continuation token; we keep reading (a bounded number of times) until the
 * page is full, so callers see full pages except at the end.
 */
export async function listFindings(
  storage: AuditStorage,
  query: FindingQuery = {},
): Promise<{ items: StoredFinding[]; continuationToken?: string }> {
  const top = Math.max(1, Math.min(1000, Math.floor(query.top ?? 100)));
  const clauses: string[] = [];
  if (query.subscriptionId) clauses.push(odata`PartitionKey eq ${query.subscriptionId.toLowerCase()}`);
  if (query.severity) clauses.push(odata`severity eq ${query.severity}`);
  if (query.minSeverity) {
    const minSeverity = query.minSeverity;
    const allowed = SEVERITIES.filter((severity) => atLeast(severity, minSeverity));
    clauses.push(`(${allowed.map((severity) => odata`severity eq ${severity}`).join(" or ")})`);
  }
  if (query.ruleId) clauses.push(odata`ruleId eq ${query.ruleId}`);
  if (query.state) clauses.push(odata`state eq ${query.state}`);
  const filter = clauses.join(" and ");

  let token = decodeToken(query.continuationToken);
  const allowed = query.subscriptionIds && query.subscriptionIds.length > 0 ? new Set(query.subscriptionIds.map((id) => id.toLowerCase())) : undefined;
  const items: StoredFinding[] = [];
  for (let reads = 0; reads < 25; reads++) {
    const pages = storage.findings
      .listEntities<FindingEntity>(filter ? { queryOptions: { filter } } : {})
      .byPage({ maxPageSize: top - items.length, ...(token ? { continuationToken: token } : {}) });
    let next: IteratorResult<FindingEntity[] & { continuationToken?: string }>;
    try {
      next = await pages.next();
    } catch (error) {
      // The service refuses keys that were never its own (a forged inner token).
      if (token && (error as { statusCode?: number }).statusCode === 400) throw new InvalidContinuationTokenError("continuationToken is not a token this API returned");
      throw error;
    }
    const { value: page, done } = next;
    if (done || !page) {
      token = undefined;
      break;
    }
    for (const row of page) if (!allowed || allowed.has(row.partitionKey.toLowerCase())) items.push(toStoredFinding(row as FindingRow));
    token = page.continuationToken;
    if (!token || items.length >= top) break;
  }
  return token ? { items, continuationToken: encodeToken(token) } : { items };
}

export async function getFinding(storage: AuditStorage, subscriptionId: string, id: string): Promise<StoredFinding | undefined> {
  const row = await getRow<FindingColumns>(storage.findings, partitionOf(subscriptionId), assertKey(id, "finding id"));
  return row ? toStoredFinding(row) : undefined;
}

// ---- partitions a subscription's scan writes to besides its own --------------------------------

const FOREIGN_PARTITION = "foreign";
const partitionColumn = (partition: string) => `p${partition.replace(/-/g, "")}`;
const columnPartition = (column: string) => {
  const hex = column.slice(1);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** Remembers (merge, idempotent) that `scanned`'s findings live in these other partitions too. */
async function recordForeignPartitions(storage: AuditStorage, scanned: string, partitions: readonly string[]): Promise<void> {
  const foreign = partitions.filter((partition) => partition !== scanned && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(partition));
  if (foreign.length === 0) return;
  const known = await getRow<Record<string, boolean>>(storage.runs, FOREIGN_PARTITION, scanned);
  const missing = foreign.filter((partition) => !known?.[partitionColumn(partition)]);
  if (missing.length === 0) return;
  await storage.runs.upsertEntity(
    { partitionKey: FOREIGN_PARTITION, rowKey: scanned, ...Object.fromEntries(missing.map((partition) => [partitionColumn(partition), true])) },
    "Merge",
  );
}

async function foreignPartitionsOf(storage: AuditStorage, scanned: ReadonlySet<string>): Promise<string[]> {
  const found = new Set<string>();
  await mapWithConcurrency([...scanned], WRITE_CONCURRENCY, async (subscription) => {
    const row = await getRow<Record<string, unknown>>(storage.runs, FOREIGN_PARTITION, subscription);
    for (const column of Object.keys(row ?? {})) if (/^p[0-9a-f]{32}$/.test(column)) found.add(columnPartition(column));
  });
  return [...found];
}

// ---- helpers ---------------------------------------------------------------------------------

function count(outcome: RecordOutcome, current: FindingRow | undefined): void {
  if (!current) outcome.created++;
  else {
    outcome.updated++;
    if (current.state === "resolved") outcome.reopened++;
  }
}

function toIso(at: Date | string): string {
  return typeof at === "string" ? new Date(at).toISOString() : at.toISOString();
}

/** Existing rows for these ids: point reads for a few, one partition listing for many. */
async function readExisting(storage: AuditStorage, partition: string, ids: string[]): Promise<Map<string, FindingRow>> {
  const rows = new Map<string, FindingRow>();
  if (ids.length <= 20) {
    await mapWithConcurrency(ids, WRITE_CONCURRENCY, async (id) => {
      const row = await getRow<FindingColumns>(storage.findings, partition, id);
      if (row) rows.set(id, row);
    });
  } else {
    const wanted = new Set(ids);
    for (const row of await listRows<FindingColumns>(storage.findings, odata`PartitionKey eq ${partition}`)) {
      if (wanted.has(row.rowKey)) rows.set(row.rowKey, row);
    }
  }
  return rows;
}

function* batches<T extends { size: number }>(writes: T[]): Generator<T[]> {
  let batch: T[] = [];
  let chars = 0;
  for (const write of writes) {
    if (batch.length > 0 && (batch.length >= MAX_BATCH_OPS || chars + write.size > MAX_BATCH_CHARS)) {
      yield batch;
      batch = [];
      chars = 0;
    }
    batch.push(write);
    chars += write.size;
  }
  if (batch.length > 0) yield batch;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name) ?? [];
    group.push(item);
    groups.set(name, group);
  }
  return groups;
}

function isTablesToken(token: string): boolean {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(token)) return false;
  try {
    const inner = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { nextPartitionKey?: unknown; nextRowKey?: unknown } | null;
    return (
      inner !== null &&
      typeof inner === "object" &&
      typeof inner.nextPartitionKey === "string" &&
      inner.nextPartitionKey !== "" &&
      (inner.nextRowKey === undefined || typeof inner.nextRowKey === "string") &&
      Object.keys(inner).every((key) => key === "nextPartitionKey" || key === "nextRowKey")
    );
  } catch {
    return false;
  }
}

function encodeToken(token: string): string {
  return Buffer.from(JSON.stringify({ v: 1, t: token }), "utf8").toString("base64url");
}

function decodeToken(token: string | undefined): string | undefined {
  if (!token) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { v?: unknown; t?: unknown };
    // The inner token is the Tables SDK's: base64 of {"nextPartitionKey", "nextRowKey"?}; check it here, not in the SDK.
    if (parsed.v === 1 && typeof parsed.t === "string" && parsed.t !== "" && isTablesToken(parsed.t)) return parsed.t;
  } catch {
    // fall through
  }
  throw new InvalidContinuationTokenError("continuationToken is not a token this API returned");
}

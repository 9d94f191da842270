import { odata, type TableEntity, type TransactionAction } from "@azure/data-tables";
import { compareFindings, type Finding } from "../model/finding.js";
import { SEVERITIES, atLeast, severityRank, type Severity } from "../model/severity.js";
import { mapWithConcurrency } from "../util/concurrency.js";
import type { AuditStorage } from "./connection.js";
import {
  MAX_COLUMN_CHARS,
  assertKey,
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
 * Table `findings`: PK = the finding's subscription (lower case), RK = finding id.
 *
 * Resolution rule. A finding may only resolve when every subscription whose data could have
 * produced it was scanned completely in this run. `dependsOn` lists them: the subscription
 * whose scan produced it, the finding's own subscription, and `evidence.dependsOnSubscriptions`
 * (hub DNS zones). A shared hub subnet judged while scanning spoke A lives in partition H with
 * dependsOn [a, h]; seen from spokes A and B in one scan, the sightings are unioned: [a, b, h].
 * Because the finding's own subscription is always in `dependsOn`, a resolvable finding always
 * lives in the partition of a complete subscription: resolveMissing reads only those partitions
 * and still finds every finding that may resolve (H's partition is read only when H is complete;
 * if H is not, nothing in it may resolve anyway).
 *
 * Outside the allow-list. When H is not in the run's scope at all (AUDIT_SUBSCRIPTIONS lists
 * only the spokes), H is never scanned, yet the spoke's scan read the hub VNet itself and its
 * own status covers that read. So the finding's own subscription, when out of scope, is not
 * required (`resolveMissing`'s `scope` option); at least one dependency must still have been
 * scanned completely, so dropping a subscription from the allow-list resolves nothing of its
 * own. To find such findings, each scanned subscription records the out-of-partition
 * partitions it has written to (`scanruns` PK "foreign", one row per scanned subscription).
 */

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

type AnnouncedAs = "new" | "escalated" | "resolved";

type FindingColumns = {
  ruleId: string;
  severity: Severity;
  title: string;
  resourceId: string;
  subscriptionId: string;
  message: string;
  remediation: string;
  evidence: string;
  evidenceTruncated?: boolean;
  /** The fix plan as JSON (`null` when none); steps trimmed to fit one table property. */
  fix?: string;
  references: string;
  suppressed: string;
  /** The finding's owner ("" when none). */
  owner?: string;
  state: FindingState;
  firstSeen: string;
  lastSeen: string;
  lastScanId: string;
  resolvedAt?: string;
  resolvedScanId?: string;
  severityHistory: string;
  dependsOn: string;
  announcedSeverity?: Severity;
  announcedState?: "open" | "resolved";
  announcedScanId?: string;
  announcedAs?: AnnouncedAs;
};

type FindingEntity = TableEntity<FindingColumns>;
type FindingRow = Row<FindingColumns>;

const WRITE_CONCURRENCY = 8;
const MAX_HISTORY = 50;
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
  const context: SightingContext = { scanId, scanned: scannedSubscriptionId.toLowerCase(), at: toIso(at) };
  const outcome: RecordOutcome = { created: 0, updated: 0, unchanged: 0, reopened: 0 };

  const byPartition = new Map<string, Map<string, Finding>>();
  for (const finding of findings) {
    const partition = partitionOf(finding.subscriptionId);
    assertKey(finding.id, "finding id");
    const rows = byPartition.get(partition) ?? new Map<string, Finding>();
    const previous = rows.get(finding.id);
    if (!previous || severityRank(finding.severity) > severityRank(previous.severity)) rows.set(finding.id, finding);
    byPartition.set(partition, rows);
  }

  await recordForeignPartitions(storage, context.scanned, [...byPartition.keys()]);
  await mapWithConcurrency([...byPartition], WRITE_CONCURRENCY, async ([partition, incoming]) => {
    const existing = await readExisting(storage, partition, [...incoming.keys()]);
    const writes: { action: TransactionAction; finding: Finding; size: number }[] = [];
    for (const [id, finding] of incoming) {
      const current = existing.get(id);
      const next = mergeSighting(current, finding, context);
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
          await updateWithEtag<FindingColumns>(storage.findings, partition, finding.id, (row) => mergeSighting(row, finding, context));
        });
      }
    }
  });
  return outcome;
}

/**
 * Resolves findings not seen in this scan whose every dependsOn subscription was scanned
 * completely (`completeSubscriptionIds`, any case). Open and suppressed findings both resolve:
 * a suppressed finding whose resource is fixed should not linger. Idempotent; returns the
 * findings this call resolved.
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
  const complete = new Set([...completeSubscriptionIds].map((id) => id.toLowerCase()));
  const scope = options.scope ? new Set([...options.scope].map((id) => id.toLowerCase())) : undefined;
  /** Every dependency complete, or (only the finding's own subscription) outside the scope; at least one complete. */
  const dependenciesMet = (row: FindingRow): boolean => {
    let anyComplete = false;
    for (const id of parseJson<string[]>(row.dependsOn, [])) {
      if (complete.has(id)) anyComplete = true;
      else if (!(scope && id === row.partitionKey && !scope.has(id))) return false;
    }
    return anyComplete;
  };
  const resolvedAt = toIso(at);
  const startedAt = options.runStartedAt === undefined ? undefined : Date.parse(toIso(options.runStartedAt));
  const resolvable = (row: FindingRow | undefined): boolean =>
    row !== undefined &&
    (row.state === "open" || row.state === "suppressed") &&
    row.lastScanId !== scanId &&
    (startedAt === undefined || Date.parse(row.lastSeen) < startedAt) &&
    !options.undecided?.has(row.rowKey) &&
    dependenciesMet(row);

  const partitions = new Set(complete);
  if (scope) for (const partition of await foreignPartitionsOf(storage, complete)) if (!scope.has(partition)) partitions.add(partition);
  const resolved: StoredFinding[] = [];
  await mapWithConcurrency([...partitions], WRITE_CONCURRENCY, async (partition) => {
    const candidates = (
      await listRows<FindingColumns>(storage.findings, odata`PartitionKey eq ${partition} and (state eq 'open' or state eq 'suppressed')`)
    ).filter(resolvable);
    await mapWithConcurrency(candidates, WRITE_CONCURRENCY, async (candidate) => {
      const outcome = await updateWithEtag<FindingColumns>(storage.findings, partition, candidate.rowKey, (row) => {
        if (!row || !resolvable(row)) return undefined;
        const history = parseJson<SeverityHistoryEntry[]>(row.severityHistory, []);
        history.push({ severity: row.severity, at: resolvedAt, scanId, event: "resolved" });
        return { ...row, state: "resolved", resolvedAt, resolvedScanId: scanId, severityHistory: historyColumn(history) };
      });
      if (outcome.written) resolved.push(toStoredFinding(outcome.row));
    });
  });
  return resolved;
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
 * What this scan's digest must say:
 * - new: open, at/above minSeverity, not announced as open (never announced, or announced
 *   resolved and now back);
 * - escalated: open, announced before, severity now above the announced one (and at/above min);
 * - resolved: resolved, announced as open at a severity at/above min.
 * Suppressed findings are never announced. Findings this scan already marked announced are
 * listed again as they were (a re-run close after a crash rebuilds the same digest).
 * Only rows this scan touched are candidates (lastScanId, resolvedScanId or announcedScanId).
 */
export async function findingsToAnnounce(storage: AuditStorage, scanId: string, minSeverity: Severity): Promise<Announcements> {
  assertKey(scanId, "scanId");
  const rows = await listRows<FindingColumns>(
    storage.findings,
    odata`lastScanId eq ${scanId} or resolvedScanId eq ${scanId} or announcedScanId eq ${scanId}`,
  );
  const result: Announcements = { new: [], escalated: [], resolved: [] };
  for (const row of rows) {
    const item: Announcement = { ...toStoredFinding(row), announcedSeverity: row.announcedSeverity ?? null };
    if (row.announcedScanId === scanId && row.announcedAs) {
      result[row.announcedAs].push(item);
    } else if (row.state === "open" && row.lastScanId === scanId && atLeast(row.severity, minSeverity)) {
      if (row.announcedState !== "open" || !row.announcedSeverity) result.new.push(item);
      else if (severityRank(row.severity) > severityRank(row.announcedSeverity)) result.escalated.push(item);
    } else if (row.state === "resolved" && row.announcedState === "open" && row.announcedSeverity && atLeast(row.announcedSeverity, minSeverity)) {
      result.resolved.push(item);
    }
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
      updates.push({
        partitionKey: partitionOf(finding.subscriptionId),
        rowKey: finding.id,
        announcedScanId: scanId,
        announcedAs: as,
        ...(as === "resolved" ? { announcedState: "resolved" } : { announcedState: "open", announcedSeverity: finding.severity }),
      });
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
    if (row.state === "resolved" && row.resolvedScanId === scanId) lifecycle.resolved.push(toStoredFinding(row));
    else if (row.lastScanId === scanId) lifecycle.seen.set(row.rowKey, { firstSeen: row.firstSeen, severityHistory: parseJson<SeverityHistoryEntry[]>(row.severityHistory, []) });
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

/** The docs/ARCHITECTURE.md finding shape of a stored finding (drops the lifecycle columns). */
export function toFinding(finding: Finding): Finding {
  const { id, ruleId, severity, title, resourceId, subscriptionId, message, remediation, evidence, references, suppressed, owner } = finding;
  return { id, ruleId, severity, title, resourceId, subscriptionId, message, remediation, evidence, references, suppressed, owner: owner ?? null, fix: finding.fix ?? null };
}

// ---- merging one sighting into the stored row ---------------------------------------------

interface SightingContext {
  scanId: string;
  scanned: string;
  at: string;
}

/** The row after this sighting, or undefined when nothing would change (idempotent replays). */
function mergeSighting(current: FindingRow | undefined, finding: Finding, context: SightingContext): FindingEntity | undefined {
  const { scanId, at } = context;
  const sightingDependsOn = dependsOnOf(finding, context.scanned);
  const state: FindingState = finding.suppressed ? "suppressed" : "open";
  if (!current) {
    return {
      ...findingColumns(finding),
      partitionKey: partitionOf(finding.subscriptionId),
      rowKey: finding.id,
      state,
      firstSeen: at,
      lastSeen: at,
      lastScanId: scanId,
      severityHistory: historyColumn([{ severity: finding.severity, at, scanId, event: "opened" }]),
      dependsOn: JSON.stringify(sightingDependsOn),
    };
  }

  const sameScan = current.lastScanId === scanId;
  // Within one scan several subscriptions may report the same finding: the most severe
  // judgement wins (as in evaluate's dedupe) and the dependencies add up.
  const keepCurrent = sameScan && severityRank(current.severity) > severityRank(finding.severity);
  const severity = keepCurrent ? current.severity : finding.severity;
  const dependsOn = sameScan ? union(parseJson<string[]>(current.dependsOn, []), sightingDependsOn) : sightingDependsOn;
  const history = parseJson<SeverityHistoryEntry[]>(current.severityHistory, []);
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
  const next: FindingEntity = {
    ...kept,
    ...(keepCurrent ? {} : findingColumns(finding)),
    severity,
    state: reopened ? state : keepCurrent ? current.state : state,
    lastSeen: sameScan ? current.lastSeen : at,
    lastScanId: scanId,
    severityHistory: historyColumn(history),
    dependsOn: JSON.stringify(dependsOn),
  };
  return sameRow(current, next) ? undefined : stripMeta(next);
}

function findingColumns(finding: Finding): Omit<FindingColumns, "state" | "firstSeen" | "lastSeen" | "lastScanId" | "severityHistory" | "dependsOn"> {
  const evidence = evidenceColumn(finding.evidence);
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    title: capText(finding.title),
    resourceId: capText(finding.resourceId),
    subscriptionId: finding.subscriptionId,
    message: capText(finding.message),
    remediation: capText(finding.remediation),
    evidence: evidence.json,
    // Always written (true or false) so a finding whose evidence shrank loses the flag.
    evidenceTruncated: evidence.truncated,
    references: capJsonArray(finding.references),
    suppressed: JSON.stringify(finding.suppressed ?? null),
    owner: capText(finding.owner ?? ""),
    fix: fixColumn(finding.fix ?? null),
  };
}

const WRITABLE_COLUMNS: (keyof FindingColumns)[] = [
  "ruleId", "severity", "title", "resourceId", "subscriptionId", "message", "remediation", "evidence", "evidenceTruncated", "fix",
  "references", "suppressed", "owner", "state", "firstSeen", "lastSeen", "lastScanId", "resolvedAt", "resolvedScanId",
  "severityHistory", "dependsOn", "announcedSeverity", "announcedState", "announcedScanId", "announcedAs",
];

function sameRow(current: FindingRow, next: FindingEntity): boolean {
  return WRITABLE_COLUMNS.every((column) => (current[column] ?? null) === (next[column] ?? null));
}

function dependsOnOf(finding: Finding, scanned: string): string[] {
  const extra = finding.evidence.dependsOnSubscriptions;
  const fromEvidence = Array.isArray(extra) ? extra.filter((id): id is string => typeof id === "string") : [];
  return union([scanned, finding.subscriptionId], fromEvidence);
}

function union(...lists: string[][]): string[] {
  return [...new Set(lists.flat().map((id) => id.toLowerCase()))].sort();
}

function count(outcome: RecordOutcome, current: FindingRow | undefined): void {
  if (!current) outcome.created++;
  else {
    outcome.updated++;
    if (current.state === "resolved") outcome.reopened++;
  }
}

// ---- column encodings -----------------------------------------------------------------------

/** Evidence must fit one table property: oversized values are replaced by a note, keys kept. */
function evidenceColumn(evidence: Record<string, unknown>): { json: string; truncated: boolean } {
  const json = JSON.stringify(evidence ?? {});
  if (json.length <= MAX_COLUMN_CHARS) return { json, truncated: false };
  const note = { originalLength: json.length, note: "evidence too large for table storage; the run's JSON report has it in full" };
  const slim: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(evidence)) {
    const size = JSON.stringify(value)?.length ?? 0;
    slim[key] = size <= 2_000 ? value : `[${size} characters omitted]`;
  }
  slim._truncated = note;
  let slimJson = JSON.stringify(slim);
  if (slimJson.length > MAX_COLUMN_CHARS) slimJson = JSON.stringify({ _truncated: { ...note, keys: Object.keys(evidence).slice(0, 200) } });
  return { json: slimJson, truncated: true };
}

/** A fix plan must fit one table property: steps beyond that are dropped, and the summary says so. */
function fixColumn(fix: Finding["fix"]): string {
  let json = JSON.stringify(fix);
  if (!fix || json.length <= MAX_COLUMN_CHARS) return json;
  let steps = fix.steps;
  while (steps.length > 0 && json.length > MAX_COLUMN_CHARS) {
    steps = steps.slice(0, Math.floor(steps.length / 2));
    json = JSON.stringify({ ...fix, summary: `${fix.summary} (first ${steps.length} of ${fix.steps.length} steps; the run's report has them all)`, steps });
  }
  return json.length <= MAX_COLUMN_CHARS ? json : JSON.stringify({ ...fix, summary: capText(fix.summary), steps: [] });
}

function capText(text: string): string {
  return text.length <= MAX_COLUMN_CHARS ? text : `${text.slice(0, MAX_COLUMN_CHARS - 1)}…`;
}

function capJsonArray(values: readonly string[]): string {
  let kept = [...values];
  while (JSON.stringify(kept).length > MAX_COLUMN_CHARS && kept.length > 0) kept = kept.slice(0, Math.floor(kept.length / 2));
  return JSON.stringify(kept);
}

/** Keeps the first entry (when it opened) and the most recent ones. */
function historyColumn(history: SeverityHistoryEntry[]): string {
  const kept = history.length <= MAX_HISTORY ? history : [history[0]!, ...history.slice(-(MAX_HISTORY - 1))];
  return JSON.stringify(kept);
}

function toStoredFinding(row: FindingEntity): StoredFinding {
  return {
    id: row.rowKey,
    ruleId: row.ruleId,
    severity: row.severity,
    title: row.title,
    resourceId: row.resourceId,
    subscriptionId: row.subscriptionId,
    message: row.message,
    remediation: row.remediation,
    evidence: parseJson<Record<string, unknown>>(row.evidence, {}),
    references: parseJson<string[]>(row.references, []),
    suppressed: parseJson<Finding["suppressed"]>(row.suppressed, null),
    owner: row.owner || null,
    fix: parseJson<Finding["fix"]>(row.fix, null),
    state: row.state,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    resolvedAt: row.resolvedAt ?? null,
    severityHistory: parseJson<SeverityHistoryEntry[]>(row.severityHistory, []),
  };
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

function partitionOf(subscriptionId: string): string {
  return assertKey(subscriptionId.toLowerCase(), "subscriptionId");
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
    const group = groups.get(key(item)) ?? [];
    group.push(item);
    groups.set(key(item), group);
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

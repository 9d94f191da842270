/**
 * The `findings` table's rows: how a finding and its lifecycle (src/lifecycle) are encoded
 * into columns and decoded back. Every column must fit one table property, so long values are
 * capped here; what a capped value loses, the run's JSON report still has.
 *
 * PK = the finding's subscription (lower case), RK = finding id.
 */
import type { TableEntity } from "@azure/data-tables";
import { withDependsOnField, type Finding } from "../model/finding.js";
import type { Severity } from "../model/severity.js";
import type { Announced, AnnouncedAs, FindingLifecycle, SeverityHistoryEntry, StoredFinding } from "../lifecycle/record.js";
import { MAX_COLUMN_CHARS, assertKey, parseJson, stripMeta, type Row } from "./tables.js";

/** The lifecycle's plain fields are columns as they are; the rest are encoded. */
export type FindingColumns = Pick<FindingLifecycle, "severity" | "state" | "firstSeen" | "lastSeen" | "lastScanId" | "resolvedAt" | "resolvedScanId"> & {
  ruleId: string;
  title: string;
  resourceId: string;
  subscriptionId: string;
  message: string;
  remediation: string;
  evidence: string;
  evidenceTruncated?: boolean;
  /**
   * The finding's `dependsOn` as JSON (`[]` when none). Rows written before it was a field of
   * its own have no such column and carry it in `evidence.dependsOnSubscriptions`.
   */
  findingDependsOn?: string;
  /** The fix plan as JSON (`null` when none); steps trimmed to fit one table property. */
  fix?: string;
  references: string;
  suppressed: string;
  /** The finding's owner ("" when none). */
  owner?: string;
  severityHistory: string;
  /** The lifecycle's `dependencies` as JSON: every subscription whose complete scan it needs to resolve. */
  dependsOn: string;
  announcedSeverity?: Severity;
  announcedState?: "open" | "resolved";
  announcedScanId?: string;
  announcedAs?: AnnouncedAs;
};

export type FindingEntity = TableEntity<FindingColumns>;
export type FindingRow = Row<FindingColumns>;

const MAX_HISTORY = 50;

export function partitionOf(subscriptionId: string): string {
  return assertKey(subscriptionId.toLowerCase(), "subscriptionId");
}

/**
 * The row after a sighting: the current row (its announcement columns untouched), what the
 * finding says unless the lifecycle keeps the current one's, and the new lifecycle.
 */
export function sightedRow(current: FindingRow | undefined, finding: Finding, sighted: { lifecycle: FindingLifecycle; takeFinding: boolean }): FindingEntity {
  const { resolvedAt: _resolvedAt, resolvedScanId: _resolvedScanId, ...kept } = current ?? {};
  return stripMeta({
    ...kept,
    ...(sighted.takeFinding ? findingColumns(finding) : {}),
    ...lifecycleColumns(sighted.lifecycle),
    partitionKey: current?.partitionKey ?? partitionOf(finding.subscriptionId),
    rowKey: current?.rowKey ?? finding.id,
  } as FindingEntity);
}

function findingColumns(input: Finding): Omit<FindingColumns, keyof FindingLifecycleColumns> {
  const finding = withDependsOnField(input);
  const evidence = evidenceColumn(finding.evidence);
  return {
    ruleId: finding.ruleId,
    title: capText(finding.title),
    resourceId: capText(finding.resourceId),
    subscriptionId: finding.subscriptionId,
    message: capText(finding.message),
    remediation: capText(finding.remediation),
    evidence: evidence.json,
    // Always written (true or false) so a finding whose evidence shrank loses the flag.
    evidenceTruncated: evidence.truncated,
    findingDependsOn: JSON.stringify(finding.dependsOn ?? []),
    references: capJsonArray(finding.references),
    suppressed: JSON.stringify(finding.suppressed ?? null),
    owner: capText(finding.owner ?? ""),
    fix: fixColumn(finding.fix ?? null),
  };
}

/** The row once resolved: the columns resolution changes are written anew, the others kept as they are. */
export function resolvedRow(row: FindingRow, resolved: FindingLifecycle): FindingEntity {
  const { state, resolvedAt, resolvedScanId, severityHistory } = lifecycleColumns(resolved);
  return { ...row, state, resolvedAt, resolvedScanId, severityHistory };
}

type FindingLifecycleColumns = Pick<FindingColumns, "severity" | "state" | "firstSeen" | "lastSeen" | "lastScanId" | "resolvedAt" | "resolvedScanId" | "severityHistory" | "dependsOn">;

function lifecycleColumns(lifecycle: FindingLifecycle): FindingLifecycleColumns {
  return {
    severity: lifecycle.severity,
    state: lifecycle.state,
    firstSeen: lifecycle.firstSeen,
    lastSeen: lifecycle.lastSeen,
    lastScanId: lifecycle.lastScanId,
    ...(lifecycle.resolvedAt === undefined ? {} : { resolvedAt: lifecycle.resolvedAt }),
    ...(lifecycle.resolvedScanId === undefined ? {} : { resolvedScanId: lifecycle.resolvedScanId }),
    severityHistory: historyColumn(lifecycle.severityHistory),
    dependsOn: JSON.stringify(lifecycle.dependencies),
  };
}

export function announcedColumns(announced: Announced): Pick<FindingColumns, "announcedScanId" | "announcedAs" | "announcedState" | "announcedSeverity"> {
  return {
    announcedScanId: announced.scanId,
    announcedAs: announced.as,
    announcedState: announced.state,
    ...(announced.severity === undefined ? {} : { announcedSeverity: announced.severity }),
  };
}

const WRITABLE_COLUMNS: (keyof FindingColumns)[] = [
  "ruleId", "severity", "title", "resourceId", "subscriptionId", "message", "remediation", "evidence", "evidenceTruncated", "findingDependsOn",
  "fix", "references", "suppressed", "owner", "state", "firstSeen", "lastSeen", "lastScanId", "resolvedAt", "resolvedScanId",
  "severityHistory", "dependsOn", "announcedSeverity", "announcedState", "announcedScanId", "announcedAs",
];

/** Whether writing `next` over `current` would change nothing (an idempotent replay). */
export function sameRow(current: FindingRow, next: FindingEntity): boolean {
  return WRITABLE_COLUMNS.every((column) => (current[column] ?? null) === (next[column] ?? null));
}

// ---- decoding -----------------------------------------------------------------------------

export function lifecycleOf(row: FindingEntity): FindingLifecycle {
  return {
    severity: row.severity,
    state: row.state,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    lastScanId: row.lastScanId,
    ...(row.resolvedAt === undefined ? {} : { resolvedAt: row.resolvedAt }),
    ...(row.resolvedScanId === undefined ? {} : { resolvedScanId: row.resolvedScanId }),
    severityHistory: parseJson<SeverityHistoryEntry[]>(row.severityHistory, []),
    dependencies: parseJson<string[]>(row.dependsOn, []),
  };
}

export function announcedOf(row: FindingEntity): Announced {
  return {
    ...(row.announcedSeverity ? { severity: row.announcedSeverity } : {}),
    ...(row.announcedState ? { state: row.announcedState } : {}),
    ...(row.announcedScanId ? { scanId: row.announcedScanId } : {}),
    ...(row.announcedAs ? { as: row.announcedAs } : {}),
  };
}

/** A row as the finding shape plus its lifecycle; a row an older version wrote reads the same (dependsOn from its evidence). */
export function toStoredFinding(row: FindingEntity): StoredFinding {
  const dependsOn = parseJson<string[]>(row.findingDependsOn, []);
  return withDependsOnField({
    id: row.rowKey,
    ruleId: row.ruleId,
    severity: row.severity,
    title: row.title,
    resourceId: row.resourceId,
    subscriptionId: row.subscriptionId,
    ...(dependsOn.length > 0 ? { dependsOn } : {}),
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
  });
}

// ---- column capping -------------------------------------------------------------------------

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

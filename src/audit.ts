import { randomUUID } from "node:crypto";
import type { AzureClients } from "./azure/clients.js";
import { resolveScope } from "./collect/scope.js";
import { collectTenant, DEFAULT_TENANT_COLLECT_OPTIONS } from "./collect/tenant.js";
import type { AuditConfig } from "./config/file.js";
import { mergeTallies, summarizeChecks, type CheckTally } from "./engine/checks.js";
import { dedupeFindings, evaluate } from "./engine/evaluate.js";
import { DEFAULT_OWNER_TAG } from "./engine/owners.js";
import { AddressAllocator } from "./fix/allocator.js";
import { collectInsights, type ReportInsights } from "./engine/insights.js";
import { SCAN_RESULT_SCHEMA_VERSION, summarize, type ScanResult } from "./engine/result.js";
import type { Finding } from "./model/finding.js";
import type { Inventory, SubscriptionRecord } from "./model/inventory.js";
import type { Rule } from "./rules/rule.js";
import { TOOL_VERSION } from "./version.js";

export interface AuditProgress {
  done: number;
  total: number;
  subscription: SubscriptionRecord;
}

export interface TenantAuditOptions {
  clients: AzureClients;
  /** Subscription allow-list; empty means every subscription the credential sees. */
  subscriptions: readonly string[];
  config: AuditConfig;
  /** The rules to run (`--rule`, `--exclude-rule`); default the whole catalog. */
  rules?: readonly Rule[];
  now?: () => Date;
  scanId?: string;
  onProgress?: (progress: AuditProgress) => void;
  /** Called with each subscription's inventory before it is dropped (`vnet-audit collect`). */
  onInventory?: (inventory: Inventory) => void;
  /**
   * Called with each subscription's report insights (engine/insights.ts) before its inventory
   * is dropped; the HTML report merges them. Insights are computed only when this is set.
   */
  onInsights?: (insights: ReportInsights) => void;
}

/**
 * scope → collect → evaluate, one subscription at a time: each subscription's inventory is
 * evaluated as soon as it is collected and then released, so memory follows the
 * subscriptions in flight, not the tenant.
 */
export async function auditTenant(options: TenantAuditOptions): Promise<ScanResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const scope = await resolveScope(options.clients, options.subscriptions);
  const findings: Finding[] = [];
  const tallies: CheckTally[] = [];
  const records: SubscriptionRecord[] = [];
  // One allocator for the scan: subnets proposed in a hub VNet for two spokes never overlap.
  const allocator = new AddressAllocator();
  let done = 0;
  for await (const inventory of collectTenant(options.clients, scope, {
    subscriptionConcurrency: options.config.concurrency.subscriptions ?? DEFAULT_TENANT_COLLECT_OPTIONS.subscriptionConcurrency,
    readConcurrency: options.config.concurrency.reads ?? DEFAULT_TENANT_COLLECT_OPTIONS.readConcurrency,
    now,
    // A saved inventory (`collect`) keeps every resource group: a later `scan --from` may name another owner tag.
    ...(options.onInventory ? {} : { ownerTag: options.config.ownerTag ?? DEFAULT_OWNER_TAG }),
  })) {
    options.onInventory?.(inventory);
    options.onInsights?.(collectInsights(inventory, startedAt));
    const evaluation = evaluate(inventory, { ...evaluationOptions(options.config, startedAt, options.rules), allocator });
    findings.push(...evaluation.findings);
    tallies.push(evaluation.checks);
    for (const record of inventory.subscriptions) {
      records.push(record);
      options.onProgress?.({ done: ++done, total: scope.length, subscription: record });
    }
  }
  return buildResult(options.scanId ?? randomUUID(), startedAt, now(), orderLike(scope, records), dedupeFindings(findings), mergeTallies(tallies));
}

/** `vnet-audit scan --from inventory.json`: re-audits a saved inventory offline. */
export function auditInventory(inventory: Inventory, config: AuditConfig, now: Date = new Date(), scanId: string = randomUUID(), rules?: readonly Rule[]): ScanResult {
  const { findings, checks } = evaluate(inventory, evaluationOptions(config, now, rules));
  return buildResult(scanId, now, now, inventory.subscriptions, findings, checks);
}

function evaluationOptions(config: AuditConfig, now: Date, rules?: readonly Rule[]) {
  return { now, settings: config.ruleSettings, suppressions: config.suppressions, ownerTag: config.ownerTag, ...(rules ? { rules } : {}) };
}

/** The scan result; `checks` (what each rule checked) becomes `summary.checks` when known. */
export function buildResult(
  scanId: string,
  startedAt: Date,
  finishedAt: Date,
  subscriptions: SubscriptionRecord[],
  findings: Finding[],
  checks?: CheckTally,
): ScanResult {
  return {
    schemaVersion: SCAN_RESULT_SCHEMA_VERSION,
    scanId,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    tool: { name: "vnet-audit", version: TOOL_VERSION },
    subscriptions: subscriptions.map(({ subscriptionId, displayName, status, errors }) => ({ subscriptionId, displayName, status, errors })),
    findings,
    summary: { ...summarize(findings), ...(checks ? { checks: summarizeChecks(checks) } : {}) },
  };
}

function orderLike(scope: SubscriptionRecord[], records: SubscriptionRecord[]): SubscriptionRecord[] {
  const position = new Map(scope.map((record, index) => [record.subscriptionId.toLowerCase(), index]));
  return [...records].sort((a, b) => (position.get(a.subscriptionId.toLowerCase()) ?? 0) - (position.get(b.subscriptionId.toLowerCase()) ?? 0));
}

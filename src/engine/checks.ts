/**
 * How many resources each rule checked, and how many of those failed or could not be decided:
 * the scan result's `summary.checks` (the report's "checked N").
 *
 * A tenant is evaluated one subscription's inventory at a time, and a VNet or subnet (a hub's)
 * is in the inventory of every subscription whose apps integrate with it, so verdicts on
 * network resources are kept by resource ID and merged, counting each resource once, as the
 * findings are deduplicated (engine/evaluate.ts `dedupeFindings`). Sites, plans and
 * certificates are only ever in their own subscription's inventory: their verdicts are counted.
 */
import type { RuleMetadata, Verdict } from "../rules/rule.js";
import { armKey } from "../util/arm-id.js";

export interface RuleChecks {
  checked: number;
  failed: number;
  unknown: number;
}

type Outcome = Verdict["outcome"];

/** The tallies of one or more evaluations, mergeable across subscriptions (JSON, so a run's artifacts can hold it). */
export interface CheckTally {
  /** By rule ID: verdicts on resources only their own subscription's inventory holds. */
  counted: Record<string, RuleChecks>;
  /** By rule ID, then lower-cased resource ID: verdicts on VNets and subnets. */
  byResource: Record<string, Record<string, Outcome>>;
}

export function emptyTally(): CheckTally {
  return { counted: {}, byResource: {} };
}

function isShared(meta: RuleMetadata): boolean {
  return meta.resourceType.startsWith("Microsoft.Network/");
}

/** The worse outcome wins a merge, as the most severe judgement wins among duplicate findings. */
const OUTCOME_RANK: Record<Outcome, number> = { pass: 0, unknown: 1, fail: 2 };

function mergeOutcome(into: Record<string, Outcome>, key: string, outcome: Outcome): void {
  const existing = into[key];
  if (existing === undefined || OUTCOME_RANK[outcome] > OUTCOME_RANK[existing]) into[key] = outcome;
}

function addCounts(into: Record<string, RuleChecks>, ruleId: string, checks: RuleChecks): void {
  const existing = (into[ruleId] ??= { checked: 0, failed: 0, unknown: 0 });
  existing.checked += checks.checked;
  existing.failed += checks.failed;
  existing.unknown += checks.unknown;
}

/** One rule's verdicts on one inventory, added to the tally (a rule that selected nothing still shows, checked 0). */
export function tallyVerdicts(tally: CheckTally, meta: RuleMetadata, verdicts: readonly (Verdict & { resourceId: string })[]): void {
  if (isShared(meta)) {
    const byResource = (tally.byResource[meta.id] ??= {});
    for (const verdict of verdicts) mergeOutcome(byResource, armKey(verdict.resourceId), verdict.outcome);
    return;
  }
  const count = (outcome: Outcome) => verdicts.filter((verdict) => verdict.outcome === outcome).length;
  addCounts(tally.counted, meta.id, { checked: verdicts.length, failed: count("fail"), unknown: count("unknown") });
}

export function mergeTallies(tallies: Iterable<CheckTally | undefined>): CheckTally {
  const merged = emptyTally();
  for (const tally of tallies) {
    if (!tally) continue;
    for (const [ruleId, checks] of Object.entries(tally.counted)) addCounts(merged.counted, ruleId, checks);
    for (const [ruleId, outcomes] of Object.entries(tally.byResource)) {
      const into = (merged.byResource[ruleId] ??= {});
      for (const [key, outcome] of Object.entries(outcomes)) mergeOutcome(into, key, outcome);
    }
  }
  return merged;
}

/** `summary.checks`: per rule ID, in ID order. */
export function summarizeChecks(tally: CheckTally): Record<string, RuleChecks> {
  const checks: Record<string, RuleChecks> = {};
  for (const [ruleId, counts] of Object.entries(tally.counted)) addCounts(checks, ruleId, counts);
  for (const [ruleId, outcomes] of Object.entries(tally.byResource)) {
    const values = Object.values(outcomes);
    const count = (outcome: Outcome) => values.filter((value) => value === outcome).length;
    addCounts(checks, ruleId, { checked: values.length, failed: count("fail"), unknown: count("unknown") });
  }
  return Object.fromEntries(Object.entries(checks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

import { compareFindings, findingId, normalizeDependsOn, type Finding, type Suppression } from "../model/finding.js";
import type { Inventory, ReadStatus } from "../model/inventory.js";
import { severityRank } from "../model/severity.js";
import { indexInventory, type InventoryIndex } from "../rules/inventory-index.js";
import { DEFAULT_RULE_SETTINGS, type Rule, type RuleContext, type RuleResult, type RuleSettings, type TargetedVerdict } from "../rules/rule.js";
import { RULES } from "../rules/index.js";
import { compareIds } from "../util/arm-id.js";
import { emptyTally, tallyVerdicts, type CheckTally } from "./checks.js";
import { matchSuppression } from "./suppressions.js";
import { DEFAULT_OWNER_TAG, ownerResolver } from "./owners.js";
import type { AddressAllocator } from "../fix/allocator.js";
import { attachFixes } from "../fix/plan.js";

export interface EvaluateOptions {
  now: Date;
  settings?: RuleSettings;
  suppressions?: readonly Suppression[];
  rules?: readonly Rule[];
  /** The owner tag's name (config `owners.tag`, AUDIT_OWNER_TAG); default `owner`. */
  ownerTag?: string;
  /**
   * Hands out proposed address space; share one across the inventories of one scan so that
   * their proposals never overlap. Default: one for this inventory.
   */
  allocator?: AddressAllocator;
}

export interface Evaluation {
  /** Sorted and unique by id, with their fix plans. */
  findings: Finding[];
  /**
   * IDs of the findings this inventory could not decide either way (unknown verdicts: an app
   * setting or site config a rule reads was refused or missing, a gateway certificate could not
   * be parsed). Their absence proves nothing, so the run must not resolve them
   * (docs/ARCHITECTURE.md, Storage).
   */
  undecided: string[];
  /** What each rule checked (engine/checks.ts). */
  checks: CheckTally;
}

/**
 * Runs the catalog over an inventory, then plans each finding's fix: pure, no I/O. The index is
 * built once here and shared by every rule.
 */
export function evaluate(inventory: Inventory, options: EvaluateOptions): Evaluation {
  const rules = options.rules ?? RULES;
  const context: RuleContext = { inventory, now: options.now, settings: options.settings ?? DEFAULT_RULE_SETTINGS };
  const index = indexInventory(inventory);
  const ownerOf = ownerResolver(inventory, options.ownerTag ?? DEFAULT_OWNER_TAG);
  const findings: Finding[] = [];
  const undecided: string[] = [];
  const checks = emptyTally();
  for (const rule of rules) {
    const verdicts = ruleVerdicts(rule, index, context);
    tallyVerdicts(checks, rule.meta, verdicts);
    for (const verdict of verdicts) {
      if (verdict.outcome === "fail") findings.push(toFinding(rule, resultOf(verdict), options, ownerOf(verdict.resourceId)));
      else if (verdict.outcome === "unknown") undecided.push(findingId(rule.meta.id, verdict.resourceId));
    }
  }
  return { findings: attachFixes(inventory, dedupeFindings(findings), options.now, options.allocator), undecided, checks };
}

/** The findings of `evaluate`. */
export function evaluateInventory(inventory: Inventory, options: EvaluateOptions): Finding[] {
  return evaluate(inventory, options).findings;
}

const UNREAD: ReadonlySet<ReadStatus> = new Set(["forbidden", "failed", "notFound"]);

/**
 * One rule's verdicts, in order of resource ID, with `meta.reads` applied: a pass on a site
 * whose declared read was refused, failed or found nothing is unknown, since the unread value
 * might have changed it. A fail stands: the rule decided without it (its evidence says what was
 * not read).
 */
export function ruleVerdicts(rule: Rule, index: InventoryIndex, context: RuleContext): TargetedVerdict[] {
  const verdicts = rule.verdicts(index, context).map((verdict): TargetedVerdict => {
    if (verdict.outcome !== "pass" || rule.meta.reads.length === 0) return verdict;
    const site = index.site(verdict.resourceId);
    const unread = rule.meta.reads.filter((read) => site !== undefined && UNREAD.has(site.reads[read]));
    if (unread.length === 0) return verdict;
    const reason = `${unread.map((read) => `${read}: ${site!.reads[read]}`).join(", ")}`;
    return { outcome: "unknown", reason: `not read (${reason})`, resourceId: verdict.resourceId, subscriptionId: verdict.subscriptionId };
  });
  return verdicts.sort((a, b) => compareIds(a.resourceId, b.resourceId));
}

/** A rule's failing verdicts as results, in order of resource ID (the rule tests compare these). */
export function ruleResults(rule: Rule, context: RuleContext): RuleResult[] {
  return ruleVerdicts(rule, indexInventory(context.inventory), context).flatMap((verdict) => (verdict.outcome === "fail" ? [resultOf(verdict)] : []));
}

function resultOf(verdict: TargetedVerdict & { outcome: "fail" }): RuleResult {
  const { outcome: _outcome, ...result } = verdict;
  return result;
}

function toFinding(rule: Rule, result: RuleResult, options: EvaluateOptions, owner: string | null): Finding {
  const { meta } = rule;
  const evidence: Record<string, unknown> = { ...result.evidence };
  const dependsOn = normalizeDependsOn(result.dependsOnSubscriptions);
  const finding: Finding = {
    id: findingId(meta.id, result.resourceId),
    ruleId: meta.id,
    severity: result.severity,
    title: meta.title,
    resourceId: result.resourceId,
    subscriptionId: result.subscriptionId,
    ...(dependsOn ? { dependsOn } : {}),
    message: result.message,
    // The fix's commands join the text once fixes are planned (fix/plan.ts).
    remediation: meta.remediation.text,
    evidence,
    references: [...meta.references],
    suppressed: null,
    owner,
    fix: null,
  };
  const match = matchSuppression(finding, options.suppressions ?? [], options.now);
  if (match && !match.expired) {
    finding.suppressed = { reason: match.suppression.reason, expiresOn: match.suppression.expiresOn ?? null };
  } else if (match) {
    evidence.expiredSuppression = { reason: match.suppression.reason, expiresOn: match.suppression.expiresOn };
  }
  return finding;
}

/**
 * One finding per id. The same resource can be judged from two subscriptions' inventories
 * (a hub subnet shared by spokes); the most severe judgement wins.
 */
export function dedupeFindings(findings: Iterable<Finding>): Finding[] {
  const byId = new Map<string, Finding>();
  for (const finding of findings) {
    const existing = byId.get(finding.id);
    const winner = !existing || severityRank(finding.severity) > severityRank(existing.severity) ? finding : existing;
    // Another subscription's inventory may not know the owner (a hub subnet seen from a spoke): keep the one that does.
    const owner = winner.owner ?? (winner === finding ? existing?.owner : finding.owner) ?? null;
    byId.set(finding.id, owner === winner.owner ? winner : { ...winner, owner });
  }
  return [...byId.values()].sort(compareFindings);
}

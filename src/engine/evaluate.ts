import { compareFindings, findingId, type Finding, type Suppression } from "../model/finding.js";
import type { Inventory } from "../model/inventory.js";
import { severityRank } from "../model/severity.js";
import { DEFAULT_RULE_SETTINGS, type Rule, type RuleResult, type RuleSettings } from "../rules/rule.js";
import { RULES } from "../rules/index.js";
import { matchSuppression } from "./suppressions.js";
import type { AddressAllocator } from "../fix/allocator.js";
import { attachFixes } from "../fix/plan.js";

export interface EvaluateOptions {
  now: Date;
  settings?: RuleSettings;
  suppressions?: readonly Suppression[];
  rules?: readonly Rule[];
  /**
   * Hands out proposed address space; share one across the inventories of one scan so that
   * their proposals never overlap. Default: one for this inventory.
   */
  allocator?: AddressAllocator;
}

/**
 * Runs the catalog over an inventory, then plans each finding's fix: pure, no I/O. Findings
 * come back sorted and unique by id.
 */
export function evaluateInventory(inventory: Inventory, options: EvaluateOptions): Finding[] {
  const rules = options.rules ?? RULES;
  const context = { inventory, now: options.now, settings: options.settings ?? DEFAULT_RULE_SETTINGS };
  const findings = rules.flatMap((rule) => rule.evaluate(context).map((result) => toFinding(rule, result, options)));
  return attachFixes(inventory, dedupeFindings(findings), options.now, options.allocator);
}

function toFinding(rule: Rule, result: RuleResult, options: EvaluateOptions): Finding {
  const { meta } = rule;
  const evidence: Record<string, unknown> = { ...result.evidence };
  if (result.dependsOnSubscriptions && result.dependsOnSubscriptions.length > 0) {
    evidence.dependsOnSubscriptions = [...new Set(result.dependsOnSubscriptions.map((id) => id.toLowerCase()))].sort();
  }
  const finding: Finding = {
    id: findingId(meta.id, result.resourceId),
    ruleId: meta.id,
    severity: result.severity,
    title: meta.title,
    resourceId: result.resourceId,
    subscriptionId: result.subscriptionId,
    message: result.message,
    // The fix's commands join the text once fixes are planned (fix/plan.ts).
    remediation: meta.remediation.text,
    evidence,
    references: [...meta.references],
    suppressed: null,
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
    if (!existing || severityRank(finding.severity) > severityRank(existing.severity)) byId.set(finding.id, finding);
  }
  return [...byId.values()].sort(compareFindings);
}

import { compareFindings, findingId, normalizeDependsOn, type Finding, type Suppression } from "../model/finding.js";
import type { Inventory } from "../model/inventory.js";
import { severityRank } from "../model/severity.js";
import { DEFAULT_RULE_SETTINGS, type Rule, type RuleResult, type RuleSettings } from "../rules/rule.js";
import { RULES } from "../rules/index.js";
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

/**
 * Runs the catalog over an inventory, then plans each finding's fix: pure, no I/O. Findings
 * come back sorted and unique by id.
 */
export function evaluateInventory(inventory: Inventory, options: EvaluateOptions): Finding[] {
  const rules = options.rules ?? RULES;
  const context = { inventory, now: options.now, settings: options.settings ?? DEFAULT_RULE_SETTINGS };
  const ownerOf = ownerResolver(inventory, options.ownerTag ?? DEFAULT_OWNER_TAG);
  const findings = rules.flatMap((rule) => rule.evaluate(context).map((result) => toFinding(rule, result, options, ownerOf(result.resourceId))));
  return attachFixes(inventory, dedupeFindings(findings), options.now, options.allocator);
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

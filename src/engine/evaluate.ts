import { compareFindings, findingId, type Finding, type Suppression } from "../model/finding.js";
import type { Inventory } from "../model/inventory.js";
import { severityRank } from "../model/severity.js";
import { DEFAULT_RULE_SETTINGS, type Rule, type RuleResult, type RuleSettings } from "../rules/rule.js";
import { RULES } from "../rules/index.js";
import { matchSuppression } from "./suppressions.js";

export interface EvaluateOptions {
  now: Date;
  settings?: RuleSettings;
  suppressions?: readonly Suppression[];
  rules?: readonly Rule[];
}

/** Runs the catalog over an inventory: pure, no I/O. Findings come back sorted and unique by id. */
export function evaluateInventory(inventory: Inventory, options: EvaluateOptions): Finding[] {
  const rules = options.rules ?? RULES;
  const context = { inventory, now: options.now, settings: options.settings ?? DEFAULT_RULE_SETTINGS };
  const findings = rules.flatMap((rule) => rule.evaluate(context).map((result) => toFinding(rule, result, options)));
  return dedupeFindings(findings);
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
    remediation: meta.remediation.azCli ? `${meta.remediation.text} ${meta.remediation.azCli}` : meta.remediation.text,
    evidence,
    references: [...meta.references],
    suppressed: null,
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

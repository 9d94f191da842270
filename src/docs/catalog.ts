/**
 * docs/RULES.md's rule tables, one per catalog section, generated from the rules' metadata
 * (ID, severities, what the rule finds, the Learn articles it rests on). The terms, the
 * precise conditions, owners and fix plans around them are hand-written.
 */
import { RULES } from "../rules/index.js";
import type { RuleCategory } from "../rules/rule.js";
import { cell, updateGenerated } from "./generated.js";
import { learnLink } from "./learn.js";

/** The generated section of each category, in catalog order. */
export const CATALOG_SECTIONS: Readonly<Record<RuleCategory, string>> = {
  subnet: "catalog-subnet",
  gateway: "catalog-gateway",
  "routing-dns": "catalog-routing-dns",
  certificates: "catalog-certificates",
  inbound: "catalog-inbound",
};

export function catalogTable(category: RuleCategory): string {
  const rows = RULES.filter(({ meta }) => meta.category === category).map(
    ({ meta }) =>
      `| [\`${meta.id}\`](rules/${meta.id}.md) | ${meta.severities.map((severity) => `**${severity}**`).join(", ")} | ${cell(meta.title)} | ${meta.references
        .map((url) => cell(learnLink(url)))
        .join("; ")} |`,
  );
  return ["| Rule | Severity | Fires when | Source |", "|---|---|---|---|", ...rows].join("\n");
}

export function catalogSections(): Record<string, string> {
  return Object.fromEntries(Object.entries(CATALOG_SECTIONS).map(([category, name]) => [name, catalogTable(category as RuleCategory)]));
}

export function updateCatalog(rulesMd: string): string {
  return updateGenerated(rulesMd, catalogSections(), "docs/RULES.md");
}

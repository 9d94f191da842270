import { rulesTable } from "../docs/readme.js";
import { formatColumns } from "../report/table.js";
import { RULES } from "../rules/index.js";
import type { RulesFormat } from "./commands.js";

/** `vnet-audit rules`: the catalog from the rules' own metadata (the README's table is generated from the same). */
export function renderRules(format: RulesFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(RULES.map((rule) => rule.meta), null, 2)}\n`;
    case "markdown":
      return `${rulesTable()}\n`;
    case "table":
      return `${formatColumns(["RULE", "SEVERITY", "WHAT IT FINDS"], RULES.map(({ meta }) => [meta.id, meta.severities.join(", "), meta.title]))}\n`;
  }
}

/**
 * Each rule doc (docs/rules/, one per rule ID) is part generated, part written by hand. Its header (title, ID,
 * category, severities, resource type), its remediation and its references come from the
 * rule's metadata, between generated-section markers; the explanation in between (severity
 * logic, what it checks, why, evidence, interpretation) is hand-written. `npm run docs`
 * rewrites the generated parts; a test fails when a doc drifts from its rule.
 */
import type { Rule, RuleMetadata, RuleResourceType, SiteRead } from "../rules/rule.js";
import { updateGenerated } from "./generated.js";
import { learnLink } from "./learn.js";

/** The generated sections of a rule doc, in the order they appear. */
export const RULE_DOC_SECTIONS = ["header", "remediation", "references"] as const;

/** What a finding of each resource type names, for a reader. */
const RESOURCE_TYPE_NAMES: Readonly<Record<RuleResourceType, string>> = {
  "Microsoft.Web/sites": "the site or slot (`Microsoft.Web/sites`, `Microsoft.Web/sites/slots`)",
  "Microsoft.Web/serverFarms": "the App Service plan (`Microsoft.Web/serverFarms`)",
  "Microsoft.Web/certificates": "the App Service certificate (`Microsoft.Web/certificates`)",
  "Microsoft.Network/virtualNetworks": "the virtual network (`Microsoft.Network/virtualNetworks`)",
  "Microsoft.Network/virtualNetworks/subnets": "the integration subnet (`Microsoft.Network/virtualNetworks/subnets`), in the subnet's own subscription",
};

/** What each per-site read is, for a reader (the Resource Manager operation it makes). */
const READ_NAMES: Readonly<Record<SiteRead, string>> = {
  vnetConnections: "the site's VNet connections (`webApps.listVnetConnections`)",
  config: "site config (`webApps.getConfiguration`)",
  appSettings: "app settings (`webApps.listApplicationSettings`, which needs more than Reader)",
};

const code = (text: string) => `\`${text}\``;

function severityList(meta: RuleMetadata): string {
  const names = meta.severities.map(code);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

export function ruleDocHeader(meta: RuleMetadata): string {
  return [
    `# ${meta.title}`,
    "",
    `- **ID:** ${code(meta.id)}`,
    `- **Category:** ${meta.category}`,
    `- **Severity:** ${severityList(meta)}`,
    `- **Resource:** ${RESOURCE_TYPE_NAMES[meta.resourceType]}`,
    ...thresholdLines(meta),
    ...(meta.reads.length > 0 ? [`- **Reads beyond the lists:** ${meta.reads.map((read) => READ_NAMES[read]).join("; ")}`] : []),
  ].join("\n");
}

function thresholdLines(meta: RuleMetadata): string[] {
  const entries = Object.entries(meta.thresholds);
  if (entries.length === 0) return [];
  const values = entries.map(([name, value]) => `${code(name)} ${value}`).join(", ");
  return [`- **Thresholds:** ${values}${meta.settings ? ` (defaults; the config file's ${code(meta.settings)} tunes them)` : ""}`];
}

export function ruleDocRemediation(meta: RuleMetadata): string {
  const { text, az, bicep, portal } = meta.remediation;
  const lines = ["## Remediation", "", text];
  if (az !== undefined) {
    // "az x --flag; az y (what it acts on)": each command in code, its note after it.
    const commands = az.split(/;\s*/).map((command) => {
      const [, name, note] = /^(.*?)\s*(\([^)]*\))?$/.exec(command.trim())!;
      return note ? `${code(name!)} ${note}` : code(name!);
    });
    lines.push("", `With the Azure CLI: ${commands.join(", then ")}.`);
  }
  if (portal !== undefined && portal.length > 0) {
    lines.push("", "In the portal:", "", ...portal.map((step, i) => `${i + 1}. ${step}`));
  }
  if (bicep !== undefined) lines.push("", "In Bicep:", "", "```bicep", bicep, "```");
  lines.push(
    "",
    "Each finding's `fix` spells these steps out for its resource: the commands with the real resource group, app, " +
      "VNet and subnet names, and a free address block where a subnet is needed (see [RULES.md, \"Fix plans\"](../RULES.md#fix-plans)).",
  );
  return lines.join("\n");
}

export function ruleDocReferences(meta: RuleMetadata): string {
  return ["## References", "", ...meta.references.map((url) => `- ${learnLink(url)}`)].join("\n");
}

export function ruleDocSections(rule: Rule): Record<(typeof RULE_DOC_SECTIONS)[number], string> {
  return { header: ruleDocHeader(rule.meta), remediation: ruleDocRemediation(rule.meta), references: ruleDocReferences(rule.meta) };
}

export function updateRuleDoc(doc: string, rule: Rule): string {
  return updateGenerated(doc, ruleDocSections(rule), `docs/rules/${rule.meta.id}.md`);
}

/** The hand-written part of a rule doc: everything between the header and the remediation. */
export function handWrittenPart(doc: string): string {
  const start = doc.indexOf("<!-- END GENERATED: header -->");
  const end = doc.indexOf("<!-- BEGIN GENERATED: remediation -->");
  return start >= 0 && end > start ? doc.slice(start + "<!-- END GENERATED: header -->".length, end).trim() : "";
}

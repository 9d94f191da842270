/**
 * The CLI's commands and flags as data: the parser (args.ts) and every help page (help.ts)
 * read the same table, so a flag can't be accepted without being documented, or the reverse.
 */
import { SEVERITIES } from "../model/severity.js";
import { REPORT_FORMATS } from "../report/index.js";

export const RULES_FORMATS = ["table", "json", "markdown"] as const;
export type RulesFormat = (typeof RULES_FORMATS)[number];

export interface FlagSpec {
  /** Long name without the dashes. */
  name: string;
  short?: string;
  /** What the flag takes (`ID`, `FILE`); absent for a switch. */
  value?: string;
  multiple?: boolean;
  /** Accepted values, compared case-insensitively. */
  choices?: readonly string[];
  default?: string;
  description: string;
}

export interface CommandSpec {
  name: "scan" | "collect" | "rules";
  summary: string;
  synopsis: string;
  flags: FlagSpec[];
  examples: Array<[command: string, what: string]>;
  notes?: string[];
}

const EXAMPLE_SUBSCRIPTION = "6f1c2d3e-8a4b-4c5d-9e6f-0a1b2c3d4e5f";

const help: FlagSpec = { name: "help", short: "h", description: "Show this help." };
const subscription: FlagSpec = {
  name: "subscription",
  value: "ID",
  multiple: true,
  description: "A subscription to audit (GUID); repeat for more. Wins over the config file's `subscriptions` and AUDIT_SUBSCRIPTIONS.",
  default: "every subscription the credential sees whose state is Enabled, Warned or PastDue",
};
const managementGroup: FlagSpec = {
  name: "management-group",
  value: "ID",
  description: "Audit the subscriptions under this management group, at every level below it; with an allow-list (--subscription, the config file, AUDIT_SUBSCRIPTIONS), only those in both.",
};
const config: FlagSpec = { name: "config", value: "FILE", description: "JSON config: suppressions, thresholds, failOn, subscriptions (see the README).", default: "the AUDIT_CONFIG setting, else none" };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "scan",
    summary: "Audit the subscriptions in scope and report the findings.",
    synopsis: "vnet-audit scan [--subscription ID]... [--management-group ID] [--format FORMAT] [-o FILE] [--config FILE] [--fail-on SEVERITY] [--from INVENTORY.json] [--rule ID]... [--exclude-rule ID]... [--baseline PREVIOUS.json] [--store]",
    flags: [
      subscription,
      managementGroup,
      { name: "format", value: "FORMAT", choices: REPORT_FORMATS, description: "Report format.", default: "from --output's extension (.json .csv .md .html .txt), else table" },
      { name: "output", short: "o", value: "FILE", description: "Write the report to FILE; `-` is stdout. (Not az's -o: the format is --format.)", default: "stdout" },
      config,
      { name: "fail-on", value: "SEVERITY", choices: SEVERITIES, description: "Exit 1 when an unsuppressed finding is at or above this severity.", default: "the config file's failOn, else never" },
      { name: "from", value: "INVENTORY.json", description: "Re-audit an inventory saved by `vnet-audit collect`, without calling Azure." },
      { name: "rule", value: "ID", multiple: true, description: "Run only this rule; repeat for more (`vnet-audit rules` lists them).", default: "every rule" },
      { name: "exclude-rule", value: "ID", multiple: true, description: "Skip this rule; repeat for more." },
      { name: "baseline", value: "PREVIOUS.json", description: "Diff against a previous `--format json` result, without storage: findings get `change` (new, escalated, unchanged) and the result lists what resolved since." },
      { name: "store", description: "Keep findings and history in Azure Storage and send the digest of what changed, as the function app does (needs AUDIT_STORAGE or AzureWebJobsStorage)." },
      help,
    ],
    examples: [
      ["vnet-audit scan", "every subscription you can read, as a table"],
      ["vnet-audit scan -o report.html", "an HTML report (the format follows the extension)"],
      [`vnet-audit scan --subscription ${EXAMPLE_SUBSCRIPTION} --format json --fail-on high`, "one subscription as JSON; exit 1 on high or critical"],
      ["vnet-audit scan --management-group contoso-landing-zones --format markdown -o audit.md", "a management group, for a wiki page"],
      ["vnet-audit scan --rule gateway-integration-legacy --format csv -o legacy.csv", "only the apps still on gateway-required integration"],
      ["vnet-audit scan --from inventory.json --exclude-rule https-only-disabled", "re-audit a saved inventory offline"],
      ["vnet-audit scan --format html -o report.html --baseline last-week.json", "a report that opens with what changed since last week's JSON result"],
    ],
    notes: [
      "Exit codes: 0 complete and nothing at or above --fail-on; 1 findings at or above --fail-on; 2 usage or configuration error; 3 the scan was incomplete.",
      "Every scan ends with one summary line on stderr: subscriptions by status, findings by severity, where the report went.",
      "Environment: AUDIT_ARM_ENDPOINT, AUDIT_SUBSCRIPTIONS, AUDIT_CONFIG, AUDIT_STORAGE, AUDIT_WEBHOOK_* (see the README).",
    ],
  },
  {
    name: "collect",
    summary: "Save the inventory of the subscriptions in scope, to audit later with `scan --from`.",
    synopsis: "vnet-audit collect -o INVENTORY.json [--subscription ID]... [--management-group ID] [--config FILE]",
    flags: [
      { name: "output", short: "o", value: "FILE", description: "Where to save the inventory (JSON); `-` is stdout. Required." },
      subscription,
      managementGroup,
      config,
      help,
    ],
    examples: [
      ["vnet-audit collect -o inventory.json", "everything you can read"],
      ["vnet-audit collect --management-group contoso-landing-zones -o inventory.json", "one management group"],
      ["vnet-audit scan --from inventory.json --format html -o report.html", "then audit it, anywhere, without Azure"],
    ],
    notes: ["Exit codes: 0 every subscription was read; 2 usage or configuration error; 3 something could not be read (the inventory says what)."],
  },
  {
    name: "rules",
    summary: "List the rule catalog: ID, severities and what each rule finds.",
    synopsis: "vnet-audit rules [--format table|json|markdown]",
    flags: [{ name: "format", value: "FORMAT", choices: RULES_FORMATS, description: "Output format.", default: "table" }, help],
    examples: [
      ["vnet-audit rules", "the catalog as a table"],
      ["vnet-audit rules --format json", "every rule's metadata: rationale, remediation, references"],
    ],
  },
];

export const COMMAND_NAMES = [...COMMANDS.map((command) => command.name), "help"] as const;

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}

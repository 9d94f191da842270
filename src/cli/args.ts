import { extname } from "node:path";
import { SUBSCRIPTION_ID_PATTERN, uniqueSubscriptionIds } from "../model/ids.js";
import { type Severity } from "../model/severity.js";
import { REPORT_FORMATS, type ReportFormat } from "../report/index.js";
import { RULES } from "../rules/index.js";
import { COMMAND_NAMES, COMMANDS, commandSpec, type CommandSpec, type FlagSpec, type RulesFormat } from "./commands.js";
import { didYouMean } from "./suggest.js";

export class UsageError extends Error {}

/** Where a report or inventory goes: a file, or stdout (no `--output`, or `--output -`). */
export type Destination = { kind: "stdout" } | { kind: "file"; path: string };

export interface ScopeOptions {
  subscriptions: string[];
  managementGroup?: string;
  config?: string;
}

export type Command =
  | { name: "help"; topic?: CommandSpec }
  | { name: "version" }
  | (ScopeOptions & {
      name: "scan";
      format: ReportFormat;
      output: Destination;
      failOn?: Severity;
      from?: string;
      /** The rule IDs to run; absent means every rule. */
      rules?: string[];
      store: boolean;
      /** A previous JSON result to diff against (`change`, `resolved`). */
      baseline?: string;
    })
  | (ScopeOptions & { name: "collect"; output: Destination })
  | { name: "rules"; format: RulesFormat };

/** Output file extensions that name a report format (`--output report.html` needs no `--format`). */
const FORMAT_BY_EXTENSION: Record<string, ReportFormat> = { ".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".txt": "table" };
/** `az --output` values: `-o table` is a format to az users, never a file name. */
const AZ_OUTPUT_FORMATS = ["json", "jsonc", "table", "tsv", "yaml", "yamlc", "none"];
/** Management group IDs: up to 90 letters, digits, `-`, `_`, `(`, `)` and `.`, not ending in `.`. */
const MANAGEMENT_GROUP_ID = /^[A-Za-z0-9_().-]{0,89}[A-Za-z0-9_()-]$/;
const RULE_IDS = RULES.map((rule) => rule.meta.id);

type Values = Map<string, string[]>;

/** Parses argv (without node and script). Throws UsageError with one line naming the bad value. */
export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help") return { name: "help" };
  if (first === "--version") return { name: "version" };
  if (first.startsWith("-")) throw new UsageError(`unknown flag ${first} before the command${didYouMean(first, ["--help", "--version"])} (expected a command: ${COMMAND_NAMES.join(", ")})`);
  if (first === "help") return helpFor(rest);
  const spec = commandSpec(first.toLowerCase());
  if (!spec) throw new UsageError(`unknown command "${first}"${didYouMean(first, COMMAND_NAMES)} (expected one of ${COMMAND_NAMES.join(", ")})`);

  const values = readFlags(spec, rest);
  if (values === "help") return { name: "help", topic: spec };
  if (spec.name === "rules") return { name: "rules", format: (choice(spec, values, "format") as RulesFormat | undefined) ?? "table" };

  const scope = scopeOptions(values);
  if (spec.name === "collect") {
    if (!values.has("output")) throw new UsageError("collect needs -o/--output FILE (where to save the inventory; - for stdout)");
    return { name: "collect", ...scope, output: destination(values.get("output")![0]!) };
  }

  const output = values.has("output") ? destination(values.get("output")![0]!) : ({ kind: "stdout" } as const);
  const format = (choice(spec, values, "format") as ReportFormat | undefined) ?? formatFromOutput(output);
  const failOn = choice(spec, values, "fail-on") as Severity | undefined;
  const from = values.get("from")?.[0];
  const rules = selectedRules(values.get("rule") ?? [], values.get("exclude-rule") ?? []);
  const store = values.has("store");
  if (from !== undefined && (scope.subscriptions.length > 0 || scope.managementGroup)) {
    throw new UsageError(`--from and --${scope.managementGroup ? "management-group" : "subscription"} can't be combined: an inventory is re-audited as saved`);
  }
  if (from !== undefined && store) throw new UsageError("--from and --store can't be combined: only a live scan is stored");
  const baseline = values.get("baseline")?.[0];
  if (baseline !== undefined && store) throw new UsageError("--baseline and --store can't be combined: --store diffs against the stored history");
  if (rules && store) throw new UsageError("--rule/--exclude-rule and --store can't be combined: a stored scan runs every rule, or the findings of the others would read as resolved");
  return {
    name: "scan",
    ...scope,
    format,
    output,
    ...(failOn !== undefined ? { failOn } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(rules ? { rules } : {}),
    store,
    ...(baseline !== undefined ? { baseline } : {}),
  };
}

function helpFor(rest: readonly string[]): Command {
  const [topic, extra] = rest;
  if (topic === undefined) return { name: "help" };
  const spec = commandSpec(topic.toLowerCase());
  if (!spec) throw new UsageError(`no help for "${topic}"${didYouMean(topic, COMMANDS.map((command) => command.name))} (commands: ${COMMANDS.map((command) => command.name).join(", ")})`);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}" after help ${spec.name}`);
  return { name: "help", topic: spec };
}

/** Reads `--flag value`, `--flag=value`, `-o value` and switches; `-h`/`--help` anywhere asks for the command's help. */
function readFlags(spec: CommandSpec, args: readonly string[]): Values | "help" {
  if (args.includes("-h") || args.includes("--help")) return "help";
  const values: Values = new Map();
  for (let index = 0; index < args.length; index++) {
    const token = args[index]!;
    if (!token.startsWith("-") || token === "-") throw new UsageError(`unexpected argument "${token}" (vnet-audit ${spec.name} takes only flags; see vnet-audit ${spec.name} --help)`);
    const [written, inline] = token.startsWith("--") && token.includes("=") ? [token.slice(0, token.indexOf("=")), token.slice(token.indexOf("=") + 1)] : [token, undefined];
    const flag = findFlag(spec, written);
    let value: string | undefined;
    if (flag.value) {
      value = inline ?? args[++index];
      if (value === undefined || (value.startsWith("-") && value !== "-" && inline === undefined)) {
        throw new UsageError(`${written} needs a value: ${flag.choices ? `one of ${flag.choices.join(", ")}` : flag.value}`);
      }
    } else if (inline !== undefined) {
      throw new UsageError(`${written} is a switch and takes no value`);
    }
    const seen = values.get(flag.name) ?? [];
    if (seen.length > 0 && !flag.multiple) throw new UsageError(`--${flag.name} given twice: it takes one value`);
    values.set(flag.name, [...seen, value ?? "true"]);
  }
  return values;
}

function findFlag(spec: CommandSpec, written: string): FlagSpec {
  const flag = written.startsWith("--") ? spec.flags.find((candidate) => `--${candidate.name}` === written) : spec.flags.find((candidate) => candidate.short && `-${candidate.short}` === written);
  if (flag) return flag;
  const elsewhere = COMMANDS.find((command) => command.flags.some((candidate) => `--${candidate.name}` === written || (candidate.short && `-${candidate.short}` === written)));
  if (elsewhere) throw new UsageError(`${written} does not apply to ${spec.name} (see vnet-audit ${spec.name} --help)`);
  const names = spec.flags.flatMap((candidate) => [`--${candidate.name}`, ...(candidate.short ? [`-${candidate.short}`] : [])]);
  throw new UsageError(`unknown flag ${written} for ${spec.name}${didYouMean(written, names)} (see vnet-audit ${spec.name} --help)`);
}

/** An enum flag's value, case-insensitively; an unknown one names the choices and the closest. */
function choice(spec: CommandSpec, values: Values, name: string): string | undefined {
  const raw = values.get(name)?.[0];
  if (raw === undefined) return undefined;
  const choices = spec.flags.find((flag) => flag.name === name)!.choices!;
  const match = choices.find((candidate) => candidate === raw.toLowerCase());
  if (match) return match;
  throw new UsageError(`--${name} ${JSON.stringify(raw)} is not valid: expected one of ${choices.join(", ")}${didYouMean(raw, choices)}`);
}

function scopeOptions(values: Values): ScopeOptions {
  const subscriptions = uniqueSubscriptionIds(values.get("subscription") ?? []);
  for (const id of subscriptions) {
    if (!SUBSCRIPTION_ID_PATTERN.test(id)) throw new UsageError(`--subscription ${JSON.stringify(id)} is not valid: expected a subscription ID (GUID)`);
  }
  const managementGroup = values.get("management-group")?.[0];
  if (managementGroup !== undefined && !MANAGEMENT_GROUP_ID.test(managementGroup)) {
    throw new UsageError(`--management-group ${JSON.stringify(managementGroup)} is not valid: expected a management group ID (up to 90 letters, digits, - _ ( ) .)`);
  }
  const config = values.get("config")?.[0];
  return { subscriptions, ...(managementGroup !== undefined ? { managementGroup } : {}), ...(config !== undefined ? { config } : {}) };
}

/** `-o table` is az's habit for a format: point at --format rather than write a file named "table". */
function destination(value: string): Destination {
  if (value === "-") return { kind: "stdout" };
  const lower = value.toLowerCase();
  if ((AZ_OUTPUT_FORMATS as readonly string[]).includes(lower) || (REPORT_FORMATS as readonly string[]).includes(lower)) {
    const ours = (REPORT_FORMATS as readonly string[]).includes(lower) ? `--format ${lower}` : `--format with one of ${REPORT_FORMATS.join(", ")}`;
    throw new UsageError(`-o/--output takes a file name, and "${value}" is a format: use ${ours} (add -o FILE to write it to a file)`);
  }
  return { kind: "file", path: value };
}

function formatFromOutput(output: Destination): ReportFormat {
  if (output.kind === "stdout") return "table";
  const extension = extname(output.path).toLowerCase();
  if (extension === "") return "table";
  const format = FORMAT_BY_EXTENSION[extension];
  if (format) return format;
  throw new UsageError(`--output ${output.path}: no format goes with "${extension}": add --format (one of ${REPORT_FORMATS.join(", ")})`);
}

function selectedRules(included: readonly string[], excluded: readonly string[]): string[] | undefined {
  if (included.length === 0 && excluded.length === 0) return undefined;
  const known = (flag: string) => (id: string) => {
    const match = RULE_IDS.find((candidate) => candidate === id.toLowerCase());
    if (!match) throw new UsageError(`--${flag} ${JSON.stringify(id)} is not a rule${didYouMean(id, RULE_IDS)} (vnet-audit rules lists them)`);
    return match;
  };
  const include = new Set(included.map(known("rule")));
  const exclude = new Set(excluded.map(known("exclude-rule")));
  const rules = RULE_IDS.filter((id) => (include.size === 0 || include.has(id)) && !exclude.has(id));
  if (rules.length === 0) throw new UsageError("--rule and --exclude-rule leave no rule to run");
  return rules;
}

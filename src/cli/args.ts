import { parseArgs } from "node:util";
import { z } from "zod";
import { SUBSCRIPTION_ID_PATTERN, uniqueSubscriptionIds } from "../model/ids.js";
import { SEVERITIES, type Severity } from "../model/severity.js";
import { REPORT_FORMATS, type ReportFormat } from "../report/index.js";

export class UsageError extends Error {}

export const USAGE = `Usage:
  vnet-audit scan [--subscription ID]... [--format ${REPORT_FORMATS.join("|")}] [--output FILE]
                  [--config FILE] [--fail-on SEVERITY] [--from INVENTORY.json] [--store]
                  [--baseline PREVIOUS.json]
  vnet-audit collect --output INVENTORY.json [--subscription ID]... [--config FILE]
  vnet-audit --help | --version

Exit codes: 0 complete and nothing at or above --fail-on; 1 findings at or above --fail-on;
2 usage or configuration error; 3 the scan was incomplete.
--store persists findings, diffs them against the last run and sends the alert digest, as the
function app does (needs AUDIT_STORAGE or AzureWebJobsStorage). --baseline diffs against a
previous JSON result instead: findings get change (new, escalated, unchanged) and the result
lists what resolved since.
Environment: AUDIT_ARM_ENDPOINT, AUDIT_SUBSCRIPTIONS, AUDIT_STORAGE, AUDIT_WEBHOOK_* (see README).`;

export type Command =
  | { name: "help" }
  | { name: "version" }
  | {
      name: "scan";
      subscriptions: string[];
      format: ReportFormat;
      output?: string;
      config?: string;
      failOn?: Severity;
      from?: string;
      store: boolean;
      baseline?: string;
    }
  | { name: "collect"; subscriptions: string[]; output: string; config?: string };


/** Parses argv (without node and script). Throws UsageError with one line naming the bad value. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(((error as Error).message.split("\n")[0] ?? "invalid arguments").replace(/\. To specify.*$/, ""));
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: "help" };
  if (values.version) return { name: "version" };
  const [name, ...extra] = positionals;
  if (name === undefined) throw new UsageError("missing command: expected scan or collect");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);

  const subscriptions = uniqueSubscriptionIds(values.subscription ?? []);
  for (const id of subscriptions) {
    if (!SUBSCRIPTION_ID_PATTERN.test(id)) throw new UsageError(`--subscription ${JSON.stringify(id)} is not valid: expected a subscription ID (GUID)`);
  }
  const failOn = values["fail-on"];
  if (failOn !== undefined && !z.enum(SEVERITIES).safeParse(failOn).success) {
    throw new UsageError(`--fail-on ${JSON.stringify(failOn)} is not valid: expected one of ${SEVERITIES.join(", ")}`);
  }
  const format = values.format ?? "table";
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format ${JSON.stringify(format)} is not valid: expected one of ${REPORT_FORMATS.join(", ")}`);
  }

  if (name === "scan") {
    if (values.from !== undefined && subscriptions.length > 0) throw new UsageError("--from and --subscription can't be combined: an inventory is re-audited as saved");
    if (values.from !== undefined && values.store) throw new UsageError("--from and --store can't be combined: only a live scan is stored");
    if (values.baseline !== undefined && values.store) throw new UsageError("--baseline and --store can't be combined: --store diffs against the stored history");
    return {
      name: "scan",
      subscriptions,
      format: format as ReportFormat,
      ...(values.output !== undefined ? { output: values.output } : {}),
      ...(values.config !== undefined ? { config: values.config } : {}),
      ...(failOn !== undefined ? { failOn: failOn as Severity } : {}),
      ...(values.from !== undefined ? { from: values.from } : {}),
      store: values.store === true,
      ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
    };
  }
  if (name === "collect") {
    if (!values.output) throw new UsageError("collect needs --output FILE (where to save the inventory)");
    for (const flag of ["format", "fail-on", "from", "store", "baseline"] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to collect`);
    }
    return { name: "collect", subscriptions, output: values.output, ...(values.config !== undefined ? { config: values.config } : {}) };
  }
  throw new UsageError(`unknown command ${JSON.stringify(name)}: expected scan or collect`);
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      subscription: { type: "string", multiple: true },
      format: { type: "string" },
      output: { type: "string", short: "o" },
      config: { type: "string" },
      "fail-on": { type: "string" },
      from: { type: "string" },
      store: { type: "boolean" },
      baseline: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });
}

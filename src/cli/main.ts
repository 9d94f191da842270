import { constants } from "node:fs";
import { access, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { createAzureClients, type AzureClients } from "../azure/clients.js";
import { isCredentialFailure } from "../azure/errors.js";
import { auditInventory, auditTenant, type AuditProgress } from "../audit.js";
import { managementGroupSubscriptions } from "../collect/scope.js";
import { mergeInventories } from "../collect/tenant.js";
import { ConfigError, configFromSetting, deeperThan, loadConfigFile, MAX_JSON_DEPTH, parseJsonText, withOwnerTag, type AuditConfig } from "../config/file.js";
import { readSettings, SettingsError } from "../config/settings.js";
import { runCycleInProcess } from "../cycle/cycle.js";
import { cycleDepsFromEnv, StorageNotConfiguredError } from "../cycle/deps.js";
import { collectInsights, mergeInsights, type ReportInsights } from "../engine/insights.js";
import { EXIT, exitCodeFor, type ScanResult } from "../engine/result.js";
import { previousResultSchema, type PreviousResult } from "../engine/result-schema.js";
import { diffAgainstBaseline } from "../lifecycle/change.js";
import { inventorySchema } from "../model/inventory-schema.js";
import type { Inventory } from "../model/inventory.js";
import { renderReport } from "../report/index.js";
import { RULES } from "../rules/index.js";
import { terminalSafe } from "../report/terminal.js";
import type { Rule } from "../rules/rule.js";
import { TOOL_VERSION } from "../version.js";
import { parseCommand, UsageError, type Command, type Destination, type ScopeOptions } from "./args.js";
import { commandHelp, globalHelp } from "./help.js";
import { renderRules } from "./rules.js";
import { collectSummaryLine, scanSummaryLine } from "./summary.js";

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** What to do when no credential of DefaultAzureCredential's chain works (docs/ARCHITECTURE.md, CLI: exit 2, one line). */
export const NO_CREDENTIAL_HINT =
  "no Azure credential works: run `az login` (on a laptop), give the app a managed identity (in Azure; AZURE_CLIENT_ID picks a user-assigned one), or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE or AZURE_CLIENT_SECRET (in a pipeline)";

/** Runs the CLI and returns its exit code; never calls process.exit itself (testable, flushes output). */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  try {
    const command = parseCommand(argv);
    switch (command.name) {
      case "help":
        io.stdout.write(command.topic ? commandHelp(command.topic) : globalHelp());
        return EXIT.ok;
      case "version":
        io.stdout.write(`${TOOL_VERSION}\n`);
        return EXIT.ok;
      case "rules":
        io.stdout.write(renderRules(command.format));
        return EXIT.ok;
      default:
        return await runAudit(command, io);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof SettingsError || error instanceof StorageNotConfiguredError) {
      io.stderr.write(`vnet-audit: ${error.message}\n`);
      return EXIT.usage;
    }
    if (isCredentialFailure(error)) {
      io.stderr.write(`vnet-audit: ${NO_CREDENTIAL_HINT}\n`);
      return EXIT.usage;
    }
    // Anything else (Resource Manager unreachable, a management group that can't be read) means no scan happened.
    io.stderr.write(`vnet-audit: the scan could not run: ${terminalSafe(firstLine(error))}\n`);
    return EXIT.incomplete;
  }
}

async function runAudit(command: Extract<Command, { name: "scan" | "collect" }>, io: CliIo): Promise<number> {
  const settings = readSettings(io.env);
  const config = withOwnerTag(
    command.config ? await loadConfigFile(command.config, RULES.map((rule) => rule.meta.id)) : configFromSetting(settings.AUDIT_CONFIG),
    settings.AUDIT_OWNER_TAG,
  );
  const onProgress = io.stderr.isTTY ? progressPrinter(io.stderr) : undefined;
  // Fail before a tenant-wide scan, not after it.
  if (command.output.kind === "file") await assertWritable(command.output.path);
  const baseline = command.name === "scan" && command.baseline ? await loadBaseline(command.baseline) : undefined;
  let clients: AzureClients | undefined;
  const azure = () => (clients ??= createAzureClients({ endpoint: settings.AUDIT_ARM_ENDPOINT }));
  const where = command.output.kind === "file" ? command.output.path : "stdout";

  if (command.name === "collect") {
    const inventories: Inventory[] = [];
    const subscriptions = await scopeOf(command, config, settings.AUDIT_SUBSCRIPTIONS, azure);
    const result = await auditTenant({ clients: azure(), subscriptions, config, onProgress, onInventory: (inventory) => inventories.push(inventory) });
    const inventory = mergeInventories(inventories, result.startedAt);
    await emit(io, command.output, `${JSON.stringify(inventory, null, 2)}\n`);
    io.stderr.write(`${terminalSafe(collectSummaryLine(inventory.subscriptions, inventory.sites.length, where))}\n`);
    return exitCodeFor({ findings: [], subscriptions: inventory.subscriptions }, undefined);
  }

  const rules = command.rules ? RULES.filter((rule) => command.rules!.includes(rule.meta.id)) : undefined;
  let result: ScanResult;
  let report: string;
  if (command.store) {
    // The stored run already has its HTML report; the other formats render from the result.
    const log = (message: string) => void (io.stderr.isTTY && io.stderr.write(`${message}\n`));
    const deps = cycleDepsFromEnv(io.env, { config, log });
    const subscriptions = await scopeOf(command, config, settings.AUDIT_SUBSCRIPTIONS, () => deps.clients);
    const stored = await runCycleInProcess(deps, { trigger: "cli", subscriptions });
    result = stored.result;
    report = command.format === "html" ? stored.html : renderReport(result, command.format, undefined, renderOptions(command.output, io));
    if (stored.delivery.state === "dead-lettered") {
      io.stderr.write(`vnet-audit: the alert digest was dead-lettered after ${stored.delivery.attempts ?? 0} attempt(s): ${terminalSafe(stored.delivery.reason ?? "")}\n`);
    }
  } else {
    // The HTML report also shows healthy resources: keep each subscription's insights (small), not its inventory.
    let insights: ReportInsights | undefined;
    const onInsights = command.format === "html" ? (part: ReportInsights) => void (insights = insights ? mergeInsights(insights, part) : part) : undefined;
    if (command.from) {
      result = auditFromFile(await loadInventory(command.from), config, rules, onInsights);
    } else {
      const subscriptions = await scopeOf(command, config, settings.AUDIT_SUBSCRIPTIONS, azure);
      result = await auditTenant({ clients: azure(), subscriptions, config, onProgress, onInsights, ...(rules ? { rules } : {}) });
    }
    if (baseline) result = withBaseline(result, baseline);
    report = renderReport(result, command.format, insights, renderOptions(command.output, io), { settings: config.ruleSettings });
  }
  await emit(io, command.output, report);
  io.stderr.write(`${terminalSafe(scanSummaryLine(result, where))}\n`);
  return exitCodeFor(result, command.failOn ?? config.failOn);
}

/**
 * The subscriptions to audit: flags win over the config file, which wins over
 * AUDIT_SUBSCRIPTIONS; `--management-group` narrows to its descendants (empty means all visible).
 */
async function scopeOf(command: ScopeOptions, config: AuditConfig, fromEnvironment: string[], azure: () => AzureClients): Promise<string[]> {
  const allowList = command.subscriptions.length > 0 ? command.subscriptions : config.subscriptions && config.subscriptions.length > 0 ? config.subscriptions : fromEnvironment;
  if (!command.managementGroup) return allowList;
  const under = await managementGroupSubscriptions(azure(), command.managementGroup);
  const allowed = new Set(allowList.map((id) => id.toLowerCase()));
  const scope = allowList.length > 0 ? under.filter((id) => allowed.has(id.toLowerCase())) : under;
  if (scope.length === 0) {
    throw new UsageError(
      under.length === 0
        ? `--management-group ${command.managementGroup} has no subscription under it that this identity can see`
        : `--management-group ${command.managementGroup}: none of its ${under.length} subscription(s) is in the allow-list (${allowList.length} subscription(s) from --subscription, the config file or AUDIT_SUBSCRIPTIONS)`,
    );
  }
  return scope;
}

/** The terminal table fits the terminal: its width when stdout is one (or COLUMNS), else no limit. */
function renderOptions(output: Destination, io: CliIo): { width?: number } {
  if (output.kind === "file") return {};
  const columns = io.stdout.isTTY ? io.stdout.columns : Number(io.env.COLUMNS);
  return columns && Number.isFinite(columns) && columns > 0 ? { width: columns } : {};
}

async function emit(io: CliIo, output: Destination, text: string): Promise<void> {
  if (output.kind === "file") await writeFile(output.path, text);
  else io.stdout.write(text);
}

/** `scan --from`: re-audits the saved inventory (and gives its insights to the HTML report). */
function auditFromFile(inventory: Inventory, config: AuditConfig, rules: readonly Rule[] | undefined, onInsights?: (insights: ReportInsights) => void) {
  const now = new Date();
  onInsights?.(collectInsights(inventory, now));
  return auditInventory(inventory, config, now, undefined, rules);
}

/** The result with `change` on every finding and what resolved since the baseline (lifecycle/change.ts). */
function withBaseline(result: ScanResult, baseline: PreviousResult): ScanResult {
  const diff = diffAgainstBaseline(result, baseline);
  return { ...result, findings: diff.findings, resolved: diff.resolved };
}

async function loadBaseline(path: string): Promise<PreviousResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UsageError(`--baseline ${path}: cannot read a JSON scan result (${firstLine(error)})`);
  }
  const parsed = previousResultSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--baseline ${path}: ${issue.path.join(".") || "(root)"} is not valid: ${issue.message} (expected a vnet-audit --format json result)`);
  }
  return parsed.data;
}

async function assertWritable(path: string): Promise<void> {
  try {
    await access(dirname(resolve(path)), constants.W_OK);
  } catch (error) {
    throw new UsageError(`--output ${path}: cannot write there (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

async function loadInventory(path: string): Promise<Inventory> {
  let raw: unknown;
  try {
    raw = parseJsonText(await readFile(path, "utf8"));
  } catch (error) {
    throw new UsageError(`--from ${path}: cannot read a JSON inventory (${firstLine(error)})`);
  }
  const tooDeep = deeperThan(raw, MAX_JSON_DEPTH);
  if (tooDeep) throw new UsageError(`--from ${path}: ${tooDeep} is nested deeper than ${MAX_JSON_DEPTH} levels; not an inventory`);
  const parsed = inventorySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--from ${path}: ${issue.path.join(".") || "(root)"} is not valid: ${issue.message}`);
  }
  return parsed.data;
}

function progressPrinter(stderr: NodeJS.WritableStream) {
  return ({ done, total, subscription }: AuditProgress) => {
    stderr.write(`\rsubscriptions ${done}/${total} done (${terminalSafe(subscription.displayName)}: ${subscription.status})\x1b[K${done === total ? "\n" : ""}`);
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "unknown error";
}

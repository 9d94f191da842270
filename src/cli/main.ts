import { constants } from "node:fs";
import { access, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { createAzureClients } from "../azure/clients.js";
import { auditInventory, auditTenant, type AuditProgress } from "../audit.js";
import { mergeInventories } from "../collect/tenant.js";
import { ConfigError, configFromSetting, loadConfigFile, withOwnerTag, type AuditConfig } from "../config/file.js";
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
import { TOOL_VERSION } from "../version.js";
import { parseCommand, USAGE, UsageError } from "./args.js";

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Runs the CLI and returns its exit code; never calls process.exit itself (testable, flushes output). */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.name === "help") {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (command.name === "version") {
      io.stdout.write(`${TOOL_VERSION}\n`);
      return EXIT.ok;
    }
    const settings = readSettings(io.env);
    const config = withOwnerTag(
      command.config ? await loadConfigFile(command.config, RULES.map((rule) => rule.meta.id)) : configFromSetting(settings.AUDIT_CONFIG),
      settings.AUDIT_OWNER_TAG,
    );
    const subscriptions = pickSubscriptions(command.subscriptions, config, settings.AUDIT_SUBSCRIPTIONS);
    const onProgress = io.stderr.isTTY ? progressPrinter(io.stderr) : undefined;
    // Fail before a tenant-wide scan, not after it.
    if (command.output) await assertWritable(command.output);
    const baseline = command.name === "scan" && command.baseline ? await loadBaseline(command.baseline) : undefined;

    if (command.name === "collect") {
      const inventories: Inventory[] = [];
      const clients = createAzureClients({ endpoint: settings.AUDIT_ARM_ENDPOINT });
      const result = await auditTenant({ clients, subscriptions, config, onProgress, onInventory: (inventory) => inventories.push(inventory) });
      const inventory = mergeInventories(inventories, result.startedAt);
      await writeFile(command.output, `${JSON.stringify(inventory, null, 2)}\n`);
      io.stderr.write(`Saved the inventory of ${inventory.subscriptions.length} subscription(s), ${inventory.sites.length} site(s) to ${command.output}\n`);
      return exitCodeFor({ findings: [], subscriptions: inventory.subscriptions }, undefined);
    }

    let result: ScanResult;
    let report: string;
    if (command.store) {
      // The stored run already has its HTML report; the other formats render from the result.
      const log = (message: string) => void (io.stderr.isTTY && io.stderr.write(`${message}\n`));
      const stored = await runCycleInProcess(cycleDepsFromEnv(io.env, { config, log }), { trigger: "cli", subscriptions });
      result = stored.result;
      report = command.format === "html" ? stored.html : renderReport(result, command.format);
    } else {
      // The HTML report also shows healthy resources: keep each subscription's insights (small), not its inventory.
      let insights: ReportInsights | undefined;
      const onInsights = command.format === "html" ? (part: ReportInsights) => void (insights = insights ? mergeInsights(insights, part) : part) : undefined;
      result = command.from
        ? auditFromFile(await loadInventory(command.from), config, onInsights)
        : await auditTenant({ clients: createAzureClients({ endpoint: settings.AUDIT_ARM_ENDPOINT }), subscriptions, config, onProgress, onInsights });
      if (baseline) result = withBaseline(result, baseline);
      report = renderReport(result, command.format, insights);
    }
    if (command.output) await writeFile(command.output, report);
    else io.stdout.write(report);
    return exitCodeFor(result, command.failOn ?? config.failOn);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof SettingsError || error instanceof StorageNotConfiguredError) {
      io.stderr.write(`vnet-audit: ${error.message}\n`);
      return EXIT.usage;
    }
    // Anything else (no credential, Resource Manager unreachable) means no scan happened.
    io.stderr.write(`vnet-audit: the scan could not run: ${firstLine(error)}\n`);
    return EXIT.incomplete;
  }
}

/** Flags win over the config file, which wins over AUDIT_SUBSCRIPTIONS. */
function pickSubscriptions(flags: string[], config: AuditConfig, fromEnvironment: string[]): string[] {
  if (flags.length > 0) return flags;
  if (config.subscriptions && config.subscriptions.length > 0) return config.subscriptions;
  return fromEnvironment;
}

/** `scan --from`: re-audits the saved inventory (and gives its insights to the HTML report). */
function auditFromFile(inventory: Inventory, config: AuditConfig, onInsights?: (insights: ReportInsights) => void) {
  const now = new Date();
  onInsights?.(collectInsights(inventory, now));
  return auditInventory(inventory, config, now);
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
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UsageError(`--from ${path}: cannot read a JSON inventory (${firstLine(error)})`);
  }
  const parsed = inventorySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--from ${path}: ${issue.path.join(".") || "(root)"} is not valid: ${issue.message}`);
  }
  return parsed.data;
}

function progressPrinter(stderr: NodeJS.WritableStream) {
  return ({ done, total, subscription }: AuditProgress) => {
    stderr.write(`\rsubscriptions ${done}/${total} done (${subscription.displayName}: ${subscription.status})\x1b[K${done === total ? "\n" : ""}`);
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "unknown error";
}

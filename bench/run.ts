/**
 * `npm run bench`: vnet-audit's tenant-scale benchmark.
 *
 * For each size it generates a synthetic tenant (bench/generate.ts), serves it from the ARM
 * emulator in this process with a per-request latency and Resource Manager's per-subscription
 * read bucket, and runs two scans against it, each in a child process of its own:
 * - `vnet-audit`: the product's scan (`auditTenant` with `createAzureClients`, as
 *   `vnet-audit scan` runs it: real DefaultAzureCredential through the App Service managed
 *   identity endpoint, real SDK clients and pipeline, default concurrency);
 * - `naive`: bench/naive.ts, per-site reads of everything, as a script over `az webapp` does.
 *
 * A fresh emulator serves each scan (so both start with full buckets), counts its requests
 * and 429s; the child reports its wall time, peak RSS (`process.resourceUsage().maxRSS`, so
 * the emulator's memory is not counted) and findings. The findings of both, and their owners,
 * are compared.
 * Prints one JSON line and a readable table, then PASS/FAIL per target. Exits 0 unless the
 * run itself failed (targets on timing would make CI flaky).
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { ARM_READ_THROTTLE, startArmEmulator, type EmulatedTenant, type RecordedRequest } from "../emulator/index.js";
import { generateTenant, type TenantStats } from "./generate.js";
import { countByOperation } from "./operations.js";

const USAGE = `Usage: npm run bench -- [options]

Generates a synthetic tenant per size, serves it from the ARM emulator (HTTPS, managed
identity, per-subscription read bucket of ${ARM_READ_THROTTLE.capacity} requests refilled ${ARM_READ_THROTTLE.refillPerSecond}/s, 429 + Retry-After),
runs the real scan and the naive per-site strategy against it in child processes, and
prints wall time, ARM requests, requests per site, 429s, failed requests, peak RSS and
findings for both, their ratio, the growth between sizes and PASS/FAIL per target.

Options:
  --sizes N,N,...                sites (apps; slots come on top) per run   default 2000,10000
  --subscriptions-per-1000 N     spoke subscriptions per 1,000 sites        default 20
  --latency MS                   added to every ARM response                default 60
  --seed N                       tenant generator seed                      default 1
  --no-naive                     skip the naive strategy (no comparison)
  --output FILE                  also write the JSON result to FILE
  --help                         this text

Targets (checked at the largest size): at most 0.35 requests per site and at least 9x
fewer than naive; no 429 and no failed request; the naive strategy's findings (and owners) all found;
wall time at most 20 s, growing no faster than the number of sites; peak RSS at most 300 MB.`;

interface BenchOptions {
  sizes: number[];
  subscriptionsPer1000: number;
  latencyMs: number;
  seed: number;
  naive: boolean;
  output?: string;
}

/** What a child scan reports on its stdout (one JSON line). */
interface ChildReport {
  wallMs: number;
  maxRssBytes: number;
  exitCode: number;
  findings: string[];
  subscriptionStatus: Record<string, number>;
  errors: { operation: string; statusCode?: number; code?: string }[];
}

interface StrategyResult {
  wallMs: number;
  processMs: number;
  requests: number;
  requestsPerSite: number;
  throttled: number;
  failed: number;
  nonSuccessByStatus: Record<string, number>;
  peakRssMb: number;
  findings: number;
  subscriptionStatus: Record<string, number>;
  /** Lowest read-bucket level any subscription reached, replaying request arrivals (negative: it ran dry). */
  lowestBucket: number;
  byOperation: Record<string, number>;
}

interface SizeResult {
  sites: number;
  slots: number;
  subscriptions: number;
  tenant: TenantStats;
  real: StrategyResult;
  naive?: StrategyResult;
  requestRatio?: number;
  findings?: { same: boolean; missedByRealScan: number; onlyInRealScan: number; examples: string[] };
}

const TARGETS = { requestsPerSite: 0.35, naiveRatio: 9, wallMs: 20_000, peakRssMb: 300 };
const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------
// Entry

if (process.argv[2] === "--child") {
  runChild(process.argv[3] ?? "").then(
    (report) => {
      process.stdout.write(`${JSON.stringify(report)}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`bench child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
} else {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

async function main(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (argv.includes("--help")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const results: SizeResult[] = [];
  for (const sites of options.sizes) {
    const subscriptions = Math.max(1, Math.round((sites / 1000) * options.subscriptionsPer1000));
    progress(`generating ${sites.toLocaleString("en-US")} sites in ${subscriptions} subscriptions (seed ${options.seed})`);
    const { tenant, stats } = await generateTenant({ sites, subscriptions, seed: options.seed });
    const real = await measure("vnet-audit", tenant, stats, options);
    const result: SizeResult = { sites: stats.sites, slots: stats.slots, subscriptions: stats.subscriptions, tenant: stats, real: real.result };
    if (options.naive) {
      const naive = await measure("naive", tenant, stats, options);
      result.naive = naive.result;
      result.requestRatio = round(naive.result.requests / real.result.requests, 1);
      result.findings = compareFindings(real.findings, naive.findings);
    }
    results.push(result);
  }

  const summary = summarize(options, results);
  const json = JSON.stringify(summary);
  process.stdout.write(`${json}\n\n${renderTable(summary)}\n`);
  if (options.output) await writeFile(options.output, `${json}\n`);
  return 0;
}

function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = { sizes: [2000, 10_000], subscriptionsPer1000: 20, latencyMs: 60, seed: 1, naive: true };
  const positive = (flag: string, value: string | undefined, allowZero = false): number => {
    const number = Number(value);
    if (value === undefined || !Number.isInteger(number) || number < (allowZero ? 0 : 1)) throw new Error(`${flag} "${value ?? ""}" is not valid: expected a ${allowZero ? "non-negative" : "positive"} integer`);
    return number;
  };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index]!;
    const value = argv[index + 1];
    switch (flag) {
      case "--sizes":
        options.sizes = (value ?? "").split(",").map((size) => positive("--sizes", size.trim()));
        index++;
        break;
      case "--subscriptions-per-1000":
        options.subscriptionsPer1000 = positive(flag, value);
        index++;
        break;
      case "--latency":
        options.latencyMs = positive(flag, value, true);
        index++;
        break;
      case "--seed":
        options.seed = positive(flag, value, true);
        index++;
        break;
      case "--no-naive":
        options.naive = false;
        break;
      case "--output":
        if (!value) throw new Error("--output needs a file name");
        options.output = value;
        index++;
        break;
      case "--help":
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  options.sizes.sort((a, b) => a - b);
  return options;
}

// ---------------------------------------------------------------------------------------------
// One measured scan: a fresh emulator (full buckets, zero counters), the scan in a child process

async function measure(strategy: "vnet-audit" | "naive", tenant: EmulatedTenant, stats: TenantStats, options: BenchOptions) {
  const emulator = await startArmEmulator({ tenant, latencyMs: options.latencyMs, throttle: ARM_READ_THROTTLE });
  try {
    progress(`${strategy}: scanning ${stats.sites.toLocaleString("en-US")} sites`);
    const started = performance.now();
    const report = await runChildProcess(strategy === "vnet-audit" ? "real" : "naive", emulator.env());
    const processMs = performance.now() - started;
    const requests = emulator.requests;
    const nonSuccessByStatus: Record<string, number> = {};
    for (const request of requests) {
      if (request.status < 200 || request.status > 299) nonSuccessByStatus[request.status] = (nonSuccessByStatus[request.status] ?? 0) + 1;
    }
    const result: StrategyResult = {
      wallMs: Math.round(report.wallMs),
      processMs: Math.round(processMs),
      requests: requests.length,
      requestsPerSite: round(requests.length / stats.sites, 3),
      throttled: emulator.throttledCount,
      failed: report.errors.length,
      nonSuccessByStatus,
      peakRssMb: round(report.maxRssBytes / 1024 / 1024, 0),
      findings: report.findings.length,
      subscriptionStatus: report.subscriptionStatus,
      lowestBucket: lowestBucketLevel(requests),
      byOperation: countByOperation(requests),
    };
    progress(`${strategy}: ${(result.wallMs / 1000).toFixed(1)} s, ${result.requests} requests, ${result.throttled} 429s, ${result.findings} findings`);
    return { result, findings: report.findings };
  } finally {
    await emulator.close();
  }
}

function runChildProcess(strategy: "real" | "naive", env: Record<string, string | undefined>): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SELF, "--child", strategy], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 15 * 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) {
        reject(new Error(`the ${strategy} scan failed (exit ${code}): ${stderr.trim() || stdout.trim().slice(0, 500)}`));
        return;
      }
      resolve(JSON.parse(line) as ChildReport);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The child: one scan, measured from inside

async function runChild(strategy: string): Promise<ChildReport> {
  // Owners too: the real scan reads resource-group tags only where they can name one.
  const key = (finding: { ruleId: string; resourceId: string; severity: string; owner: string | null }) =>
    `${finding.ruleId} ${finding.resourceId.toLowerCase()} ${finding.severity} ${finding.owner ?? "unowned"}`;
  if (strategy === "real") {
    // The product's own path: auditTenant with createAzureClients and DefaultAzureCredential
    // (the App Service managed identity the emulator serves), default concurrency.
    const { auditTenant } = await import("../src/audit.js");
    const { createAzureClients } = await import("../src/azure/clients.js");
    const { defaultConfig } = await import("../src/config/file.js");
    const { exitCodeFor } = await import("../src/engine/result.js");
    const started = performance.now();
    const result = await auditTenant({ clients: createAzureClients({ endpoint: process.env.AUDIT_ARM_ENDPOINT }), subscriptions: [], config: defaultConfig() });
    const wallMs = performance.now() - started;
    return {
      wallMs,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      exitCode: exitCodeFor(result, undefined),
      findings: result.findings.map(key),
      subscriptionStatus: countValues(result.subscriptions.map((subscription) => subscription.status)),
      errors: result.subscriptions.flatMap((subscription) => subscription.errors.map(({ operation, statusCode, code }) => ({ operation, statusCode, code }))),
    };
  }
  if (strategy === "naive") {
    const { DefaultAzureCredential } = await import("@azure/identity");
    const { naiveAudit } = await import("./naive.js");
    const { DEFAULT_TENANT_COLLECT_OPTIONS } = await import("../src/collect/tenant.js");
    const started = performance.now();
    const result = await naiveAudit({
      endpoint: process.env.AUDIT_ARM_ENDPOINT!,
      credential: new DefaultAzureCredential(),
      subscriptionConcurrency: DEFAULT_TENANT_COLLECT_OPTIONS.subscriptionConcurrency,
      readConcurrency: DEFAULT_TENANT_COLLECT_OPTIONS.readConcurrency,
    });
    const wallMs = performance.now() - started;
    return {
      wallMs,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      exitCode: 0,
      findings: result.findings.map(key),
      subscriptionStatus: countValues(result.subscriptions.map((subscription) => subscription.status)),
      errors: result.subscriptions.flatMap((subscription) => subscription.errors.map(({ operation, statusCode, code }) => ({ operation, statusCode, code }))),
    };
  }
  throw new Error(`unknown child strategy "${strategy}"`);
}

// ---------------------------------------------------------------------------------------------
// Analysis

function compareFindings(real: string[], naive: string[]): NonNullable<SizeResult["findings"]> {
  const realSet = new Set(real);
  const naiveSet = new Set(naive);
  const missed = naive.filter((finding) => !realSet.has(finding));
  const extra = real.filter((finding) => !naiveSet.has(finding));
  return {
    same: missed.length === 0 && extra.length === 0,
    missedByRealScan: missed.length,
    onlyInRealScan: extra.length,
    examples: [...missed.slice(0, 5).map((finding) => `missed: ${finding}`), ...extra.slice(0, 5).map((finding) => `extra: ${finding}`)],
  };
}

/** Replays each subscription's GETs against a fresh 250-token, 25/s bucket and returns the lowest level seen. */
function lowestBucketLevel(requests: readonly RecordedRequest[]): number {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lowest: number = ARM_READ_THROTTLE.capacity;
  for (const request of requests) {
    if (!request.subscriptionId || request.method !== "GET") continue;
    const bucket = buckets.get(request.subscriptionId) ?? { tokens: ARM_READ_THROTTLE.capacity, at: request.at };
    bucket.tokens = Math.min(ARM_READ_THROTTLE.capacity, bucket.tokens + ((request.at - bucket.at) / 1000) * ARM_READ_THROTTLE.refillPerSecond) - 1;
    bucket.at = request.at;
    buckets.set(request.subscriptionId, bucket);
    lowest = Math.min(lowest, bucket.tokens);
  }
  return Math.floor(lowest);
}

interface Target {
  name: string;
  value: string;
  limit: string;
  pass: boolean;
}

function summarize(options: BenchOptions, results: SizeResult[]) {
  const largest = results[results.length - 1]!;
  const smallest = results[0]!;
  const growth =
    results.length > 1
      ? {
          from: smallest.sites,
          to: largest.sites,
          sitesRatio: round(largest.sites / smallest.sites, 2),
          wallRatio: round(largest.real.wallMs / smallest.real.wallMs, 2),
          peakRssRatio: round(largest.real.peakRssMb / smallest.real.peakRssMb, 2),
          requestsPerSiteFrom: smallest.real.requestsPerSite,
          requestsPerSiteTo: largest.real.requestsPerSite,
        }
      : undefined;

  const at = `at ${largest.sites.toLocaleString("en-US")} sites`;
  const targets: Target[] = [
    { name: `ARM requests per site ${at}`, value: String(largest.real.requestsPerSite), limit: `<= ${TARGETS.requestsPerSite}`, pass: largest.real.requestsPerSite <= TARGETS.requestsPerSite },
  ];
  if (largest.requestRatio !== undefined) {
    targets.push({ name: `fewer requests than naive ${at}`, value: `${largest.requestRatio}x`, limit: `>= ${TARGETS.naiveRatio}x`, pass: largest.requestRatio >= TARGETS.naiveRatio });
  }
  targets.push({
    name: "no 429 and no failed request (every size)",
    value: results.map((result) => `${result.real.throttled} 429s/${result.real.failed} failed`).join(", "),
    limit: "0/0",
    pass: results.every((result) => result.real.throttled === 0 && result.real.failed === 0),
  });
  if (results.every((result) => result.findings)) {
    targets.push({
      name: "same findings and owners as naive (every size)",
      value: results.map((result) => (result.findings!.same ? `${result.real.findings} same` : `${result.findings!.missedByRealScan} missed, ${result.findings!.onlyInRealScan} extra`)).join(", "),
      limit: "identical",
      pass: results.every((result) => result.findings!.same && result.real.findings > 0),
    });
  }
  targets.push({ name: `wall time ${at}`, value: `${(largest.real.wallMs / 1000).toFixed(1)} s`, limit: `<= ${TARGETS.wallMs / 1000} s`, pass: largest.real.wallMs <= TARGETS.wallMs });
  if (growth) {
    targets.push({
      name: `wall time growth ${smallest.sites.toLocaleString("en-US")} -> ${largest.sites.toLocaleString("en-US")} sites`,
      value: `x${growth.wallRatio}`,
      limit: `<= x${growth.sitesRatio} (linear)`,
      pass: growth.wallRatio <= growth.sitesRatio,
    });
  }
  targets.push({ name: `peak RSS of the scan ${at}`, value: `${largest.real.peakRssMb} MB`, limit: `<= ${TARGETS.peakRssMb} MB`, pass: largest.real.peakRssMb <= TARGETS.peakRssMb });

  return {
    bench: "vnet-audit",
    node: process.version,
    cpus: os.cpus().length,
    latencyMs: options.latencyMs,
    throttle: ARM_READ_THROTTLE,
    seed: options.seed,
    subscriptionsPer1000: options.subscriptionsPer1000,
    sizes: results,
    growth,
    targets,
    pass: targets.every((target) => target.pass),
  };
}

// ---------------------------------------------------------------------------------------------
// Output

function renderTable(summary: ReturnType<typeof summarize>): string {
  const lines: string[] = [];
  lines.push(
    `vnet-audit bench: seed ${summary.seed}, ${summary.latencyMs} ms latency, read bucket ${summary.throttle.capacity} (+${summary.throttle.refillPerSecond}/s) per subscription, ${summary.cpus} CPUs, Node ${summary.node}`,
    "",
  );
  const header = ["sites", "slots", "subs", "strategy", "wall", "requests", "req/site", "429s", "failed", "peak RSS", "findings"];
  const rows: string[][] = [];
  for (const size of summary.sizes) {
    const row = (label: string, result: StrategyResult) => [
      n(size.sites),
      n(size.slots),
      n(size.subscriptions),
      label,
      `${(result.wallMs / 1000).toFixed(1)} s`,
      n(result.requests),
      result.requestsPerSite.toFixed(3),
      n(result.throttled),
      n(result.failed),
      `${result.peakRssMb} MB`,
      n(result.findings),
    ];
    rows.push(row("vnet-audit", size.real));
    if (size.naive) {
      rows.push(row("naive", size.naive));
      rows.push([
        "",
        "",
        "",
        "naive / vnet-audit",
        `x${round(size.naive.wallMs / size.real.wallMs, 1)}`,
        `x${size.requestRatio}`,
        "",
        "",
        "",
        `x${round(size.naive.peakRssMb / size.real.peakRssMb, 1)}`,
        size.findings?.same ? "same" : `${size.findings?.missedByRealScan} missed`,
      ]);
    }
  }
  lines.push(...table(header, rows, [0, 1, 2, 4, 5, 6, 7, 8, 9, 10]), "");

  for (const size of summary.sizes) {
    lines.push(`requests by operation at ${n(size.sites)} sites (vnet-audit${size.naive ? " | naive" : ""}):`);
    const operations = new Set([...Object.keys(size.real.byOperation), ...Object.keys(size.naive?.byOperation ?? {})]);
    const opRows = [...operations].map((operation) => [operation, n(size.real.byOperation[operation] ?? 0), ...(size.naive ? [n(size.naive.byOperation[operation] ?? 0)] : [])]);
    lines.push(...table(["operation", "vnet-audit", ...(size.naive ? ["naive"] : [])], opRows, [1, 2]).map((line) => `  ${line}`));
    lines.push(`  lowest read-bucket level of any subscription: vnet-audit ${size.real.lowestBucket}${size.naive ? `, naive ${size.naive.lowestBucket}` : ""}`);
    lines.push(`  spoke subscriptions without owner tags on their resources (owners from resource groups): ${n(size.tenant.subscriptionsWithoutOwnerTags)} of ${n(size.subscriptions - 1)}`, "");
  }

  if (summary.growth) {
    const g = summary.growth;
    lines.push(
      `growth ${n(g.from)} -> ${n(g.to)} sites (x${g.sitesRatio}): wall time x${g.wallRatio}, peak RSS x${g.peakRssRatio}, requests per site ${g.requestsPerSiteFrom} -> ${g.requestsPerSiteTo}`,
      "",
    );
  }
  lines.push("targets:");
  for (const target of summary.targets) lines.push(`  ${target.pass ? "PASS" : "FAIL"}  ${target.name}: ${target.value} (target ${target.limit})`);
  return lines.join("\n");
}

function table(header: string[], rows: string[][], rightAligned: number[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => (rightAligned.includes(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd();
  return [format(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(format)];
}

function n(value: number): string {
  return value.toLocaleString("en-US");
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function countValues(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * The real CLI (child process, real DefaultAzureCredential through the App Service managed
 * identity endpoint, real SDK clients) against the ARM emulator serving the sample tenant,
 * with the failures Azure sends in real life injected on top.
 */
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startArmEmulator, type ArmEmulator } from "../../emulator/index.js";
import { REPO_ROOT, runCliProcess, type CliRun } from "../support/cli.js";
import { buildSampleTenant, SUBSCRIPTIONS, type SampleTenant } from "../../emulator/sample/sample-tenant.js";
import type { ScanResult } from "../../src/engine/result.js";
import { RULES } from "../../src/rules/index.js";
import { inventorySchema } from "../../src/model/inventory-schema.js";

let emulator: ArmEmulator;
let sample: SampleTenant;
let scan: CliRun;
let result: ScanResult;
let workDir: string;

const key = (finding: { ruleId: string; resourceId: string; severity: string }) => `${finding.ruleId} ${finding.resourceId.toLowerCase()} ${finding.severity}`;
const sitePath = (siteId: string) => new URL(`https://x${siteId}`).pathname.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

beforeAll(async () => {
  sample = await buildSampleTenant();
  workDir = await mkdtemp(join(tmpdir(), "vnet-audit-it-"));
  emulator = await startArmEmulator({ tenant: sample.tenant, pageSize: 4 });
  for (const fault of sample.faults) emulator.injectFault(fault);
  // Throttling: one list answers 429 with Retry-After (the SDK waits it out), another without
  // it (vnet-audit's own backoff handles that).
  emulator.injectFault({ method: "GET", path: new RegExp(`^/subscriptions/${SUBSCRIPTIONS.prod}/providers/Microsoft\\.Web/sites$`, "i"), status: 429, retryAfterSeconds: 1, times: 1 });
  emulator.injectFault({ method: "GET", path: new RegExp(`^/subscriptions/${SUBSCRIPTIONS.data}/providers/Microsoft\\.Web/serverfarms$`, "i"), status: 429, times: 1 });
  // A transient 500 the SDK retries.
  emulator.injectFault({ method: "GET", path: new RegExp(`^/subscriptions/${SUBSCRIPTIONS.hub}/providers/Microsoft\\.Network/virtualNetworks$`, "i"), status: 500, times: 1 });
  // Reader can't list app settings on this site; its config call finds nothing on that one.
  emulator.injectFault({ method: "POST", path: new RegExp(`^${sitePath(sample.ids.dnsFindingSite!)}/config/appsettings/list$`, "i"), status: 403 });
  emulator.injectFault({ method: "GET", path: new RegExp(`^${sitePath(sample.ids.configNotFoundSite!)}/config/web$`, "i"), status: 404 });

  scan = await runCliProcess(["scan", "--format", "json"], emulator.env());
  result = JSON.parse(scan.stdout) as ScanResult;
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

describe("vnet-audit scan against the emulated tenant", () => {
  it("exits 3 because one subscription could not be read", () => {
    expect(scan.stderr).toMatch(/^vnet-audit: 5 subscriptions: 3 complete, 1 failed \(no Reader on Contoso Sandbox .*; report: stdout\n$/);
    expect(scan.code).toBe(3);
  });

  it("reports each subscription's status: the denied one failed, the disabled one skipped, the rest complete", () => {
    const statuses = Object.fromEntries(result.subscriptions.map((subscription) => [subscription.subscriptionId, subscription.status]));
    expect(statuses).toEqual({
      [SUBSCRIPTIONS.hub]: "complete",
      [SUBSCRIPTIONS.prod]: "complete",
      [SUBSCRIPTIONS.data]: "complete",
      [SUBSCRIPTIONS.sandbox]: "failed",
      [SUBSCRIPTIONS.retired]: "skipped",
    });
    const sandbox = result.subscriptions.find((subscription) => subscription.subscriptionId === SUBSCRIPTIONS.sandbox)!;
    expect(sandbox.errors.length).toBeGreaterThan(0);
    expect(sandbox.errors.every((error) => error.statusCode === 403 && error.code === "AuthorizationFailed")).toBe(true);
  });

  it("finds every expected finding and nothing on the healthy resources", () => {
    expect(result.findings.map(key).sort()).toEqual(sample.expected.map(key).sort());
  });

  it("records the app-settings 403 as a coverage gap on the finding, not an error", () => {
    const dns = result.findings.find((finding) => finding.ruleId === "linux-private-dns-without-route-all" && finding.resourceId === sample.ids.dnsFindingSite);
    expect(dns?.evidence).toMatchObject({ appSettingsReadable: false });
  });

  it("a DNS finding names the hub holding the private zones in dependsOn", () => {
    const dns = result.findings.find((finding) => finding.ruleId === "linux-private-dns-without-route-all" && finding.resourceId === sample.ids.dnsFindingSite);
    expect(dns?.dependsOn).toEqual([SUBSCRIPTIONS.hub.toLowerCase()]);
  });

  it("notes the malformed certificate blob on the legacy finding and raises no certificate finding for it", () => {
    const legacy = result.findings.find((finding) => finding.ruleId === "gateway-integration-legacy" && finding.resourceId === sample.ids.malformedCertificateSite);
    expect(JSON.stringify(legacy?.evidence)).toMatch(/not a readable X\.509 certificate/);
    expect(result.findings.some((finding) => finding.ruleId === "gateway-certificate-expiring" && finding.resourceId === sample.ids.malformedCertificateSite)).toBe(false);
  });

  it("has the scan result shape of docs/ARCHITECTURE.md", () => {
    expect(Object.keys(result).sort()).toEqual(["findings", "finishedAt", "scanId", "schemaVersion", "startedAt", "subscriptions", "summary", "tool"].sort());
    expect(result.tool).toEqual({ name: "vnet-audit", version: expect.any(String) });
    for (const finding of result.findings) {
      // `dependsOn` only where other subscriptions decided the finding: lower-cased, sorted, unique, never empty.
      const { dependsOn, ...rest } = finding;
      if (dependsOn !== undefined) {
        expect(dependsOn.length).toBeGreaterThan(0);
        expect(dependsOn).toEqual([...new Set(dependsOn.map((id) => id.toLowerCase()))].sort());
      }
      expect(Object.keys(rest).sort()).toEqual(
        ["evidence", "fix", "id", "message", "owner", "references", "remediation", "resourceId", "ruleId", "severity", "subscriptionId", "suppressed", "title"].sort(),
      );
      expect(finding.evidence).not.toHaveProperty("dependsOnSubscriptions");
      // RULES.md "Fix plans" shape; remediation stays a string.
      expect(typeof finding.remediation).toBe("string");
      if (finding.fix !== null) {
        expect(Object.keys(finding.fix).sort()).toEqual(["blockers", "proposedSubnet", "steps", "summary"]);
        for (const step of finding.fix.steps) expect(Object.keys(step).sort()).toEqual(["command", "description"]);
        for (const blocker of finding.fix.blockers) expect(Object.keys(blocker).sort()).toEqual(["code", "message"]);
        if (finding.fix.proposedSubnet) expect(Object.keys(finding.fix.proposedSubnet).sort()).toEqual(["addressPrefix", "exists", "name", "virtualNetworkId"]);
      }
    }
    // The sample tenant's owner tags: a site's own tag, a plan's, a resource group's (a subnet through its VNet's group).
    const ownerOf = (resourceId: string) => result.findings.find((finding) => finding.resourceId.toLowerCase() === resourceId.toLowerCase())?.owner;
    expect(ownerOf(sample.ids.ownedSite!)).toBe("inventory-team@contoso.com");
    expect(ownerOf(`${sample.ids.ownedSite}/slots/staging`)).toBe("linux-apps@contoso.com");
    expect(ownerOf(`${sample.ids.spokeVnet}/subnets/snet-api`)).toBe("netops@contoso.com");
    // What each rule checked: every rule, each failed verdict a finding (hub subnets judged from several spokes count once).
    expect(Object.keys(result.summary.checks ?? {})).toEqual(RULES.map((rule) => rule.meta.id).sort());
    for (const [ruleId, checks] of Object.entries(result.summary.checks ?? {})) {
      expect(checks.failed, ruleId).toBe(result.findings.filter((finding) => finding.ruleId === ruleId).length);
      expect(checks.checked, ruleId).toBeGreaterThanOrEqual(checks.failed + checks.unknown);
    }
    expect(result.summary.bySeverity).toEqual({
      critical: sample.expected.filter((f) => f.severity === "critical").length,
      high: sample.expected.filter((f) => f.severity === "high").length,
      medium: sample.expected.filter((f) => f.severity === "medium").length,
      low: sample.expected.filter((f) => f.severity === "low").length,
      info: 0,
    });
  });

  it("never prints an app setting value or a token", () => {
    for (const output of [scan.stdout, scan.stderr]) {
      expect(output).not.toContain("sample-secret-value");
      expect(output).not.toMatch(/Bearer\s+[A-Za-z0-9]/);
    }
  });

  it("asked the identity endpoint for a token scoped to the configured endpoint", () => {
    expect(emulator.tokenRequests.length).toBeGreaterThan(0);
    expect(emulator.tokenRequests.every((request) => request.resource === emulator.url)).toBe(true);
  });

  it("reads per site only what a rule needs", async () => {
    const bySite = emulator.countBySite();
    // Kept with the test output: the request profile of a full scan of the sample tenant.
    await mkdir(join(REPO_ROOT, "test-output"), { recursive: true });
    await writeFile(
      join(REPO_ROOT, "test-output", "integration-arm-requests.json"),
      JSON.stringify({ total: emulator.total(), all: emulator.total({ all: true }), bySubscription: emulator.countBySubscription({ all: true }), bySite }, null, 2),
    );
    const healthy = sample.tenant.resources.find((resource) => resource.name === "app-storefront")!;
    // Regional integration with Route All in the site payload: no per-site call at all.
    expect(bySite[healthy.id.toLowerCase()] ?? 0).toBe(0);
    // A Linux app whose payload lacks outboundVnetRouting: config, then app settings.
    const search = sample.tenant.resources.find((resource) => resource.name === "app-search-api")!;
    expect(bySite[search.id.toLowerCase()]).toBe(1);
  });
});

describe("vnet-audit collect and scan --from", () => {
  it("re-audits a saved inventory offline to the same findings", async () => {
    const inventoryPath = join(workDir, "inventory.json");
    const collect = await runCliProcess(["collect", "--output", inventoryPath], emulator.env());
    expect(collect.code).toBe(3);
    const inventory = JSON.parse(await readFile(inventoryPath, "utf8")) as { sites: unknown[] };
    expect(inventory.sites.length).toBeGreaterThan(40);
    // What collection wrote, the schema reads back unchanged: a field the schema doesn't declare would be stripped here.
    expect(inventorySchema.parse(inventory)).toStrictEqual(inventory);
    expect(await readFile(inventoryPath, "utf8")).not.toContain("sample-secret-value");

    // No emulator, no credential: the offline path must not touch Azure.
    const offline = await runCliProcess(["scan", "--from", inventoryPath, "--format", "json"], { AUDIT_ARM_ENDPOINT: "https://127.0.0.1:9" });
    expect(offline.code).toBe(3);
    expect((JSON.parse(offline.stdout) as ScanResult).findings.map(key).sort()).toEqual(sample.expected.map(key).sort());
  });

  it("exits 2 before scanning when --output can't be written", async () => {
    const before = emulator.total({ all: true });
    const run = await runCliProcess(["scan", "--output", join(workDir, "no-such-dir", "report.json")], emulator.env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^vnet-audit: --output .*report\.json: cannot write there \(ENOENT\)\n$/);
    expect(emulator.total({ all: true })).toBe(before);
  });

  it("rejects an inventory file that isn't one, naming the field", async () => {
    const path = join(workDir, "broken.json");
    await writeFile(path, JSON.stringify({ schemaVersion: 1, collectedAt: "2026-11-22T00:00:00Z", subscriptions: [], sites: [{ id: 7 }] }));
    const run = await runCliProcess(["scan", "--from", path]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/--from .*broken\.json: sites\.0\.id is not valid/);
  });
});

describe("vnet-audit scan options", () => {
  it("exits 1 when findings reach --fail-on, and writes the report to --output", async () => {
    const output = join(workDir, "report.md");
    const run = await runCliProcess(["scan", "--subscription", SUBSCRIPTIONS.prod, "--format", "markdown", "--output", output, "--fail-on", "critical"], emulator.env());
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const markdown = await readFile(output, "utf8");
    expect(markdown).toContain("# vnet-audit report");
    expect(markdown).toContain("certificate-expiring");
  });

  it("exits 0 for a complete scan with nothing at or above --fail-on, and applies suppressions from --config", async () => {
    const config = join(workDir, "audit.json");
    await writeFile(
      config,
      JSON.stringify({
        suppressions: [
          { ruleId: "*", resourceId: `/subscriptions/${SUBSCRIPTIONS.data}/*`, reason: "data platform reviewed 2026-11" },
          { ruleId: "https-only-disabled", resourceId: "*", reason: "old exception", expiresOn: "2020-01-01" },
        ],
      }),
    );
    const run = await runCliProcess(["scan", "--subscription", SUBSCRIPTIONS.data, "--config", config, "--fail-on", "low", "--format", "json"], emulator.env());
    expect(run.code).toBe(0);
    const scanned = JSON.parse(run.stdout) as ScanResult;
    expect(scanned.findings.length).toBeGreaterThan(0);
    expect(scanned.findings.every((finding) => finding.suppressed?.reason === "data platform reviewed 2026-11")).toBe(true);
    expect(Object.values(scanned.summary.bySeverity).every((count) => count === 0)).toBe(true);
  });

  it("prints table and CSV reports", async () => {
    const table = await runCliProcess(["scan", "--subscription", SUBSCRIPTIONS.prod, "--format", "table"], emulator.env());
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/SEVERITY\s+RULE\s+SUBSCRIPTION\s+RESOURCE\s+OWNER\s+MESSAGE/);
    expect(table.stdout).toContain("netops@contoso.com");
    const csv = await runCliProcess(["scan", "--subscription", SUBSCRIPTIONS.prod, "--format", "csv"], emulator.env());
    expect(csv.stdout.split("\r\n")[0]).toBe("id,ruleId,severity,subscriptionId,resourceId,title,message,remediation,suppressed,suppressionReason,fixSummary,proposedSubnet,fixBlockers,owner,change");
  });

  it("exits 2 with one line for a bad flag or config value", async () => {
    const badFlag = await runCliProcess(["scan", "--format", "pdf"]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toBe('vnet-audit: --format "pdf" is not valid: expected one of json, table, csv, markdown, html\n');
    const config = join(workDir, "bad.json");
    await writeFile(config, JSON.stringify({ failOn: "urgent" }));
    const badConfig = await runCliProcess(["scan", "--config", config], emulator.env());
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr.trim().split("\n")).toHaveLength(1);
    expect(badConfig.stderr).toContain('failOn "urgent" is not valid');
  });
});

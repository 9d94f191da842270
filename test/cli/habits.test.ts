/**
 * The CLI habits of people who live in `az` and in shells (docs/ARCHITECTURE.md, CLI), each through the
 * real CLI in a child process, against the ARM emulator serving the sample tenant placed in a
 * management group hierarchy.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ManagedIdentityCredential } from "@azure/identity";
import { ManagementGroupsAPI } from "@azure/arm-managementgroups";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanResult } from "../../src/engine/result.js";
import { RULES } from "../../src/rules/index.js";
import { buildSampleTenant, SUBSCRIPTIONS, type SampleTenant } from "../../emulator/sample/sample-tenant.js";
import { armClientOptions, startArmEmulator, type ArmEmulator, type EmulatedManagementGroup } from "../../emulator/index.js";
import { runCliProcess } from "../support/cli.js";

/**
 * contoso-root
 * ├── contoso-platform: hub
 * └── contoso-landing-zones
 *     ├── contoso-corp: prod, data
 *     └── contoso-sandboxes
 *         └── contoso-sandboxes-eu: sandbox
 * (the retired subscription is under no group.)
 */
const MANAGEMENT_GROUPS: EmulatedManagementGroup[] = [
  { name: "contoso-root", displayName: "Tenant Root Group", subscriptions: [] },
  { name: "contoso-platform", displayName: "Platform", parent: "contoso-root", subscriptions: [SUBSCRIPTIONS.hub] },
  { name: "contoso-landing-zones", displayName: "Landing zones", parent: "contoso-root", subscriptions: [] },
  { name: "contoso-corp", displayName: "Corp", parent: "contoso-landing-zones", subscriptions: [SUBSCRIPTIONS.prod, SUBSCRIPTIONS.data] },
  { name: "contoso-sandboxes", displayName: "Sandboxes", parent: "contoso-landing-zones", subscriptions: [] },
  { name: "contoso-sandboxes-eu", displayName: "Sandboxes EU", parent: "contoso-sandboxes", subscriptions: [SUBSCRIPTIONS.sandbox] },
];

let emulator: ArmEmulator;
let sample: SampleTenant;
let workDir: string;

beforeAll(async () => {
  sample = await buildSampleTenant();
  // Page size 4: the descendants of contoso-landing-zones (4 groups, 3 subscriptions) take two pages.
  emulator = await startArmEmulator({ tenant: { ...sample.tenant, managementGroups: MANAGEMENT_GROUPS }, pageSize: 4 });
  for (const fault of sample.faults) emulator.injectFault(fault);
  workDir = await mkdtemp(join(tmpdir(), "vnet-audit-habits-"));
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

const scanIds = (run: { stdout: string }) => (JSON.parse(run.stdout) as ScanResult).subscriptions.map((subscription) => subscription.subscriptionId).sort();
const oneLine = (text: string) => text.endsWith("\n") && text.trimEnd().split("\n").length === 1;

describe("help", () => {
  it("prints the usage for bare vnet-audit, help, -h and --help", async () => {
    for (const args of [[], ["help"], ["-h"], ["--help"]]) {
      const run = await runCliProcess(args);
      expect(run.code, args.join(" ")).toBe(0);
      expect(run.stdout).toMatch(/^vnet-audit: audit App Service VNet integration/);
      for (const command of ["scan", "collect", "rules", "help"]) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\s+\\S`, "m"));
      expect(run.stdout).toContain("Examples:");
      expect(run.stderr).toBe("");
    }
  });

  it("gives each command its own page: every flag with what it takes and its default, and examples", async () => {
    for (const args of [["help", "scan"], ["scan", "--help"], ["scan", "-h"], ["scan", "--format", "json", "--help"]]) {
      const run = await runCliProcess(args);
      expect(run.code, args.join(" ")).toBe(0);
      expect(run.stdout).toMatch(/^vnet-audit scan: /);
      for (const flag of ["--subscription ID...", "--management-group ID", "--format FORMAT", "-o, --output FILE", "--config FILE", "--fail-on SEVERITY", "--from INVENTORY.json", "--rule ID...", "--exclude-rule ID...", "--store"]) {
        expect(run.stdout).toContain(flag);
      }
      expect(run.stdout).toContain("One of: json, table, csv, markdown, html (any case).");
      expect(run.stdout).toContain("Default: from --output's extension");
      expect(run.stdout).toMatch(/Examples:\n {2}# .+\n {2}vnet-audit scan\n/);
    }
    const collect = await runCliProcess(["collect", "--help"]);
    expect(collect.stdout).toMatch(/^vnet-audit collect: /);
    expect(collect.stdout).not.toContain("--fail-on");
    const rules = await runCliProcess(["help", "rules"]);
    expect(rules.stdout).toContain("--format FORMAT");
  });
});

describe("vnet-audit rules", () => {
  it("lists the catalog as a table, JSON and Markdown, whatever the case of the format", async () => {
    const table = await runCliProcess(["rules"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^RULE\s+SEVERITY\s+WHAT IT FINDS$/);
    for (const { meta } of RULES) expect(table.stdout).toMatch(new RegExp(`^${meta.id}\\s+${meta.severities.join(", ")}\\s+`, "m"));
    const json = await runCliProcess(["rules", "--format", "JSON"]);
    expect((JSON.parse(json.stdout) as Array<{ id: string }>).map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.meta.id));
    const markdown = await runCliProcess(["rules", "--format", "markdown"]);
    expect(markdown.stdout).toMatch(/^\| Rule \| Severity \|/);
  });
});

describe("usage errors: one line, exit 2, a did-you-mean when one is close", () => {
  it.each([
    [["scna"], 'vnet-audit: unknown command "scna"; did you mean scan? (expected one of scan, collect, rules, help)'],
    [["scan", "--fromat", "json"], "vnet-audit: unknown flag --fromat for scan; did you mean --format? (see vnet-audit scan --help)"],
    [["scan", "--format", "jsno"], 'vnet-audit: --format "jsno" is not valid: expected one of json, table, csv, markdown, html; did you mean json?'],
    [["scan", "--fail-on", "hihg"], 'vnet-audit: --fail-on "hihg" is not valid: expected one of critical, high, medium, low, info; did you mean high?'],
    [["scan", "--rule", "subnet-undersize"], 'vnet-audit: --rule "subnet-undersize" is not a rule; did you mean subnet-undersized? (vnet-audit rules lists them)'],
    [["scan", "--exclude-rule", "https-only"], 'vnet-audit: --exclude-rule "https-only" is not a rule; did you mean https-only-disabled? (vnet-audit rules lists them)'],
    [["scan", "--exclude-rule", "tls-too-old"], 'vnet-audit: --exclude-rule "tls-too-old" is not a rule (vnet-audit rules lists them)'],
  ])("%j", async (args, message) => {
    const before = emulator.total({ all: true });
    const run = await runCliProcess(args, emulator.env());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${message}\n`);
    expect(run.stdout).toBe("");
    expect(emulator.total({ all: true })).toBe(before);
  });
});

describe("-o, --output and --format", () => {
  it("points `-o table` (the az habit) at --format, and writes no file named table", async () => {
    for (const value of ["table", "JSON", "tsv"]) {
      const run = await runCliProcess(["scan", "-o", value], emulator.env(), { cwd: workDir });
      expect(run.code).toBe(2);
      expect(oneLine(run.stderr)).toBe(true);
      expect(run.stderr).toMatch(/takes a file name, and ".+" is a format: use --format/);
      expect(existsSync(join(workDir, value))).toBe(false);
    }
  });

  it("takes the format from the output file's extension", async () => {
    const html = join(workDir, "prod.html");
    const json = join(workDir, "prod.json");
    const markdown = join(workDir, "prod.md");
    for (const path of [html, json, markdown]) {
      const run = await runCliProcess(["scan", "--subscription", SUBSCRIPTIONS.prod, "-o", path], emulator.env());
      expect(run.code).toBe(0);
      expect(run.stdout).toBe("");
    }
    expect(await readFile(html, "utf8")).toMatch(/^<!DOCTYPE html>/);
    expect((JSON.parse(await readFile(json, "utf8")) as ScanResult).schemaVersion).toBe(1);
    expect(await readFile(markdown, "utf8")).toMatch(/^# vnet-audit report/);
  });

  it("writes `--output -` to stdout, not to a file named -", async () => {
    const run = await runCliProcess(["scan", "--subscription", SUBSCRIPTIONS.prod, "--output", "-", "--format", "JSON"], emulator.env(), { cwd: workDir });
    expect(run.code).toBe(0);
    expect(scanIds(run)).toEqual([SUBSCRIPTIONS.prod]);
    expect(existsSync(join(workDir, "-"))).toBe(false);
  });

  it("takes enum values in any case (--format JSON --fail-on High)", async () => {
    const run = await runCliProcess(["scan", "--subscription", SUBSCRIPTIONS.prod, "--format", "JSON", "--fail-on", "High"], emulator.env());
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(result.findings.some((finding) => finding.severity === "high" || finding.severity === "critical")).toBe(true);
    expect(run.code).toBe(1);
  });
});

describe("the summary line on stderr", () => {
  it("ends every scan, piped or not: subscriptions by status with the incomplete named and why, findings by severity, where the report went", async () => {
    const run = await runCliProcess(["scan", "--format", "json"], emulator.env());
    expect(run.code).toBe(3);
    expect(oneLine(run.stderr)).toBe(true);
    const result = JSON.parse(run.stdout) as ScanResult;
    const { critical, high, medium, low, info } = result.summary.bySeverity;
    const lists = result.subscriptions.find((subscription) => subscription.subscriptionId === SUBSCRIPTIONS.sandbox)!.errors.length;
    expect(lists).toBeGreaterThan(1);
    expect(run.stderr).toBe(
      `vnet-audit: 5 subscriptions: 3 complete, 1 failed (no Reader on Contoso Sandbox (AuthorizationFailed on ${lists} lists)), 1 skipped (Contoso Legacy (disabled)); ` +
        `findings: ${critical} critical, ${high} high, ${medium} medium, ${low} low, ${info} info; report: stdout\n`,
    );
  });

  it("names the file the report went to, and ends collect too", async () => {
    const report = join(workDir, "summary.csv");
    const scan = await runCliProcess(["scan", "--subscription", SUBSCRIPTIONS.data, "-o", report], emulator.env());
    expect(scan.code).toBe(0);
    expect(scan.stderr).toMatch(new RegExp(`^vnet-audit: 1 subscription: 1 complete; findings: .*; report: ${report.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n$`));
    const inventory = join(workDir, "inventory.json");
    const collect = await runCliProcess(["collect", "-o", inventory], emulator.env());
    expect(collect.code).toBe(3);
    expect(oneLine(collect.stderr)).toBe(true);
    expect(collect.stderr).toMatch(/^vnet-audit: 5 subscriptions: 3 complete, 1 failed \(no Reader on Contoso Sandbox \(AuthorizationFailed on \d+ lists\)\), 1 skipped \(Contoso Legacy \(disabled\)\); \d+ sites; inventory: .*inventory\.json\n$/);
  });
});

describe("collection errors", () => {
  it("carry Resource Manager's own code and message, not the SDK's pagination text", async () => {
    const run = await runCliProcess(["scan", "--subscription", SUBSCRIPTIONS.sandbox, "--format", "json"], emulator.env());
    const sandbox = (JSON.parse(run.stdout) as ScanResult).subscriptions[0]!;
    expect(sandbox.status).toBe("failed");
    expect(sandbox.errors.length).toBeGreaterThan(1);
    for (const error of sandbox.errors) {
      expect(error).toMatchObject({ statusCode: 403, code: "AuthorizationFailed" });
      expect(error.message).toMatch(/^The client does not have authorization to perform action over scope '\/subscriptions\/1a2b3c4d-0000-4000-8000-000000000004/);
      expect(error.message).not.toMatch(/Pagination failed|unexpected status/i);
    }
  });

  it("read as one line per subscription and cause in the table", async () => {
    const run = await runCliProcess(["scan", "--subscription", SUBSCRIPTIONS.sandbox, "--subscription", SUBSCRIPTIONS.prod], emulator.env());
    const causes = run.stdout.split("\n").filter((line) => line.startsWith("  ! "));
    expect(causes).toEqual([expect.stringMatching(/^ {2}! no Reader on Contoso Sandbox \(AuthorizationFailed on \d+ lists\)$/)]);
  });
});

describe("no usable credential", () => {
  it("exits 2 with one line that says to run az login, not the credential chain's internals", async () => {
    const home = await mkdtemp(join(tmpdir(), "vnet-audit-home-"));
    const before = emulator.total({ all: true });
    const run = await runCliProcess(["scan"], {
      ...emulator.env(),
      // A laptop with no `az login`: only the developer credentials (no managed identity probe),
      // none of whose tools are on PATH, and an empty home (no cached sign-in).
      IDENTITY_ENDPOINT: undefined,
      IDENTITY_HEADER: undefined,
      MSI_ENDPOINT: undefined,
      AZURE_TOKEN_CREDENTIALS: "dev",
      PATH: dirname(process.execPath),
      HOME: home,
    });
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/^vnet-audit: no Azure credential works: run `az login`/);
    expect(run.stderr).toContain("AZURE_CLIENT_ID");
    expect(run.stderr).not.toMatch(/ChainedTokenCredential|CredentialUnavailable/);
    expect(emulator.total({ all: true })).toBe(before);
  });
});

describe("--management-group", () => {
  it("scans the subscriptions at every level under the group, paged", async () => {
    const run = await runCliProcess(["scan", "--management-group", "contoso-landing-zones", "--format", "json"], emulator.env());
    expect(run.code).toBe(3); // the sandbox denies the identity
    expect(scanIds(run)).toEqual([SUBSCRIPTIONS.prod, SUBSCRIPTIONS.data, SUBSCRIPTIONS.sandbox].sort());
    const corp = await runCliProcess(["scan", "--management-group", "contoso-corp", "--format", "json"], emulator.env());
    expect(corp.code).toBe(0);
    expect(scanIds(corp)).toEqual([SUBSCRIPTIONS.prod, SUBSCRIPTIONS.data].sort());
  });

  it("intersects with the allow-list, and says so when nothing is left", async () => {
    const run = await runCliProcess(["scan", "--management-group", "contoso-root", "--subscription", SUBSCRIPTIONS.hub, "--format", "json"], emulator.env());
    expect(scanIds(run)).toEqual([SUBSCRIPTIONS.hub]);
    const fromEnvironment = await runCliProcess(["scan", "--management-group", "contoso-corp", "--format", "json"], { ...emulator.env(), AUDIT_SUBSCRIPTIONS: `${SUBSCRIPTIONS.data},${SUBSCRIPTIONS.hub}` });
    expect(scanIds(fromEnvironment)).toEqual([SUBSCRIPTIONS.data]);
    const none = await runCliProcess(["scan", "--management-group", "contoso-corp", "--subscription", SUBSCRIPTIONS.hub], emulator.env());
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("vnet-audit: --management-group contoso-corp: none of its 2 subscription(s) is in the allow-list (1 subscription(s) from --subscription, the config file or AUDIT_SUBSCRIPTIONS)\n");
  });

  it("fails with Resource Manager's message for a group the identity can't read", async () => {
    const run = await runCliProcess(["scan", "--management-group", "contoso-elsewhere"], emulator.env());
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^vnet-audit: the scan could not run: management group contoso-elsewhere: AuthorizationFailed: The client does not have authorization to perform action 'Microsoft\.Management\/managementGroups\/descendants\/read'/);
    expect(oneLine(run.stderr)).toBe(true);
  });

  it("is served in the published descendants shape, which the SDK reads", async () => {
    const restore = emulator.applyEnv();
    try {
      const client = new ManagementGroupsAPI(new ManagedIdentityCredential(), armClientOptions(emulator));
      const descendants = [];
      for await (const descendant of client.managementGroups.listDescendants("contoso-landing-zones")) descendants.push(descendant);
      expect(descendants).toContainEqual({
        id: `/subscriptions/${SUBSCRIPTIONS.sandbox}`,
        name: SUBSCRIPTIONS.sandbox,
        type: "Microsoft.Management/managementGroups/subscriptions",
        displayName: "Contoso Sandbox",
        parent: { id: "/providers/Microsoft.Management/managementGroups/contoso-sandboxes-eu" },
      });
      expect(descendants).toContainEqual(expect.objectContaining({ id: "/providers/Microsoft.Management/managementGroups/contoso-sandboxes", type: "Microsoft.Management/managementGroups", displayName: "Sandboxes" }));
      expect(descendants).toHaveLength(6);
    } finally {
      restore();
    }
  });
});

describe("--rule and --exclude-rule", () => {
  it("run only the chosen rules, or all but the excluded", async () => {
    const all = JSON.parse((await runCliProcess(["scan", "--format", "json"], emulator.env())).stdout) as ScanResult;
    const legacy = all.findings.filter((finding) => finding.ruleId === "gateway-integration-legacy");
    expect(legacy.length).toBeGreaterThan(0);
    const only = JSON.parse((await runCliProcess(["scan", "--format", "json", "--rule", "gateway-integration-legacy"], emulator.env())).stdout) as ScanResult;
    expect(only.findings.map((finding) => finding.id).sort()).toEqual(legacy.map((finding) => finding.id).sort());
    const without = JSON.parse((await runCliProcess(["scan", "--format", "json", "--exclude-rule", "GATEWAY-INTEGRATION-LEGACY"], emulator.env())).stdout) as ScanResult;
    expect(without.findings.map((finding) => finding.id).sort()).toEqual(all.findings.filter((finding) => finding.ruleId !== "gateway-integration-legacy").map((finding) => finding.id).sort());
    expect(without.summary.byRule["gateway-integration-legacy"]).toBeUndefined();
  });
});

describe("the terminal table", () => {
  it("fits the terminal width, shows the subscription, and reads dates as dates", async () => {
    const json = JSON.parse((await runCliProcess(["scan", "--format", "json"], emulator.env())).stdout) as ScanResult;
    const longest = json.findings.reduce((a, b) => (a.message.length > b.message.length ? a : b));
    expect(longest.message.length).toBeGreaterThan(100);
    // 140 columns: the message wraps beside the other columns; 100: under each row.
    for (const [columns, header] of [
      [140, /^SEVERITY\s+RULE\s+SUBSCRIPTION\s+RESOURCE\s+OWNER\s+MESSAGE$/],
      [100, /^SEVERITY\s+RULE\s+SUBSCRIPTION\s+RESOURCE\s+OWNER$/],
    ] as const) {
      const run = await runCliProcess(["scan"], { ...emulator.env(), COLUMNS: String(columns) });
      const lines = run.stdout.split("\n");
      expect(lines.filter((line) => line.length > columns)).toEqual([]);
      expect(lines.find((line) => line.startsWith("SEVERITY"))).toMatch(header);
      expect(run.stdout).toMatch(/^critical\s+certificate-expiring\s+Contoso Apps Prod\s+/m);
      expect(run.stdout).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}Z/);
      // Wrapped, not cut: every word of the longest message is still there.
      const flattened = run.stdout.replace(/\n\s+/g, " ");
      expect(flattened).toMatch(/expired on \d{4}-\d{2}-\d{2}\b/);
      // (A word longer than the column is split across lines, hence the comparison without spaces.)
      const compact = run.stdout.replace(/\s+/g, "");
      for (const word of longest.message.split(/\s+/).filter((w) => !/\d{4}-\d{2}-\d{2}T/.test(w))) expect(compact).toContain(word);
    }
  });

  it("keeps long lines whole when not on a terminal and no COLUMNS is set", async () => {
    const run = await runCliProcess(["scan", "--subscription", SUBSCRIPTIONS.prod], { ...emulator.env(), COLUMNS: undefined });
    expect(Math.max(...run.stdout.split("\n").map((line) => line.length))).toBeGreaterThan(100);
  });
});

/**
 * `vnet-audit scan --baseline PREVIOUS.json`: the real CLI diffs a scan against a previous
 * JSON result without any storage. The previous result is a real scan of the sample tenant,
 * edited the way time edits a tenant: a finding that is gone from the baseline (so it is new
 * now), one at a lower severity (escalated now), and one the tenant no longer has (resolved).
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanResult } from "../../src/engine/result.js";
import { startArmEmulator, type ArmEmulator } from "../../emulator/index.js";
import { runCliProcess } from "../support/cli.js";
import { buildSampleTenant, SUBSCRIPTIONS } from "../../emulator/sample/sample-tenant.js";

let emulator: ArmEmulator;
let workDir: string;
let previous: ScanResult;

const SCOPE = ["--subscription", SUBSCRIPTIONS.prod, "--subscription", SUBSCRIPTIONS.hub];

beforeAll(async () => {
  emulator = await startArmEmulator({ tenant: (await buildSampleTenant()).tenant });
  workDir = await mkdtemp(join(tmpdir(), "vnet-audit-baseline-"));
  const run = await runCliProcess(["scan", "--format", "json", ...SCOPE], emulator.env());
  previous = JSON.parse(run.stdout) as ScanResult;
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

describe("vnet-audit scan --baseline", () => {
  it("marks findings new, escalated or unchanged and lists what resolved since", async () => {
    const [dropped, lowered] = previous.findings.filter((finding) => finding.severity === "high");
    const gone = { ...previous.findings[0]!, id: "0".repeat(32), resourceId: `${previous.findings[0]!.resourceId}-deleted`, firstSeen: "2026-01-01T00:00:00.000Z" };
    const baseline: ScanResult = {
      ...previous,
      findings: [...previous.findings.filter((finding) => finding.id !== dropped!.id).map((finding) => (finding.id === lowered!.id ? { ...finding, severity: "medium" as const } : finding)), gone],
    };
    const path = join(workDir, "previous.json");
    await writeFile(path, JSON.stringify(baseline));

    const run = await runCliProcess(["scan", "--format", "json", "--baseline", path, ...SCOPE], emulator.env());
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as ScanResult;
    const changes = Object.fromEntries(result.findings.map((finding) => [finding.id, finding.change]));
    expect(changes[dropped!.id]).toBe("new");
    expect(changes[lowered!.id]).toBe("escalated");
    expect(result.findings.filter((finding) => finding.change === "unchanged")).toHaveLength(previous.findings.length - 2);
    expect(result.resolved!.map((finding) => finding.id)).toEqual([gone.id]);
    expect(result.findings.find((finding) => finding.id === lowered!.id)!.firstSeen).toBe(previous.startedAt);

    // The same diff reaches the other formats: the CSV's change column and the HTML report's change filter.
    const csv = await runCliProcess(["scan", "--format", "csv", "--baseline", path, ...SCOPE], emulator.env());
    expect(csv.stdout.split("\r\n").filter((line) => line.endsWith(",new"))).toHaveLength(1);
    const htmlPath = join(workDir, "report.html");
    await runCliProcess(["scan", "--format", "html", "--output", htmlPath, "--baseline", path, ...SCOPE], emulator.env());
    const html = await readFile(htmlPath, "utf8");
    expect(html).toContain(`id="filter-change"`);
    expect(html).toContain(`id="changes"`);
  });

  it("exits 2 naming the field when the baseline isn't a scan result, before scanning", async () => {
    const path = join(workDir, "not-a-result.json");
    await writeFile(path, JSON.stringify({ schemaVersion: 1, scanId: "x", startedAt: "y", findings: [{ id: "z" }] }));
    const before = emulator.total({ all: true });
    const run = await runCliProcess(["scan", "--baseline", path, ...SCOPE], emulator.env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^vnet-audit: --baseline .*not-a-result\.json: findings\.0\.ruleId is not valid/);
    expect(emulator.total({ all: true })).toBe(before);
    const store = await runCliProcess(["scan", "--store", "--baseline", path], emulator.env());
    expect(store.code).toBe(2);
  });
});

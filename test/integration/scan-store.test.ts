/**
 * `vnet-audit scan --store` from a pipeline: the real CLI process runs the same cycle as the
 * function app (store, diff, digest) and has delivered the digest before it exits.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DigestPayload } from "../../src/notify/digest.js";
import type { ScanResult } from "../../src/engine/result.js";
import { startArmEmulator, type ArmEmulator } from "../../emulator/index.js";
import { startAzurite, type RunningAzurite } from "../../emulator/azurite.js";
import { runCliProcess } from "../support/cli.js";
import { startWebhookReceiver, type WebhookReceiver } from "../../emulator/webhook-receiver.js";
import { buildSampleTenant, SUBSCRIPTIONS, type SampleTenant } from "../../emulator/sample/sample-tenant.js";

let emulator: ArmEmulator;
let azurite: RunningAzurite;
let receiver: WebhookReceiver;
let sample: SampleTenant;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  sample = await buildSampleTenant();
  [emulator, azurite, receiver] = await Promise.all([startArmEmulator({ tenant: sample.tenant }), startAzurite(), startWebhookReceiver()]);
  for (const fault of sample.faults) emulator.injectFault(fault);
  env = {
    ...emulator.env(),
    AUDIT_STORAGE: azurite.connectionString,
    AUDIT_WEBHOOK_URL: receiver.url,
    AUDIT_WEBHOOK_SECRET: "pipeline-secret",
    AUDIT_MIN_ALERT_SEVERITY: "critical",
  };
}, 120_000);

afterAll(async () => {
  await Promise.all([emulator?.close(), azurite?.close(), receiver?.close()]);
});

describe("vnet-audit scan --store", () => {
  it("stores the scan, sends the digest before exiting, and reports like a plain scan", async () => {
    const run = await runCliProcess(["scan", "--store", "--format", "json", "--subscription", SUBSCRIPTIONS.prod, "--subscription", SUBSCRIPTIONS.hub], env);
    expect(run.stderr).toMatch(/^vnet-audit: 2 subscriptions: 2 complete; findings: .*; report: stdout\n$/);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(result.subscriptions.map((subscription) => subscription.status)).toEqual(["complete", "complete"]);

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery!.headers["x-audit-signature"]).toBe(`sha256=${createHmac("sha256", "pipeline-secret").update(delivery!.rawBody).digest("hex")}`);
    const digest = delivery!.body as DigestPayload;
    const critical = sample.expected.filter((finding) => finding.severity === "critical" && result.findings.some((f) => f.resourceId === finding.resourceId));
    expect(digest.new.map((finding) => finding.resourceId).sort()).toEqual(critical.map((finding) => finding.resourceId).sort());
    expect(digest.scanId).toBe(result.scanId);
    // The first stored run: every finding is new and first seen now.
    expect(result.findings.every((finding) => finding.change === "new" && finding.firstSeen! >= result.startedAt && finding.firstSeen! <= result.finishedAt)).toBe(true);
    expect(result.resolved).toEqual([]);
  });

  it("sends nothing on a second run when nothing changed, and fails on --fail-on as usual", async () => {
    const run = await runCliProcess(["scan", "--store", "--format", "json", "--subscription", SUBSCRIPTIONS.prod, "--subscription", SUBSCRIPTIONS.hub, "--fail-on", "high"], env);
    expect(run.code).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(new Set(result.findings.map((finding) => finding.change))).toEqual(new Set(["unchanged"]));
    expect(result.findings.every((finding) => finding.firstSeen! < result.startedAt)).toBe(true);
  });

  it("lists what resolved since the last complete state once a misconfiguration is fixed", async () => {
    const marketing = sample.tenant.resources.find((resource) => resource.name === "app-marketing")!;
    emulator.upsertResource({ ...marketing, properties: { ...(marketing.properties as object), httpsOnly: true } });
    const run = await runCliProcess(["scan", "--store", "--format", "json", "--subscription", SUBSCRIPTIONS.prod, "--subscription", SUBSCRIPTIONS.hub], env);
    const result = JSON.parse(run.stdout) as ScanResult;
    expect(result.resolved!.map((finding) => `${finding.ruleId} ${finding.resourceId}`)).toEqual([`https-only-disabled ${marketing.id}`]);
    expect(result.findings.some((finding) => finding.resourceId === marketing.id && finding.ruleId === "https-only-disabled")).toBe(false);
    expect(new Set(result.findings.map((finding) => finding.change))).toEqual(new Set(["unchanged"]));
    emulator.upsertResource(marketing);
  });

  it("exits 2 naming the missing storage setting", async () => {
    const run = await runCliProcess(["scan", "--store"], { ...emulator.env(), AUDIT_STORAGE: undefined, AzureWebJobsStorage: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no storage configured: set AUDIT_STORAGE or AzureWebJobsStorage/);
  });
});

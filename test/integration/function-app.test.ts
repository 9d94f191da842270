/**
 * The function app end to end, in-process: the real handlers (loaded through
 * @azure/functions' registration path), the real SDK clients against the ARM emulator, real
 * Azurite for tables, blobs and the queue, and a local webhook receiver.
 */
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetDeps } from "../../src/api/runtime.js";
import { openAuditStorage, type AuditStorage } from "../../src/store/connection.js";
import { listFindings } from "../../src/store/findings.js";
import { listRuns } from "../../src/store/runs.js";
import type { DigestPayload } from "../../src/notify/digest.js";
import type { ScanResult } from "../../src/engine/result.js";
import { startArmEmulator, type ArmEmulator, type ArmResource } from "../../emulator/index.js";
import { startAzurite, type RunningAzurite } from "../../emulator/azurite.js";
import { REPO_ROOT } from "../support/cli.js";
import { FunctionsTestHost, loadFunctionApp } from "../../emulator/functions-host.js";
import { startWebhookReceiver, type WebhookReceiver } from "../../emulator/webhook-receiver.js";
import { buildSampleTenant, SUBSCRIPTIONS, type SampleTenant } from "../../emulator/sample/sample-tenant.js";

const SECRET = "webhook-secret-for-tests";
const RANK = { critical: 5, high: 4, medium: 3, low: 2, info: 1 } as const;

let emulator: ArmEmulator;
let azurite: RunningAzurite;
let receiver: WebhookReceiver;
let host: FunctionsTestHost;
let storage: AuditStorage;
let sample: SampleTenant;
let restoreEnv: () => void;

const findResource = (id: string) => sample.tenant.resources.find((resource) => resource.id === id)!;
const withProperties = (resource: ArmResource, properties: Record<string, unknown>): ArmResource => ({
  ...resource,
  properties: { ...(resource.properties as Record<string, unknown>), ...properties },
});
const expectedAtOrAbove = (severity: keyof typeof RANK) => sample.expected.filter((finding) => RANK[finding.severity] >= RANK[severity]);
const ids = (findings: { resourceId: string; ruleId: string }[]) => findings.map((finding) => `${finding.ruleId} ${finding.resourceId.toLowerCase()}`).sort();

/** One scheduled cycle as the Functions host runs it: timer, queue fan-out, handlers. */
async function scheduledCycle(): Promise<{ queued: unknown[] }> {
  const timerContext = await host.timer("scheduledScan");
  const queued = host.queueOutputs(timerContext);
  await host.enqueueOutputs(timerContext, storage.queue);
  await host.drainQueue("scanSubscription", storage.queue);
  return { queued };
}

beforeAll(async () => {
  sample = await buildSampleTenant();
  [emulator, azurite, receiver] = await Promise.all([startArmEmulator({ tenant: sample.tenant, pageSize: 50 }), startAzurite(), startWebhookReceiver()]);
  for (const fault of sample.faults) emulator.injectFault(fault);
  const restoreArm = emulator.applyEnv();
  const previous = { ...process.env };
  Object.assign(process.env, {
    AzureWebJobsStorage: azurite.connectionString,
    AUDIT_WEBHOOK_URL: receiver.url,
    AUDIT_WEBHOOK_SECRET: SECRET,
    AUDIT_MIN_ALERT_SEVERITY: "high",
  });
  restoreEnv = () => {
    restoreArm();
    for (const name of ["AzureWebJobsStorage", "AUDIT_WEBHOOK_URL", "AUDIT_WEBHOOK_SECRET", "AUDIT_MIN_ALERT_SEVERITY"]) {
      if (previous[name] === undefined) delete process.env[name];
      else process.env[name] = previous[name];
    }
  };
  resetDeps();
  storage = openAuditStorage({ connectionString: azurite.connectionString });
  await storage.ensureCreated();
  host = new FunctionsTestHost(await loadFunctionApp(join(REPO_ROOT, "functions")));
}, 120_000);

afterAll(async () => {
  restoreEnv?.();
  resetDeps();
  await Promise.all([emulator?.close(), azurite?.close(), receiver?.close()]);
});

describe("scheduled scans through the function handlers", () => {
  it("fans out one message per audited subscription, stores the findings and sends one signed digest", async () => {
    const { queued } = await scheduledCycle();
    const audited = [SUBSCRIPTIONS.hub, SUBSCRIPTIONS.prod, SUBSCRIPTIONS.data, SUBSCRIPTIONS.sandbox];
    expect((queued as { subscriptionId: string }[]).map((message) => message.subscriptionId).sort()).toEqual([...audited].sort());

    const open = await listFindings(storage, { state: "open", top: 1000 });
    expect(ids(open.items)).toEqual(ids(sample.expected));

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    const expectedSignature = `sha256=${createHmac("sha256", SECRET).update(delivery!.rawBody).digest("hex")}`;
    expect(delivery!.headers["x-audit-signature"]).toBe(expectedSignature);
    const digest = delivery!.body as DigestPayload;
    expect(Object.keys(digest).sort()).toEqual(["byOwner", "coverage", "escalated", "html", "new", "reportUrl", "resolved", "scanId", "subject", "text"]);
    // Coverage: the sandbox denies the audit identity; the disabled subscription is skipped. The email says so at the top.
    expect(digest.coverage).toEqual({
      complete: 3,
      partial: 0,
      failed: 1,
      skipped: 1,
      incompleteSubscriptions: [{ subscriptionId: SUBSCRIPTIONS.sandbox, displayName: "Contoso Sandbox", status: "failed" }],
    });
    expect(digest.html.indexOf('id="coverage"')).toBeLessThan(digest.html.indexOf("<h1"));
    expect(digest.html).toContain("Contoso Sandbox (failed)");
    // byOwner: every announced finding under its owner tag's value, or unowned.
    const owned = Object.entries(digest.byOwner).flatMap(([owner, changes]) => changes.new.map((id) => [id, owner]));
    expect(owned.map(([id]) => id).sort()).toEqual(digest.new.map((finding) => finding.id).sort());
    for (const finding of digest.new) expect(digest.byOwner[finding.owner ?? "unowned"]!.new).toContain(finding.id);
    expect(Object.keys(digest.byOwner)).toEqual(expect.arrayContaining(["netops@contoso.com", "legacy-web@contoso.com", "inventory-team@contoso.com"]));
    // reportUrl: the run's stored HTML report through a read-only SAS (Azurite: a service SAS) that opens it.
    expect(digest.reportUrl).toMatch(new RegExp(`/runs/${digest.scanId}/report\\.html\\?.*sp=r`));
    const report = await fetch(digest.reportUrl!);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await report.text()).toContain(digest.scanId);
    expect(ids(digest.new)).toEqual(ids(expectedAtOrAbove("high")));
    expect(digest.escalated).toEqual([]);
    expect(digest.resolved).toEqual([]);
    expect(digest.subject).toMatch(/new/);
    expect(delivery!.rawBody).not.toContain("sample-secret-value");

    const [run] = await listRuns(storage, 1);
    expect(run).toMatchObject({ status: "partial", trigger: "timer" });
  });

  it("sends exactly one resolved finding after one misconfiguration is fixed, and nothing else", async () => {
    const prototype = sample.tenant.resources.find((resource) => resource.name === "app-prototype")!;
    emulator.upsertResource(withProperties(prototype, { virtualNetworkSubnetId: null }));
    const before = receiver.received.length;
    await scheduledCycle();
    expect(receiver.received).toHaveLength(before + 1);
    const digest = receiver.received.at(-1)!.body as DigestPayload;
    expect(digest.new).toEqual([]);
    expect(digest.escalated).toEqual([]);
    expect(digest.resolved.map((finding) => [finding.ruleId, finding.resourceId])).toEqual([["plan-tier-unsupported", prototype.id]]);
  });

  it("sends nothing when nothing changed", async () => {
    const before = receiver.received.length;
    await scheduledCycle();
    expect(receiver.received).toHaveLength(before);
  });

  it("resolves no DNS finding in a run where the hub holding the zones answers 403", async () => {
    // Fix the data subscription's DNS finding at the same time: it must still not resolve,
    // because the zone data it depends on could not be read.
    const quality = findResource(sample.ids.dataDnsFindingSite!);
    emulator.upsertResource(withProperties(quality, { outboundVnetRouting: { allTraffic: true, applicationTraffic: true } }));
    const hubDenied = emulator.injectFault({ subscriptionId: SUBSCRIPTIONS.hub, status: 403 });
    try {
      await scheduledCycle();
    } finally {
      hubDenied.remove();
    }
    const dns = await listFindings(storage, { ruleId: "linux-private-dns-without-route-all", top: 100 });
    expect(dns.items.map((finding) => finding.state)).toEqual(dns.items.map(() => "open"));
    expect(dns.items.map((finding) => finding.resourceId)).toContain(sample.ids.dataDnsFindingSite);

    const [run] = await listRuns(storage, 1);
    const details = (await host.http("getScan", { method: "GET", url: `http://localhost/api/scans/${run!.scanId}`, params: { id: run!.scanId } })).response;
    const body = JSON.parse(details.body as string) as { subscriptions: { subscriptionId: string; status: string }[] };
    expect(body.subscriptions.find((subscription) => subscription.subscriptionId === SUBSCRIPTIONS.hub)?.status).toBe("failed");
    expect(body.subscriptions.find((subscription) => subscription.subscriptionId === SUBSCRIPTIONS.data)?.status).toBe("complete");

    // With the hub readable again, the fixed finding resolves.
    await scheduledCycle();
    const after = await listFindings(storage, { ruleId: "linux-private-dns-without-route-all", state: "resolved", top: 100 });
    expect(after.items.map((finding) => finding.resourceId)).toEqual([sample.ids.dataDnsFindingSite]);
  });

  it("keeps a digest in the outbox while the webhook answers 500, and delivers it exactly once on the next run", async () => {
    const prototype = sample.tenant.resources.find((resource) => resource.name === "app-prototype")!;
    emulator.upsertResource(prototype); // the misconfiguration comes back: a new finding to announce
    receiver.respondWith(500);
    const before = receiver.received.length;
    await scheduledCycle();
    expect(receiver.received.length).toBeGreaterThan(before);
    expect(receiver.accepted().length).toBe(3);
    const outbox = [];
    for await (const row of storage.outbox.listEntities()) outbox.push(row);
    expect(outbox.filter((row) => row.partitionKey !== "sent")).toHaveLength(1);

    receiver.respondWith(200);
    await scheduledCycle();
    expect(receiver.accepted()).toHaveLength(4);
    const delivered = receiver.accepted().at(-1)!.body as DigestPayload;
    expect(delivered.new.map((finding) => finding.resourceId)).toEqual([prototype.id]);

    await scheduledCycle();
    expect(receiver.accepted()).toHaveLength(4);
  });

  it("marks a redelivered queue message as a duplicate without counting it twice", async () => {
    const [run] = await listRuns(storage, 1);
    const message = { scanId: run!.scanId, subscriptionId: SUBSCRIPTIONS.prod, displayName: "Contoso Apps Prod", state: "Enabled" };
    const before = await listFindings(storage, { subscriptionId: SUBSCRIPTIONS.prod, top: 1000 });
    const context = await host.queueMessage("scanSubscription", message, 2);
    expect(host.logs.some((line) => line.message.includes("redelivery ignored"))).toBe(true);
    expect(host.queueOutputs(context)).toEqual([]);
    const after = await listFindings(storage, { subscriptionId: SUBSCRIPTIONS.prod, top: 1000 });
    expect(after.items.map((finding) => [finding.id, finding.lastSeen, finding.severityHistory.length])).toEqual(
      before.items.map((finding) => [finding.id, finding.lastSeen, finding.severityHistory.length]),
    );
  });
});

describe("HTTP API", () => {
  const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
    host.http("audit", { method: "POST", url: "http://localhost/api/audit", body: { string: body }, headers });
  const problem = (response: { status?: number; headers?: unknown; body?: unknown }) => ({
    status: response.status,
    type: (response.headers as Record<string, string>)["content-type"],
    body: JSON.parse(response.body as string) as { field?: string; detail: string },
  });

  it("audits a small scope synchronously and returns the scan result", async () => {
    const { response } = await post(JSON.stringify({ subscriptions: [SUBSCRIPTIONS.data] }));
    expect(response.status).toBe(200);
    const result = JSON.parse(response.body as string) as ScanResult;
    expect(result.subscriptions.map((subscription) => [subscription.subscriptionId, subscription.status])).toEqual([[SUBSCRIPTIONS.data, "complete"]]);
    expect(result.findings.every((finding) => finding.subscriptionId === SUBSCRIPTIONS.data)).toBe(true);
  });

  it("answers a tenant-wide audit with 202 and a Location to poll", async () => {
    const { response, context } = await post("");
    expect(response.status).toBe(202);
    const location = (response.headers as Record<string, string>).location!;
    const { scanId } = JSON.parse(response.body as string) as { scanId: string };
    expect(location).toBe(`http://localhost/api/scans/${scanId}`);
    expect(host.queueOutputs(context)).toHaveLength(4);
    const running = (await host.http("getScan", { method: "GET", url: location, params: { id: scanId } })).response;
    expect(running.status).toBe(200);
    expect(JSON.parse(running.body as string)).toMatchObject({ scanId, status: "running" });

    await host.enqueueOutputs(context, storage.queue);
    await host.drainQueue("scanSubscription", storage.queue);
    const closed = JSON.parse((await host.http("getScan", { method: "GET", url: location, params: { id: scanId } })).response.body as string) as { status: string; result: ScanResult };
    expect(closed.status).toBe("partial");
    expect(closed.result.scanId).toBe(scanId);
  });

  it.each([
    ['{"subscriptions": ["prod"]}', "subscriptions.0"],
    ['{"subscriptions": []}', "subscriptions"],
    ['{"subscriptions": ["1a2b3c4d-0000-4000-8000-000000000002", "1A2B3C4D-0000-4000-8000-000000000002"]}', "subscriptions"],
    ['{"subscription": ["1a2b3c4d-0000-4000-8000-000000000002"]}', "subscription"],
    ["{not json", "(body)"],
  ])("answers 400 problem+json naming the field for %s", async (body, field) => {
    const response = problem((await post(body)).response);
    expect(response.status).toBe(400);
    expect(response.type).toBe("application/problem+json");
    expect(response.body.field).toBe(field);
  });

  it("answers 413 to a body over 64 KiB", async () => {
    const response = problem((await post(JSON.stringify({ subscriptions: [], padding: "x".repeat(70_000) }))).response);
    expect(response.status).toBe(413);
  });

  it("answers 403 for a subscription outside AUDIT_SUBSCRIPTIONS", async () => {
    process.env.AUDIT_SUBSCRIPTIONS = `${SUBSCRIPTIONS.prod},${SUBSCRIPTIONS.hub}`;
    resetDeps();
    try {
      const response = problem((await post(JSON.stringify({ subscriptions: [SUBSCRIPTIONS.data] }))).response);
      expect(response.status).toBe(403);
      expect(response.body.detail).toContain(SUBSCRIPTIONS.data);
      const listed = problem((await host.http("listFindings", { method: "GET", url: `http://localhost/api/findings?subscriptionId=${SUBSCRIPTIONS.data}`, query: { subscriptionId: SUBSCRIPTIONS.data } })).response);
      expect(listed.status).toBe(403);
    } finally {
      delete process.env.AUDIT_SUBSCRIPTIONS;
      resetDeps();
    }
  });

  it("lists stored findings with filters and pages through them in Azure's shape (value, nextLink, $top)", async () => {
    const get = (query: Record<string, string>) =>
      host.http("listFindings", { method: "GET", url: `http://localhost/api/findings?${new URLSearchParams(query)}`, query });
    const high = JSON.parse((await get({ severity: "high", state: "open", $top: "1000" })).response.body as string) as { value: { severity: string }[]; nextLink?: string };
    expect(high.value.length).toBeGreaterThan(5);
    expect(high.value.every((finding) => finding.severity === "high")).toBe(true);
    expect(high.nextLink).toBeUndefined();

    // Follow each nextLink as a client would: the same filters, $top and the next $skipToken.
    const seen: string[] = [];
    let query: Record<string, string> | undefined = { subscriptionId: SUBSCRIPTIONS.prod, $top: "7", code: "function-key" };
    for (let page = 0; query && page < 20; page++) {
      const body = JSON.parse((await get(query)).response.body as string) as Record<string, unknown> & { value: { id: string }[]; nextLink?: string };
      expect(Object.keys(body).sort()).toEqual(body.nextLink ? ["nextLink", "value"] : ["value"]);
      expect(body.value.length).toBeLessThanOrEqual(7);
      seen.push(...body.value.map((item) => item.id));
      query = body.nextLink ? Object.fromEntries(new URL(body.nextLink).searchParams) : undefined;
      if (query) {
        expect(query).toMatchObject({ subscriptionId: SUBSCRIPTIONS.prod, $top: "7", $skipToken: expect.any(String) });
        expect(query.code).toBeUndefined();
      }
    }
    const all = await listFindings(storage, { subscriptionId: SUBSCRIPTIONS.prod, top: 1000 });
    expect(seen.sort()).toEqual(all.items.map((finding) => finding.id).sort());
    expect(seen.length).toBeGreaterThan(7);
  });

  it.each([
    [{ top: "7" }, "$top"],
    [{ continuationToken: "abc" }, "$skipToken"],
  ])("answers the old name %j with a 400 naming the new one", async (query, replacement) => {
    const response = problem((await host.http("listFindings", { method: "GET", url: `http://localhost/api/findings?${new URLSearchParams(query)}`, query })).response);
    expect(response.status).toBe(400);
    expect(response.body.field).toBe(Object.keys(query)[0]);
    expect(response.body.detail).toContain(`renamed to ${replacement}`);
  });

  it.each([
    [{ severity: "urgent" }, "severity"],
    [{ ruleId: "no-such-rule" }, "ruleId"],
    [{ $top: "0" }, "$top"],
    [{ state: "closed" }, "state"],
    [{ colour: "blue" }, "colour"],
    [{ $skipToken: "garbage" }, "$skipToken"],
  ])("answers 400 naming the query field for %j", async (query, field) => {
    const response = problem((await host.http("listFindings", { method: "GET", url: `http://localhost/api/findings?${new URLSearchParams(query)}`, query })).response);
    expect(response.status).toBe(400);
    expect(response.body.field).toBe(field);
  });

  it("answers 400 for a malformed scan ID and 404 for an unknown one", async () => {
    const bad = problem((await host.http("getScan", { method: "GET", url: "http://localhost/api/scans/x", params: { id: "x" } })).response);
    expect(bad.status).toBe(400);
    const unknown = "00000000-0000-4000-8000-000000000000";
    const missing = problem((await host.http("getScan", { method: "GET", url: `http://localhost/api/scans/${unknown}`, params: { id: unknown } })).response);
    expect(missing.status).toBe(404);
  });

  it("never logs a secret, token or app setting value", () => {
    const logged = host.logs.map((line) => line.message).join("\n");
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain("sample-secret-value");
    expect(logged).not.toMatch(/AccountKey=|Bearer\s+[A-Za-z0-9]/);
  });
});

describe("run list and stored report routes", () => {
  const get = async (name: string, url: string, params: Record<string, string> = {}) => (await host.http(name, { method: "GET", url, params })).response;
  const json = (response: { body?: unknown }) => JSON.parse(response.body as string) as { value: { scanId: string; status: string }[]; nextLink?: string; field?: string };

  it("GET /api/scans lists recent runs newest first, a page at a time (value, nextLink, $top)", async () => {
    const runs = await listRuns(storage, 100);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    const first = json(await get("listScans", "http://localhost/api/scans?$top=2&code=function-key"));
    expect(first.value.map((run) => run.scanId)).toEqual(runs.slice(0, 2).map((run) => run.scanId));
    expect(first.nextLink).toBeDefined();
    expect(first.nextLink).not.toContain("code=");
    const seen = [...first.value];
    for (let next = first.nextLink; next; ) {
      const page = json(await get("listScans", next));
      seen.push(...page.value);
      next = page.nextLink;
    }
    expect(seen.map((run) => run.scanId)).toEqual(runs.map((run) => run.scanId));

    for (const [query, field] of [["$top=0", "$top"], ["$top=101", "$top"], ["$skipToken=not-ours", "$skipToken"], ["filter=x", "filter"]] as const) {
      const bad = await get("listScans", `http://localhost/api/scans?${query}`);
      expect(bad.status, query).toBe(400);
      expect((bad.headers as Record<string, string>)["content-type"]).toBe("application/problem+json");
      expect(json(bad).field).toBe(field);
    }
  });

  it("GET /api/scans/{id}/report serves the stored HTML report as text/html under its own CSP", async () => {
    const [run] = await listRuns(storage, 1);
    const response = await get("getScanReport", `http://localhost/api/scans/${run!.scanId}/report`, { id: run!.scanId });
    expect(response.status).toBe(200);
    const headers = response.headers as Record<string, string>;
    expect(headers["content-type"]).toBe("text/html; charset=utf-8");
    const html = response.body as string;
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    expect(headers["content-security-policy"]).toBe(`${meta}; frame-ancestors 'none'`);
    expect(headers["content-security-policy"]).toContain("default-src 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(html).toContain(run!.scanId);
    // A stored run's report knows the history: it opens with what changed, and has the per-app view.
    expect(html.indexOf('id="changes"')).toBeLessThan(html.indexOf('id="summary"'));
    expect(html).toContain('id="apps"');

    expect((await get("getScanReport", "http://localhost/api/scans/00000000-0000-4000-8000-000000000000/report", { id: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    const bad = await get("getScanReport", "http://localhost/api/scans/not-a-scan/report", { id: "not-a-scan" });
    expect(bad.status).toBe(400);
  });
});

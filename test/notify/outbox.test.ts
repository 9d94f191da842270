import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { teamsBody } from "../../src/notify/teams.js";
import { deliverOutbox, enqueueDigest, outboxId, signBody, verifySignature } from "../../src/notify/outbox.js";
import { openAuditStorage, type AuditStorage } from "../../src/store/connection.js";
import { startAzurite, uniquePrefix, type RunningAzurite } from "../../emulator/azurite.js";
import { digestPayload } from "../support/digest-payload.js";

const SECRET = "s3cret-key";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback whose answer the test controls. */
class Receiver {
  received: Received[] = [];
  status = 200;
  delayMs = 0;
  hang = false;
  private server: Server;
  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        if (this.hang) return;
        setTimeout(() => response.writeHead(this.status, { "content-type": "text/plain" }).end("ok"), this.delayMs);
      });
    });
  }
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook?code=url-secret`;
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let azurite: RunningAzurite;
let receiver: Receiver | undefined;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.close();
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function setup(): Promise<{ storage: AuditStorage; url: string; receiver: Receiver }> {
  const storage = openAuditStorage({ connectionString: azurite.connectionString, prefix: uniquePrefix() });
  await storage.ensureCreated();
  receiver = new Receiver();
  return { storage, url: await receiver.start(), receiver };
}


async function outboxRows(storage: AuditStorage): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const row of storage.outbox.listEntities()) rows.push(row);
  return rows;
}

const fast = { retryDelayMs: 1, rescheduleMs: 60_000, maxRescheduleMs: 3_600_000 };

describe("outbox delivery", () => {
  it("POSTs the digest once, signed, and never again", async () => {
    const { storage, url, receiver } = await setup();
    const digest = digestPayload("scan-1");
    expect(await enqueueDigest(storage, digest)).toEqual({ id: outboxId("scan-1"), queued: true });
    expect(await enqueueDigest(storage, digest)).toEqual({ id: outboxId("scan-1"), queued: false });

    expect(await deliverOutbox(storage, { webhookUrl: url, secret: SECRET, backoff: fast })).toEqual({ delivered: 1, pending: 0, deadLettered: 0 });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["x-audit-delivery"]).toBe(outboxId("scan-1"));
    expect(request!.headers["x-audit-signature"]).toBe(signBody(SECRET, request!.body));
    expect(verifySignature(SECRET, request!.body, request!.headers["x-audit-signature"] as string)).toBe(true);
    expect(verifySignature("wrong", request!.body, request!.headers["x-audit-signature"] as string)).toBe(false);
    expect(JSON.parse(request!.body)).toEqual(digest);

    // Later calls send nothing, and the same scan's digest cannot be queued again.
    expect(await deliverOutbox(storage, { webhookUrl: url, secret: SECRET, backoff: fast })).toEqual({ delivered: 0, pending: 0, deadLettered: 0 });
    expect(await enqueueDigest(storage, digest)).toMatchObject({ queued: false });
    expect(await deliverOutbox(storage, { webhookUrl: url, secret: SECRET, backoff: fast })).toEqual({ delivered: 0, pending: 0, deadLettered: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it("AUDIT_WEBHOOK_FORMAT=teams: the same outbox row goes out as an Adaptive Card message, signed over the bytes sent", async () => {
    const { storage, url, receiver } = await setup();
    const digest = digestPayload("scan-teams");
    await enqueueDigest(storage, digest);
    expect(await deliverOutbox(storage, { webhookUrl: url, secret: SECRET, backoff: fast, render: teamsBody })).toEqual({ delivered: 1, pending: 0, deadLettered: 0 });
    const [request] = receiver.received;
    expect(request!.body).toBe(teamsBody(JSON.stringify(digest)));
    const message = JSON.parse(request!.body) as { type: string; attachments: { contentType: string; content: { type: string } }[] };
    expect(message.type).toBe("message");
    expect(message.attachments[0]).toMatchObject({ contentType: "application/vnd.microsoft.card.adaptive", content: { type: "AdaptiveCard" } });
    expect(verifySignature(SECRET, request!.body, request!.headers["x-audit-signature"] as string)).toBe(true);
  });

  it("keeps the row through a receiver outage and delivers exactly once after it recovers", async () => {
    const { storage, url, receiver } = await setup();
    await enqueueDigest(storage, digestPayload("scan-2"));
    receiver.status = 500;
    const t0 = new Date();
    expect(await deliverOutbox(storage, { webhookUrl: url, secret: SECRET, backoff: fast, now: () => t0 })).toEqual({ delivered: 0, pending: 1, deadLettered: 0 });
    expect(receiver.received).toHaveLength(3);

    const [row] = (await outboxRows(storage)).filter((entity) => entity.partitionKey === "digest");
    expect(row).toMatchObject({ attempts: 3, failedCalls: 1, lastError: "HTTP 500" });
    expect(Date.parse(row!.nextAttemptAt as string)).toBe(t0.getTime() + 60_000);
    expect(JSON.stringify(row)).not.toContain("url-secret");
    expect(JSON.stringify(row)).not.toContain(SECRET);

    // Not due yet: nothing is sent.
    expect(await deliverOutbox(storage, { webhookUrl: url, secret: SECRET, backoff: fast, now: () => new Date(t0.getTime() + 1_000) })).toEqual({ delivered: 0, pending: 1, deadLettered: 0 });
    expect(receiver.received).toHaveLength(3);

    // Still down at the next run: the backoff doubles.
    const t1 = new Date(t0.getTime() + 61_000);
    await deliverOutbox(storage, { webhookUrl: url, secret: SECRET, backoff: fast, now: () => t1, maxAttemptsPerCall: 1 });
    const [again] = (await outboxRows(storage)).filter((entity) => entity.partitionKey === "digest");
    expect(again).toMatchObject({ attempts: 4, failedCalls: 2 });
    expect(Date.parse(again!.nextAttemptAt as string)).toBe(t1.getTime() + 120_000);

    receiver.status = 202;
    const t2 = new Date(t1.getTime() + 121_000);
    expect(await deliverOutbox(storage, { webhookUrl: url, secret: SECRET, backoff: fast, now: () => t2 })).toEqual({ delivered: 1, pending: 0, deadLettered: 0 });
    expect(await deliverOutbox(storage, { webhookUrl: url, secret: SECRET, backoff: fast, now: () => new Date(t2.getTime() + 7_200_000) })).toEqual({ delivered: 0, pending: 0, deadLettered: 0 });
    expect(receiver.received).toHaveLength(5);
    // Every attempt carried the same bytes, so the same signature.
    expect(new Set(receiver.received.map((request) => request.body)).size).toBe(1);
    expect(new Set(receiver.received.map((request) => request.headers["x-audit-signature"])).size).toBe(1);
  });

  it("two concurrent deliverers never send the same row twice", async () => {
    const { storage, url, receiver } = await setup();
    receiver.delayMs = 150;
    for (const scanId of ["scan-a", "scan-b", "scan-c"]) await enqueueDigest(storage, digestPayload(scanId));
    const results = await Promise.all([
      deliverOutbox(storage, { webhookUrl: url, backoff: fast }),
      deliverOutbox(storage, { webhookUrl: url, backoff: fast }),
    ]);
    expect(results[0]!.delivered + results[1]!.delivered).toBe(3);
    const deliveries = receiver.received.map((request) => request.headers["x-audit-delivery"]);
    expect(deliveries.sort()).toEqual([outboxId("scan-a"), outboxId("scan-b"), outboxId("scan-c")]);
    expect(receiver.received.every((request) => request.headers["x-audit-signature"] === undefined)).toBe(true);
  });

  it("without a webhook URL rows stay queued", async () => {
    const { storage, receiver } = await setup();
    await enqueueDigest(storage, digestPayload("scan-3"));
    const lines: string[] = [];
    expect(await deliverOutbox(storage, { webhookUrl: "", secret: SECRET, log: (line) => lines.push(line) })).toEqual({ delivered: 0, pending: 1, deadLettered: 0 });
    expect(receiver.received).toHaveLength(0);
    expect(lines.join("\n")).not.toContain(SECRET);
  });

  it("a receiver that is down holds later digests back, in order", async () => {
    const { storage, url, receiver } = await setup();
    await enqueueDigest(storage, digestPayload("first"), new Date("2025-01-01T00:00:00Z"));
    await enqueueDigest(storage, digestPayload("second"), new Date("2025-01-02T00:00:00Z"));
    receiver.status = 503;
    expect(await deliverOutbox(storage, { webhookUrl: url, backoff: fast, maxAttemptsPerCall: 1 })).toEqual({ delivered: 0, pending: 2, deadLettered: 0 });
    expect(receiver.received.map((request) => request.headers["x-audit-delivery"])).toEqual([outboxId("first")]);
    receiver.status = 200;
    const later = new Date(Date.now() + 3_600_000);
    expect(await deliverOutbox(storage, { webhookUrl: url, backoff: fast, now: () => later })).toEqual({ delivered: 2, pending: 0, deadLettered: 0 });
    expect(receiver.received.map((request) => request.headers["x-audit-delivery"])).toEqual([outboxId("first"), outboxId("first"), outboxId("second")]);
  });

  it("records timeouts and network errors without the URL", async () => {
    const { storage, url, receiver } = await setup();
    await enqueueDigest(storage, digestPayload("scan-4"));
    receiver.hang = true;
    await deliverOutbox(storage, { webhookUrl: url, backoff: fast, maxAttemptsPerCall: 1, timeoutMs: 200 });
    let [row] = (await outboxRows(storage)).filter((entity) => entity.partitionKey === "digest");
    expect(row!.lastError).toBe("timeout after 200 ms");

    await receiver.close();
    const later = new Date(Date.now() + 3_600_000);
    await deliverOutbox(storage, { webhookUrl: url, backoff: fast, maxAttemptsPerCall: 1, now: () => later });
    [row] = (await outboxRows(storage)).filter((entity) => entity.partitionKey === "digest");
    expect(row!.lastError).toBe("network error (ECONNREFUSED)");
    expect(row!.attempts).toBe(2);
  });

  it("keeps large bodies in a blob and sends them byte for byte", async () => {
    const { storage, url, receiver } = await setup();
    const big = digestPayload("scan-5", "x".repeat(200_000));
    await enqueueDigest(storage, big);
    const [row] = (await outboxRows(storage)).filter((entity) => entity.partitionKey === "digest");
    expect(row!.body).toBe("");
    expect(await deliverOutbox(storage, { webhookUrl: url, secret: SECRET, backoff: fast })).toEqual({ delivered: 1, pending: 0, deadLettered: 0 });
    expect(receiver.received[0]!.body).toBe(JSON.stringify(big));
    expect(verifySignature(SECRET, receiver.received[0]!.body, receiver.received[0]!.headers["x-audit-signature"] as string)).toBe(true);
    expect(await storage.reports.getBlockBlobClient(`outbox/${outboxId("scan-5")}.json`).exists()).toBe(false);
  });

  it("does not follow redirects", async () => {
    const { storage, url, receiver } = await setup();
    receiver.status = 302;
    await enqueueDigest(storage, digestPayload("scan-6"));
    expect(await deliverOutbox(storage, { webhookUrl: url, backoff: fast })).toEqual({ delivered: 0, pending: 1, deadLettered: 0 });
    expect(receiver.received).toHaveLength(1);
  });
});

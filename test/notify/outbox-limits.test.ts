/**
 * The outbox gives up on what can't succeed and keeps trying what can: a receiver that
 * refuses a digest (3xx/4xx) MAX_REJECTED_CALLS times dead-letters it with the reason (shown
 * by digestDelivery: GET /api/scans/{id}, the CLI's --store summary); 5xx and network errors
 * keep it queued with backoff; a webhook host resolving to a link-local or metadata address
 * is refused without a POST. Azurite-backed; the receiver is a recording fetch.
 */
import { describe, expect, it } from "vitest";
import { deliverOutbox, digestDelivery, enqueueDigest, MAX_REJECTED_CALLS } from "../../src/notify/outbox.js";
import { useAzuriteStorage } from "../support/storage-fixture.js";
import { digestPayload } from "../support/digest-payload.js";

const { freshStorage } = useAzuriteStorage();
const URL_ = "https://hooks.example.com/audit";
const publicDns = async () => ["203.0.113.7"];
const fast = { retryDelayMs: 1, rescheduleMs: 1, maxRescheduleMs: 1 };


function receiver(status: number) {
  const calls: string[] = [];
  const send = (async (_url: string | URL | Request, init?: RequestInit) => {
    calls.push(new Headers(init?.headers).get("x-audit-delivery") ?? "");
    return new Response("no", { status });
  }) as typeof fetch;
  return { calls, send };
}

describe("outbox limits", () => {
  it.each([400, 404, 410, 301])("a receiver answering %i dead-letters the digest after the cap, with the reason", async (status) => {
    const storage = await freshStorage();
    await enqueueDigest(storage, digestPayload("scan-rejected"));
    const { calls, send } = receiver(status);
    const outcomes = [];
    for (let call = 0; call < MAX_REJECTED_CALLS + 3; call++) {
      outcomes.push(await deliverOutbox(storage, { webhookUrl: URL_, fetch: send, lookup: publicDns, backoff: fast, ignoreSchedule: true }));
    }
    expect(calls).toHaveLength(MAX_REJECTED_CALLS);
    expect(outcomes.map((outcome) => outcome.deadLettered)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(await digestDelivery(storage, "scan-rejected")).toMatchObject({ state: "dead-lettered", reason: `HTTP ${status}`, attempts: MAX_REJECTED_CALLS });
    // Never queued again for the same run.
    expect(await enqueueDigest(storage, digestPayload("scan-rejected"))).toMatchObject({ queued: false });
  });

  it("5xx keeps the digest queued, call after call", async () => {
    const storage = await freshStorage();
    await enqueueDigest(storage, digestPayload("scan-down"));
    const { calls, send } = receiver(503);
    for (let call = 0; call < MAX_REJECTED_CALLS + 2; call++) {
      expect(await deliverOutbox(storage, { webhookUrl: URL_, fetch: send, lookup: publicDns, backoff: fast, maxAttemptsPerCall: 1, ignoreSchedule: true })).toMatchObject({ deadLettered: 0, pending: 1 });
    }
    expect(calls.length).toBe(MAX_REJECTED_CALLS + 2);
    expect(await digestDelivery(storage, "scan-down")).toMatchObject({ state: "pending", lastError: "HTTP 503" });
  });

  it.each([["169.254.169.254"], ["fe80::1"], ["0.0.0.0"], ["168.63.129.16"]])("a host resolving to %s is refused at send time, without a POST", async (address) => {
    const storage = await freshStorage();
    await enqueueDigest(storage, digestPayload("scan-metadata"));
    const { calls, send } = receiver(200);
    const outcome = await deliverOutbox(storage, { webhookUrl: "https://rebinding.example.com/hook", fetch: send, lookup: async () => ["203.0.113.9", address], backoff: fast });
    expect(calls).toEqual([]);
    expect(outcome.deadLettered).toBe(1);
    expect(await digestDelivery(storage, "scan-metadata")).toMatchObject({ state: "dead-lettered", reason: expect.stringContaining(address) });
  });

  it("a digest whose announcement is not applied yet is not sent", async () => {
    const storage = await freshStorage();
    await enqueueDigest(storage, digestPayload("scan-unmarked"), new Date(), { announced: false });
    const { calls, send } = receiver(200);
    await deliverOutbox(storage, { webhookUrl: URL_, fetch: send, lookup: publicDns });
    expect(calls).toEqual([]);
  });
});

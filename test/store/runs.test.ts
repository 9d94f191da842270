import { describe, expect, it } from "vitest";
import type { ScanResult } from "../../src/engine/result.js";
import {
  claimSubscription,
  closeStaleRuns,
  completeSubscription,
  createRun,
  failSubscription,
  getRun,
  getRunArtifact,
  getRunReport,
  listRuns,
  markRunClosed,
  putRunArtifact,
  putRunReport,
  releaseSubscription,
  tryCloseRun,
  type NewRun,
} from "../../src/store/runs.js";
import { completeSubscriptionIds } from "../../src/lifecycle/runs.js";
import { useAzuriteStorage } from "../support/storage-fixture.js";

const SUB_A = "AAAAAAAA-0000-0000-0000-000000000001";
const SUB_B = "bbbbbbbb-0000-0000-0000-000000000002";
const SUB_C = "cccccccc-0000-0000-0000-000000000003";

const { freshStorage } = useAzuriteStorage();

function newRun(scanId: string, startedAt = "2025-01-01T02:00:00.000Z"): NewRun {
  return {
    scanId,
    trigger: "timer",
    startedAt,
    subscriptions: [
      { subscriptionId: SUB_A, displayName: "Spoke A", status: "pending" },
      { subscriptionId: SUB_B, displayName: "Hub", status: "pending" },
      { subscriptionId: SUB_C, displayName: "Disabled", status: "skipped" },
    ],
  };
}

describe("scan runs", () => {
  it("createRun is idempotent and records every subscription", async () => {
    const storage = await freshStorage();
    expect(await createRun(storage, newRun("scan-1"))).toBe(true);
    expect(await claimSubscription(storage, "scan-1", SUB_A)).toBe(true);
    // A retried timer: nothing is reset.
    expect(await createRun(storage, newRun("scan-1"))).toBe(false);
    const run = await getRun(storage, "scan-1");
    expect(run).toMatchObject({ scanId: "scan-1", trigger: "timer", status: "running", subscriptionCount: 3 });
    expect(run!.counts).toEqual({ pending: 1, running: 1, complete: 0, partial: 0, failed: 0, skipped: 1 });
    expect(run!.subscriptions.find((row) => row.subscriptionId === SUB_A)).toMatchObject({ status: "running", attempts: 1 });
  });

  it("a redelivered message cannot claim a subscription twice", async () => {
    const storage = await freshStorage();
    await createRun(storage, newRun("scan-2"));
    expect(await claimSubscription(storage, "scan-2", SUB_A)).toBe(true);
    // Redelivered while the first worker holds the lease.
    expect(await claimSubscription(storage, "scan-2", SUB_A.toLowerCase())).toBe(false);
    expect(await completeSubscription(storage, "scan-2", SUB_A, { status: "complete", findingCount: 4 })).toBe(true);
    // Redelivered after it finished.
    expect(await claimSubscription(storage, "scan-2", SUB_A)).toBe(false);
    expect(await completeSubscription(storage, "scan-2", SUB_A, { status: "failed" })).toBe(false);
    const run = await getRun(storage, "scan-2");
    expect(run!.subscriptions.find((row) => row.subscriptionId === SUB_A)).toMatchObject({ status: "complete", findingCount: 4 });
    // Skipped subscriptions are never claimable.
    expect(await claimSubscription(storage, "scan-2", SUB_C)).toBe(false);
  });

  it("exactly one of several concurrent claims wins", async () => {
    const storage = await freshStorage();
    await createRun(storage, newRun("scan-3"));
    const results = await Promise.all([
      claimSubscription(storage, "scan-3", SUB_B),
      claimSubscription(storage, "scan-3", SUB_B),
      claimSubscription(storage, "scan-3", SUB_B),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("an expired lease (dead worker) or a release lets the next delivery claim it", async () => {
    const storage = await freshStorage();
    await createRun(storage, newRun("scan-4"));
    const t0 = new Date("2025-01-01T02:00:00Z");
    expect(await claimSubscription(storage, "scan-4", SUB_A, { now: t0, leaseMs: 60_000 })).toBe(true);
    expect(await claimSubscription(storage, "scan-4", SUB_A, { now: new Date(t0.getTime() + 30_000), leaseMs: 60_000 })).toBe(false);
    expect(await claimSubscription(storage, "scan-4", SUB_A, { now: new Date(t0.getTime() + 61_000), leaseMs: 60_000 })).toBe(true);
    expect(await releaseSubscription(storage, "scan-4", SUB_A)).toBe(true);
    expect(await claimSubscription(storage, "scan-4", SUB_A, { now: new Date(t0.getTime() + 62_000) })).toBe(true);
    const run = await getRun(storage, "scan-4");
    expect(run!.subscriptions.find((row) => row.subscriptionId === SUB_A)!.attempts).toBe(3);
  });

  it("tryCloseRun lets a later caller take over a close that failed, once the closer's lease is over", async () => {
    const storage = await freshStorage();
    const t0 = new Date("2025-01-01T02:00:00Z");
    await createRun(storage, { scanId: "scan-takeover", trigger: "timer", startedAt: t0.toISOString(), subscriptions: [{ subscriptionId: SUB_A, displayName: "A", status: "skipped" }] });
    expect(await tryCloseRun(storage, "scan-takeover", t0, { closerLeaseMs: 60_000 })).toBe(true);
    // The first closer failed without marking the run closed.
    expect(await tryCloseRun(storage, "scan-takeover", new Date(t0.getTime() + 30_000), { closerLeaseMs: 60_000 })).toBe(false);
    const late = new Date(t0.getTime() + 61_000);
    const takers = await Promise.all([tryCloseRun(storage, "scan-takeover", late, { closerLeaseMs: 60_000 }), tryCloseRun(storage, "scan-takeover", late, { closerLeaseMs: 60_000 })]);
    expect(takers.filter(Boolean)).toHaveLength(1);
    // Without a lease (the default), a closing run is never taken over by tryCloseRun.
    expect(await tryCloseRun(storage, "scan-takeover", new Date(t0.getTime() + 86_400_000))).toBe(false);
  });

  it("tryCloseRun is true for exactly one caller, only once every subscription is terminal", async () => {
    const storage = await freshStorage();
    await createRun(storage, newRun("scan-5"));
    await completeSubscription(storage, "scan-5", SUB_A, { status: "complete" });
    expect(await tryCloseRun(storage, "scan-5")).toBe(false); // B still pending
    await claimSubscription(storage, "scan-5", SUB_B);
    expect(await tryCloseRun(storage, "scan-5")).toBe(false); // B running
    await completeSubscription(storage, "scan-5", SUB_B, {
      status: "partial",
      errors: [{ operation: "webApps.list", resourceId: `/subscriptions/${SUB_B}`, statusCode: 403, code: "AuthorizationFailed", message: "no" }],
    });
    const closers = await Promise.all(Array.from({ length: 8 }, () => tryCloseRun(storage, "scan-5")));
    expect(closers.filter(Boolean)).toHaveLength(1);
    expect(await tryCloseRun(storage, "scan-5")).toBe(false);
    expect((await getRun(storage, "scan-5"))!.status).toBe("closing");

    expect(await markRunClosed(storage, "scan-5", { digest: { new: 1 } })).toBe("partial");
    const run = await getRun(storage, "scan-5");
    expect(run).toMatchObject({ status: "partial", summary: { digest: { new: 1 } } });
    expect(run!.closedAt).not.toBeNull();
    expect(run!.subscriptions.find((row) => row.subscriptionId === SUB_B)!.errors[0]!.code).toBe("AuthorizationFailed");
    expect([...completeSubscriptionIds(run!)]).toEqual([SUB_A.toLowerCase()]);
  });

  it("a run whose subscriptions all complete closes as complete", async () => {
    const storage = await freshStorage();
    await createRun(storage, newRun("scan-6"));
    await completeSubscription(storage, "scan-6", SUB_A, { status: "complete" });
    await completeSubscription(storage, "scan-6", SUB_B, { status: "complete" });
    expect(await tryCloseRun(storage, "scan-6")).toBe(true);
    expect(await markRunClosed(storage, "scan-6")).toBe("complete");
  });

  it("a poison message fails its subscription so the run can close as partial", async () => {
    const storage = await freshStorage();
    await createRun(storage, newRun("scan-7"));
    await completeSubscription(storage, "scan-7", SUB_A, { status: "complete" });
    expect(await failSubscription(storage, "scan-7", SUB_B, "message was dequeued 5 times")).toBe(true);
    expect(await tryCloseRun(storage, "scan-7")).toBe(true);
    expect(await markRunClosed(storage, "scan-7")).toBe("partial");
  });

  it("closeStaleRuns fails stragglers, hands the run to one caller, and re-claims a stuck close", async () => {
    const storage = await freshStorage();
    await createRun(storage, newRun("old", "2025-01-01T02:00:00.000Z"));
    await createRun(storage, newRun("recent", "2025-01-02T02:00:00.000Z"));
    await completeSubscription(storage, "old", SUB_A, { status: "complete" });
    await claimSubscription(storage, "old", SUB_B);

    const cutoff = new Date("2025-01-01T12:00:00Z");
    const [first, second] = await Promise.all([
      closeStaleRuns(storage, cutoff, new Date("2025-01-02T02:00:00Z")),
      closeStaleRuns(storage, cutoff, new Date("2025-01-02T02:00:00Z")),
    ]);
    expect([...first!, ...second!]).toEqual(["old"]);
    const old = await getRun(storage, "old");
    expect(old!.status).toBe("closing");
    expect(old!.subscriptions.find((row) => row.subscriptionId === SUB_B)).toMatchObject({ status: "failed" });
    expect((await getRun(storage, "recent"))!.status).toBe("running");

    // The closer died: a later tick takes the close over (once).
    const later = new Date("2025-01-03T02:00:00Z");
    expect(await closeStaleRuns(storage, new Date("2025-01-02T12:00:00Z"), later)).toEqual(["old", "recent"]);
    expect(await closeStaleRuns(storage, new Date("2025-01-02T12:00:00Z"), later)).toEqual([]);
    expect(await markRunClosed(storage, "old")).toBe("partial");
    const runs = await listRuns(storage, 10);
    expect(runs.map((run) => run.scanId)).toEqual(["recent", "old"]);
    expect(runs[1]!.status).toBe("partial");
  });

  it("stores run artifacts and the JSON report in blobs", async () => {
    const storage = await freshStorage();
    await putRunArtifact(storage, "scan-8", "dns-zones", { zones: [{ name: "privatelink.azurewebsites.net" }] });
    expect(await getRunArtifact(storage, "scan-8", "dns-zones")).toEqual({ zones: [{ name: "privatelink.azurewebsites.net" }] });
    expect(await getRunArtifact(storage, "scan-8", "missing")).toBeUndefined();
    const report = { schemaVersion: 1, scanId: "scan-8", findings: [] } as unknown as ScanResult;
    await putRunReport(storage, "scan-8", { json: report, html: "<html></html>" });
    expect(await getRunReport(storage, "scan-8")).toEqual(report);
    expect(await storage.reports.getBlockBlobClient("runs/scan-8/report.html").exists()).toBe(true);
  });

  it("refuses scan IDs that cannot be storage keys", async () => {
    const storage = await freshStorage();
    await expect(createRun(storage, newRun("a/b"))).rejects.toThrow(/storage key/);
  });
});

/**
 * The cycle's failure paths through the real queue-handler code path (scanSubscription),
 * the emulator and Azurite:
 * - a transient storage error while closing gives the closer lease back, so the queue's
 *   redelivery 60 s later closes the run (it used to find the lease live, drop the message
 *   and leave the run `closing` until a timer tick hours later);
 * - a message that finds the run closing under another worker's live lease is retried, not dropped;
 * - a run `closing` after its closer died is taken over by the next run once the lease is over;
 * - an empty scope never closes `complete`.
 */
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients } from "../../src/azure/clients.js";
import { defaultConfig } from "../../src/config/file.js";
import { readSettings } from "../../src/config/settings.js";
import { CLOSER_LEASE_MS, CloseInProgressError, runCycleInProcess, scanSubscription, startRun } from "../../src/cycle/cycle.js";
import type { CycleDeps } from "../../src/cycle/deps.js";
import { claimSubscription, completeSubscription, getRunInfo, tryCloseRun } from "../../src/store/runs.js";
import { startArmEmulator, type ArmEmulator } from "../../emulator/index.js";
import { CrashSwitch, crashingStorage } from "../support/crash-points.js";
import { useAzuriteStorage } from "../support/storage-fixture.js";
import * as b from "../../emulator/tenant/index.js";

const SUB = "7e1a0000-0000-4000-8000-000000000001";
const { freshStorage } = useAzuriteStorage();
let emulator: ArmEmulator;
let empty: ArmEmulator;
let restoreEnv: () => void;

beforeAll(async () => {
  const plan = b.plan({ subscriptionId: SUB, resourceGroup: "rg", name: "plan" });
  emulator = await startArmEmulator({ tenant: b.tenant({ subscriptions: [b.subscription(SUB, "Reliable")], resources: [plan, b.site({ subscriptionId: SUB, resourceGroup: "rg", name: "app", serverFarmId: plan.id })] }) });
  empty = await startArmEmulator({ tenant: b.tenant({ subscriptions: [] }) });
  restoreEnv = emulator.applyEnv();
});
afterAll(async () => {
  restoreEnv?.();
  await Promise.all([emulator?.close(), empty?.close()]);
});

async function deps(target: ArmEmulator = emulator): Promise<{ deps: CycleDeps; crash: CrashSwitch; clock: { now: number } }> {
  const crash = new CrashSwitch();
  const clock = { now: Date.parse("2026-12-01T02:00:00Z") };
  const storage = crashingStorage(await freshStorage(), crash);
  return {
    crash,
    clock,
    deps: {
      settings: readSettings({ AUDIT_ARM_ENDPOINT: target.url }),
      config: defaultConfig(),
      clients: createAzureClients({ endpoint: target.url, credential: new ManagedIdentityCredential() }),
      storage,
      now: () => new Date(clock.now),
      log: () => undefined,
      retryWhileClosing: true,
    },
  };
}

/** A worker scans the subscription, takes the close (the lease), and dies before closing. */
async function closerThatDies(d: CycleDeps, scanId: string, now: number): Promise<void> {
  await claimSubscription(d.storage, scanId, SUB, { now: new Date(now) });
  await completeSubscription(d.storage, scanId, SUB, { status: "complete", now: new Date(now) });
  expect(await tryCloseRun(d.storage, scanId, new Date(now))).toBe(true);
}

describe("closing a run", () => {
  it("after a transient storage error while closing, the queue's redelivery 60 s later closes the run", async () => {
    const { deps: d, crash, clock } = await deps();
    const started = await startRun(d, { trigger: "timer" });
    // The second blob upload of the delivery is the run's JSON report, written while closing.
    crash.failNext("blob.upload", 1);
    await expect(scanSubscription(d, started.messages[0]!)).rejects.toThrow(/transient/);
    expect((await getRunInfo(d.storage, started.scanId))?.status).toBe("closing");
    clock.now += 60_000; // host.json visibilityTimeout: well inside the 2-minute closer lease
    expect(await scanSubscription(d, started.messages[0]!)).toBe("duplicate");
    expect((await getRunInfo(d.storage, started.scanId))?.status).toBe("complete");
  }, 60_000);

  it("a message that finds another worker closing is retried (thrown), and the run is closed after that worker died", async () => {
    const { deps: d, clock } = await deps();
    // Another worker finished the subscription and took the close, then died.
    const second = await startRun(d, { trigger: "timer" });
    await closerThatDies(d, second.scanId, clock.now);
    await expect(scanSubscription(d, second.messages[0]!)).rejects.toThrow(CloseInProgressError);
    clock.now += CLOSER_LEASE_MS + 1_000;
    expect(await scanSubscription(d, second.messages[0]!)).toBe("duplicate");
    expect((await getRunInfo(d.storage, second.scanId))?.status).not.toBe("closing");
  }, 60_000);

  it("a run left closing by a killed closer is closed by the next run once the closer lease is over", async () => {
    const { deps: d, clock } = await deps();
    const first = await startRun(d, { trigger: "cli" });
    await closerThatDies(d, first.scanId, clock.now);
    clock.now += CLOSER_LEASE_MS + 1_000; // minutes, not the 6 h stale-run cutoff
    await runCycleInProcess(d, { trigger: "cli" });
    expect((await getRunInfo(d.storage, first.scanId))?.status).toBe("complete");
  }, 60_000);
});

describe("an empty scope", () => {
  it("closes the run partial, never complete", async () => {
    const { deps: d } = await deps(empty);
    const { result } = await runCycleInProcess(d, { trigger: "timer" });
    expect(result.subscriptions).toEqual([]);
    expect((await getRunInfo(d.storage, result.scanId))?.status).toBe("partial");
  }, 60_000);
});

/**
 * Crash consistency of the scan cycle. A run is killed (a thrown crash that every later call
 * also meets, like a dead process) at storage and webhook steps spread over the whole run,
 * before or after the step reached storage; then later runs recover. Whatever the point:
 * - every change is announced exactly once per delivery ID, in order (a finding's announcements
 *   across distinct deliveries are exactly new → resolved → new for the one that regressed),
 *   and a redelivered ID carries the same bytes;
 * - no finding is lost or wrongly resolved (the stored states end as the tenant is);
 * - no run is left open (every run ends complete or partial).
 * Real parts: the SDK clients against the HTTPS emulator, Azurite, the product's cycle.
 */
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients } from "../../src/azure/clients.js";
import { defaultConfig } from "../../src/config/file.js";
import { readSettings } from "../../src/config/settings.js";
import { runCycleInProcess } from "../../src/cycle/cycle.js";
import type { CycleDeps } from "../../src/cycle/deps.js";
import type { DigestPayload } from "../../src/notify/digest.js";
import { listFindings } from "../../src/store/findings.js";
import { listRuns } from "../../src/store/runs.js";
import type { AuditStorage } from "../../src/store/connection.js";
import { startArmEmulator, type ArmEmulator } from "../../emulator/index.js";
import { CrashError, CrashSwitch, crashingStorage, crashingWebhook, type CrashPoint, type Delivery } from "../support/crash-points.js";
import { useAzuriteStorage } from "../support/storage-fixture.js";
import * as b from "../../emulator/tenant/index.js";

const SUB = "c4a50000-0000-4000-8000-000000000001";
const plan = b.plan({ subscriptionId: SUB, resourceGroup: "rg", name: "plan", sku: { name: "P1v3" } });
const site = (name: string, httpsOnly: boolean) => b.site({ subscriptionId: SUB, resourceGroup: "rg", name, serverFarmId: plan.id, httpsOnly });
const HOUR = 3_600_000;
/** Crash points tried: spread evenly over the run's steps (both modes), plus every outbox and webhook step. */
const MAX_POINTS = 16;

const { freshStorage } = useAzuriteStorage();
let emulator: ArmEmulator;
let restoreEnv: () => void;

beforeAll(async () => {
  emulator = await startArmEmulator({ tenant: b.tenant({ subscriptions: [b.subscription(SUB, "Crash")], resources: [] }) });
  restoreEnv = emulator.applyEnv();
});
afterAll(async () => {
  restoreEnv?.();
  await emulator?.close();
});

function setTenant(httpsOnly: Record<"a" | "b" | "c", boolean>): void {
  emulator.setTenant(
    b.tenant({ subscriptions: [b.subscription(SUB, "Crash")], resources: [plan, site("app-a", httpsOnly.a), site("app-b", httpsOnly.b), site("app-c", httpsOnly.c)] }),
  );
}

interface World {
  storage: AuditStorage;
  crash: CrashSwitch;
  received: Delivery[];
  clock: { now: number };
  deps: CycleDeps;
}

async function world(): Promise<World> {
  const storage = await freshStorage();
  const crash = new CrashSwitch();
  const received: Delivery[] = [];
  const clock = { now: Date.parse("2026-12-01T00:00:00Z") };
  const deps: CycleDeps = {
    settings: readSettings({ AUDIT_ARM_ENDPOINT: emulator.url, AUDIT_WEBHOOK_URL: "https://hooks.example.com/audit", AUDIT_MIN_ALERT_SEVERITY: "medium" }),
    config: defaultConfig(),
    clients: createAzureClients({ endpoint: emulator.url, credential: new ManagedIdentityCredential() }),
    storage: crashingStorage(storage, crash),
    now: () => new Date(clock.now),
    log: () => undefined,
    fetch: crashingWebhook(crash, received),
    lookup: async () => ["203.0.113.10"],
  };
  return { storage, crash, received, clock, deps };
}

async function run(w: World, point?: CrashPoint, after = 7 * HOUR): Promise<"closed" | "crashed"> {
  w.clock.now += after;
  w.crash.arm(point);
  try {
    await runCycleInProcess(w.deps, { trigger: "cli" });
    return "closed";
  } catch (error) {
    if (!(error instanceof CrashError) && !w.crash.dead) throw error;
    // Let calls already in flight in the dead "process" fail before the next run starts.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return "crashed";
  }
}

/**
 * Baseline (a, b open) → b fixed, c broken: the run under test → a recovery run one minute
 * later (inside the dead closer's lease: the crashed run is not re-closed first, as when a
 * killed `scan --store` is simply run again) → b regresses → a last run hours later.
 */
async function scenario(point?: CrashPoint): Promise<{ w: World; outcome: string }> {
  const w = await world();
  setTenant({ a: false, b: false, c: true });
  expect(await run(w)).toBe("closed");
  setTenant({ a: false, b: true, c: false });
  const outcome = await run(w, point);
  expect(await run(w, undefined, 60_000)).toBe("closed");
  setTenant({ a: false, b: false, c: false });
  expect(await run(w)).toBe("closed");
  return { w, outcome };
}

/** Per finding name, what the distinct deliveries said about it, in delivery order. */
function announcements(received: Delivery[]): { byName: Record<string, string[]>; sameBytes: boolean } {
  const seen = new Map<string, string>();
  let sameBytes = true;
  const byName: Record<string, string[]> = {};
  for (const delivery of received) {
    const earlier = seen.get(delivery.id);
    if (earlier !== undefined) {
      sameBytes &&= earlier === delivery.body;
      continue;
    }
    seen.set(delivery.id, delivery.body);
    const digest = JSON.parse(delivery.body) as DigestPayload;
    for (const kind of ["new", "escalated", "resolved"] as const) {
      for (const finding of digest[kind]) {
        const name = finding.resourceId.split("/").pop()!;
        (byName[name] ??= []).push(kind);
      }
    }
  }
  return { byName, sameBytes };
}

async function invariants(w: World): Promise<string[]> {
  const broken: string[] = [];
  const { byName: unsorted, sameBytes } = announcements(w.received);
  const byName = Object.fromEntries(Object.entries(unsorted).sort(([x], [y]) => x.localeCompare(y)));
  const expected = { "app-a": ["new"], "app-b": ["new", "resolved", "new"], "app-c": ["new"] };
  if (JSON.stringify(byName) !== JSON.stringify(expected)) broken.push(`announcements ${JSON.stringify(byName)}`);
  if (!sameBytes) broken.push("a redelivered ID carried other bytes");
  const stored = (await listFindings(w.storage, { ruleId: "https-only-disabled" })).items;
  const states = Object.fromEntries(stored.map((finding) => [finding.resourceId.split("/").pop(), finding.state]).sort(([x], [y]) => String(x).localeCompare(String(y))));
  if (JSON.stringify(states) !== JSON.stringify({ "app-a": "open", "app-b": "open", "app-c": "open" })) broken.push(`stored states ${JSON.stringify(states)}`);
  const open = (await listRuns(w.storage, 100)).filter((r) => r.status !== "complete" && r.status !== "partial");
  if (open.length > 0) broken.push(`runs left open: ${open.map((r) => r.status).join(", ")}`);
  return broken;
}

describe("crash consistency of the scan cycle", () => {
  it("holds every invariant whatever step of a run is killed, before or after it lands", async () => {
    // Without a crash: count the steps of the run under test, and check the scenario itself.
    const clean = await scenario();
    expect(clean.outcome).toBe("closed");
    expect(await invariants(clean.w)).toEqual([]);
    const dry = await world();
    setTenant({ a: false, b: false, c: true });
    await run(dry);
    setTenant({ a: false, b: true, c: false });
    await run(dry);
    const labels = [...dry.crash.labels];
    const total = labels.length;

    const candidates: CrashPoint[] = [];
    for (let step = 0; step < total; step++) for (const when of ["before", "after"] as const) candidates.push({ step, when });
    const stride = Math.max(1, Math.floor(candidates.length / MAX_POINTS));
    // Every outbox and webhook step, and the step after each, both modes: where announcing happens.
    const announcing = (step: number) => [labels[step], labels[step - 1]].some((label) => label !== undefined && /^(outbox|webhook)\./.test(label));
    const points = candidates.filter((point, index) => index % stride === 0 || announcing(point.step));

    const failures: string[] = [];
    let crashed = 0;
    for (const point of points) {
      const { w, outcome } = await scenario(point);
      if (outcome === "crashed") crashed++;
      const broken = await invariants(w);
      if (broken.length > 0) failures.push(`step ${point.step} ${point.when} (${labels[point.step]}): ${broken.join("; ")}`);
    }
    console.info(`crash consistency: ${total} steps in the run; ${points.length} crash points tried (${crashed} crashed the run); invariants held at ${points.length - failures.length}`);
    expect(failures).toEqual([]);
    expect(crashed).toBe(points.length);
  }, 600_000);
});

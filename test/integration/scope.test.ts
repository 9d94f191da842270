/** Scope edge cases through the real CLI: an empty tenant, and an allow-listed subscription the identity can't see. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanResult } from "../../src/engine/result.js";
import { startArmEmulator, type ArmEmulator } from "../../emulator/index.js";
import { runCliProcess } from "../support/cli.js";
import * as b from "../../emulator/tenant/index.js";

const VISIBLE = "5c0e0000-0000-4000-8000-000000000001";
const INVISIBLE = "5c0e0000-0000-4000-8000-0000000000ff";

let empty: ArmEmulator;
let one: ArmEmulator;

beforeAll(async () => {
  empty = await startArmEmulator({ tenant: b.tenant({ subscriptions: [] }) });
  one = await startArmEmulator({ tenant: b.tenant({ subscriptions: [b.subscription(VISIBLE, "Visible")] }) });
});

afterAll(async () => {
  await Promise.all([empty?.close(), one?.close()]);
});

describe("scan scope", () => {
  it("never passes a scope with no subscription in it (lost Reader, wrong tenant): exit 3 with one line", async () => {
    for (const failOn of [[], ["--fail-on", "low"]]) {
      const run = await runCliProcess(["scan", "--format", "json", ...failOn], empty.env());
      expect(run.code).toBe(3);
      const result = JSON.parse(run.stdout) as ScanResult;
      expect(result.subscriptions).toEqual([]);
      expect(result.findings).toEqual([]);
      expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(/0 subscriptions in scope \(the identity sees none/)]);
    }
  });

  it("reports an allow-listed subscription the identity can't see as failed, and exits 3", async () => {
    const run = await runCliProcess(["scan", "--format", "json", "--subscription", VISIBLE, "--subscription", INVISIBLE], one.env());
    expect(run.code).toBe(3);
    const result = JSON.parse(run.stdout) as ScanResult;
    const statuses = Object.fromEntries(result.subscriptions.map((subscription) => [subscription.subscriptionId, subscription.status]));
    expect(statuses).toEqual({ [VISIBLE]: "complete", [INVISIBLE]: "failed" });
    const invisible = result.subscriptions.find((subscription) => subscription.subscriptionId === INVISIBLE)!;
    expect(invisible.errors).toEqual([expect.objectContaining({ operation: "subscriptions.get", statusCode: 404 })]);
  });
});

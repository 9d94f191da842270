import { app, type InvocationContext, type Timer } from "@azure/functions";
import { scanQueueOutput } from "../src/api/bindings.js";
import { depsFor } from "../src/api/runtime.js";
import { SETTINGS } from "../src/config/settings.js";
import { startRun } from "../src/cycle/cycle.js";

/** Starts a tenant scan: scope, DNS zones, run rows, then fans out; returns quickly. */
export async function scheduledScan(_timer: Timer, context: InvocationContext): Promise<void> {
  const started = await startRun(depsFor(context), { trigger: "timer" });
  context.extraOutputs.set(scanQueueOutput, started.messages);
  context.log(`scan ${started.scanId}: queued ${started.messages.length} subscription(s)`);
}

app.timer("scheduledScan", {
  // Read when the worker loads the app; the app setting changes the schedule without a redeploy.
  schedule: process.env.AUDIT_SCHEDULE?.trim() || SETTINGS.AUDIT_SCHEDULE.default,
  extraOutputs: [scanQueueOutput],
  handler: scheduledScan,
});

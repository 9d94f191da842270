import { app, type InvocationContext } from "@azure/functions";
import { depsFor } from "../src/api/runtime.js";
import { describeAzureFailure } from "../src/azure/errors.js";
import { failSubscriptionScan, scanMessageSchema, scanSubscription as scanOneSubscription } from "../src/cycle/cycle.js";
import { SCAN_QUEUE } from "../src/store/connection.js";

/** host.json's queues.maxDequeueCount: the last delivery before the host gives up on a message. */
export const MAX_DEQUEUE_COUNT = 5;

/**
 * Scans one subscription of a run. A failure is rethrown so the host redelivers the
 * message; on the last delivery the subscription is marked failed instead, so a poison
 * message leaves the run incomplete but closed, never hanging.
 */
export async function scanSubscription(queueItem: unknown, context: InvocationContext): Promise<void> {
  const parsed = scanMessageSchema.safeParse(queueItem);
  if (!parsed.success) {
    // Nothing can ever make a malformed message valid: drop it, loudly.
    context.error(`dropping a malformed scan message: ${parsed.error.issues[0]?.path.join(".") || "(root)"} ${parsed.error.issues[0]?.message}`);
    return;
  }
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
  // Until the last delivery, a run another worker is closing makes this message come back later.
  const deps = { ...depsFor(context), retryWhileClosing: dequeueCount < MAX_DEQUEUE_COUNT };
  try {
    const outcome = await scanOneSubscription(deps, parsed.data);
    if (outcome === "duplicate") context.log(`scan ${parsed.data.scanId}: ${parsed.data.subscriptionId} already done; redelivery ignored`);
  } catch (error) {
    const reason = describeAzureFailure(error).message;
    if (dequeueCount >= MAX_DEQUEUE_COUNT) {
      context.error(`scan ${parsed.data.scanId}: giving up on ${parsed.data.subscriptionId} after ${dequeueCount} attempts: ${reason}`);
      await failSubscriptionScan(deps, parsed.data, reason);
      return;
    }
    context.warn(`scan ${parsed.data.scanId}: ${parsed.data.subscriptionId} attempt ${dequeueCount} failed: ${reason}`);
    throw error;
  }
}

app.storageQueue("scanSubscription", {
  queueName: SCAN_QUEUE,
  connection: "AzureWebJobsStorage",
  handler: scanSubscription,
});

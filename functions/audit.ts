import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { z } from "zod";
import { scanQueueOutput } from "../src/api/bindings.js";
import { assertAllowed, handleRoute, jsonResponse, readJsonBody, validate } from "../src/api/http.js";
import { problemResponses, scanResultSchema, type ApiRoute } from "../src/api/openapi.js";
import { depsFor } from "../src/api/runtime.js";
import { subscriptionIdSchema, uniqueSubscriptionIds } from "../src/model/ids.js";
import { runCycleInProcess, startRun } from "../src/cycle/cycle.js";

/** Scopes up to this many subscriptions are audited within the request; larger ones go through the queue. */
export const SYNCHRONOUS_SUBSCRIPTION_LIMIT = 3;

export const auditRequestSchema = z.strictObject({
  subscriptions: z
    .array(subscriptionIdSchema)
    .min(1, "at least one subscription ID, or omit the field for the whole tenant")
    .max(1000)
    .refine((ids) => uniqueSubscriptionIds(ids).length === ids.length, "each subscription ID once")
    .optional(),
});

/**
 * `POST /api/audit`: a small scope answers 200 with the scan result; the whole tenant (or a
 * large scope) answers 202 with a Location to poll, and is fanned out like a timer run.
 */
export async function audit(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handleRoute((message) => context.error(message), async () => {
    const body = validate(auditRequestSchema, await readJsonBody(request), "body");
    const deps = depsFor(context);
    const subscriptions = body.subscriptions ?? [];
    assertAllowed(subscriptions, deps.settings.AUDIT_SUBSCRIPTIONS);

    if (subscriptions.length > 0 && subscriptions.length <= SYNCHRONOUS_SUBSCRIPTION_LIMIT) {
      const { result } = await runCycleInProcess(deps, { trigger: "http", subscriptions });
      return jsonResponse(200, result);
    }
    const started = await startRun(deps, { trigger: "http", subscriptions });
    context.extraOutputs.set(scanQueueOutput, started.messages);
    const location = new URL(`/api/scans/${started.scanId}`, request.url).toString();
    return jsonResponse(202, { scanId: started.scanId, status: "running", subscriptions: started.messages.length, location }, { location, "retry-after": "10" });
  });
}

export const auditRoute: ApiRoute = {
  operationId: "audit",
  method: "post",
  route: "audit",
  summary: "Run a scan: a small scope answers with the result, a large one with a scan to poll",
  description: `Up to ${SYNCHRONOUS_SUBSCRIPTION_LIMIT} subscriptions are audited within the request; more, or none (the whole tenant), are fanned out like a timer run.`,
  body: auditRequestSchema,
  responses: {
    "200": { description: "The scan result.", schema: scanResultSchema },
    "202": {
      description: "Accepted: poll the Location (GET /api/scans/{id}).",
      schema: z.object({ scanId: z.string(), status: z.literal("running"), subscriptions: z.number().int(), location: z.url() }),
      headers: { location: "The scan to poll.", "retry-after": "Seconds to wait before polling." },
    },
    ...problemResponses({ "400": "A body field is not valid.", "403": "A subscription is outside the audit's allow-list.", "413": "The body is too large.", "415": "The body is not JSON." }),
  },
};

app.http("audit", {
  methods: ["POST"],
  route: "audit",
  authLevel: "function",
  extraOutputs: [scanQueueOutput],
  handler: audit,
});

import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { z } from "zod";
import { handleRoute, HttpProblem, jsonResponse, validate } from "../src/api/http.js";
import { problemResponses, type ApiRoute } from "../src/api/openapi.js";
import { depsFor } from "../src/api/runtime.js";
import { digestDelivery } from "../src/notify/outbox.js";
import { getRun, getRunReport } from "../src/store/runs.js";

export const scanRouteSchema = z.object({ id: z.string().uuid("a scan ID (UUID)").describe("The scan ID from POST /api/audit's Location.") });

/** `GET /api/scans/{id}`: a run's progress, and its scan result once it has closed. */
export async function getScan(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handleRoute((message) => context.error(message), async () => {
    const { id } = validate(scanRouteSchema, { id: request.params.id }, "route");
    const { storage } = depsFor(context);
    const run = await getRun(storage, id);
    if (!run) throw new HttpProblem(404, "Not Found", `no scan ${id}`);
    const closed = run.status === "complete" || run.status === "partial";
    const body = {
      scanId: run.scanId,
      trigger: run.trigger,
      status: run.status,
      startedAt: run.startedAt,
      closedAt: run.closedAt,
      counts: run.counts,
      subscriptions: run.subscriptions.map(({ subscriptionId, displayName, status, findingCount, errors }) => ({ subscriptionId, displayName, status, findingCount, errors })),
      ...(closed ? { result: await getRunReport(storage, id), digest: await digestDelivery(storage, id) } : {}),
    };
    return jsonResponse(200, body, closed ? {} : { "retry-after": "10" });
  });
}

export const getScanRoute: ApiRoute = {
  operationId: "getScan",
  method: "get",
  route: "scans/{id}",
  summary: "A scan's progress, and its result once it has closed",
  path: scanRouteSchema,
  responses: {
    "200": { description: "The run: status, counts, subscriptions, and `result` once complete or partial (Retry-After while running).", schema: z.record(z.string(), z.unknown()), headers: { "retry-after": "Seconds to wait before polling again, while the scan runs." } },
    ...problemResponses({ "400": "The ID is not a scan ID.", "404": "No scan with this ID." }),
  },
};

app.http("getScan", {
  methods: ["GET"],
  route: "scans/{id}",
  authLevel: "function",
  handler: getScan,
});

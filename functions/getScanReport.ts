import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { z } from "zod";
import { handleRoute, HttpProblem, validate } from "../src/api/http.js";
import { problemResponses, type ApiRoute } from "../src/api/openapi.js";
import { depsFor } from "../src/api/runtime.js";
import { reportContentSecurityPolicy } from "../src/report/csp.js";
import { getRunHtmlReport, getRunInfo } from "../src/store/runs.js";

const routeSchema = z.object({ id: z.string().uuid("a scan ID (UUID)").describe("The scan ID.") });

/**
 * `GET /api/scans/{id}/report`: the run's stored HTML report, as `text/html` under the same
 * Content-Security-Policy the file carries in its meta tag (so a browser enforces it even
 * before parsing), never cached, never framed.
 */
export async function getScanReport(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handleRoute((message) => context.error(message), async () => {
    const { id } = validate(routeSchema, { id: request.params.id }, "route");
    const { storage } = depsFor(context);
    const run = await getRunInfo(storage, id);
    if (!run) throw new HttpProblem(404, "Not Found", `no scan ${id}`);
    const html = await getRunHtmlReport(storage, id);
    if (html === undefined) {
      throw new HttpProblem(404, "Not Found", run.status === "complete" || run.status === "partial" ? `scan ${id} has no stored report` : `scan ${id} is still ${run.status}; its report is written when it closes`);
    }
    const csp = reportContentSecurityPolicy(html);
    return {
      status: 200,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        ...(csp ? { "content-security-policy": `${csp}; frame-ancestors 'none'` } : {}),
      },
      body: html,
    };
  });
}

export const getScanReportRoute: ApiRoute = {
  operationId: "getScanReport",
  method: "get",
  route: "scans/{id}/report",
  summary: "A closed run's HTML report",
  path: routeSchema,
  responses: {
    "200": { description: "The self-contained HTML report, sent with its own Content-Security-Policy.", contentType: "text/html" },
    ...problemResponses({ "400": "The scan ID is not a UUID.", "404": "No such scan, or it has no report yet (still running)." }),
  },
};

app.http("getScanReport", {
  methods: ["GET"],
  route: "scans/{id}/report",
  authLevel: "function",
  handler: getScanReport,
});

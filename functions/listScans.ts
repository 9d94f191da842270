import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { z } from "zod";
import { handleRoute, HttpProblem, jsonResponse, listPage, queryObject, validate } from "../src/api/http.js";
import { listPageSchema, problemResponses, type ApiRoute } from "../src/api/openapi.js";
import { depsFor } from "../src/api/runtime.js";
import { InvalidSkipTokenError, pageOfRuns } from "../src/api/run-pages.js";
import { listRuns } from "../src/store/runs.js";

export const scansQuerySchema = z.strictObject({
  $top: z.coerce.number().int().min(1).max(100).default(20).describe("Runs per page (1-100)."),
  $skipToken: z.string().max(512).optional().describe("Where the next page starts; taken from the previous page's nextLink."),
});

/**
 * `GET /api/scans`: recent runs, newest first, a page at a time in Azure's list shape
 * (`value`, `nextLink` carrying `$skipToken`, `$top` for the page size).
 */
export async function listScans(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handleRoute((message) => context.error(message), async () => {
    // `code` carries the function key when it isn't sent as a header; it is not a filter.
    const { code: _functionKey, ...rawQuery } = queryObject(request);
    const { $top, $skipToken } = validate(scansQuerySchema, rawQuery, "query");
    const { storage } = depsFor(context);
    try {
      const page = pageOfRuns(await listRuns(storage, Number.POSITIVE_INFINITY), $top, $skipToken);
      return jsonResponse(200, listPage(request, page.value, page.skipToken));
    } catch (error) {
      if (error instanceof InvalidSkipTokenError) throw new HttpProblem(400, "Bad Request", "query field $skipToken: not a token this API issued", { field: "$skipToken" });
      throw error;
    }
  });
}

export const listScansRoute: ApiRoute = {
  operationId: "listScans",
  method: "get",
  route: "scans",
  summary: "Recent scan runs, newest first, a page at a time",
  query: scansQuerySchema,
  responses: {
    "200": { description: "A page of runs.", schema: listPageSchema(z.record(z.string(), z.unknown()).describe("A run: scanId, trigger, status, startedAt, closingAt, closedAt, subscriptionCount, summary.")) },
    ...problemResponses({ "400": "A query field is not valid." }),
  },
};

app.http("listScans", {
  methods: ["GET"],
  route: "scans",
  authLevel: "function",
  handler: listScans,
});

import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { z } from "zod";
import { handleRoute, HttpProblem, jsonResponse, queryObject, validate } from "../src/api/http.js";
import { depsFor } from "../src/api/runtime.js";
import { pageOfRuns, InvalidSkipTokenError } from "../src/api/run-pages.js";
import { listRuns } from "../src/store/runs.js";

export const scansQuerySchema = z.strictObject({
  $top: z.coerce.number().int().min(1).max(100).default(20),
  $skiptoken: z.string().max(512).optional(),
});

/**
 * `GET /api/scans`: recent runs, newest first, a page at a time in Azure's convention
 * (`value`, `nextLink` carrying `$skiptoken`, `$top` for the page size).
 */
export async function listScans(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handleRoute((message) => context.error(message), async () => {
    // `code` carries the function key when it isn't sent as a header; it is not a filter.
    const { code: _functionKey, ...rawQuery } = queryObject(request);
    const query = validate(scansQuerySchema, rawQuery, "query");
    const { storage } = depsFor(context);
    try {
      const page = pageOfRuns(await listRuns(storage, Number.POSITIVE_INFINITY), query.$top, query.$skiptoken);
      let nextLink: string | undefined;
      if (page.skipToken) {
        const next = new URL(request.url);
        next.searchParams.set("$skiptoken", page.skipToken);
        next.searchParams.set("$top", String(query.$top));
        next.searchParams.delete("code");
        nextLink = next.toString();
      }
      return jsonResponse(200, { value: page.value, ...(nextLink ? { nextLink } : {}) });
    } catch (error) {
      if (error instanceof InvalidSkipTokenError) throw new HttpProblem(400, "Bad Request", "query field $skiptoken: not a token this API issued", { field: "$skiptoken" });
      throw error;
    }
  });
}

app.http("listScans", {
  methods: ["GET"],
  route: "scans",
  authLevel: "function",
  handler: listScans,
});

import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { z } from "zod";
import { assertAllowed, assertNoRenamedParameters, handleRoute, HttpProblem, jsonResponse, listPage, queryObject, validate } from "../src/api/http.js";
import { listPageSchema, problemResponses, type ApiRoute } from "../src/api/openapi.js";
import { depsFor } from "../src/api/runtime.js";
import { subscriptionIdSchema } from "../src/model/ids.js";
import { SEVERITIES } from "../src/model/severity.js";
import { RULES } from "../src/rules/index.js";
import { InvalidContinuationTokenError, listFindings as readFindings } from "../src/store/findings.js";

const ruleIds = RULES.map((rule) => rule.meta.id);

export const findingsQuerySchema = z.strictObject({
  subscriptionId: subscriptionIdSchema.optional(),
  severity: z.enum(SEVERITIES).optional(),
  ruleId: z.enum(ruleIds as [string, ...string[]]).optional(),
  state: z.enum(["open", "resolved", "suppressed"]).optional(),
  $top: z.coerce.number().int().min(1).max(1000).default(100).describe("Findings per page (1-1000)."),
  $skipToken: z.string().max(4096).optional().describe("Where the next page starts; taken from the previous page's nextLink."),
});

/** `GET /api/findings`: stored findings with filters, a page at a time in Azure's list shape (`value`, `nextLink`, `$top`). */
export async function listFindings(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handleRoute((message) => context.error(message), async () => {
    // `code` carries the function key when it isn't sent as a header; it is not a filter.
    const { code: _functionKey, ...rawQuery } = queryObject(request);
    assertNoRenamedParameters(rawQuery);
    const { $top, $skipToken, ...filters } = validate(findingsQuerySchema, rawQuery, "query");
    const deps = depsFor(context);
    if (filters.subscriptionId) assertAllowed([filters.subscriptionId], deps.settings.AUDIT_SUBSCRIPTIONS);
    try {
      // Without subscriptionId, still only the allow-list's findings (rows of subscriptions dropped from it stay stored).
      const page = await readFindings(deps.storage, { ...filters, subscriptionIds: deps.settings.AUDIT_SUBSCRIPTIONS, top: $top, ...($skipToken !== undefined ? { continuationToken: $skipToken } : {}) });
      return jsonResponse(200, listPage(request, page.items, page.continuationToken));
    } catch (error) {
      if (error instanceof InvalidContinuationTokenError) throw new HttpProblem(400, "Bad Request", "query field $skipToken: not a token this API issued", { field: "$skipToken" });
      throw error;
    }
  });
}

export const listFindingsRoute: ApiRoute = {
  operationId: "listFindings",
  method: "get",
  route: "findings",
  summary: "Stored findings with their history, filtered, a page at a time",
  query: findingsQuerySchema,
  responses: {
    "200": { description: "A page of findings.", schema: listPageSchema(z.record(z.string(), z.unknown()).describe("A stored finding: the scan result's finding with state, firstSeen, lastSeen, resolvedAt and severityHistory.")) },
    ...problemResponses({ "400": "A query field is not valid (or is an old name: top, continuationToken).", "403": "The subscription is outside the audit's allow-list." }),
  },
};

app.http("listFindings", {
  methods: ["GET"],
  route: "findings",
  authLevel: "function",
  handler: listFindings,
});

import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { z } from "zod";
import { assertAllowed, handleRoute, HttpProblem, jsonResponse, queryObject, validate } from "../src/api/http.js";
import { depsFor } from "../src/api/runtime.js";
import { subscriptionIdSchema } from "../src/model/ids.js";
import { SEVERITIES } from "../src/model/severity.js";
import { RULES } from "../src/rules/index.js";
import { InvalidContinuationTokenError, listFindings as readFindings } from "../src/store/findings.js";

const ruleIds = RULES.map((rule) => rule.meta.id);

export const findingsQuerySchema = z.strictObject({
  subscriptionId: subscriptionIdSchema.optional(),
  severity: z.enum(SEVERITIES).optional(),
  ruleId: z.string().refine((value) => ruleIds.includes(value), `one of ${ruleIds.join(", ")}`).optional(),
  state: z.enum(["open", "resolved", "suppressed"]).optional(),
  top: z.coerce.number().int().min(1).max(1000).default(100),
  continuationToken: z.string().max(4096).optional(),
});

/** `GET /api/findings`: stored findings with filters, a page at a time (`continuationToken`, `nextLink`). */
export async function listFindings(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handleRoute((message) => context.error(message), async () => {
    // `code` carries the function key when it isn't sent as a header; it is not a filter.
    const { code: _functionKey, ...rawQuery } = queryObject(request);
    const query = validate(findingsQuerySchema, rawQuery, "query");
    const deps = depsFor(context);
    if (query.subscriptionId) assertAllowed([query.subscriptionId], deps.settings.AUDIT_SUBSCRIPTIONS);
    try {
      // Without subscriptionId, still only the allow-list's findings (rows of subscriptions dropped from it stay stored).
      const page = await readFindings(deps.storage, { ...query, subscriptionIds: deps.settings.AUDIT_SUBSCRIPTIONS });
      const next = page.continuationToken ? new URL(request.url) : undefined;
      next?.searchParams.set("continuationToken", page.continuationToken!);
      next?.searchParams.delete("code");
      return jsonResponse(200, { items: page.items, ...(page.continuationToken ? { continuationToken: page.continuationToken, nextLink: next!.toString() } : {}) });
    } catch (error) {
      if (error instanceof InvalidContinuationTokenError) throw new HttpProblem(400, "Bad Request", "query field continuationToken: not a token this API issued", { field: "continuationToken" });
      throw error;
    }
  });
}

app.http("listFindings", {
  methods: ["GET"],
  route: "findings",
  authLevel: "function",
  handler: listFindings,
});

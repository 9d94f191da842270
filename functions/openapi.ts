import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import { handleRoute, jsonResponse } from "../src/api/http.js";
import { openApiDocument, type ApiRoute } from "../src/api/openapi.js";
import { TOOL_VERSION } from "../src/version.js";
import { auditRoute } from "./audit.js";
import { getScanRoute } from "./getScan.js";
import { getScanReportRoute } from "./getScanReport.js";
import { listScansRoute } from "./listScans.js";
import { listFindingsRoute } from "./listFindings.js";

export const openapiRoute: ApiRoute = {
  operationId: "openapi",
  method: "get",
  route: "openapi.json",
  summary: "This description of the HTTP API (OpenAPI 3.1)",
  responses: { "200": { description: "The OpenAPI document." } },
};

/** Every HTTP route of the app, each declared beside its handler. */
export const API_ROUTES: readonly ApiRoute[] = [auditRoute, getScanRoute, listScansRoute, getScanReportRoute, listFindingsRoute, openapiRoute];

/** `GET /api/openapi.json`: the routes' OpenAPI description, generated from the handlers' zod schemas. */
export async function openapi(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handleRoute((message) => context.error(message), async () => jsonResponse(200, openApiDocument(API_ROUTES, TOOL_VERSION), { "cache-control": "public, max-age=300" }));
}

app.http("openapi", {
  methods: ["GET"],
  route: "openapi.json",
  authLevel: "function",
  handler: openapi,
});

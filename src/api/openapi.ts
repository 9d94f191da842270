/**
 * The OpenAPI 3.1 description of the function app's HTTP routes, generated from the zod
 * schemas the handlers validate with (zod's own JSON Schema output, `z.toJSONSchema`), so the
 * description can't drift from what a handler accepts. Served at `GET /api/openapi.json`.
 */
import { z } from "zod";

export interface ApiResponse {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
  headers?: Record<string, string>;
}

/** One HTTP route as its function file declares it, beside its handler. */
export interface ApiRoute {
  operationId: string;
  method: "get" | "post";
  /** The Functions route, without the `api/` prefix: `findings`, `scans/{id}`. */
  route: string;
  summary: string;
  description?: string;
  query?: z.ZodObject;
  path?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<string, ApiResponse>;
}

/** RFC 9457 problem details, as every route's 4xx and 5xx answers carry them (src/api/http.ts). */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    field: z.string().optional().describe("The request field at fault, for a 400."),
  })
  .describe("RFC 9457 problem details");

/** A list page in Azure's convention. */
export function listPageSchema(item: z.ZodType) {
  return z.object({
    value: z.array(item),
    nextLink: z.url().optional().describe("The next page (the same query with $skipToken); absent on the last page."),
  });
}

/** The scan result (README, "The JSON result"); its TypeScript type is the contract, so it is described, not re-specified. */
export const scanResultSchema = z.record(z.string(), z.unknown()).describe("The scan result: schemaVersion, scanId, startedAt, finishedAt, tool, subscriptions, findings, summary.");

const problems = (statuses: Record<string, string>): Record<string, ApiResponse> =>
  Object.fromEntries(Object.entries(statuses).map(([status, description]) => [status, { description, schema: problemSchema, contentType: "application/problem+json" }]));

/** The problem answers a route can give besides its own. */
export function problemResponses(statuses: Record<string, string>): Record<string, ApiResponse> {
  return problems({ ...statuses, "500": "Something failed on the server; the function app's log has the details." });
}

/** A JSON Schema (2020-12, as OpenAPI 3.1 takes it) for an input or output of a route. */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any", reused: "inline" }) as Record<string, unknown>;
  return rest;
}

export function openApiDocument(routes: readonly ApiRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/api/${route.route}`;
    paths[path] ??= {};
    paths[path]![route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      parameters: [...parametersOf(route.path, "path"), ...parametersOf(route.query, "query")],
      ...(route.body ? { requestBody: { required: false, content: { "application/json": { schema: jsonSchemaOf(route.body, "input") } } } } : {}),
      responses: Object.fromEntries(
        Object.entries(route.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.headers ? { headers: Object.fromEntries(Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }])) } : {}),
            ...(response.schema ? { content: { [response.contentType ?? "application/json"]: { schema: jsonSchemaOf(response.schema, "output") } } } : {}),
          },
        ]),
      ),
      security: [{ functionKey: [] }, { functionKeyQuery: [] }],
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "vnet-audit function app", version, description: "Audit App Service VNet integration across a tenant: run scans, poll them, read stored findings." },
    paths,
    components: {
      securitySchemes: {
        functionKey: { type: "apiKey", in: "header", name: "x-functions-key" },
        functionKeyQuery: { type: "apiKey", in: "query", name: "code" },
      },
    },
  };
}

function parametersOf(schema: z.ZodObject | undefined, location: "query" | "path"): Record<string, unknown>[] {
  if (!schema) return [];
  const object = jsonSchemaOf(schema, "input") as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === "path" || (object.required ?? []).includes(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: propertySchema,
    };
  });
}

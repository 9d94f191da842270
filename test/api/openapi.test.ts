/**
 * GET /api/openapi.json, through the real handler: it describes every HTTP route the app
 * registers, and what it says each route takes is what the handler's zod schema accepts.
 */
import { join } from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { SEVERITIES } from "../../src/model/severity.js";
import { RULES } from "../../src/rules/index.js";
import { FunctionsTestHost, loadFunctionApp } from "../../emulator/functions-host.js";
import { REPO_ROOT } from "../support/cli.js";

type Operation = {
  operationId: string;
  parameters: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
};
type Document = { openapi: string; info: { version: string }; paths: Record<string, Record<string, Operation>> };

describe("GET /api/openapi.json", async () => {
  const functions = await loadFunctionApp(join(REPO_ROOT, "functions"));
  // Imported after the loader: the function files register with the test host on first import.
  const { auditRequestSchema } = await import("../../functions/audit.js");
  const { scanRouteSchema } = await import("../../functions/getScan.js");
  const { findingsQuerySchema } = await import("../../functions/listFindings.js");
  const host = new FunctionsTestHost(functions);
  const { response } = await host.http("openapi", { method: "GET", url: "http://localhost/api/openapi.json" });
  const document = JSON.parse(response.body as string) as Document;
  const operation = (path: string, method: string) => document.paths[path]![method]!;
  const zodOwn = (schema: z.ZodType) => {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12", unrepresentable: "any" }) as Record<string, unknown>;
    return rest;
  };

  it("answers 200 with an OpenAPI 3.1 document", () => {
    expect(response.status).toBe(200);
    expect((response.headers as Record<string, string>)["content-type"]).toBe("application/json");
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("describes exactly the HTTP routes the app registers, with their methods", () => {
    const registered = [...functions.values()].flatMap((fn) => {
      const trigger = Object.values(fn.bindings).find((binding) => binding.type === "httpTrigger");
      return trigger ? (trigger.methods as string[]).map((method) => `${method.toLowerCase()} /api/${String(trigger.route)} ${fn.name}`) : [];
    });
    const described = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => `${method} ${path} ${op.operationId}`));
    expect(described.sort()).toEqual(registered.sort());
    expect(registered.length).toBeGreaterThanOrEqual(4);
  });

  it("takes each route's parameters and body from the handler's own zod schema", () => {
    const findings = operation("/api/findings", "get");
    const queryJson = zodOwn(findingsQuerySchema) as { properties: Record<string, Record<string, unknown>> };
    expect(findings.parameters.map((parameter) => parameter.name).sort()).toEqual(Object.keys(findingsQuerySchema.shape).sort());
    for (const parameter of findings.parameters) {
      const { description: _description, ...schema } = queryJson.properties[parameter.name]!;
      expect(parameter).toMatchObject({ in: "query", required: false, schema });
    }
    expect(operation("/api/audit", "post").requestBody!.content["application/json"]!.schema).toEqual(zodOwn(auditRequestSchema));
    expect(operation("/api/scans/{id}", "get").parameters).toEqual([expect.objectContaining({ name: "id", in: "path", required: true })]);
    expect(Object.keys(scanRouteSchema.shape)).toEqual(["id"]);
  });

  it("uses Azure's list names, and what it lists as allowed the handler allows (and nothing else)", () => {
    const parameters = Object.fromEntries(operation("/api/findings", "get").parameters.map((parameter) => [parameter.name, parameter.schema]));
    expect(parameters.$top).toMatchObject({ type: "integer", minimum: 1, maximum: 1000, default: 100 });
    expect(parameters.$skipToken).toMatchObject({ type: "string" });
    expect(parameters.top).toBeUndefined();
    expect(parameters.severity!.enum).toEqual([...SEVERITIES]);
    expect(parameters.ruleId!.enum).toEqual(RULES.map((rule) => rule.meta.id));
    for (const value of parameters.severity!.enum as string[]) expect(findingsQuerySchema.safeParse({ severity: value }).success).toBe(true);
    expect(findingsQuerySchema.safeParse({ severity: "urgent" }).success).toBe(false);
    expect(findingsQuerySchema.safeParse({ top: "5" }).success).toBe(false);
    const page = operation("/api/findings", "get").responses["200"]!.content!["application/json"]!.schema as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(page.properties).sort()).toEqual(["nextLink", "value"]);
    expect(page.required).toEqual(["value"]);
  });

  it("describes the problem answers as application/problem+json", () => {
    const bad = operation("/api/findings", "get").responses["400"]!;
    expect(Object.keys(bad.content!)).toEqual(["application/problem+json"]);
    expect(Object.keys((bad.content!["application/problem+json"]!.schema as { properties: object }).properties).sort()).toEqual(["detail", "field", "status", "title", "type"]);
  });
});

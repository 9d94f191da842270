/**
 * HTTP plumbing shared by the function app's routes: RFC 9457 problem responses, a body
 * reader that refuses more than it should hold, and zod validation that names the field.
 * Responses never carry a secret, a token or an app setting value.
 */
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { z } from "zod";
import { describeAzureFailure } from "../azure/errors.js";

export const MAX_BODY_BYTES = 64 * 1024;

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export function problemResponse(problem: HttpProblem): HttpResponseInit {
  return {
    status: problem.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
    body: JSON.stringify({ type: "about:blank", title: problem.title, status: problem.status, detail: problem.detail, ...problem.extra }),
  };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, headers: { "content-type": "application/json", "cache-control": "no-store", ...headers }, body: JSON.stringify(body) };
}

/** Reads a JSON body of at most MAX_BODY_BYTES; an empty body reads as `{}`. */
export async function readJsonBody(request: HttpRequest): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpProblem(415, "Unsupported Media Type", "send the body as application/json");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpProblem(400, "Bad Request", "the body is not valid JSON", { field: "(body)" });
  }
}

function tooLarge(): HttpProblem {
  return new HttpProblem(413, "Content Too Large", `the body is larger than ${MAX_BODY_BYTES} bytes`);
}

/** Validates input; the problem names the first offending field (`field`) and what it expects. */
export function validate<T extends z.ZodType>(schema: T, input: unknown, where: "body" | "query" | "route"): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.code === "unrecognized_keys" ? issue.keys[0]! : issue.path.map(String).join(".") || `(${where})`;
  throw new HttpProblem(400, "Bad Request", `${where} field ${field}: ${issue.message}`, { field });
}

export function queryObject(request: HttpRequest): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of request.query) query[name] = value;
  return query;
}

/** Subscriptions outside AUDIT_SUBSCRIPTIONS are refused (an empty allow-list allows all). */
export function assertAllowed(subscriptionIds: readonly string[], allowList: readonly string[]): void {
  if (allowList.length === 0) return;
  const allowed = new Set(allowList.map((id) => id.toLowerCase()));
  const refused = subscriptionIds.filter((id) => !allowed.has(id.toLowerCase()));
  if (refused.length > 0) {
    throw new HttpProblem(403, "Forbidden", `subscription ${refused[0]} is outside the audit's allow-list (AUDIT_SUBSCRIPTIONS)`, { field: "subscriptions" });
  }
}

/** Runs a route; known problems become problem responses, anything else a bare 500 (details go to the log). */
export async function handleRoute(log: (message: string) => void, route: () => Promise<HttpResponseInit>): Promise<HttpResponseInit> {
  try {
    return await route();
  } catch (error) {
    if (error instanceof HttpProblem) return problemResponse(error);
    log(`unhandled error: ${describeAzureFailure(error).message}`);
    return problemResponse(new HttpProblem(500, "Internal Server Error", "the request could not be completed; see the function app's logs"));
  }
}

/**
 * Query names of Azure's list convention, with the names this API used before: an old name is
 * answered with a 400 naming its replacement rather than silently ignored.
 */
const RENAMED_QUERY_PARAMETERS: Record<string, string> = { top: "$top", continuationToken: "$skipToken", skipToken: "$skipToken" };

export function assertNoRenamedParameters(query: Record<string, string>): void {
  for (const [old, current] of Object.entries(RENAMED_QUERY_PARAMETERS)) {
    if (old in query) {
      throw new HttpProblem(400, "Bad Request", `query field ${old}: renamed to ${current} (Azure's list convention: $top, $skipToken, and pages of { value, nextLink })`, { field: old, use: current });
    }
  }
}

/** A list page in Resource Manager's shape: `value`, and `nextLink` (the same query, `$skipToken` set) when there is more. */
export function listPage<T>(request: HttpRequest, value: readonly T[], skipToken: string | undefined): { value: readonly T[]; nextLink?: string } {
  if (!skipToken) return { value };
  const next = new URL(request.url);
  next.searchParams.set("$skipToken", skipToken);
  // The function key stays with the caller, never in a link that may be logged or shared.
  next.searchParams.delete("code");
  return { value, nextLink: next.toString() };
}

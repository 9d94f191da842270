import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { CollectionError } from "../model/inventory.js";

/** The parts of an SDK RestError that collection records. */
export interface AzureCallFailure {
  statusCode?: number;
  code?: string;
  message: string;
}

/** ARM's own error of each failed response, by the request that got it (see armErrorCapturePolicy). */
const armErrors = new WeakMap<object, { code?: string; message?: string }>();

/**
 * Keeps Resource Manager's own `error.code` and `error.message` of every failed response. The
 * modular SDKs' pagers throw "Pagination failed with unexpected statusCode 403" and keep no body;
 * the RestError still carries the request, which is how describeAzureFailure finds them here.
 */
export function armErrorCapturePolicy(): PipelinePolicy {
  return {
    name: "vnet-audit-arm-error-capture",
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status >= 400 && response.bodyAsText) {
        const error = armErrorOf(response.bodyAsText);
        if (error) armErrors.set(request, error);
      }
      return response;
    },
  };
}

/** `{ "error": { "code", "message" } }` (Resource Manager) or a bare `{ "code", "message" }`. */
function armErrorOf(body: string): { code?: string; message?: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const candidate = (parsed as { error?: unknown })?.error ?? parsed;
  if (!candidate || typeof candidate !== "object") return undefined;
  const { code, message } = candidate as { code?: unknown; message?: unknown };
  const found = { ...(typeof code === "string" ? { code } : {}), ...(typeof message === "string" ? { message } : {}) };
  return Object.keys(found).length > 0 ? found : undefined;
}

/** DefaultAzureCredential's chain found no credential that works (no `az login`, no managed identity...). */
export function isCredentialFailure(error: unknown): boolean {
  const name = error instanceof Error ? error.name : undefined;
  return name === "AggregateAuthenticationError" || name === "CredentialUnavailableError" || name === "AuthenticationRequiredError";
}

export function describeAzureFailure(error: unknown): AzureCallFailure {
  if (error && typeof error === "object") {
    const candidate = error as { statusCode?: unknown; code?: unknown; message?: unknown; details?: unknown; request?: unknown };
    const statusCode = typeof candidate.statusCode === "number" ? candidate.statusCode : undefined;
    const captured = candidate.request && typeof candidate.request === "object" ? armErrors.get(candidate.request) : undefined;
    const details = candidate.details as { error?: { code?: unknown; message?: unknown } } | undefined;
    const code = captured?.code ?? (typeof details?.error?.code === "string" ? details.error.code : typeof candidate.code === "string" ? candidate.code : undefined);
    const rawMessage = captured?.message ?? (typeof details?.error?.message === "string" ? details.error.message : typeof candidate.message === "string" ? candidate.message : String(error));
    return { statusCode, code, message: redact(firstLine(rawMessage)) };
  }
  return { message: redact(String(error)) };
}

export function collectionError(operation: string, resourceId: string, error: unknown): CollectionError {
  const failure = describeAzureFailure(error);
  return {
    operation,
    resourceId,
    ...(failure.statusCode !== undefined ? { statusCode: failure.statusCode } : {}),
    ...(failure.code !== undefined ? { code: failure.code } : {}),
    message: failure.message,
  };
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}

/**
 * Secrets that ARM error text (and the odd service's echo of a request) can carry, by family
 * rather than by example, so a new field name of a known kind is still caught:
 * - credentials after an auth scheme: `Bearer …`, `Basic …`, `SharedKey acct:…`, `SharedAccessSignature …`;
 * - bare JWTs (`eyJ….eyJ….…`), with or without a scheme in front;
 * - `name=value` and `"name": "value"` pairs whose name says secret (password, pwd, secret,
 *   client_secret, *key, token, sig, code, credential…), as in connection strings, SAS query
 *   strings, form bodies and JSON;
 * - `user:password@` in URLs.
 */
const SECRET_NAME = String.raw`(?:[A-Za-z_-]*(?:password|passwd|pwd|secret|token|credential|apikey|api_key|accountkey|accesskey|sharedaccesskey|sharedaccesssignature|signature))|sig|code|key`;
const REDACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Bearer|Basic|Negotiate|SharedKey(?:Lite)?|SharedAccessSignature)\s+[A-Za-z0-9._~+/=:%&-]+/gi, "$1 <redacted>"],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "<redacted-jwt>"],
  [new RegExp(String.raw`(["'])(${SECRET_NAME})\1(\s*:\s*)(["'])(?:\\.|(?!\4).)*\4`, "gi"), "$1$2$1$3$4<redacted>$4"],
  [new RegExp(String.raw`\b(${SECRET_NAME})(\s*[:=]\s*)(?!<redacted)[^"'\s;&,}]+`, "gi"), "$1$2<redacted>"],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, "$1<redacted>@"],
];

/** Replaces every secret-looking part of a text (see REDACTIONS) with a marker. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of REDACTIONS) result = result.replace(pattern, replacement);
  return result;
}

function redact(text: string): string {
  return redactSecrets(text);
}

import type { CollectionError } from "../model/inventory.js";

/** The parts of an SDK RestError that collection records. */
export interface AzureCallFailure {
  statusCode?: number;
  code?: string;
  message: string;
}

export function describeAzureFailure(error: unknown): AzureCallFailure {
  if (error && typeof error === "object") {
    const candidate = error as { statusCode?: unknown; code?: unknown; message?: unknown; details?: unknown };
    const statusCode = typeof candidate.statusCode === "number" ? candidate.statusCode : undefined;
    const details = candidate.details as { error?: { code?: unknown; message?: unknown } } | undefined;
    const code = typeof details?.error?.code === "string" ? details.error.code : typeof candidate.code === "string" ? candidate.code : undefined;
    const rawMessage = typeof details?.error?.message === "string" ? details.error.message : typeof candidate.message === "string" ? candidate.message : String(error);
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

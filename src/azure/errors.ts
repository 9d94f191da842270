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

/** Bearer tokens and SAS-style signatures must never reach a report or a log. */
function redact(text: string): string {
  return text
    .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, "Bearer <redacted>")
    .replace(/(sig|code|token|AccountKey|SharedAccessSignature)=[^;&\s]+/gi, "$1=<redacted>");
}

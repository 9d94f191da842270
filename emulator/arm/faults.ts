/**
 * Resource Manager's throttling (a token bucket per subscription) and the faults tests inject:
 * error statuses, and hostile or broken answers that are not (page faults).
 */
import type { FaultSpec, FaultStatus, PageFaultSpec, TokenBucketSettings } from "./types.js";
import { armError, lower, type ArmRequest, type ArmResult } from "./wire.js";

export const DEFAULT_FAULT_CODES: Record<FaultStatus, [string, string]> = {
  403: ["AuthorizationFailed", "The client does not have authorization to perform action over scope '{path}' or the scope is invalid. If access was recently granted, please refresh your credentials."],
  404: ["ResourceNotFound", "The Resource '{path}' was not found."],
  429: ["TooManyRequests", "Too many requests. Please retry later."],
  500: ["InternalServerError", "An internal server error occurred."],
  503: ["ServiceUnavailable", "The service is temporarily unavailable."],
};


export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(private readonly settings: TokenBucketSettings) {
    this.tokens = settings.capacity;
  }

  /** Takes a token if one is available; otherwise returns seconds until one is. */
  take(): { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number } {
    const now = Date.now();
    this.tokens = Math.min(this.settings.capacity, this.tokens + ((now - this.last) / 1000) * this.settings.refillPerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true, remaining: Math.floor(this.tokens) };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.settings.refillPerSecond)) };
  }
}

export interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
  hits: number;
}

export function faultMatches(f: FaultSpec, method: string, path: string, subscriptionId: string | undefined): boolean {
  if (f.method && lower(f.method) !== lower(method)) return false;
  if (f.subscriptionId && (!subscriptionId || lower(f.subscriptionId) !== lower(subscriptionId))) return false;
  if (f.path === undefined) return true;
  if (typeof f.path === "string") return lower(f.path) === lower(path);
  f.path.lastIndex = 0; // a /g or /y RegExp keeps state between tests
  return f.path.test(path);
}

export interface ActivePageFault {
  spec: PageFaultSpec;
  remaining: number;
  hits: number;
}

/** Applies a page fault to a routed result; returns how long to stall first. */
export function alterPage(f: PageFaultSpec, req: ArmRequest, baseUrl: string, result: ArmResult): number {
  const body = result.body as { nextLink?: string; value?: unknown } | undefined;
  if (f.page === "emptyBody") result.body = undefined;
  else if (f.page === "nullValue") result.body = { value: null };
  else if (f.page === "selfNextLink" && body && typeof body === "object") body.nextLink = `${baseUrl}${req.rawPath}${req.rawQuery ? `?${req.rawQuery}` : ""}`;
  else if (f.page === "foreignNextLink" && body && typeof body === "object") {
    body.nextLink = `${f.foreignOrigin ?? "https://attacker.invalid"}${req.rawPath}${req.rawQuery ? `?${req.rawQuery}` : ""}`;
  }
  return f.stallMs ?? 0;
}

export function faultResult(f: FaultSpec, path: string): ArmResult {
  const [code, message] = DEFAULT_FAULT_CODES[f.status];
  const headers: Record<string, string> = {};
  if (f.retryAfterSeconds !== undefined) headers["Retry-After"] = String(f.retryAfterSeconds);
  return armError(f.status, f.code ?? code, f.message ?? message.replace("{path}", path), headers);
}

import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";

export const THROTTLE_BACKOFF_POLICY_NAME = "vnet-audit-throttle-backoff";

export interface ThrottleBackoffOptions {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const DEFAULT_OPTIONS: ThrottleBackoffOptions = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

const RETRY_AFTER_HEADERS = ["retry-after", "retry-after-ms", "x-ms-retry-after-ms"];

/**
 * Retries a 429 that carries no Retry-After header, with exponential backoff and jitter.
 *
 * The SDK's default pipeline already honours Retry-After (throttlingRetryPolicy) and retries
 * transient 5xx, but it returns a bare 429 to the caller at once. Resource Manager and its
 * front doors do occasionally send one, and an audit must not drop a subscription for it.
 */
export function throttleBackoffPolicy(options: Partial<ThrottleBackoffOptions> = {}): PipelinePolicy {
  const settings = { ...DEFAULT_OPTIONS, ...options };
  return {
    name: THROTTLE_BACKOFF_POLICY_NAME,
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      let response = await next(request);
      for (let attempt = 0; attempt < settings.maxRetries && isBare429(response); attempt++) {
        const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt);
        await sleep(ceiling / 2 + Math.random() * (ceiling / 2), request.abortSignal);
        response = await next(request);
      }
      return response;
    },
  };
}

function isBare429(response: PipelineResponse): boolean {
  return response.status === 429 && !RETRY_AFTER_HEADERS.some((name) => response.headers.has(name));
}

function sleep(ms: number, signal?: PipelineRequest["abortSignal"]): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => new Error("The operation was aborted.");
    if (signal?.aborted) return reject(aborted());
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort);
  });
}

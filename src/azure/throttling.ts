import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
import { BoundaryError } from "./boundary.js";

export const THROTTLE_BACKOFF_POLICY_NAME = "vnet-audit-throttle-backoff";

export interface TokenBucketSettings {
  /** Requests that may be sent at once after a pause. */
  capacity: number;
  /** Requests per second sent in the long run. */
  refillPerSecond: number;
}

export interface ThrottleBackoffOptions {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Client-side pacing per subscription, so Resource Manager's own buckets never run dry:
   * GETs draw on `reads`, other methods (POST list actions) on `writes`. `false` turns it off.
   */
  pacing: { reads: TokenBucketSettings; writes: TokenBucketSettings } | false;
  /**
   * Total time one subscription (or the tenant-level calls) may spend waiting on Retry-After
   * and bare-429 backoff within an hour. A Retry-After that would go past it fails the request
   * (recorded as a gap) instead of holding the scan: ARM has been seen answering
   * `Retry-After: 86400`.
   */
  maxWaitPerSubscriptionMs: number;
}

/** Five minutes of throttling waits per subscription per hour: far above what ARM's 25/s refill needs. */
export const DEFAULT_MAX_WAIT_PER_SUBSCRIPTION_MS = 5 * 60_000;

/**
 * Resource Manager's per-subscription buckets (per principal and region) hold 250 reads
 * refilled 25 per second and 200 writes refilled 10 per second. vnet-audit stays 10% under
 * both: the margin absorbs requests that arrive in a different order than they were sent,
 * and another client of the same principal using a little of the bucket.
 */
export const DEFAULT_PACING = {
  reads: { capacity: 225, refillPerSecond: 22.5 },
  writes: { capacity: 180, refillPerSecond: 9 },
} as const satisfies Record<string, TokenBucketSettings>;

const DEFAULT_OPTIONS: ThrottleBackoffOptions = {
  maxRetries: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  pacing: DEFAULT_PACING,
  maxWaitPerSubscriptionMs: DEFAULT_MAX_WAIT_PER_SUBSCRIPTION_MS,
};

const RETRY_AFTER_HEADERS = ["retry-after", "retry-after-ms", "x-ms-retry-after-ms"];

/**
 * Keeps vnet-audit inside Resource Manager's throttling limits:
 *
 * - **Pacing.** Every request under `/subscriptions/{id}/` first takes a token from that
 *   subscription's client-side bucket (reads or writes), waiting when it is empty. Scanning
 *   many subscriptions concurrently is then safe: each one's requests are spread so its
 *   server-side bucket never empties, however many sites it has. The remaining count ARM
 *   reports (`x-ms-ratelimit-remaining-subscription-reads`/`-writes`) lowers the local bucket
 *   when someone else is using the same one; a 429 empties it until its Retry-After.
 * - **Backoff.** Retries a 429 that carries no Retry-After header, with exponential backoff
 *   and jitter. The SDK's default pipeline already honours Retry-After (throttlingRetryPolicy)
 *   and retries transient 5xx, but returns a bare 429 to the caller at once. Resource
 *   Manager and its front doors do occasionally send one, and an audit must not drop a
 *   subscription for it.
 * - **Wait budget.** Every wait (a Retry-After the SDK is about to honour, a backoff of ours)
 *   is charged to the subscription's budget; past it the request fails with
 *   `RetryAfterTooLong`, so one subscription's list is a recorded gap and the scan goes on.
 *
 * One policy instance is shared by every client `createAzureClients` builds, so the buckets
 * are per subscription across all of them. It runs per retry: every attempt takes a token.
 */
export function throttleBackoffPolicy(options: Partial<ThrottleBackoffOptions> = {}): PipelinePolicy {
  const settings = { ...DEFAULT_OPTIONS, ...options };
  const pacer = settings.pacing ? new SubscriptionPacer(settings.pacing) : undefined;
  const budget = new WaitBudget(settings.maxWaitPerSubscriptionMs);
  const send = async (request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> => {
    const lane = pacer?.laneFor(request);
    await lane?.take(request.abortSignal);
    const response = await next(request);
    // Charge the wait the SDK's throttling retry will make before the bucket learns of it.
    const retryAfterMs = response.status === 429 || response.status === 503 ? retryAfterMsOf(response) : undefined;
    if (retryAfterMs !== undefined) budget.charge(request.url, retryAfterMs);
    lane?.observe(response);
    return response;
  };
  return {
    name: THROTTLE_BACKOFF_POLICY_NAME,
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      let response = await send(request, next);
      for (let attempt = 0; attempt < settings.maxRetries && isBare429(response); attempt++) {
        const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt);
        const delayMs = ceiling / 2 + Math.random() * (ceiling / 2);
        budget.charge(request.url, delayMs);
        await sleep(delayMs, request.abortSignal);
        response = await send(request, next);
      }
      return response;
    },
  };
}

/** Time spent waiting on throttling, per subscription (or "tenant"), per hour. */
class WaitBudget {
  private readonly spent = new Map<string, { since: number; ms: number }>();

  constructor(private readonly maxMs: number) {}

  /** Records a wait about to happen; throws when it would take the subscription past its budget. */
  charge(url: string, waitMs: number): void {
    const key = subscriptionInUrl(url) ?? "tenant";
    const now = Date.now();
    let entry = this.spent.get(key);
    if (!entry || now - entry.since > 3_600_000) {
      if (this.spent.size >= 4096) for (const [old, value] of this.spent) if (now - value.since > 3_600_000) this.spent.delete(old);
      entry = { since: now, ms: 0 };
      this.spent.set(key, entry);
    }
    if (entry.ms + waitMs > this.maxMs) {
      throw new BoundaryError(
        "RetryAfterTooLong",
        `Resource Manager asked to wait ${Math.round(waitMs / 1000)} s; with ${Math.round(entry.ms / 1000)} s already waited that is past the ${Math.round(this.maxMs / 1000)} s vnet-audit allows per subscription, so this read is recorded as a gap`,
        429,
      );
    }
    entry.ms += waitMs;
  }
}

/** Client-side token buckets, one pair (reads, writes) per subscription. */
export class SubscriptionPacer {
  private readonly lanes = new Map<string, PacedBucket>();

  constructor(private readonly settings: { reads: TokenBucketSettings; writes: TokenBucketSettings }) {}

  /** The bucket a request draws on; undefined for tenant-level requests (not throttled per subscription). */
  laneFor(request: Pick<PipelineRequest, "url" | "method">): PacedBucket | undefined {
    const subscriptionId = subscriptionInUrl(request.url);
    if (!subscriptionId) return undefined;
    const kind = request.method === "GET" || request.method === "HEAD" ? "reads" : "writes";
    const key = `${subscriptionId}|${kind}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      // A bucket that has refilled with nobody waiting is the same as a new one: forget those
      // now and then, so a scan of thousands of subscriptions keeps only the busy ones.
      if (this.lanes.size >= 1024) for (const [idleKey, idle] of this.lanes) if (idle.isIdle()) this.lanes.delete(idleKey);
      this.lanes.set(key, (lane = new PacedBucket(this.settings[kind], kind)));
    }
    return lane;
  }
}

/**
 * A token bucket whose `take` waits, first come first served, until a token is available.
 * Idle buckets cost nothing: tokens are computed from the time of the last take.
 */
export class PacedBucket {
  private tokens: number;
  private last = Date.now();
  /** Takers waiting for a token, in order. */
  private readonly queue: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private blockedUntil = 0;

  constructor(
    private readonly settings: TokenBucketSettings,
    private readonly kind: "reads" | "writes",
  ) {
    this.tokens = settings.capacity;
  }

  async take(signal?: PipelineRequest["abortSignal"]): Promise<void> {
    if (this.queue.length === 0 && this.tryTake()) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.queue.indexOf(granted);
        if (index >= 0) this.queue.splice(index, 1);
        reject(new Error("The operation was aborted."));
      };
      const granted = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort);
      this.queue.push(granted);
      this.schedule();
    });
  }

  /** Lowers the bucket to what Resource Manager says is left, and empties it on a 429. */
  observe(response: PipelineResponse): void {
    if (response.status === 429) {
      const retryAfterMs = retryAfterMsOf(response) ?? 1000;
      this.refill();
      this.tokens = Math.min(this.tokens, 0);
      this.blockedUntil = Math.max(this.blockedUntil, Date.now() + retryAfterMs);
      return;
    }
    const header = response.headers.get(`x-ms-ratelimit-remaining-subscription-${this.kind}`);
    const remaining = header === undefined ? Number.NaN : Number(header);
    if (Number.isFinite(remaining)) {
      this.refill();
      // ARM counts its own bucket: stay as far below it, proportionally, as below its capacity.
      this.tokens = Math.min(this.tokens, remaining * Math.min(1, this.settings.capacity / ARM_CAPACITY[this.kind]));
    }
  }

  /** Full again and nobody waiting. */
  isIdle(): boolean {
    this.refill();
    return this.queue.length === 0 && this.tokens >= this.settings.capacity && Date.now() >= this.blockedUntil;
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.settings.capacity, this.tokens + ((now - this.last) / 1000) * this.settings.refillPerSecond);
    this.last = now;
  }

  private tryTake(): boolean {
    if (Date.now() < this.blockedUntil) return false;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private schedule(): void {
    if (this.timer) return;
    while (this.queue.length > 0 && this.tryTake()) this.queue.shift()!();
    if (this.queue.length === 0) return;
    const waitMs = Math.max(this.blockedUntil - Date.now(), ((1 - this.tokens) / this.settings.refillPerSecond) * 1000, 1);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, Math.ceil(waitMs));
  }
}

/** Resource Manager's bucket sizes, to scale the remaining counts it reports by the same margin. */
const ARM_CAPACITY = { reads: 250, writes: 200 } as const;

function subscriptionInUrl(url: string): string | undefined {
  const match = /^https?:\/\/[^/]+\/subscriptions\/([^/?#]+)/i.exec(url);
  return match?.[1] ? decodeURIComponent(match[1]).toLowerCase() : undefined;
}

function retryAfterMsOf(response: PipelineResponse): number | undefined {
  const ms = Number(response.headers.get("retry-after-ms") ?? response.headers.get("x-ms-retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = response.headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
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

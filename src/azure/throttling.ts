import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";

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
}

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

const DEFAULT_OPTIONS: ThrottleBackoffOptions = { maxRetries: 5, baseDelayMs: 1000, maxDelayMs: 30_000, pacing: DEFAULT_PACING };

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
 *
 * One policy instance is shared by every client `createAzureClients` builds, so the buckets
 * are per subscription across all of them. It runs per retry: every attempt takes a token.
 */
export function throttleBackoffPolicy(options: Partial<ThrottleBackoffOptions> = {}): PipelinePolicy {
  const settings = { ...DEFAULT_OPTIONS, ...options };
  const pacer = settings.pacing ? new SubscriptionPacer(settings.pacing) : undefined;
  const send = async (request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> => {
    const lane = pacer?.laneFor(request);
    await lane?.take(request.abortSignal);
    const response = await next(request);
    lane?.observe(response);
    return response;
  };
  return {
    name: THROTTLE_BACKOFF_POLICY_NAME,
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      let response = await send(request, next);
      for (let attempt = 0; attempt < settings.maxRetries && isBare429(response); attempt++) {
        const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt);
        await sleep(ceiling / 2 + Math.random() * (ceiling / 2), request.abortSignal);
        response = await send(request, next);
      }
      return response;
    },
  };
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

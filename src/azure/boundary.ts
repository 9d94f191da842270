import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
import { z } from "zod";

/*
 * The edge between vnet-audit and whatever answers its HTTP requests. Resource Manager is
 * trusted for data, not for where our bearer token goes or how long we wait: every SDK client
 * (classic and modular alike; both accept `additionalPolicies`) gets these policies, so the
 * bounds hold for every list and read without each call site remembering them.
 */

export const ORIGIN_PIN_POLICY_NAME = "vnet-audit-origin-pin";
export const LIST_PAGE_POLICY_NAME = "vnet-audit-list-page";
export const REQUEST_TIMEOUT_POLICY_NAME = "vnet-audit-request-timeout";

/** Per-attempt time limit of a Resource Manager request (the SDK retries a timed-out attempt a few times). */
export const DEFAULT_ARM_REQUEST_TIMEOUT_MS = 60_000;
/** Per-attempt time limit of a storage request. */
export const DEFAULT_STORAGE_REQUEST_TIMEOUT_MS = 30_000;
/**
 * Pages read from one list before it is given up as a gap. ARM pages hold up to 1000 items;
 * no App Service list of one subscription comes near 200 000 items, while a `nextLink` that
 * points to itself would otherwise loop for ever with memory growing.
 */
export const MAX_PAGES_PER_LIST = 200;

/** A failure vnet-audit raises itself at the boundary; collection records it like an ARM error. */
export class BoundaryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = "BoundaryError";
  }
}

/**
 * Refuses any request to an origin other than the configured Resource Manager's. Runs after
 * the bearer-token policy (position perRetry lands after the Sign phase in both core-client
 * and the modular clients' pipeline), so it sees exactly what would go on the wire: a
 * `nextLink` naming another host never receives the token, and the list fails with a
 * recorded `ForeignNextLink` error instead of taking data from that host.
 */
export function originPinPolicy(endpoint: string): PipelinePolicy {
  const allowed = new URL(endpoint).origin;
  return {
    name: ORIGIN_PIN_POLICY_NAME,
    sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      let origin: string;
      try {
        origin = new URL(request.url).origin;
      } catch {
        origin = "(unparseable URL)";
      }
      if (origin !== allowed) {
        return Promise.reject(
          new BoundaryError("ForeignNextLink", `refused to send a request to ${origin}: not the configured Resource Manager endpoint ${allowed} (a nextLink or redirect pointed elsewhere)`),
        );
      }
      return next(request);
    },
  };
}

/** Sets a per-attempt timeout on requests that have none (the Node HTTP client aborts past it). */
export function requestTimeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: REQUEST_TIMEOUT_POLICY_NAME,
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      if (!request.timeout || request.timeout > timeoutMs) request.timeout = timeoutMs;
      const started = Date.now();
      try {
        return await next(request);
      } catch (error) {
        // The HTTP client reports its own timeout as a bare abort: say what happened.
        const aborted = (error as { name?: string } | null)?.name === "AbortError";
        if (aborted && !request.abortSignal?.aborted && Date.now() - started >= request.timeout - 5) {
          throw new BoundaryError("RequestTimeout", `no answer within ${request.timeout} ms`);
        }
        throw error;
      }
    },
  };
}

/**
 * A list page as Resource Manager sends it: `{ value: [...], nextLink? }`, or a bare array for
 * the few list operations whose swagger says so (a site's or plan's virtualNetworkConnections).
 * The classic SDK clients deserialize an empty body or `value: null` to an empty list; that
 * would make an unread list look like "no resources" and resolve findings. Such a page is an
 * error here, recorded as a coverage gap.
 */
const listPageSchema = z.union([
  z.array(z.unknown()),
  z.looseObject({ value: z.array(z.unknown()), nextLink: z.string().nullish() }),
]);

export function listPagePolicy(): PipelinePolicy {
  return {
    name: LIST_PAGE_POLICY_NAME,
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const response = await next(request);
      if (request.method !== "GET" || response.status !== 200 || !isCollectionPath(new URL(request.url).pathname)) return response;
      const problem = listPageProblem(response.bodyAsText);
      if (problem) {
        throw new BoundaryError("MalformedListPage", `the list page from ${new URL(request.url).pathname} is not a Resource Manager list (${problem}); the list is recorded as unread`, 200);
      }
      return response;
    },
  };
}

/** Why a list response body is not a list page, or undefined when it is one. */
export function listPageProblem(body: string | null | undefined): string | undefined {
  if (body === undefined || body === null || body.trim() === "") return "empty body";
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return "not JSON";
  }
  const result = listPageSchema.safeParse(parsed);
  if (result.success) return undefined;
  const value = (parsed as { value?: unknown } | null)?.value;
  if (parsed !== null && typeof parsed === "object" && value === null) return "value is null";
  if (parsed !== null && typeof parsed === "object" && value === undefined) return "no value array";
  return result.error.issues[0]?.message ?? "unexpected shape";
}

/**
 * Whether an ARM path names a collection (a list) rather than one resource. ARM paths
 * alternate type and name: `/subscriptions` (list), `/subscriptions/{id}` (resource),
 * `/subscriptions/{id}/resourceGroups` (list); after `providers/{namespace}` the same
 * alternation restarts, so an odd number of segments after the namespace is a collection
 * (`sites`, `sites/{name}/slots`) and an even one a resource (`sites/{name}/config/web`).
 */
export function isCollectionPath(path: string): boolean {
  const segments = path.split("/").filter(Boolean);
  let providers = -1;
  for (let index = segments.length - 1; index >= 0; index--) {
    if (segments[index]!.toLowerCase() === "providers") {
      providers = index;
      break;
    }
  }
  const afterNamespace = providers >= 0 ? segments.length - (providers + 2) : segments.length;
  return afterNamespace > 0 && afterNamespace % 2 === 1;
}

/**
 * Drains a paged SDK iterator page by page (one await per page rather than several per item),
 * giving up past `maxPages` with a BoundaryError so a self-referencing nextLink is a recorded
 * gap, not an endless loop.
 */
export async function readAllPages<T>(
  iterable: AsyncIterable<T> & { byPage?: () => AsyncIterable<T[]> },
  into: T[] = [],
  maxPages: number = MAX_PAGES_PER_LIST,
): Promise<T[]> {
  if (typeof iterable.byPage !== "function") {
    // Without pages, bound the items instead (a page is at most 1000 items).
    for await (const item of iterable) {
      into.push(item);
      if (into.length > maxPages * 1000) throw tooManyPages(maxPages);
    }
    return into;
  }
  let pages = 0;
  for await (const page of iterable.byPage()) {
    if (++pages > maxPages) throw tooManyPages(maxPages);
    for (const item of page) into.push(item);
  }
  return into;
}

function tooManyPages(maxPages: number): BoundaryError {
  return new BoundaryError("TooManyPages", `the list had more than ${maxPages} pages (a nextLink that repeats itself?); read up to there and recorded as incomplete`);
}

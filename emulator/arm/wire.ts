/**
 * ARM's wire conventions the routes share: results and errors in ARM's shape, path parsing
 * (scope, provider type, collection or resource), and paging with `$skiptoken` nextLinks.
 */
import type { ArmResource } from "./types.js";
import type { ResourceStore } from "./store.js";

export interface ArmResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function armError(status: number, code: string, message: string, headers?: Record<string, string>): ArmResult {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

export function lower(s: string): string {
  return s.toLowerCase();
}

/** The path segments of a resource ID or request path, without empty ones. */
export function segmentsOf(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

/** The ID of the collection a resource lives in: its ID minus the last segment, lower-cased. */
export function collectionKey(id: string): string {
  const segs = segmentsOf(id);
  return lower("/" + segs.slice(0, -1).join("/"));
}

export function props(resource: ArmResource | undefined): Record<string, unknown> {
  return (resource?.properties ?? {}) as Record<string, unknown>;
}


export interface ArmRequest {
  method: string;
  /** Decoded path, no trailing slash. */
  path: string;
  /** Raw path and query as sent, for building nextLinks. */
  rawPath: string;
  rawQuery: string;
  query: URLSearchParams;
}

export interface RouteContext {
  store: ResourceStore;
  baseUrl: string;
  pageSize: number;
}

/** Where a request path points, once the subscription/resource-group scope is peeled off. */
export interface ParsedArmPath {
  subscriptionId: string;
  resourceGroup?: string;
  /** `/subscriptions/{s}` or `/subscriptions/{s}/resourceGroups/{rg}` in the request's spelling. */
  scope: string;
  /** Segments after the scope. */
  rest: string[];
}

export function parseArmPath(segs: string[]): ParsedArmPath | undefined {
  if (lower(segs[0] ?? "") !== "subscriptions" || !segs[1]) return undefined;
  const subscriptionId = segs[1];
  if (lower(segs[2] ?? "") === "resourcegroups" && segs[3]) {
    return { subscriptionId, resourceGroup: segs[3], scope: `/subscriptions/${subscriptionId}/resourceGroups/${segs[3]}`, rest: segs.slice(4) };
  }
  return { subscriptionId, scope: `/subscriptions/${subscriptionId}`, rest: segs.slice(2) };
}

/** `providers/{ns}/{type}/{name}/{childType}...` -> full type and whether the path names a resource or a collection. */
export function providerPath(rest: string[]): { type: string; isCollection: boolean } | undefined {
  if (lower(rest[0] ?? "") !== "providers" || rest.length < 3) return undefined;
  const after = rest.slice(2);
  const types = after.filter((_, i) => i % 2 === 0);
  return { type: [rest[1]!, ...types].join("/"), isCollection: after.length % 2 === 1 };
}

/** ARM's 404 for a resource; `rest` is the path after the scope (providers/{ns}/{type}/{name}...). */
export function notFound(parsed: ParsedArmPath, rest: string[]): ArmResult {
  const what = rest.slice(1).join("/");
  const where = parsed.resourceGroup ? ` under resource group '${parsed.resourceGroup}'` : "";
  return armError(404, "ResourceNotFound", `The Resource '${what}'${where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
}

export function methodNotAllowed(method: string, allow: string): ArmResult {
  return armError(405, "MethodNotAllowed", `The requested resource does not support http method '${method}'.`, { Allow: allow });
}

/**
 * One page of `items` per `$skiptoken`, with an absolute nextLink that keeps the original query.
 * `nullNextLink`: the last page says `"nextLink": null`, as Microsoft.Web's lists do (ListWebApps
 * and the other web 2025-05-01 list examples); other providers omit it on the last page.
 */
export function paged(ctx: RouteContext, req: ArmRequest, items: unknown[], extra: Record<string, unknown> = {}, nullNextLink = false): ArmResult {
  const skiptoken = req.query.get("$skiptoken");
  let offset = 0;
  if (skiptoken) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(skiptoken, "base64url").toString("utf8"));
    if (!decoded) return armError(400, "InvalidSkipToken", `The skip token '${skiptoken}' is invalid.`);
    offset = Number(decoded[1]);
  }
  const top = Number(req.query.get("$top"));
  const size = Number.isInteger(top) && top > 0 ? Math.min(top, ctx.pageSize) : ctx.pageSize;
  const page = items.slice(offset, offset + size);
  const body: Record<string, unknown> = { value: page, ...extra };
  if (offset + size < items.length) {
    const token = Buffer.from(`offset:${offset + size}`, "utf8").toString("base64url");
    const query = req.rawQuery
      .split("&")
      .filter((p) => p && !/^(\$|%24)skiptoken=/i.test(p))
      .concat(`$skiptoken=${token}`)
      .join("&");
    body.nextLink = `${ctx.baseUrl}${req.rawPath}?${query}`;
  } else if (nullNextLink) {
    body.nextLink = null;
  }
  return { status: 200, body };
}

/**
 * Resource IDs as ARM spells them, and the small helpers every builder shares (stable GUIDs
 * and etags, optional fields).
 *
 * Locations follow ARM's own inconsistency: Microsoft.Web returns display names ("West
 * Europe"), Microsoft.Network returns short names ("westeurope").
 */
import { createHash } from "node:crypto";

export const DEFAULT_WEB_LOCATION = "West Europe";
export const DEFAULT_NETWORK_LOCATION = "westeurope";

export type Props = Record<string, unknown>;

// ---------------------------------------------------------------------------
// IDs
// ---------------------------------------------------------------------------

export function resourceGroupId(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}

/**
 * Like the ARM template function: `resourceId(sub, rg, "Microsoft.Web/sites/slots", "app", "staging")`
 * -> `/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots/staging`.
 */
export function resourceId(subscriptionId: string, resourceGroup: string, type: string, ...names: string[]): string {
  return resourceGroupId(subscriptionId, resourceGroup) + providerSuffix(type, names);
}

/** Like the ARM template function, for subscription-level resources: `/subscriptions/{s}/providers/{type}/{names}`. */
export function subscriptionResourceId(subscriptionId: string, type: string, ...names: string[]): string {
  return `/subscriptions/${subscriptionId}` + providerSuffix(type, names);
}

function providerSuffix(type: string, names: string[]): string {
  const [ns, ...types] = type.split("/");
  if (!ns || types.length !== names.length) {
    throw new Error(`resourceId: type ${type} needs ${types.length} name(s), got ${names.length}`);
  }
  return `/providers/${ns}` + types.map((t, i) => `/${t}/${names[i]}`).join("");
}

export function subnetId(vnetId: string, subnetName: string): string {
  return `${vnetId}/subnets/${subnetName}`;
}

export interface ParsedResourceId {
  subscriptionId: string;
  resourceGroup?: string;
  /** e.g. Microsoft.Web/sites/slots */
  type: string;
  /** Last name segment, e.g. "staging" for a slot. */
  name: string;
  /** All name segments, e.g. ["app", "staging"]. */
  names: string[];
  /** ID of the parent resource for a child, undefined for a top-level resource. */
  parentId?: string;
}

export function parseResourceId(id: string): ParsedResourceId {
  const m = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/([^/]+)\/(.+)$/i.exec(id);
  if (!m) throw new Error(`not a provider resource ID: ${id}`);
  const pairs = m[4]!.split("/");
  if (pairs.length % 2 !== 0) throw new Error(`resource ID does not end with a name: ${id}`);
  const types = pairs.filter((_, i) => i % 2 === 0);
  const names = pairs.filter((_, i) => i % 2 === 1);
  return {
    subscriptionId: m[1]!,
    ...(m[2] ? { resourceGroup: m[2] } : {}),
    type: [m[3]!, ...types].join("/"),
    name: names[names.length - 1]!,
    names,
    ...(names.length > 1 ? { parentId: id.split("/").slice(0, -2).join("/") } : {}),
  };
}

export function lastSegment(id: string): string {
  return id.split("/").filter(Boolean).pop() ?? id;
}

export function isSlotId(id: string): boolean {
  return /\/providers\/Microsoft\.Web\/sites\/[^/]+\/slots\/[^/]+$/i.test(id);
}

/** A stable GUID-shaped string derived from `seed` (etags, resourceGuids, connection names). */
export function stableGuid(seed: string): string {
  const h = createHash("sha1").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function etag(id: string): string {
  return `W/"${stableGuid(`etag:${id}`)}"`;
}

export function withOptional<T extends object>(target: T, entries: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) (target as Props)[k] = v;
  return target;
}

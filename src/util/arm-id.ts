/** Helpers for ARM resource IDs, which Azure compares case-insensitively. */

export function armKey(id: string): string {
  return id.toLowerCase();
}

export function sameArmId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** The value after `/<segment>/` in an ARM ID (case-insensitive segment match), e.g. resourceGroups. */
export function armIdSegment(id: string, segment: string): string | undefined {
  const parts = id.split("/");
  const index = parts.findIndex((part) => part.toLowerCase() === segment.toLowerCase());
  return index >= 0 ? parts[index + 1] : undefined;
}

export function subscriptionOf(id: string): string | undefined {
  return armIdSegment(id, "subscriptions");
}

export function resourceGroupOf(id: string): string | undefined {
  return armIdSegment(id, "resourceGroups");
}

/** `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/x` → the VNet ID. */
export function parentVirtualNetworkId(subnetId: string): string | undefined {
  const match = /^(.*\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+)\/subnets\/[^/]+$/i.exec(subnetId);
  return match?.[1];
}

/** The `{name}` in `.../providers/{namespace}/{type}/{name}` for the last type segment matching `type`. */
export function resourceNameAfter(id: string, type: string): string | undefined {
  const parts = id.split("/");
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i]!.toLowerCase() === type.toLowerCase()) return parts[i + 1];
  }
  return undefined;
}

function compareOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders IDs case-insensitively (ties by exact spelling), independent of locale. */
export function compareIds(a: string, b: string): number {
  return compareOrdinal(armKey(a), armKey(b)) || compareOrdinal(a, b);
}


/** Distinct values, compared case-insensitively, sorted; the first spelling is kept. */
export function distinctIds(ids: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const id of ids) if (!seen.has(armKey(id))) seen.set(armKey(id), id);
  return [...seen.values()].sort(compareIds);
}

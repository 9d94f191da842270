/** Private DNS zones and their VNet links (privatedns 2024-06-01). */
import type { ArmResource } from "../index.js";
import { lastSegment, resourceId, stableGuid, withOptional } from "./ids.js";

export interface PrivateDnsZoneOptions {
  subscriptionId: string;
  resourceGroup: string;
  /** e.g. privatelink.azurewebsites.net */
  name: string;
  numberOfRecordSets?: number;
  numberOfVirtualNetworkLinks?: number;
  numberOfVirtualNetworkLinksWithRegistration?: number;
  tags?: Record<string, string>;
}

/** A Microsoft.Network/privateDnsZones resource (location is always "global"). */
export function privateDnsZone(options: PrivateDnsZoneOptions): ArmResource {
  const id = resourceId(options.subscriptionId, options.resourceGroup, "Microsoft.Network/privateDnsZones", options.name);
  return withOptional(
    {
      id,
      name: options.name,
      type: "Microsoft.Network/privateDnsZones",
      location: "global",
      etag: stableGuid(`etag:${id}`),
      properties: {
        maxNumberOfRecordSets: 25000,
        maxNumberOfVirtualNetworkLinks: 1000,
        maxNumberOfVirtualNetworkLinksWithRegistration: 100,
        numberOfRecordSets: options.numberOfRecordSets ?? 1,
        numberOfVirtualNetworkLinks: options.numberOfVirtualNetworkLinks ?? 0,
        numberOfVirtualNetworkLinksWithRegistration: options.numberOfVirtualNetworkLinksWithRegistration ?? 0,
        provisioningState: "Succeeded",
        internalId: Buffer.from(id.toLowerCase()).toString("base64").slice(0, 40),
      },
    },
    { tags: options.tags },
  );
}

/** A virtual network link of a private DNS zone (virtualNetworkLinks.list items). */
export function vnetLink(
  zoneId: string,
  vnetId: string,
  options: { name?: string; registrationEnabled?: boolean; resolutionPolicy?: "Default" | "NxDomainRedirect"; virtualNetworkLinkState?: "InProgress" | "Completed" } = {},
): ArmResource {
  const name = options.name ?? `${lastSegment(vnetId)}-link`;
  const id = `${zoneId}/virtualNetworkLinks/${name}`;
  return {
    id,
    name,
    type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    location: "global",
    etag: stableGuid(`etag:${id}`),
    properties: {
      virtualNetwork: { id: vnetId },
      registrationEnabled: options.registrationEnabled ?? false,
      resolutionPolicy: options.resolutionPolicy ?? "Default",
      virtualNetworkLinkState: options.virtualNetworkLinkState ?? "Completed",
      provisioningState: "Succeeded",
    },
  };
}

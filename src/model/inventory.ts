/**
 * The Inventory: a JSON-serialisable snapshot of what collection read from Azure.
 *
 * Rules are pure functions of this snapshot. It is normalised (flat camelCase fields,
 * no SDK classes, no Dates) so that `vnet-audit collect` can save it and
 * `vnet-audit scan --from` can re-audit it offline. Secrets never enter it: of the app
 * settings only the two names RULES.md reads are kept, and certificate blobs are parsed at
 * the edge into their dates and subject.
 *
 * The shape is declared once, as the zod schemas of inventory-schema.ts (field by field, with
 * what each means); these types are what those schemas produce, so they can't drift apart.
 */
import type { z } from "zod";
import {
  INVENTORY_SCHEMA_VERSION,
  type autoscaleProfileSchema,
  type autoscaleSettingSchema,
  type certificateSchema,
  type collectionErrorSchema,
  type connectionCertificateSchema,
  type hostNameBindingSchema,
  type inventorySchema,
  type planSchema,
  type privateDnsZoneSchema,
  type readStatusSchema,
  type resourceGroupSchema,
  type siteSchema,
  type subnetSchema,
  type subscriptionRecordSchema,
  type subscriptionStatusSchema,
  type tagsSchema,
  type virtualNetworkGatewaySchema,
  type virtualNetworkPeeringSchema,
  type virtualNetworkSchema,
  type vnetConnectionSchema,
} from "./inventory-schema.js";

export { INVENTORY_SCHEMA_VERSION };

export type ReadStatus = z.output<typeof readStatusSchema>;
export type Tags = z.output<typeof tagsSchema>;
export type SubscriptionStatus = z.output<typeof subscriptionStatusSchema>;
export type CollectionError = z.output<typeof collectionErrorSchema>;
export type SubscriptionRecord = z.output<typeof subscriptionRecordSchema>;
export type HostNameBinding = z.output<typeof hostNameBindingSchema>;
export type ConnectionCertificate = z.output<typeof connectionCertificateSchema>;
export type VnetConnection = z.output<typeof vnetConnectionSchema>;
export type Site = z.output<typeof siteSchema>;
export type Plan = z.output<typeof planSchema>;
export type AutoscaleSetting = z.output<typeof autoscaleSettingSchema>;
export type AutoscaleProfile = z.output<typeof autoscaleProfileSchema>;
export type Subnet = z.output<typeof subnetSchema>;
export type VirtualNetwork = z.output<typeof virtualNetworkSchema>;
export type VirtualNetworkPeering = z.output<typeof virtualNetworkPeeringSchema>;
export type VirtualNetworkGateway = z.output<typeof virtualNetworkGatewaySchema>;
export type PrivateDnsZone = z.output<typeof privateDnsZoneSchema>;
export type Certificate = z.output<typeof certificateSchema>;
export type ResourceGroup = z.output<typeof resourceGroupSchema>;
export type Inventory = z.output<typeof inventorySchema>;

export function emptyInventory(collectedAt: string): Inventory {
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    collectedAt,
    subscriptions: [],
    sites: [],
    plans: [],
    autoscaleSettings: [],
    virtualNetworks: [],
    gateways: [],
    privateDnsZones: [],
    certificates: [],
    resourceGroups: [],
  };
}

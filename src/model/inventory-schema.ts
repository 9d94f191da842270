import { z } from "zod";

/**
 * The Inventory, declared once: these schemas validate a saved inventory at the boundary
 * (`scan --from`), and inventory.ts's types are inferred from them, so a field added here is
 * typed everywhere and a field not declared here can't be typed at all (zod strips unknown
 * keys: a field on the type but not in the schema would silently vanish on `scan --from`).
 */

export const INVENTORY_SCHEMA_VERSION = 1;

/** How one per-resource read went. `notNeeded`: no rule needed it for this resource. */
export const readStatusSchema = z.enum(["read", "forbidden", "notFound", "failed", "notNeeded"]);
export const subscriptionStatusSchema = z.enum(["complete", "partial", "failed", "skipped"]);

const id = z.string().min(1);
const optionalString = z.string().optional();
/** ARM resource tags (name → value); names are case-insensitive in Azure. */
export const tagsSchema = z.record(z.string(), z.string());
/** Resource tags as listed (owner lookup, RULES.md "Owners"); absent when the resource has none. */
const tags = tagsSchema.optional();
/** Dates the rules and the HTML report compute with: an unparseable one is refused here, with its path, not in a renderer. */
const dateTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "an ISO 8601 date-time such as 2026-12-01T00:00:00Z");
const optionalDateTime = dateTime.optional();

export const collectionErrorSchema = z.object({
  /** SDK operation, e.g. `webApps.listByResourceGroup`. */
  operation: z.string(),
  /**
   * What the failed read leaves unknown when it is less than findings: `owners` (the resource
   * group list, read only for owner tags) is a coverage note that leaves the subscription complete.
   */
  impact: z.literal("owners").optional(),
  /** The resource (or list scope) the call was about. */
  resourceId: z.string(),
  statusCode: z.number().int().optional(),
  code: optionalString,
  message: z.string(),
});

export const subscriptionRecordSchema = z.object({
  subscriptionId: z.string(),
  displayName: z.string(),
  /** Azure's subscription state: Enabled, Warned, PastDue, Disabled, Deleted. */
  state: z.string(),
  status: subscriptionStatusSchema,
  errors: z.array(collectionErrorSchema),
});

export const hostNameBindingSchema = z.object({ name: z.string(), sslState: optionalString, thumbprint: optionalString });

/** A parsed gateway certificate (the connection's `certBlob`); the blob itself is never kept. */
export const connectionCertificateSchema = z.object({
  /** ISO date; absent when the blob was missing or unreadable. */
  notAfter: optionalDateTime,
  subject: optionalString,
  thumbprint: optionalString,
  /** Why the blob could not be read (missing, malformed); a coverage note, not a finding. */
  unreadable: optionalString,
});

/** One entry of `webApps.listVnetConnections` (a bare array on the wire). */
export const vnetConnectionSchema = z.object({
  id: optionalString,
  name: z.string(),
  vnetResourceId: optionalString,
  isSwift: z.boolean(),
  resyncRequired: z.boolean(),
  certThumbprint: optionalString,
  certificate: connectionCertificateSchema,
});

/** A `Microsoft.Web/sites` resource or one of its `Microsoft.Web/sites/slots`. */
export const siteSchema = z.object({
  /** ARM ID as Azure returned it. */
  id,
  /** `app` for a site, `app/slot` for a slot. */
  name: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  location: z.string(),
  /** Comma-separated kind tokens as Azure returns them (`app,linux,container`); "" when absent. */
  kind: z.string(),
  /** The parent site's ID when this is a deployment slot. */
  slotOf: optionalString,
  reserved: z.boolean(),
  hyperV: z.boolean(),
  serverFarmId: optionalString,
  httpsOnly: z.boolean().optional(),
  virtualNetworkSubnetId: optionalString,
  /** Site-level Route All settings; absent when the payload had no `outboundVnetRouting`. */
  outboundVnetRouting: z.object({ allTraffic: z.boolean().optional(), applicationTraffic: z.boolean().optional() }).optional(),
  /** `dnsConfiguration.dnsServers`. */
  dnsServers: z.array(z.string()),
  hostingEnvironmentId: optionalString,
  managedEnvironmentId: optionalString,
  hostNameSslStates: z.array(hostNameBindingSchema),
  /** `siteConfig.vnetRouteAllEnabled` from `webApps.getConfiguration`, when read. */
  vnetRouteAllEnabled: z.boolean().optional(),
  /** Only these two app settings are ever kept (docs/ARCHITECTURE.md, Scan result); present when read. */
  appSettings: z.object({ WEBSITE_VNET_ROUTE_ALL: optionalString, WEBSITE_DNS_SERVER: optionalString }).strict().optional(),
  /** `webApps.listVnetConnections`, when read. */
  vnetConnections: z.array(vnetConnectionSchema).optional(),
  reads: z.object({ config: readStatusSchema, appSettings: readStatusSchema, vnetConnections: readStatusSchema }),
  tags,
});

export const planSchema = z.object({
  id,
  name: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  location: z.string(),
  kind: z.string(),
  sku: z.object({ name: optionalString, tier: optionalString, capacity: z.number().optional() }),
  reserved: z.boolean(),
  hyperV: z.boolean(),
  maximumElasticWorkerCount: z.number().optional(),
  /** `elasticScaleEnabled`; Elastic Premium plans scale elastically whatever it says (RULES.md). */
  elasticScaleEnabled: z.boolean().optional(),
  hostingEnvironmentId: optionalString,
  /** `network.virtualNetworkSubnetId` (plan-level regional integration). */
  virtualNetworkSubnetId: optionalString,
  tags,
});

export const autoscaleProfileSchema = z.object({
  name: z.string(),
  /** `capacity.maximum` (a string on the wire). */
  maximum: z.number(),
  /**
   * A `fixedDate` profile's window, as the API wrote it (ISO date-times, `timeZone` a Windows
   * time zone name). Absent for `recurrence` and default profiles, which never end.
   */
  fixedDate: z.object({ start: optionalString, end: optionalString, timeZone: optionalString }).optional(),
});

export const autoscaleSettingSchema = z.object({
  id,
  subscriptionId: z.string(),
  enabled: z.boolean(),
  targetResourceUri: z.string(),
  profiles: z.array(autoscaleProfileSchema),
});

export const subnetSchema = z.object({
  id,
  name: z.string(),
  /** `addressPrefix` and `addressPrefixes` merged. */
  addressPrefixes: z.array(z.string()),
  /** `serviceName` of each delegation, e.g. `Microsoft.Web/serverFarms`. */
  delegations: z.array(z.string()),
  /**
   * IDs of IP configurations in the subnet (NICs, gateways, load balancers), as ARM spells
   * them: a private endpoint's NIC IP configuration is listed here too, often upper-cased.
   */
  ipConfigurationIds: z.array(z.string()),
  privateEndpointIds: z.array(z.string()),
  serviceEndpointPolicyIds: z.array(z.string()),
});

/** One entry of a VNet's `virtualNetworkPeerings` (fix plans: what it already reaches, what to avoid). */
export const virtualNetworkPeeringSchema = z.object({
  name: z.string(),
  remoteVirtualNetworkId: optionalString,
  /** `remoteAddressSpace.addressPrefixes`: the remote VNet's address space as the peering sees it. */
  remoteAddressPrefixes: z.array(z.string()),
  /** `Initiated`, `Connected` or `Disconnected`. */
  peeringState: optionalString,
  allowGatewayTransit: z.boolean().optional(),
  useRemoteGateways: z.boolean().optional(),
});

export const virtualNetworkSchema = z.object({
  id,
  name: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  location: z.string(),
  addressPrefixes: z.array(z.string()),
  /** `dhcpOptions.dnsServers`; empty means Azure-provided DNS. */
  dnsServers: z.array(z.string()),
  subnets: z.array(subnetSchema),
  tags,
  /** `virtualNetworkPeerings`; absent in inventories saved before peerings were read. */
  peerings: z.array(virtualNetworkPeeringSchema).optional(),
});

export const virtualNetworkGatewaySchema = z.object({
  id,
  name: z.string(),
  subscriptionId: z.string(),
  /** The VNet whose GatewaySubnet holds the gateway. */
  virtualNetworkId: z.string(),
  /** `Vpn` or `ExpressRoute`. */
  gatewayType: optionalString,
  /** `RouteBased` or `PolicyBased`. */
  vpnType: optionalString,
  sku: optionalString,
  /**
   * Point-to-site configuration; absent when the gateway has none (`vpnClientConfiguration`
   * absent or null, as ExpressRoute and policy-based gateways send it).
   */
  vpnClientConfiguration: z
    .object({
      /** `vpnClientAddressPool.addressPrefixes`; empty when the configuration has no pool. */
      addressPrefixes: z.array(z.string()),
      protocols: z.array(z.string()),
      /**
       * `vpnAuthenticationTypes` (Certificate, Radius, AAD); when the payload has none, what its
       * root certificates, RADIUS servers or Entra tenant imply. Empty: unknown. Inventories
       * saved before it was read have none: `[]`.
       */
      authenticationTypes: z.array(z.string()).default([]),
    })
    .optional(),
});

export const privateDnsZoneSchema = z.object({
  id,
  name: z.string(),
  subscriptionId: z.string(),
  virtualNetworkLinks: z.array(z.object({ id: z.string(), name: z.string(), virtualNetworkId: z.string(), registrationEnabled: z.boolean().optional() })),
});

/** A `Microsoft.Web/certificates` resource (App Service certificate binding store). */
export const certificateSchema = z.object({
  id,
  name: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  thumbprint: optionalString,
  /** ISO date. */
  expirationDate: optionalDateTime,
  hostNames: z.array(z.string()),
  subjectName: optionalString,
  friendlyName: optionalString,
  issuer: optionalString,
  tags,
});

/** A resource group of the subscription, from its one resource-group list (owner tags only). */
export const resourceGroupSchema = z.object({ id, name: z.string(), subscriptionId: z.string(), tags });

export const inventorySchema = z.object({
  schemaVersion: z.literal(INVENTORY_SCHEMA_VERSION),
  collectedAt: dateTime,
  subscriptions: z.array(subscriptionRecordSchema),
  sites: z.array(siteSchema),
  plans: z.array(planSchema),
  autoscaleSettings: z.array(autoscaleSettingSchema),
  virtualNetworks: z.array(virtualNetworkSchema),
  gateways: z.array(virtualNetworkGatewaySchema),
  privateDnsZones: z.array(privateDnsZoneSchema),
  certificates: z.array(certificateSchema),
  // Inventories saved before owner lookup have no resource groups: owners then come from resource tags.
  resourceGroups: z.array(resourceGroupSchema).default([]),
});

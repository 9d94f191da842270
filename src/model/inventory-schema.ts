import { z } from "zod";
import { INVENTORY_SCHEMA_VERSION, type Inventory } from "./inventory.js";

/**
 * Validates a saved inventory (`scan --from`) at the boundary. It mirrors inventory.ts; the
 * assignment check at the bottom fails to compile if the two drift apart.
 */
const readStatus = z.enum(["read", "forbidden", "notFound", "failed", "notNeeded"]);
const collectionError = z.object({
  operation: z.string(),
  impact: z.literal("owners").optional(),
  resourceId: z.string(),
  statusCode: z.number().int().optional(),
  code: z.string().optional(),
  message: z.string(),
});
const id = z.string().min(1);
const optionalString = z.string().optional();
const tags = z.record(z.string(), z.string()).optional();
/** Dates the rules and the HTML report compute with: an unparseable one is refused here, with its path, not in a renderer. */
const dateTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "an ISO 8601 date-time such as 2026-12-01T00:00:00Z");
const optionalDateTime = dateTime.optional();

const site = z.object({
  id,
  name: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  location: z.string(),
  kind: z.string(),
  slotOf: optionalString,
  reserved: z.boolean(),
  hyperV: z.boolean(),
  serverFarmId: optionalString,
  httpsOnly: z.boolean().optional(),
  virtualNetworkSubnetId: optionalString,
  outboundVnetRouting: z.object({ allTraffic: z.boolean().optional(), applicationTraffic: z.boolean().optional() }).optional(),
  dnsServers: z.array(z.string()),
  hostingEnvironmentId: optionalString,
  managedEnvironmentId: optionalString,
  hostNameSslStates: z.array(z.object({ name: z.string(), sslState: optionalString, thumbprint: optionalString })),
  vnetRouteAllEnabled: z.boolean().optional(),
  appSettings: z.object({ WEBSITE_VNET_ROUTE_ALL: optionalString, WEBSITE_DNS_SERVER: optionalString }).strict().optional(),
  vnetConnections: z
    .array(
      z.object({
        id: optionalString,
        name: z.string(),
        vnetResourceId: optionalString,
        isSwift: z.boolean(),
        resyncRequired: z.boolean(),
        certThumbprint: optionalString,
        certificate: z.object({ notAfter: optionalDateTime, subject: optionalString, thumbprint: optionalString, unreadable: optionalString }),
      }),
    )
    .optional(),
  reads: z.object({ config: readStatus, appSettings: readStatus, vnetConnections: readStatus }),
  tags,
});

export const inventorySchema = z.object({
  schemaVersion: z.literal(INVENTORY_SCHEMA_VERSION),
  collectedAt: dateTime,
  subscriptions: z.array(
    z.object({
      subscriptionId: z.string(),
      displayName: z.string(),
      state: z.string(),
      status: z.enum(["complete", "partial", "failed", "skipped"]),
      errors: z.array(collectionError),
    }),
  ),
  sites: z.array(site),
  plans: z.array(
    z.object({
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
      elasticScaleEnabled: z.boolean().optional(),
      hostingEnvironmentId: optionalString,
      virtualNetworkSubnetId: optionalString,
      tags,
    }),
  ),
  autoscaleSettings: z.array(
    z.object({
      id,
      subscriptionId: z.string(),
      enabled: z.boolean(),
      targetResourceUri: z.string(),
      profiles: z.array(
        z.object({
          name: z.string(),
          maximum: z.number(),
          fixedDate: z.object({ start: optionalString, end: optionalString, timeZone: optionalString }).optional(),
        }),
      ),
    }),
  ),
  virtualNetworks: z.array(
    z.object({
      id,
      name: z.string(),
      subscriptionId: z.string(),
      resourceGroup: z.string(),
      location: z.string(),
      addressPrefixes: z.array(z.string()),
      dnsServers: z.array(z.string()),
      subnets: z.array(
        z.object({
          id,
          name: z.string(),
          addressPrefixes: z.array(z.string()),
          delegations: z.array(z.string()),
          ipConfigurationIds: z.array(z.string()),
          privateEndpointIds: z.array(z.string()),
          serviceEndpointPolicyIds: z.array(z.string()),
        }),
      ),
      tags,
      peerings: z
        .array(
          z.object({
            name: z.string(),
            remoteVirtualNetworkId: optionalString,
            remoteAddressPrefixes: z.array(z.string()),
            peeringState: optionalString,
            allowGatewayTransit: z.boolean().optional(),
            useRemoteGateways: z.boolean().optional(),
          }),
        )
        .optional(),
    }),
  ),
  gateways: z.array(
    z.object({
      id,
      name: z.string(),
      subscriptionId: z.string(),
      virtualNetworkId: z.string(),
      gatewayType: optionalString,
      vpnType: optionalString,
      sku: optionalString,
      vpnClientConfiguration: z
        .object({ addressPrefixes: z.array(z.string()), protocols: z.array(z.string()), authenticationTypes: z.array(z.string()).default([]) })
        .optional(),
    }),
  ),
  privateDnsZones: z.array(
    z.object({
      id,
      name: z.string(),
      subscriptionId: z.string(),
      virtualNetworkLinks: z.array(
        z.object({ id: z.string(), name: z.string(), virtualNetworkId: z.string(), registrationEnabled: z.boolean().optional() }),
      ),
    }),
  ),
  certificates: z.array(
    z.object({
      id,
      name: z.string(),
      subscriptionId: z.string(),
      resourceGroup: z.string(),
      thumbprint: optionalString,
      expirationDate: optionalDateTime,
      hostNames: z.array(z.string()),
      subjectName: optionalString,
      friendlyName: optionalString,
      issuer: optionalString,
      tags,
    }),
  ),
  // Inventories saved before owner lookup have no resource groups: owners then come from resource tags.
  resourceGroups: z.array(z.object({ id, name: z.string(), subscriptionId: z.string(), tags })).default([]),
});

// Compile-time guard: the schema's output must be a valid Inventory.
const schemaMatchesInventory: (value: z.infer<typeof inventorySchema>) => Inventory = (value) => value;
void schemaMatchesInventory;

/**
 * The Inventory: a JSON-serialisable snapshot of what collection read from Azure.
 *
 * Rules are pure functions of this snapshot. It is normalised (flat camelCase fields,
 * no SDK classes, no Dates) so that `vnet-audit collect` can save it and
 * `vnet-audit scan --from` can re-audit it offline. Secrets never enter it: of the app
 * settings only the two names RULES.md reads are kept, and certificate blobs are parsed at
 * the edge into their dates and subject.
 */

export const INVENTORY_SCHEMA_VERSION = 1;

/** How one per-resource read went. `notNeeded`: no rule needed it for this resource. */
export type ReadStatus = "read" | "forbidden" | "notFound" | "failed" | "notNeeded";

/** ARM resource tags (name → value); names are case-insensitive in Azure. */
export type Tags = Record<string, string>;

export type SubscriptionStatus = "complete" | "partial" | "failed" | "skipped";

export interface CollectionError {
  /** SDK operation, e.g. `webApps.listByResourceGroup`. */
  operation: string;
  /**
   * What the failed read leaves unknown when it is less than findings: `owners` (the resource
   * group list, read only for owner tags) is a coverage note that leaves the subscription complete.
   */
  impact?: "owners";
  /** The resource (or list scope) the call was about. */
  resourceId: string;
  statusCode?: number;
  code?: string;
  message: string;
}

export interface SubscriptionRecord {
  subscriptionId: string;
  displayName: string;
  /** Azure's subscription state: Enabled, Warned, PastDue, Disabled, Deleted. */
  state: string;
  status: SubscriptionStatus;
  errors: CollectionError[];
}

export interface HostNameBinding {
  name: string;
  sslState?: string;
  thumbprint?: string;
}

/** A parsed gateway certificate (the connection's `certBlob`); the blob itself is never kept. */
export interface ConnectionCertificate {
  /** ISO date; absent when the blob was missing or unreadable. */
  notAfter?: string;
  subject?: string;
  thumbprint?: string;
  /** Why the blob could not be read (missing, malformed); a coverage note, not a finding. */
  unreadable?: string;
}

/** One entry of `webApps.listVnetConnections` (a bare array on the wire). */
export interface VnetConnection {
  id?: string;
  name: string;
  vnetResourceId?: string;
  isSwift: boolean;
  resyncRequired: boolean;
  certThumbprint?: string;
  certificate: ConnectionCertificate;
}

/** A `Microsoft.Web/sites` resource or one of its `Microsoft.Web/sites/slots`. */
export interface Site {
  /** ARM ID as Azure returned it. */
  id: string;
  /** `app` for a site, `app/slot` for a slot. */
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  /** Comma-separated kind tokens as Azure returns them (`app,linux,container`); "" when absent. */
  kind: string;
  /** The parent site's ID when this is a deployment slot. */
  slotOf?: string;
  reserved: boolean;
  hyperV: boolean;
  serverFarmId?: string;
  httpsOnly?: boolean;
  virtualNetworkSubnetId?: string;
  /** Site-level Route All settings; absent when the payload had no `outboundVnetRouting`. */
  outboundVnetRouting?: { allTraffic?: boolean; applicationTraffic?: boolean };
  /** `dnsConfiguration.dnsServers`. */
  dnsServers: string[];
  hostingEnvironmentId?: string;
  managedEnvironmentId?: string;
  hostNameSslStates: HostNameBinding[];
  /** Resource tags as listed (owner lookup, RULES.md "Owners"); absent when the resource has none. */
  tags?: Tags;

  /** `siteConfig.vnetRouteAllEnabled` from `webApps.getConfiguration`, when read. */
  vnetRouteAllEnabled?: boolean;
  /** Only these two app settings are ever kept (docs/ARCHITECTURE.md, Scan result); present when read. */
  appSettings?: { WEBSITE_VNET_ROUTE_ALL?: string; WEBSITE_DNS_SERVER?: string };
  /** `webApps.listVnetConnections`, when read. */
  vnetConnections?: VnetConnection[];
  reads: { config: ReadStatus; appSettings: ReadStatus; vnetConnections: ReadStatus };
}

export interface Plan {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  kind: string;
  sku: { name?: string; tier?: string; capacity?: number };
  reserved: boolean;
  hyperV: boolean;
  maximumElasticWorkerCount?: number;
  /** `elasticScaleEnabled`; Elastic Premium plans scale elastically whatever it says (RULES.md). */
  elasticScaleEnabled?: boolean;
  hostingEnvironmentId?: string;
  /** `network.virtualNetworkSubnetId` (plan-level regional integration). */
  virtualNetworkSubnetId?: string;
  tags?: Tags;
}

export interface AutoscaleSetting {
  id: string;
  subscriptionId: string;
  enabled: boolean;
  targetResourceUri: string;
  profiles: AutoscaleProfile[];
}

export interface AutoscaleProfile {
  name: string;
  /** `capacity.maximum` (a string on the wire). */
  maximum: number;
  /**
   * A `fixedDate` profile's window, as the API wrote it (ISO date-times, `timeZone` a Windows
   * time zone name). Absent for `recurrence` and default profiles, which never end.
   */
  fixedDate?: { start?: string; end?: string; timeZone?: string };
}

export interface Subnet {
  id: string;
  name: string;
  /** `addressPrefix` and `addressPrefixes` merged. */
  addressPrefixes: string[];
  /** `serviceName` of each delegation, e.g. `Microsoft.Web/serverFarms`. */
  delegations: string[];
  /**
   * IDs of IP configurations in the subnet (NICs, gateways, load balancers), as ARM spells
   * them: a private endpoint's NIC IP configuration is listed here too, often upper-cased.
   */
  ipConfigurationIds: string[];
  privateEndpointIds: string[];
  serviceEndpointPolicyIds: string[];
}

export interface VirtualNetwork {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  addressPrefixes: string[];
  /** `dhcpOptions.dnsServers`; empty means Azure-provided DNS. */
  dnsServers: string[];
  subnets: Subnet[];
  tags?: Tags;
  /** `virtualNetworkPeerings`; absent in inventories saved before peerings were read. */
  peerings?: VirtualNetworkPeering[];
}

/** One entry of a VNet's `virtualNetworkPeerings` (fix plans: what it already reaches, what to avoid). */
export interface VirtualNetworkPeering {
  name: string;
  remoteVirtualNetworkId?: string;
  /** `remoteAddressSpace.addressPrefixes`: the remote VNet's address space as the peering sees it. */
  remoteAddressPrefixes: string[];
  /** `Initiated`, `Connected` or `Disconnected`. */
  peeringState?: string;
  allowGatewayTransit?: boolean;
  useRemoteGateways?: boolean;
}

export interface VirtualNetworkGateway {
  id: string;
  name: string;
  subscriptionId: string;
  /** The VNet whose GatewaySubnet holds the gateway. */
  virtualNetworkId: string;
  /** `Vpn` or `ExpressRoute`. */
  gatewayType?: string;
  /** `RouteBased` or `PolicyBased`. */
  vpnType?: string;
  sku?: string;
  /**
   * Point-to-site configuration; absent when the gateway has none (`vpnClientConfiguration`
   * absent or null, as ExpressRoute and policy-based gateways send it).
   */
  vpnClientConfiguration?: {
    /** `vpnClientAddressPool.addressPrefixes`; empty when the configuration has no pool. */
    addressPrefixes: string[];
    protocols: string[];
    /**
     * `vpnAuthenticationTypes` (Certificate, Radius, AAD); when the payload has none, what its
     * root certificates, RADIUS servers or Entra tenant imply. Empty: unknown.
     */
    authenticationTypes: string[];
  };
}

export interface PrivateDnsZone {
  id: string;
  name: string;
  subscriptionId: string;
  virtualNetworkLinks: { id: string; name: string; virtualNetworkId: string; registrationEnabled?: boolean }[];
}

/** A `Microsoft.Web/certificates` resource (App Service certificate binding store). */
export interface Certificate {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  thumbprint?: string;
  /** ISO date. */
  expirationDate?: string;
  hostNames: string[];
  subjectName?: string;
  friendlyName?: string;
  issuer?: string;
  tags?: Tags;
}

/** A resource group of the subscription, from its one resource-group list (owner tags only). */
export interface ResourceGroup {
  id: string;
  name: string;
  subscriptionId: string;
  tags?: Tags;
}

export interface Inventory {
  schemaVersion: typeof INVENTORY_SCHEMA_VERSION;
  collectedAt: string;
  subscriptions: SubscriptionRecord[];
  sites: Site[];
  plans: Plan[];
  autoscaleSettings: AutoscaleSetting[];
  virtualNetworks: VirtualNetwork[];
  gateways: VirtualNetworkGateway[];
  privateDnsZones: PrivateDnsZone[];
  certificates: Certificate[];
  resourceGroups: ResourceGroup[];
}

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

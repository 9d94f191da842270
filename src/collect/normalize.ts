/**
 * SDK objects → inventory records. The SDK types mark nearly everything optional and some
 * payloads from the field are odder still, so each function tolerates missing fields and
 * keeps only what a rule reads.
 */
import type { Site as SdkSite, AppServicePlan, Certificate as SdkCertificate, VnetInfoResource } from "@azure/arm-appservice";
import type { VirtualNetwork as SdkVirtualNetwork, VirtualNetworkGateway as SdkGateway } from "@azure/arm-network";
import type { PrivateZone, VirtualNetworkLink } from "@azure/arm-privatedns";
import type { AutoscaleSettingResource } from "@azure/arm-monitor";
import type { ResourceGroup as SdkResourceGroup } from "@azure/arm-resources";
import type {
  AutoscaleProfile,
  AutoscaleSetting,
  Certificate,
  Plan,
  PrivateDnsZone,
  ResourceGroup,
  Site,
  Subnet,
  VirtualNetwork,
  VirtualNetworkGateway,
  VnetConnection,
  Tags,
} from "../model/inventory.js";
import { resourceGroupOf, subscriptionOf } from "../util/arm-id.js";
import { readConnectionCertificate } from "./certificate.js";

const isoDate = (value: Date | string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

const nonEmpty = (value: string | undefined | null): string | undefined => (typeof value === "string" && value ? value : undefined);

// The SDK types promise more than the wire always delivers: coerce, never trust.
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string" && item !== "") : []);
const list = <T>(value: T[] | undefined | null): T[] => (Array.isArray(value) ? value : []);
const optionalBoolean = (value: unknown): boolean | undefined => (typeof value === "boolean" ? value : undefined);
const optionalNumber = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

/** String-valued tags only (owner lookup); `{}` when none, so an absent tag set is left out of the record. */
function tagsOf(value: unknown): { tags?: Tags } {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  const tags = Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  return Object.keys(tags).length > 0 ? { tags } : {};
}

export function toSite(site: SdkSite, fallbackSubscriptionId: string): Site | undefined {
  if (!site.id) return undefined;
  const isSlot = /\/slots\/[^/]+$/i.test(site.id);
  return {
    id: site.id,
    name: site.name ?? site.id.split("/").pop()!,
    subscriptionId: subscriptionOf(site.id) ?? fallbackSubscriptionId,
    resourceGroup: resourceGroupOf(site.id) ?? "",
    location: site.location ?? "",
    kind: site.kind ?? "",
    ...(isSlot ? { slotOf: site.id.replace(/\/slots\/[^/]+$/i, "") } : {}),
    reserved: site.reserved === true,
    hyperV: site.hyperV === true,
    serverFarmId: nonEmpty(site.serverFarmId),
    httpsOnly: optionalBoolean(site.httpsOnly),
    virtualNetworkSubnetId: nonEmpty(site.virtualNetworkSubnetId),
    ...(site.outboundVnetRouting
      ? {
          outboundVnetRouting: {
            allTraffic: optionalBoolean(site.outboundVnetRouting.allTraffic),
            applicationTraffic: optionalBoolean(site.outboundVnetRouting.applicationTraffic),
          },
        }
      : {}),
    dnsServers: strings(site.dnsConfiguration?.dnsServers),
    hostingEnvironmentId: nonEmpty(site.hostingEnvironmentProfile?.id),
    managedEnvironmentId: nonEmpty(site.managedEnvironmentId),
    hostNameSslStates: list(site.hostNameSslStates)
      .filter((state) => typeof state?.name === "string" && state.name !== "")
      .map((state) => ({ name: state.name!, sslState: state.sslState, thumbprint: nonEmpty(state.thumbprint) })),
    reads: { config: "notNeeded", appSettings: "notNeeded", vnetConnections: "notNeeded" },
    ...tagsOf(site.tags),
  };
}

export function toPlan(plan: AppServicePlan, fallbackSubscriptionId: string): Plan | undefined {
  if (!plan.id) return undefined;
  return {
    id: plan.id,
    name: plan.name ?? plan.id.split("/").pop()!,
    subscriptionId: subscriptionOf(plan.id) ?? fallbackSubscriptionId,
    resourceGroup: resourceGroupOf(plan.id) ?? "",
    location: plan.location ?? "",
    kind: plan.kind ?? "",
    sku: { name: nonEmpty(plan.sku?.name), tier: nonEmpty(plan.sku?.tier), capacity: optionalNumber(plan.sku?.capacity) },
    reserved: plan.reserved === true,
    hyperV: plan.hyperV === true,
    maximumElasticWorkerCount: optionalNumber(plan.maximumElasticWorkerCount),
    elasticScaleEnabled: optionalBoolean(plan.elasticScaleEnabled),
    hostingEnvironmentId: nonEmpty(plan.hostingEnvironmentProfile?.id),
    virtualNetworkSubnetId: nonEmpty(plan.network?.virtualNetworkSubnetId),
    ...tagsOf(plan.tags),
  };
}

export function toVnetConnection(connection: VnetInfoResource): VnetConnection {
  return {
    id: connection.id,
    name: connection.name ?? "",
    vnetResourceId: nonEmpty(connection.vnetResourceId),
    isSwift: connection.isSwift === true,
    resyncRequired: connection.resyncRequired === true,
    certThumbprint: nonEmpty(connection.certThumbprint),
    // Regional (swift) connections carry no certificate; only gateway-required ones are parsed.
    certificate: connection.isSwift === true ? {} : readConnectionCertificate(connection.certBlob),
  };
}

export function toCertificate(certificate: SdkCertificate, fallbackSubscriptionId: string): Certificate | undefined {
  if (!certificate.id) return undefined;
  return {
    id: certificate.id,
    name: certificate.name ?? certificate.id.split("/").pop()!,
    subscriptionId: subscriptionOf(certificate.id) ?? fallbackSubscriptionId,
    resourceGroup: resourceGroupOf(certificate.id) ?? "",
    thumbprint: nonEmpty(certificate.thumbprint),
    expirationDate: isoDate(certificate.expirationDate),
    hostNames: strings(certificate.hostNames),
    subjectName: nonEmpty(certificate.subjectName),
    friendlyName: nonEmpty(certificate.friendlyName),
    issuer: nonEmpty(certificate.issuer),
    ...tagsOf(certificate.tags),
  };
}

export function toAutoscaleSetting(setting: AutoscaleSettingResource, fallbackSubscriptionId: string): AutoscaleSetting | undefined {
  if (!setting.id || !setting.targetResourceUri) return undefined;
  return {
    id: setting.id,
    subscriptionId: subscriptionOf(setting.id) ?? fallbackSubscriptionId,
    // ARM treats an absent `enabled` as enabled.
    enabled: setting.enabled !== false,
    targetResourceUri: setting.targetResourceUri,
    // Capacities arrive as strings ("10"); fixedDate windows are kept so the rules can tell a
    // campaign that is over from one that is running or scheduled.
    profiles: list(setting.profiles).flatMap((profile): AutoscaleProfile[] => {
      const maximum = Number.parseInt(String(profile?.capacity?.maximum), 10);
      if (!Number.isFinite(maximum)) return [];
      const window = profile.fixedDate;
      const fixedDate = window
        ? withDefined({ start: isoDate(window.start), end: isoDate(window.end), timeZone: nonEmpty(window.timeZone) })
        : undefined;
      return [{ name: profile.name ?? "", maximum, ...(fixedDate ? { fixedDate } : {}) }];
    }),
  };
}

export function toVirtualNetwork(network: SdkVirtualNetwork, fallbackSubscriptionId: string): VirtualNetwork | undefined {
  if (!network.id) return undefined;
  return {
    id: network.id,
    name: network.name ?? network.id.split("/").pop()!,
    subscriptionId: subscriptionOf(network.id) ?? fallbackSubscriptionId,
    resourceGroup: resourceGroupOf(network.id) ?? "",
    location: network.location ?? "",
    addressPrefixes: strings(network.addressSpace?.addressPrefixes),
    dnsServers: strings(network.dhcpOptions?.dnsServers),
    subnets: list(network.subnets).flatMap((subnet): Subnet[] =>
      subnet.id
        ? [
            {
              id: subnet.id,
              name: subnet.name ?? subnet.id.split("/").pop()!,
              addressPrefixes: unique([...strings([subnet.addressPrefix]), ...strings(subnet.addressPrefixes)]),
              delegations: strings(list(subnet.delegations).map((delegation) => delegation?.serviceName)),
              ipConfigurationIds: ids(subnet.ipConfigurations),
              privateEndpointIds: ids(subnet.privateEndpoints),
              serviceEndpointPolicyIds: ids(subnet.serviceEndpointPolicies),
            },
          ]
        : [],
    ),
    ...tagsOf(network.tags),
    peerings: list(network.virtualNetworkPeerings).map((peering) => ({
      name: peering.name ?? "",
      remoteVirtualNetworkId: peering.remoteVirtualNetwork?.id,
      remoteAddressPrefixes: strings(peering.remoteAddressSpace?.addressPrefixes),
      peeringState: peering.peeringState,
      allowGatewayTransit: optionalBoolean(peering.allowGatewayTransit),
      useRemoteGateways: optionalBoolean(peering.useRemoteGateways),
    })),
  };
}

export function toGateway(gateway: SdkGateway, virtualNetworkId: string, fallbackSubscriptionId: string): VirtualNetworkGateway | undefined {
  if (!gateway.id) return undefined;
  // ExpressRoute and policy-based gateways send `vpnClientConfiguration: null`.
  const p2s = gateway.vpnClientConfiguration ?? undefined;
  return {
    id: gateway.id,
    name: gateway.name ?? gateway.id.split("/").pop()!,
    subscriptionId: subscriptionOf(gateway.id) ?? fallbackSubscriptionId,
    virtualNetworkId,
    gatewayType: gateway.gatewayType,
    vpnType: gateway.vpnType,
    sku: gateway.sku?.name,
    ...(p2s
      ? {
          vpnClientConfiguration: {
            addressPrefixes: strings(p2s.vpnClientAddressPool?.addressPrefixes),
            protocols: strings(p2s.vpnClientProtocols),
            authenticationTypes: pointToSiteAuthenticationTypes(p2s),
          },
        }
      : {}),
  };
}

/**
 * `vpnAuthenticationTypes` when the gateway lists them; otherwise what the configuration
 * implies (root certificates: Certificate; RADIUS servers: Radius; an Entra tenant: AAD), as
 * older gateways carry no list. Empty when nothing says.
 */
function pointToSiteAuthenticationTypes(p2s: NonNullable<SdkGateway["vpnClientConfiguration"]>): string[] {
  const listed = strings(p2s.vpnAuthenticationTypes);
  if (listed.length > 0) return listed;
  const implied: string[] = [];
  if (list(p2s.vpnClientRootCertificates).length > 0) implied.push("Certificate");
  if (nonEmpty(p2s.radiusServerAddress) || list(p2s.radiusServers).length > 0) implied.push("Radius");
  if (nonEmpty(p2s.aadTenant)) implied.push("AAD");
  return implied;
}

export function toPrivateDnsZone(zone: PrivateZone, links: VirtualNetworkLink[], fallbackSubscriptionId: string): PrivateDnsZone | undefined {
  if (!zone.id) return undefined;
  return {
    id: zone.id,
    name: zone.name ?? zone.id.split("/").pop()!,
    subscriptionId: subscriptionOf(zone.id) ?? fallbackSubscriptionId,
    virtualNetworkLinks: list(links).flatMap((link) =>
      link.id && link.virtualNetwork?.id
        ? [{ id: link.id, name: link.name ?? "", virtualNetworkId: link.virtualNetwork.id, registrationEnabled: optionalBoolean(link.registrationEnabled) }]
        : [],
    ),
  };
}

export function toResourceGroup(group: SdkResourceGroup, fallbackSubscriptionId: string): ResourceGroup | undefined {
  if (!group.id) return undefined;
  return {
    id: group.id,
    name: group.name ?? group.id.split("/").pop()!,
    subscriptionId: subscriptionOf(group.id) ?? fallbackSubscriptionId,
    ...tagsOf(group.tags),
  };
}

function ids(items: { id?: string }[] | undefined): string[] {
  return strings(list(items).map((item) => item?.id));
}

/** The entries whose value is defined, or undefined when none is. */
function withDefined<T extends Record<string, string | undefined>>(entries: T): Partial<{ [K in keyof T]: string }> | undefined {
  const defined = Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
  return Object.keys(defined).length > 0 ? (defined as Partial<{ [K in keyof T]: string }>) : undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

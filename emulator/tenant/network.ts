/** VNets, subnets and virtual network gateways as Microsoft.Network serves them (network 2025-05-01). */
import type { ArmResource } from "../index.js";
import { DEFAULT_NETWORK_LOCATION, etag, resourceId, stableGuid, subnetId, withOptional, type Props } from "./ids.js";

export interface SubnetSpec {
  name: string;
  addressPrefix?: string;
  addressPrefixes?: string[];
  /** Service names, e.g. "Microsoft.Web/serverFarms". */
  delegations?: string[];
  ipConfigurationIds?: string[];
  privateEndpointIds?: string[];
  serviceEndpointPolicyIds?: string[];
  /** Container network profiles' IP configuration profiles using the subnet (ACI). */
  ipConfigurationProfileIds?: string[];
  /** Service names, e.g. "Microsoft.Storage". */
  serviceEndpoints?: string[];
  networkSecurityGroupId?: string;
  routeTableId?: string;
  natGatewayId?: string;
  privateEndpointNetworkPolicies?: "Enabled" | "Disabled" | "NetworkSecurityGroupEnabled" | "RouteTableEnabled";
  defaultOutboundAccess?: boolean;
}

export interface VnetOptions {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  addressPrefixes: string[];
  /** DNS servers; absent = Azure-provided DNS (sent as `dhcpOptions: { dnsServers: [] }`). */
  dnsServers?: string[];
  subnets: SubnetSpec[];
  tags?: Record<string, string>;
  /** `virtualNetworkPeerings`, in the shape of the published example (VirtualNetworkPeeringGet.json). */
  peerings?: { name: string; remoteVirtualNetworkId: string; remoteAddressPrefixes: string[]; peeringState?: "Initiated" | "Connected" | "Disconnected"; allowGatewayTransit?: boolean; useRemoteGateways?: boolean }[];
}

const idRefs = (ids: string[] | undefined) => (ids && ids.length > 0 ? ids.map((id) => ({ id })) : undefined);

function subnetWire(vnetId: string, location: string, s: SubnetSpec): ArmResource {
  const id = subnetId(vnetId, s.name);
  const p: Props = { provisioningState: "Succeeded" };
  if (s.addressPrefixes) p.addressPrefixes = s.addressPrefixes;
  else p.addressPrefix = s.addressPrefix;
  withOptional(p, {
    networkSecurityGroup: s.networkSecurityGroupId ? { id: s.networkSecurityGroupId } : undefined,
    routeTable: s.routeTableId ? { id: s.routeTableId } : undefined,
    natGateway: s.natGatewayId ? { id: s.natGatewayId } : undefined,
    serviceEndpoints: s.serviceEndpoints?.map((service) => ({ provisioningState: "Succeeded", service, locations: [location] })),
    serviceEndpointPolicies: idRefs(s.serviceEndpointPolicyIds),
    ipConfigurations: idRefs(s.ipConfigurationIds),
    ipConfigurationProfiles: idRefs(s.ipConfigurationProfileIds),
    privateEndpoints: idRefs(s.privateEndpointIds),
  });
  p.delegations = (s.delegations ?? []).map((serviceName, i) => {
    const name = i === 0 ? "delegation" : `delegation${i}`;
    return {
      name,
      id: `${id}/delegations/${name}`,
      etag: etag(`${id}/delegations/${name}`),
      type: "Microsoft.Network/virtualNetworks/subnets/delegations",
      properties: { provisioningState: "Succeeded", serviceName, actions: ["Microsoft.Network/virtualNetworks/subnets/action"] },
    };
  });
  p.privateEndpointNetworkPolicies = s.privateEndpointNetworkPolicies ?? "Disabled";
  p.privateLinkServiceNetworkPolicies = "Enabled";
  if (s.defaultOutboundAccess !== undefined) p.defaultOutboundAccess = s.defaultOutboundAccess;
  return { name: s.name, id, etag: etag(id), type: "Microsoft.Network/virtualNetworks/subnets", properties: p };
}

/** A Microsoft.Network/virtualNetworks resource with its subnets inline, as virtualNetworks.get/listAll return it. */
export function vnet(options: VnetOptions): ArmResource {
  const id = resourceId(options.subscriptionId, options.resourceGroup, "Microsoft.Network/virtualNetworks", options.name);
  const location = options.location ?? DEFAULT_NETWORK_LOCATION;
  const p: Props = {
    provisioningState: "Succeeded",
    resourceGuid: stableGuid(`guid:${id.toLowerCase()}`),
    addressSpace: { addressPrefixes: options.addressPrefixes },
  };
  // Azure always sends dhcpOptions; with nothing set it is `{ dnsServers: [] }` (swagger
  // VirtualNetworkPropertiesFormat.dhcpOptions, network 2025-05-01 virtualNetwork.json).
  p.dhcpOptions = { dnsServers: options.dnsServers ?? [] };
  p.subnets = options.subnets.map((s) => subnetWire(id, location, s));
  p.virtualNetworkPeerings = (options.peerings ?? []).map((peering) => {
    const peeringId = `${id}/virtualNetworkPeerings/${peering.name}`;
    return {
      id: peeringId,
      name: peering.name,
      etag: etag(peeringId),
      type: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
      properties: {
        allowVirtualNetworkAccess: true,
        allowForwardedTraffic: true,
        allowGatewayTransit: peering.allowGatewayTransit ?? false,
        useRemoteGateways: peering.useRemoteGateways ?? false,
        remoteVirtualNetwork: { id: peering.remoteVirtualNetworkId },
        remoteAddressSpace: { addressPrefixes: peering.remoteAddressPrefixes },
        remoteVirtualNetworkAddressSpace: { addressPrefixes: peering.remoteAddressPrefixes },
        peeringState: peering.peeringState ?? "Connected",
        peeringSyncLevel: "FullyInSync",
        provisioningState: "Succeeded",
      },
    };
  });
  p.enableDdosProtection = false;
  return withOptional({ id, name: options.name, type: "Microsoft.Network/virtualNetworks", location, etag: etag(id), properties: p }, { tags: options.tags });
}

export interface VpnGatewayOptions {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  /** The VNet whose GatewaySubnet the gateway sits in. */
  vnetId: string;
  gatewayType?: "Vpn" | "ExpressRoute" | "LocalGateway";
  vpnType?: "RouteBased" | "PolicyBased";
  /** Default VpnGw1. */
  sku?: { name: string; tier?: string; capacity?: number };
  vpnGatewayGeneration?: "Generation1" | "Generation2" | "None";
  activeActive?: boolean;
  enableBgp?: boolean;
  publicIpAddressId?: string;
  /**
   * Point-to-site configuration, required for App Service gateway-required VNet integration.
   * Absent: sent as `vpnClientConfiguration: null`, as Azure does for ExpressRoute and
   * policy-based gateways and gateways without point-to-site. `addressPrefixes` absent: no pool.
   */
  vpnClientConfiguration?: {
    addressPrefixes?: string[];
    protocols: Array<"IkeV2" | "SSTP" | "OpenVPN">;
    /** Default ["Certificate"]; an empty list sends no `vpnAuthenticationTypes` (older gateways). */
    authenticationTypes?: Array<"Certificate" | "Radius" | "AAD">;
  };
}

/**
 * A Microsoft.Network/virtualNetworkGateways resource. Its ipConfiguration
 * points at the VNet's GatewaySubnet; use `attachGateway(vnet, gateway)` to add
 * the matching back-reference to that subnet, as Azure does.
 */
export function vpnGateway(options: VpnGatewayOptions): ArmResource {
  const id = resourceId(options.subscriptionId, options.resourceGroup, "Microsoft.Network/virtualNetworkGateways", options.name);
  const ipConfigId = `${id}/ipConfigurations/default`;
  const skuName = options.sku?.name ?? "VpnGw1";
  const p: Props = {
    provisioningState: "Succeeded",
    resourceGuid: stableGuid(`guid:${id.toLowerCase()}`),
    ipConfigurations: [
      {
        name: "default",
        id: ipConfigId,
        etag: etag(ipConfigId),
        type: "Microsoft.Network/virtualNetworkGateways/ipConfigurations",
        properties: withOptional(
          { provisioningState: "Succeeded", privateIPAllocationMethod: "Dynamic", subnet: { id: subnetId(options.vnetId, "GatewaySubnet") } },
          { publicIPAddress: options.publicIpAddressId ? { id: options.publicIpAddressId } : undefined },
        ),
      },
    ],
    sku: { name: skuName, tier: options.sku?.tier ?? skuName, ...(options.sku?.capacity !== undefined ? { capacity: options.sku.capacity } : {}) },
    gatewayType: options.gatewayType ?? "Vpn",
    vpnType: options.vpnType ?? "RouteBased",
    enableBgp: options.enableBgp ?? false,
    activeActive: options.activeActive ?? false,
    vpnGatewayGeneration: options.vpnGatewayGeneration ?? "Generation1",
  };
  // Shape: swagger VpnClientConfiguration (network 2025-05-01 virtualNetworkGateway.json).
  p.vpnClientConfiguration = null;
  if (options.vpnClientConfiguration) {
    const c = options.vpnClientConfiguration;
    const authenticationTypes = c.authenticationTypes ?? ["Certificate"];
    const rootCertificateId = `${id}/vpnClientRootCertificates/AppServiceCertificate`;
    p.vpnClientConfiguration = withOptional(
      {
        vpnClientProtocols: c.protocols,
        // App Service uploads its certificate as a root certificate once integration is set up.
        vpnClientRootCertificates: authenticationTypes.includes("Certificate")
          ? [{ name: "AppServiceCertificate", id: rootCertificateId, etag: etag(rootCertificateId), properties: { provisioningState: "Succeeded", publicCertData: "MIIC" } }]
          : [],
        vpnClientRevokedCertificates: [],
        vpnClientIpsecPolicies: [],
        radiusServers: [],
      },
      {
        vpnClientAddressPool: c.addressPrefixes ? { addressPrefixes: c.addressPrefixes } : undefined,
        vpnAuthenticationTypes: authenticationTypes.length > 0 ? authenticationTypes : undefined,
        radiusServerAddress: authenticationTypes.includes("Radius") ? "10.0.0.10" : undefined,
        aadTenant: authenticationTypes.includes("AAD") ? "https://login.microsoftonline.com/72f988bf-0000-4000-8000-00000000c0de/" : undefined,
        aadAudience: authenticationTypes.includes("AAD") ? "c632b3df-fb67-4d84-bdcf-b95ad541b5c8" : undefined,
      },
    );
  }
  return { id, name: options.name, type: "Microsoft.Network/virtualNetworkGateways", location: options.location ?? DEFAULT_NETWORK_LOCATION, etag: etag(id), properties: p };
}

/**
 * Returns a copy of `vnet` whose GatewaySubnet lists the gateways'
 * ipConfiguration IDs in `ipConfigurations`, as Azure shows a deployed gateway.
 */
export function attachGateway(vnetResource: ArmResource, ...gateways: ArmResource[]): ArmResource {
  const copy = structuredClone(vnetResource);
  const subnets = ((copy.properties ?? {}) as Props).subnets as ArmResource[] | undefined;
  const gatewaySubnet = subnets?.find((s) => s.name.toLowerCase() === "gatewaysubnet");
  if (!gatewaySubnet) throw new Error(`attachGateway: ${vnetResource.id} has no GatewaySubnet`);
  const sp = (gatewaySubnet.properties ?? {}) as Props;
  const refs = (sp.ipConfigurations as Array<{ id: string }> | undefined) ?? [];
  for (const gw of gateways) {
    for (const ipc of ((gw.properties ?? {}) as Props).ipConfigurations as Array<{ id: string }>) refs.push({ id: ipc.id });
  }
  sp.ipConfigurations = refs;
  gatewaySubnet.properties = sp;
  return copy;
}

/**
 * A VNet with gateways in its GatewaySubnet (in the VNet's subscription and resource group),
 * the subnet listing their IP configurations as Azure shows deployed gateways.
 */
export function gatewayNetwork(
  vnetOptions: VnetOptions,
  gateways: Array<Omit<VpnGatewayOptions, "subscriptionId" | "resourceGroup" | "vnetId">>,
): { vnet: ArmResource; gateways: ArmResource[] } {
  const base = vnet(vnetOptions);
  const built = gateways.map((gateway) => vpnGateway({ subscriptionId: vnetOptions.subscriptionId, resourceGroup: vnetOptions.resourceGroup, vnetId: base.id, ...gateway }));
  return { vnet: attachGateway(base, ...built), gateways: built };
}

/**
 * Plain inventory objects for rule tests. Builders return healthy defaults; tests override
 * what they are about. `healthyTenant()` and `legacyTenant()` return the inventory together with
 * handles on its resources, so a test reads `tenant.subnet.addressPrefixes = [...]` and then
 * evaluates. `run` judges the inventory as it is then (each evaluation indexes it afresh).
 */
import {
  emptyInventory,
  type AutoscaleSetting,
  type Certificate,
  type Inventory,
  type Plan,
  type PrivateDnsZone,
  type Site,
  type Subnet,
  type VirtualNetwork,
  type VirtualNetworkGateway,
  type VnetConnection,
} from "../../src/model/inventory.js";
import type { Severity } from "../../src/model/severity.js";
import { ruleResults } from "../../src/engine/evaluate.js";
import { DEFAULT_RULE_SETTINGS, type Rule, type RuleResult, type RuleSettings } from "../../src/rules/rule.js";

/** The default evaluation clock. */
export const NOW = new Date("2026-06-01T00:00:00Z");
export const DAY_MS = 86_400_000;

export const SPOKE = "11111111-1111-1111-1111-111111111111";
export const HUB = "22222222-2222-2222-2222-222222222222";

const rg = (subscriptionId: string, resourceGroup: string) => `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;

export const ids = {
  site: (name: string, subscriptionId = SPOKE) => `${rg(subscriptionId, "rg-apps")}/providers/Microsoft.Web/sites/${name}`,
  plan: (name: string, subscriptionId = SPOKE) => `${rg(subscriptionId, "rg-apps")}/providers/Microsoft.Web/serverfarms/${name}`,
  vnet: (name: string, subscriptionId = SPOKE) => `${rg(subscriptionId, "rg-network")}/providers/Microsoft.Network/virtualNetworks/${name}`,
  gateway: (name: string, subscriptionId = SPOKE) =>
    `${rg(subscriptionId, "rg-network")}/providers/Microsoft.Network/virtualNetworkGateways/${name}`,
  zone: (name: string, subscriptionId = HUB) => `${rg(subscriptionId, "rg-dns")}/providers/Microsoft.Network/privateDnsZones/${name}`,
  certificate: (name: string, subscriptionId = SPOKE) => `${rg(subscriptionId, "rg-apps")}/providers/Microsoft.Web/certificates/${name}`,
  autoscale: (name: string, subscriptionId = SPOKE) => `${rg(subscriptionId, "rg-apps")}/providers/Microsoft.Insights/autoscalesettings/${name}`,
  ase: (name: string, subscriptionId = SPOKE) => `${rg(subscriptionId, "rg-ase")}/providers/Microsoft.Web/hostingEnvironments/${name}`,
  managedEnvironment: (name: string, subscriptionId = SPOKE) => `${rg(subscriptionId, "rg-aca")}/providers/Microsoft.App/managedEnvironments/${name}`,
  privateEndpoint: (name: string, subscriptionId = SPOKE) => `${rg(subscriptionId, "rg-network")}/providers/Microsoft.Network/privateEndpoints/${name}`,
  nicIpConfiguration: (name: string, subscriptionId = SPOKE) =>
    `${rg(subscriptionId, "rg-network")}/providers/Microsoft.Network/networkInterfaces/${name}/ipConfigurations/ipconfig1`,
};

export function makePlan(name: string, overrides: Partial<Plan> = {}): Plan {
  const id = overrides.id ?? ids.plan(name, overrides.subscriptionId);
  return {
    id,
    name,
    subscriptionId: SPOKE,
    resourceGroup: "rg-apps",
    location: "westeurope",
    kind: "app",
    sku: { name: "P1v3", tier: "PremiumV3", capacity: 2 },
    reserved: false,
    hyperV: false,
    ...overrides,
  };
}

/** A healthy Windows code site: HTTPS only, every per-site read succeeded, no integration. */
export function makeSite(name: string, overrides: Partial<Site> = {}): Site {
  return {
    id: ids.site(name, overrides.subscriptionId),
    name,
    subscriptionId: SPOKE,
    resourceGroup: "rg-apps",
    location: "westeurope",
    kind: "app",
    reserved: false,
    hyperV: false,
    httpsOnly: true,
    dnsServers: [],
    hostNameSslStates: [],
    appSettings: {},
    vnetConnections: [],
    reads: { config: "read", appSettings: "read", vnetConnections: "read" },
    ...overrides,
  };
}

/** A deployment slot of `parent`, configured like it unless overridden. */
export function makeSlot(parent: Site, slotName: string, overrides: Partial<Site> = {}): Site {
  return {
    ...structuredClone(parent),
    id: `${parent.id}/slots/${slotName}`,
    name: `${parent.name}/${slotName}`,
    slotOf: parent.id,
    ...overrides,
  };
}

/** A regional integration subnet: delegated to App Service, nothing else in it. */
export function makeSubnet(vnetId: string, name: string, addressPrefixes: string[], overrides: Partial<Subnet> = {}): Subnet {
  return {
    id: `${vnetId}/subnets/${name}`,
    name,
    addressPrefixes,
    delegations: ["Microsoft.Web/serverFarms"],
    ipConfigurationIds: [],
    privateEndpointIds: [],
    serviceEndpointPolicyIds: [],
    ...overrides,
  };
}

export function makeVnet(name: string, overrides: Partial<VirtualNetwork> = {}): VirtualNetwork {
  return {
    id: ids.vnet(name, overrides.subscriptionId),
    name,
    subscriptionId: SPOKE,
    resourceGroup: "rg-network",
    location: "westeurope",
    addressPrefixes: ["10.1.0.0/16"],
    dnsServers: [],
    subnets: [],
    ...overrides,
  };
}

/** A VPN gateway set up as gateway-required integration needs it: route-based, SSTP only, RFC 1918 pool. */
export function makeVpnGateway(vnet: VirtualNetwork, name: string, overrides: Partial<VirtualNetworkGateway> = {}): VirtualNetworkGateway {
  return {
    id: ids.gateway(name, vnet.subscriptionId),
    name,
    subscriptionId: vnet.subscriptionId,
    virtualNetworkId: vnet.id,
    gatewayType: "Vpn",
    vpnType: "RouteBased",
    sku: "VpnGw1",
    vpnClientConfiguration: { addressPrefixes: ["172.16.200.0/24"], protocols: ["SSTP"], authenticationTypes: ["Certificate"] },
    ...overrides,
  };
}

export function makeExpressRouteGateway(vnet: VirtualNetwork, name: string): VirtualNetworkGateway {
  return {
    id: ids.gateway(name, vnet.subscriptionId),
    name,
    subscriptionId: vnet.subscriptionId,
    virtualNetworkId: vnet.id,
    gatewayType: "ExpressRoute",
    sku: "Standard",
  };
}

/** A gateway-required connection whose certificate is years from expiry. */
export function makeGatewayConnection(vnetId: string, overrides: Partial<VnetConnection> = {}): VnetConnection {
  const name = vnetId.split("/").pop()!;
  return {
    name,
    vnetResourceId: vnetId,
    isSwift: false,
    resyncRequired: false,
    certThumbprint: "AB12CD34",
    certificate: { notAfter: "2031-01-01T00:00:00.000Z", subject: "CN=appservice", thumbprint: "AB12CD34" },
    ...overrides,
  };
}

/** The entry `listVnetConnections` returns for regional integration. */
export function makeSwiftConnection(subnetId: string): VnetConnection {
  return { name: "swift", vnetResourceId: subnetId, isSwift: true, resyncRequired: false, certificate: {} };
}

export function makeZone(name: string, linkedVnetIds: string[], overrides: Partial<PrivateDnsZone> = {}): PrivateDnsZone {
  const id = ids.zone(name, overrides.subscriptionId);
  return {
    id,
    name,
    subscriptionId: HUB,
    virtualNetworkLinks: linkedVnetIds.map((virtualNetworkId, i) => ({ id: `${id}/virtualNetworkLinks/link-${i}`, name: `link-${i}`, virtualNetworkId })),
    ...overrides,
  };
}

/** A certificate expiring exactly `daysLeft` days after NOW. */
export function makeCertificate(name: string, daysLeft: number, overrides: Partial<Certificate> = {}): Certificate {
  return {
    id: ids.certificate(name, overrides.subscriptionId),
    name,
    subscriptionId: SPOKE,
    resourceGroup: "rg-apps",
    thumbprint: "0123456789ABCDEF0123456789ABCDEF01234567",
    expirationDate: daysAfterNow(daysLeft),
    hostNames: [`${name}.contoso.com`],
    ...overrides,
  };
}

export function makeAutoscale(plan: Plan, profiles: AutoscaleSetting["profiles"], overrides: Partial<AutoscaleSetting> = {}): AutoscaleSetting {
  return {
    id: ids.autoscale(`${plan.name}-autoscale`),
    subscriptionId: plan.subscriptionId,
    enabled: true,
    targetResourceUri: plan.id,
    profiles,
    ...overrides,
  };
}

export function makeInventory(parts: Partial<Omit<Inventory, "schemaVersion" | "collectedAt">> = {}): Inventory {
  return { ...emptyInventory(NOW.toISOString()), ...parts };
}

/** Regional integration: the site points at the subnet, and listVnetConnections shows it as swift. */
export function integrate(site: Site, subnet: Subnet): Site {
  site.virtualNetworkSubnetId = subnet.id;
  site.vnetConnections = [makeSwiftConnection(subnet.id)];
  return site;
}

export interface HealthyTenant {
  inventory: Inventory;
  plan: Plan;
  /** Linux site with regional integration, Route All on, HTTPS only, a bound certificate. */
  site: Site;
  /** Its staging slot, configured alike. */
  slot: Site;
  vnet: VirtualNetwork;
  /** A dedicated /26 delegated to App Service. */
  subnet: Subnet;
  /** A subnet holding private endpoints (not used for integration). */
  endpointSubnet: Subnet;
  /** A private DNS zone in the hub subscription, linked to the spoke VNet. */
  zone: PrivateDnsZone;
  certificate: Certificate;
}

/** A hub-and-spoke tenant on which no rule fires. */
export function healthyTenant(): HealthyTenant {
  const vnet = makeVnet("vnet-spoke");
  const subnet = makeSubnet(vnet.id, "snet-integration", ["10.1.0.0/26"]);
  const endpointSubnet = makeSubnet(vnet.id, "snet-endpoints", ["10.1.1.0/24"], {
    delegations: [],
    privateEndpointIds: [ids.privateEndpoint("pe-kv")],
  });
  vnet.subnets = [subnet, endpointSubnet];
  const plan = makePlan("plan-linux", { kind: "linux", reserved: true, sku: { name: "P1v3", tier: "PremiumV3", capacity: 3 } });
  const certificate = makeCertificate("web", 365);
  const site = integrate(
    makeSite("web", {
      kind: "app,linux",
      reserved: true,
      serverFarmId: plan.id,
      outboundVnetRouting: { allTraffic: true },
      hostNameSslStates: [{ name: "web.contoso.com", sslState: "SniEnabled", thumbprint: certificate.thumbprint! }],
    }),
    subnet,
  );
  const slot = makeSlot(site, "staging", { hostNameSslStates: [] });
  const zone = makeZone("privatelink.vaultcore.azure.net", [vnet.id]);
  const inventory = makeInventory({
    sites: [site, slot],
    plans: [plan],
    virtualNetworks: [vnet],
    privateDnsZones: [zone],
    certificates: [certificate],
  });
  return { inventory, plan, site, slot, vnet, subnet, endpointSubnet, zone, certificate };
}

export interface LegacyTenant {
  inventory: Inventory;
  plan: Plan;
  /** Windows code site with one gateway-required connection to `vnet`. */
  site: Site;
  vnet: VirtualNetwork;
  gateway: VirtualNetworkGateway;
}

/** A Windows site with a correctly set up gateway-required integration (only the legacy rule fires). */
export function legacyTenant(): LegacyTenant {
  const vnet = makeVnet("vnet-legacy", { addressPrefixes: ["10.20.0.0/16"], location: "northeurope" });
  vnet.subnets = [makeSubnet(vnet.id, "GatewaySubnet", ["10.20.255.0/27"], { delegations: [], ipConfigurationIds: [`${ids.gateway("vgw-legacy")}/ipConfigurations/default`] })];
  const gateway = makeVpnGateway(vnet, "vgw-legacy");
  const plan = makePlan("plan-windows", { sku: { name: "S1", tier: "Standard", capacity: 1 } });
  const site = makeSite("legacy", { serverFarmId: plan.id, vnetConnections: [makeGatewayConnection(vnet.id)] });
  const inventory = makeInventory({ sites: [site], plans: [plan], virtualNetworks: [vnet], gateways: [gateway] });
  return { inventory, plan, site, vnet, gateway };
}

export function context(inventory: Inventory, now: Date = NOW, settings: RuleSettings = DEFAULT_RULE_SETTINGS) {
  return { inventory, now, settings };
}

export function run(rule: Rule, inventory: Inventory, now: Date = NOW, settings: RuleSettings = DEFAULT_RULE_SETTINGS): RuleResult[] {
  return ruleResults(rule, context(inventory, now, settings));
}

/** The (resourceId, severity) pairs of results, the shape most assertions compare. */
export function hits(results: RuleResult[]): [string, Severity][] {
  return results.map((result) => [result.resourceId, result.severity]);
}

/** A date `days` whole days (and `extraMs`) after NOW. */
export function daysAfterNow(days: number, extraMs = 0): string {
  return new Date(NOW.getTime() + days * DAY_MS + extraMs).toISOString();
}

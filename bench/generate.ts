/**
 * A deterministic synthetic tenant for the benchmark: the same seed and sizes always give the
 * same resources (dates are relative to `now`).
 *
 * The mix follows what large App Service estates look like:
 * - a connectivity hub subscription with the gateway VNets (a healthy VPN gateway, a legacy
 *   IKEv2-only one, an ExpressRoute + VPN coexistence), a shared-services VNet some spokes
 *   integrate into, and the private DNS zones, linked to most spoke VNets;
 * - spoke subscriptions with 1–3 resource groups (the spoke VNet and the apps together, or a
 *   network group and one or two for the apps); plans of 5–10 sites each across Basic, Standard, Premium v2/v3, Elastic
 *   Premium, Consumption, Flex Consumption and a few Free plans; Linux and Windows;
 * - about 30% of sites with regional integration (plan by plan, as integration is per plan
 *   in practice): most with Route All on in `outboundVnetRouting`, some with it off (some of
 *   those relying on the legacy app setting), some whose payload lacks `outboundVnetRouting`
 *   (site config decides);
 * - about 5% of sites with gateway-required integration, clustered on Windows plans (the
 *   connection is plan-level), with point-to-site certificates, a few expiring or expired;
 * - slots on 10% of sites, custom domains with App Service certificates on 10%, autoscale on
 *   some plans, and misconfigurations at low rates (undersized or shared subnets, private
 *   endpoints in integration subnets, HTTPS not enforced, IPv6 spaces, unsupported tiers);
 * - owner tags as a tag policy leaves them: in 19 spoke subscriptions of 20 every plan, VNet
 *   and certificate carries `owner` (sites take their plan's; some carry their own), in the
 *   20th (a subscription outside the policy) only the resource groups do, so its owners come
 *   from them. Tags are drawn from a random stream of their own: the rest of the tenant is the
 *   one the same seed gave before they were added.
 */
import type { ArmResource, EmulatedTenant } from "../emulator/index.js";
import * as b from "../emulator/tenant/index.js";

export interface GenerateOptions {
  /** Top-level sites (apps); slots come on top. */
  sites: number;
  /** Spoke subscriptions holding the sites; the hub subscription comes on top. */
  subscriptions: number;
  seed: number;
  now?: Date;
}

export interface TenantStats {
  subscriptions: number;
  resourceGroupsWithSites: number;
  sites: number;
  slots: number;
  plans: number;
  regionalSites: number;
  gatewaySites: number;
  linuxSites: number;
  certificates: number;
  /** Spoke subscriptions whose resources carry no owner tag (only their resource groups do). */
  subscriptionsWithoutOwnerTags: number;
  resources: number;
}

export interface GeneratedTenant {
  tenant: EmulatedTenant;
  stats: TenantStats;
}

const DAY = 86_400_000;

/** The network team's owner tag, on the hub's VNets and on the spoke VNets of tagged subscriptions. */
const NETWORK_OWNER = { Owner: "netops@contoso.com" };

type P2sCertificate = Awaited<ReturnType<typeof b.p2sCertificate>>;

/** mulberry32: small, fast, good enough for reproducible test data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PlanProfile {
  sku: string;
  /** Share of plans. */
  weight: number;
  /** Chance the plan is Linux. */
  linux: number;
  functions?: boolean;
  /** Regional integration possible (and common). */
  regional: boolean;
  /** Gateway-required integration possible (Basic, Standard, Premium*). */
  gateway: boolean;
}

const PLAN_PROFILES: PlanProfile[] = [
  { sku: "P1v3", weight: 30, linux: 0.45, regional: true, gateway: true },
  { sku: "P2v3", weight: 8, linux: 0.45, regional: true, gateway: true },
  { sku: "P1v2", weight: 7, linux: 0.3, regional: true, gateway: true },
  { sku: "S1", weight: 17, linux: 0.35, regional: true, gateway: true },
  { sku: "S2", weight: 3, linux: 0.3, regional: true, gateway: true },
  { sku: "B1", weight: 8, linux: 0.5, regional: true, gateway: true },
  { sku: "EP1", weight: 10, linux: 0.5, functions: true, regional: true, gateway: false },
  { sku: "Y1", weight: 12, linux: 0.3, functions: true, regional: false, gateway: false },
  { sku: "FC1", weight: 3, linux: 1, functions: true, regional: true, gateway: false },
  { sku: "F1", weight: 2, linux: 0.3, regional: false, gateway: false },
];
const PROFILE_WEIGHT = PLAN_PROFILES.reduce((sum, profile) => sum + profile.weight, 0);

const WORKLOADS = ["shop", "crm", "billing", "portal", "api", "data", "identity", "search", "media", "ops", "hr", "finance"];
const ZONES = [
  "privatelink.database.windows.net",
  "privatelink.blob.core.windows.net",
  "privatelink.vaultcore.azure.net",
  "privatelink.azurewebsites.net",
  "privatelink.servicebus.windows.net",
  "privatelink.redis.cache.windows.net",
];

/** Subnet sizes of integration subnets: mostly /26 as recommended, some smaller (findings), some larger. */
const SUBNET_SIZES: Array<[number, number]> = [
  [26, 70],
  [25, 8],
  [24, 4],
  [27, 12],
  [28, 5],
  [29, 1],
];

export async function generateTenant(options: GenerateOptions): Promise<GeneratedTenant> {
  const rand = random(options.seed);
  const now = options.now ?? new Date();
  const chance = (p: number) => rand() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const between = (low: number, high: number) => low + Math.floor(rand() * (high - low + 1));
  const weighted = <T>(items: ReadonlyArray<[T, number]>): T => {
    let roll = rand() * items.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [item, weight] of items) if ((roll -= weight) < 0) return item;
    return items[items.length - 1]![0];
  };
  const inDays = (days: number) => new Date(now.getTime() + days * DAY);

  const resources: ArmResource[] = [];
  const add = <T extends ArmResource>(resource: T): T => {
    resources.push(resource);
    return resource;
  };
  const stats: TenantStats = {
    subscriptions: options.subscriptions + 1,
    resourceGroupsWithSites: 0,
    sites: 0,
    slots: 0,
    plans: 0,
    regionalSites: 0,
    gatewaySites: 0,
    linuxSites: 0,
    certificates: 0,
    subscriptionsWithoutOwnerTags: 0,
    resources: 0,
  };
  // Owner tags come from their own stream, so adding them left every other draw as it was.
  const tagRand = random(options.seed ^ 0x0a11ce);
  /** Spoke subscriptions outside the tag policy: one in this many. */
  const UNTAGGED_SUBSCRIPTION_EVERY = 20;

  // ------------------------------------------------------------------ hub: connectivity
  const hub = b.stableGuid(`bench:${options.seed}:hub`);
  const hubRg = "rg-connectivity";
  const gatewayVnet = (name: string, prefix: string, gateways: Parameters<typeof b.gatewayNetwork>[1]) => {
    const built = b.gatewayNetwork(
      { subscriptionId: hub, resourceGroup: hubRg, name, addressPrefixes: [prefix], subnets: [{ name: "GatewaySubnet", addressPrefix: prefix.replace(/\/\d+$/, "/27") }], tags: NETWORK_OWNER },
      gateways,
    );
    built.gateways.forEach(add);
    return add(built.vnet);
  };
  const hubVnet = gatewayVnet("vnet-hub", "10.250.0.0/16", [
    { name: "vgw-hub", sku: { name: "VpnGw2" }, vpnClientConfiguration: { addressPrefixes: ["172.16.200.0/24"], protocols: ["SSTP", "IkeV2"] } },
  ]);
  // IKEv2 only and a pool outside RFC 1918: gateway-p2s-misconfigured for every site using it.
  const legacyVnet = gatewayVnet("vnet-transit-legacy", "10.251.0.0/16", [
    { name: "vgw-transit-legacy", sku: { name: "VpnGw1" }, vpnClientConfiguration: { addressPrefixes: ["100.64.20.0/24"], protocols: ["IkeV2"] } },
  ]);
  // ExpressRoute and VPN side by side: gateway-integration-unsupported.
  const erVnet = gatewayVnet("vnet-onprem-er", "10.252.0.0/16", [
    { name: "ergw-onprem", gatewayType: "ExpressRoute", sku: { name: "Standard" } },
    { name: "vgw-onprem", sku: { name: "VpnGw2" }, vpnClientConfiguration: { addressPrefixes: ["192.168.240.0/24"], protocols: ["SSTP"] } },
  ]);
  const gatewayTargets: Array<[ArmResource, number]> = [
    [hubVnet, 84],
    [legacyVnet, 10],
    [erVnet, 6],
  ];
  // Shared-services subnets that some spokes' plans integrate into (cross-subscription reads).
  const sharedVnetId = b.resourceId(hub, hubRg, "Microsoft.Network/virtualNetworks", "vnet-shared-services");
  const sharedSubnets: b.SubnetSpec[] = [];

  const certificates = {
    healthy: await b.p2sCertificate({ notAfter: inDays(900), commonName: "bench-p2s" }),
    expiring: await b.p2sCertificate({ notAfter: inDays(9), commonName: "bench-p2s-expiring" }),
    expired: await b.p2sCertificate({ notAfter: inDays(-20), commonName: "bench-p2s-expired" }),
  };

  const spokeVnetIds: string[] = [];
  const subscriptions = [b.subscription(hub, "Connectivity Hub")];

  // ------------------------------------------------------------------ spokes
  const perSubscription = spread(options.sites, options.subscriptions);
  perSubscription.forEach((siteCount, spokeIndex) => {
    const sub = b.stableGuid(`bench:${options.seed}:spoke:${spokeIndex}`);
    const workload = `${pick(WORKLOADS)}${spokeIndex}`;
    subscriptions.push(b.subscription(sub, `${workload} (${chance(0.5) ? "prod" : "nonprod"})`));
    // 1–3 resource groups: one holding everything, or a network one plus one or two for the apps.
    const groups = between(1, 3);
    const appRgs = Array.from({ length: Math.max(1, groups - 1) }, (_, index) => `rg-${workload}-${["app", "web"][index]}`);
    const netRg = groups === 1 ? appRgs[0]! : `rg-${workload}-network`;
    const usedRgs = new Set<string>();
    // Owner tags: on the resources (tag policy), or, outside the policy, on the resource groups only.
    const tagged = spokeIndex % UNTAGGED_SUBSCRIPTION_EVERY !== UNTAGGED_SUBSCRIPTION_EVERY - 1;
    const team = { owner: `${workload}-team@contoso.com` };
    const ownerTags = (tags: Record<string, string>) => (tagged ? { tags } : {});
    if (!tagged) {
      stats.subscriptionsWithoutOwnerTags++;
      for (const name of new Set([...appRgs, netRg])) add(b.resourceGroup({ subscriptionId: sub, name, tags: name === netRg && groups > 1 ? NETWORK_OWNER : team }));
    }

    // The spoke VNet: integration subnets are added as plans need them.
    const vnetName = `vnet-${workload}`;
    const vnetId = b.resourceId(sub, netRg, "Microsoft.Network/virtualNetworks", vnetName);
    const octet = spokeIndex % 250;
    const subnets: b.SubnetSpec[] = [{ name: "snet-private-endpoints", addressPrefix: `10.${octet}.255.0/24` }];
    const customDns = chance(0.2);
    const ipv6 = chance(0.02);
    const newSubnet = (delegation: string): string => {
      const index = subnets.length;
      const size = weighted(SUBNET_SIZES);
      const name = `snet-int-${index}`;
      subnets.push({
        name,
        addressPrefix: `10.${octet}.${index}.0/${size}`,
        delegations: [delegation],
        ...(chance(0.03) ? { privateEndpointIds: [b.resourceId(sub, netRg, "Microsoft.Network/privateEndpoints", `pe-${name}`)] } : {}),
        ...(chance(0.01) ? { serviceEndpointPolicyIds: [b.resourceId(sub, netRg, "Microsoft.Network/serviceEndpointPolicies", `sep-${name}`)] } : {}),
      });
      return b.subnetId(vnetId, name);
    };
    const newSharedSubnet = (): string => {
      const name = `snet-shared-${sharedSubnets.length}`;
      sharedSubnets.push({ name, addressPrefix: `10.249.${sharedSubnets.length % 256}.0/26`, delegations: ["Microsoft.Web/serverFarms"] });
      return b.subnetId(sharedVnetId, name);
    };
    // VNets for the rare plan whose sites reach more VNets than gateway-required integration allows.
    const partnerVnets: ArmResource[] = [];

    let remaining = siteCount;
    let planIndex = 0;
    while (remaining > 0) {
      // 5–10 sites per plan, never leaving fewer than 5 for the last one.
      const size = remaining <= 10 ? remaining : between(5, Math.min(10, remaining - 5));
      remaining -= size;
      const profile = weighted(PLAN_PROFILES.map((p): [PlanProfile, number] => [p, p.weight / PROFILE_WEIGHT]));
      const linux = chance(profile.linux);
      const windowsContainer = !linux && !profile.functions && profile.sku.startsWith("P") && chance(0.03);
      const rg = pick(appRgs);
      usedRgs.add(rg);
      const planName = `asp-${workload}-${planIndex++}`;

      // Integration mode, decided per plan.
      let mode: "none" | "regional" | "gateway" = "none";
      // Gateway-required integration "only works for Windows plans": never on a Linux one.
      if (profile.gateway && !windowsContainer && !linux && chance(0.12)) mode = "gateway";
      else if (profile.regional && chance(0.42)) mode = "regional";
      else if (!profile.regional && chance(0.03)) mode = "regional"; // plan-tier-unsupported
      const flex = profile.sku === "FC1";
      const crossSubscription = mode === "regional" && !flex && chance(0.03);
      const subnet = mode === "regional" ? (crossSubscription ? newSharedSubnet() : newSubnet(flex ? "Microsoft.App/environments" : "Microsoft.Web/serverFarms")) : undefined;
      const planLevelSubnet = subnet !== undefined && chance(0.05);

      const capacity = profile.functions ? (profile.sku === "EP1" ? 1 : undefined) : weighted<number>([[1, 30], [2, 35], [3, 20], [5, 10], [10, 5]]);
      const plan = add(
        b.plan({
          subscriptionId: sub,
          resourceGroup: rg,
          name: planName,
          sku: { name: profile.sku, ...(capacity !== undefined ? { capacity } : {}) },
          reserved: linux,
          ...(windowsContainer ? { hyperV: true, isXenon: true, kind: "windows" } : {}),
          ...(profile.sku === "EP1" ? { maximumElasticWorkerCount: weighted<number>([[10, 50], [20, 40], [40, 10]]) } : {}),
          ...(planLevelSubnet ? { network: { virtualNetworkSubnetId: subnet } } : {}),
          numberOfSites: size,
          ...ownerTags(team),
        }),
      );
      stats.plans++;
      if (!profile.functions && profile.sku !== "F1" && chance(0.15)) {
        add(
          b.autoscaleSetting({
            subscriptionId: sub,
            resourceGroup: rg,
            name: `autoscale-${planName}`,
            targetResourceUri: plan.id,
            enabled: chance(0.9),
            profiles: [{ name: "default", capacity: { minimum: capacity ?? 1, maximum: weighted<number>([[5, 40], [10, 35], [20, 20], [30, 5]]), default: capacity ?? 1 } }],
          }),
        );
      }
      if (subnet) add(b.planVnetConnection(plan.id, { vnetResourceId: subnet }));

      // Gateway-required: the plan holds one connection per VNet its sites use.
      const fanOut = mode === "gateway" && chance(0.03);
      const gatewayVnets: ArmResource[] = [];
      if (mode === "gateway") {
        if (fanOut) {
          while (partnerVnets.length < 6) {
            const n = partnerVnets.length + 1;
            partnerVnets.push(
              add(
                b.vnet({
                  subscriptionId: sub,
                  resourceGroup: netRg,
                  name: `vnet-partner-${n}`,
                  addressPrefixes: [`10.${200 + n}.${octet}.0/24`],
                  subnets: [{ name: "default", addressPrefix: `10.${200 + n}.${octet}.0/25` }],
                  ...ownerTags(NETWORK_OWNER),
                }),
              ),
            );
          }
          gatewayVnets.push(...partnerVnets);
        } else {
          gatewayVnets.push(weighted(gatewayTargets));
          if (chance(0.15)) gatewayVnets.push(hubVnet);
        }
      }
      const connectionCertificate = weighted<P2sCertificate>([
        [certificates.healthy, 88],
        [certificates.expiring, 8],
        [certificates.expired, 4],
      ]);
      for (const vnet of new Set(gatewayVnets)) {
        add(b.planVnetConnection(plan.id, { vnetResourceId: vnet.id, certBlob: connectionCertificate.certBlob, certThumbprint: connectionCertificate.certThumbprint }));
      }

      for (let n = 0; n < size; n++) {
        const siteName = `${profile.functions ? "func" : "app"}-${workload}-${planIndex - 1}-${n}`;
        const integrated = subnet !== undefined && chance(0.9);
        const routing = integrated ? weighted<"on" | "off" | "absent">([["on", 80], ["off", 12], ["absent", 8]]) : "on";
        const customDomain = !profile.functions && chance(0.1) ? `${siteName}.contoso-${workload}.com` : undefined;
        const certificate = customDomain ? boundCertificate(sub, rg, customDomain, tagged ? team : undefined) : undefined;
        const site = add(
          b.site({
            subscriptionId: sub,
            resourceGroup: rg,
            name: siteName,
            serverFarmId: plan.id,
            reserved: linux,
            kind: siteKind(profile, linux, windowsContainer),
            ...(windowsContainer ? { hyperV: true, isXenon: true } : {}),
            httpsOnly: !chance(0.08),
            ...(integrated ? { virtualNetworkSubnetId: subnet } : {}),
            ...(integrated && routing === "on" ? { outboundVnetRouting: chance(0.3) ? { allTraffic: true, applicationTraffic: true } : { applicationTraffic: true } } : {}),
            ...(routing === "absent" ? { extra: { outboundVnetRouting: undefined } } : {}),
            ...(customDomain && certificate ? { customHostNames: [{ name: customDomain, sslState: "SniEnabled" as const, thumbprint: certificate.thumbprint }] } : {}),
            // Some apps name a team of their own, over their plan's.
            ...(tagged && tagRand() < 0.1 ? { tags: { Owner: `${siteName}-devs@contoso.com` } } : {}),
          }),
        );
        stats.sites++;
        if (linux) stats.linuxSites++;
        if (integrated) stats.regionalSites++;

        // What the per-site reads return (consistent with the payload, as Azure keeps them).
        const configRouteAll = routing === "on" || (routing === "absent" && chance(0.6));
        const settings = appSettingsFor(integrated && !configRouteAll);
        const perSite: ArmResource[] = [];
        if (configRouteAll && integrated) perSite.push(b.siteConfig(site.id, { vnetRouteAllEnabled: true }));
        if (settings) perSite.push(b.appSettings(site.id, settings));
        if (integrated) perSite.push(b.vnetConnection(site.id, { vnetResourceId: subnet! }));
        if (mode === "gateway" && chance(0.85)) {
          const vnets = fanOut ? [gatewayVnets[n % gatewayVnets.length]!] : gatewayVnets.slice(0, chance(0.2) ? 2 : 1);
          for (const vnet of vnets) {
            add(
              b.vnetConnection(site.id, {
                vnetResourceId: vnet.id,
                certBlob: connectionCertificate.certBlob,
                certThumbprint: connectionCertificate.certThumbprint,
                resyncRequired: chance(0.05),
              }),
            );
          }
          stats.gatewaySites++;
        }
        resources.push(...perSite);

        // Slots copy the site (integration, routing, settings); some lose HTTPS-only.
        if (chance(0.1)) {
          for (const slotName of chance(0.2) ? ["staging", "qa"] : ["staging"]) {
            const slot = add(b.slot(site, slotName, chance(0.1) ? { httpsOnly: false } : {}));
            stats.slots++;
            for (const resource of perSite) {
              const suffix = resource.id.slice(site.id.length);
              if (suffix.startsWith("/config/web")) add(b.siteConfig(slot.id, { vnetRouteAllEnabled: true }));
              else if (suffix.startsWith("/config/appsettings")) add(b.appSettings(slot.id, { ...(resource.properties as Record<string, string>) }));
              else if (suffix.startsWith("/virtualNetworkConnections")) add(b.vnetConnection(slot.id, { vnetResourceId: subnet! }));
            }
          }
        }
      }
    }
    // An orphaned certificate now and then (still audited: it expires whether bound or not).
    if (chance(0.05)) boundCertificate(sub, pick(appRgs), `legacy-${workload}.contoso.com`, tagged ? team : undefined);
    stats.resourceGroupsWithSites += usedRgs.size;

    add(
      b.vnet({
        subscriptionId: sub,
        resourceGroup: netRg,
        name: vnetName,
        addressPrefixes: [`10.${octet}.0.0/16`, ...(ipv6 ? [`fd00:db8:${spokeIndex.toString(16)}::/48`] : [])],
        ...(customDns ? { dnsServers: ["10.250.1.4", "10.250.1.5"] } : {}),
        subnets,
        ...ownerTags(NETWORK_OWNER),
      }),
    );
    spokeVnetIds.push(vnetId);
  });

  // The shared-services VNet, with every subnet a spoke plan integrates into.
  add(b.vnet({ subscriptionId: hub, resourceGroup: hubRg, name: "vnet-shared-services", addressPrefixes: ["10.249.0.0/16"], subnets: sharedSubnets, tags: NETWORK_OWNER }));

  // Private DNS zones in the hub, linked to the hub and most spokes.
  const linkRand = random(options.seed ^ 0x5eed);
  ZONES.forEach((zoneName, zoneIndex) => {
    const zone = add(b.privateDnsZone({ subscriptionId: hub, resourceGroup: "rg-private-dns", name: zoneName }));
    const linked = [hubVnet.id, sharedVnetId, ...spokeVnetIds.filter(() => linkRand() < (zoneIndex < 3 ? 0.85 : 0.3))];
    linked.forEach((vnetId, index) => add(b.vnetLink(zone.id, vnetId, { name: `link-${index}` })));
  });

  stats.resources = resources.length;
  return {
    tenant: b.tenant({ tenantId: b.stableGuid(`bench:${options.seed}:tenant`), subscriptions, resources }),
    stats,
  };

  // -------------------------------------------------------------- helpers (hoisted)

  function siteKind(profile: PlanProfile, linux: boolean, windowsContainer: boolean): string {
    if (profile.functions) return linux ? "functionapp,linux" : "functionapp";
    if (windowsContainer) return "app,container,windows";
    return linux ? "app,linux" : "app";
  }

  /** App settings: the audited two where routing needs them, otherwise now and then unrelated ones. */
  function appSettingsFor(routeAllOff: boolean): Record<string, string> | undefined {
    const common = { WEBSITE_RUN_FROM_PACKAGE: "1", APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=00000000-0000-0000-0000-000000000000" };
    if (routeAllOff) {
      const settings: Record<string, string> = { ...common };
      if (chance(0.3)) settings.WEBSITE_VNET_ROUTE_ALL = pick(["1", "true", "True"]);
      if (chance(0.1)) settings.WEBSITE_DNS_SERVER = "10.250.1.4";
      return settings;
    }
    if (chance(0.02)) return { ...common, WEBSITE_VNET_ROUTE_ALL: "1" }; // no integration: irrelevant
    return chance(0.2) ? common : undefined;
  }

  /** An App Service certificate for a custom domain; most valid for months, some expiring or expired. */
  function boundCertificate(sub: string, rg: string, hostName: string, tags?: Record<string, string>): { thumbprint: string } {
    const thumbprint = b.stableGuid(`thumb:${sub}:${hostName}`).replace(/-/g, "").toUpperCase().padEnd(40, "0").slice(0, 40);
    const days = weighted<number>([[between(60, 700), 85], [between(15, 30), 7], [between(0, 14), 5], [-between(1, 60), 3]]);
    add(
      b.certificate({
        subscriptionId: sub,
        resourceGroup: rg,
        name: `cert-${hostName.replace(/\./g, "-")}`,
        thumbprint,
        expirationDate: inDays(days),
        hostNames: [hostName],
        subjectName: `CN=${hostName}`,
        issuer: "CN=Contoso Issuing CA 01",
        ...(tags ? { tags } : {}),
      }),
    );
    stats.certificates++;
    return { thumbprint };
  }
}

/** `total` split into `parts` near-equal integers (the first ones one larger). */
function spread(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, index) => base + (index < total % parts ? 1 : 0));
}

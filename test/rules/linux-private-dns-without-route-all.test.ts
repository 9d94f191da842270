import { describe, expect, it } from "vitest";
import type { Site } from "../../src/model/inventory.js";
import { linuxPrivateDnsWithoutRouteAll as rule } from "../../src/rules/linux-private-dns-without-route-all.js";
import { HUB, SPOKE, healthyTenant, hits, integrate, makeSubnet, makeVnet, makeZone, run } from "./fixtures.js";

/** The healthy tenant with Route All off on the site (the slot is left out unless a test adds it back). */
function withoutRouteAll() {
  const tenant = healthyTenant();
  tenant.site.outboundVnetRouting = { allTraffic: false, applicationTraffic: false };
  tenant.inventory.sites = [tenant.site];
  return tenant;
}

describe("linux-private-dns-without-route-all", () => {
  it("does not fire on a Linux site with Route All on", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  it("fires high on a Linux site with Azure DNS, a linked private zone and Route All off", () => {
    const tenant = withoutRouteAll();
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.site.id, "high"]]);
    expect(results[0]?.message).toBe(
      "Linux site web integrates with VNet vnet-spoke, which uses Azure-provided DNS and has 1 linked private DNS zone(s) (privatelink.vaultcore.azure.net), but Route All is off, so those zones don't resolve for it.",
    );
  });

  it("lists the linked zones and which Route All sources were read", () => {
    const tenant = withoutRouteAll();
    expect(run(rule, tenant.inventory)[0]?.evidence).toEqual({
      subnetId: tenant.subnet.id,
      virtualNetworkId: tenant.vnet.id,
      virtualNetworkDnsServers: [],
      privateDnsZones: [{ name: "privatelink.vaultcore.azure.net", id: tenant.zone.id }],
      routeAllSourcesRead: ["outboundVnetRouting.allTraffic", "outboundVnetRouting.applicationTraffic", "siteConfig.vnetRouteAllEnabled", "WEBSITE_VNET_ROUTE_ALL"],
      routeAllSourcesUnread: [],
      siteConfigReadable: true,
      appSettingsReadable: true,
    });
  });

  it.each<[string, Partial<Site>]>([
    ["outboundVnetRouting.allTraffic", { outboundVnetRouting: { allTraffic: true } }],
    ["outboundVnetRouting.applicationTraffic", { outboundVnetRouting: { applicationTraffic: true } }],
    ["siteConfig vnetRouteAllEnabled", { vnetRouteAllEnabled: true }],
    ["WEBSITE_VNET_ROUTE_ALL=1", { appSettings: { WEBSITE_VNET_ROUTE_ALL: "1" } }],
    ["WEBSITE_VNET_ROUTE_ALL=true", { appSettings: { WEBSITE_VNET_ROUTE_ALL: "true" } }],
    ["WEBSITE_VNET_ROUTE_ALL=TRUE", { appSettings: { WEBSITE_VNET_ROUTE_ALL: "TRUE" } }],
  ])("does not fire when %s alone enables Route All", (_source, overrides) => {
    const tenant = withoutRouteAll();
    Object.assign(tenant.site, overrides);
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  // Azure-provided DNS named by its address is still Azure DNS: the private zones apply, and
  // without Route All they don't resolve for a Linux app.
  it("fires when the VNet names only 168.63.129.16, the Azure-provided resolver", () => {
    const tenant = withoutRouteAll();
    tenant.vnet.dnsServers = ["168.63.129.16"];
    expect(hits(run(rule, tenant.inventory))).toEqual([[tenant.site.id, "high"]]);
    expect(run(rule, tenant.inventory)[0]?.evidence.virtualNetworkDnsServers).toEqual(["168.63.129.16"]);
  });

  it("does not fire when the VNet names 168.63.129.16 and a custom resolver", () => {
    const tenant = withoutRouteAll();
    tenant.vnet.dnsServers = ["168.63.129.16", "10.0.0.4"];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("fires when the site's own DNS servers and WEBSITE_DNS_SERVER name only 168.63.129.16", () => {
    const tenant = withoutRouteAll();
    tenant.site.dnsServers = ["168.63.129.16"];
    tenant.site.appSettings = { WEBSITE_DNS_SERVER: "168.63.129.16" };
    expect(hits(run(rule, tenant.inventory))).toEqual([[tenant.site.id, "high"]]);
  });

  it("does not fire when WEBSITE_DNS_SERVER names a custom resolver", () => {
    const tenant = withoutRouteAll();
    tenant.site.appSettings = { WEBSITE_DNS_SERVER: "10.0.0.4" };
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("does not fire when the VNet uses custom DNS servers", () => {
    const tenant = withoutRouteAll();
    tenant.vnet.dnsServers = ["10.0.0.4"];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("does not fire when the site sets its own DNS servers (dnsConfiguration.dnsServers)", () => {
    const tenant = withoutRouteAll();
    tenant.site.dnsServers = ["10.0.0.4"];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("does not fire when the site sets WEBSITE_DNS_SERVER", () => {
    const tenant = withoutRouteAll();
    tenant.site.appSettings = { WEBSITE_DNS_SERVER: "10.0.0.4" };
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("does not fire when no private zone is linked to the integration VNet", () => {
    const tenant = withoutRouteAll();
    tenant.inventory.privateDnsZones = [makeZone("privatelink.database.windows.net", [makeVnet("vnet-other").id])];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("depends on the hub subscription when the zones live there", () => {
    const tenant = withoutRouteAll();
    expect(tenant.zone.subscriptionId).toBe(HUB);
    expect(run(rule, tenant.inventory)[0]?.dependsOnSubscriptions).toEqual([HUB]);
  });

  it("depends on no other subscription when zones and VNet are the site's own", () => {
    const tenant = withoutRouteAll();
    tenant.inventory.privateDnsZones = [makeZone("privatelink.blob.core.windows.net", [tenant.vnet.id], { subscriptionId: SPOKE })];
    expect(run(rule, tenant.inventory)[0]?.dependsOnSubscriptions).toEqual([]);
  });

  it("matches zone links to the VNet case-insensitively and lists every linked zone", () => {
    const tenant = withoutRouteAll();
    const second = makeZone("privatelink.blob.core.windows.net", [tenant.vnet.id.toUpperCase()]);
    tenant.inventory.privateDnsZones.push(second);
    expect(run(rule, tenant.inventory)[0]?.evidence.privateDnsZones).toEqual([
      { name: "privatelink.vaultcore.azure.net", id: tenant.zone.id },
      { name: "privatelink.blob.core.windows.net", id: second.id },
    ]);
  });

  it("depends on the VNet's subscription when the site integrates into a hub VNet", () => {
    const tenant = withoutRouteAll();
    const hubVnet = makeVnet("vnet-hub", { subscriptionId: HUB });
    const hubSubnet = makeSubnet(hubVnet.id, "snet-apps", ["10.0.0.0/26"]);
    hubVnet.subnets = [hubSubnet];
    tenant.inventory.virtualNetworks.push(hubVnet);
    tenant.inventory.privateDnsZones = [makeZone("privatelink.vaultcore.azure.net", [hubVnet.id], { subscriptionId: SPOKE })];
    integrate(tenant.site, hubSubnet);
    expect(run(rule, tenant.inventory)[0]?.dependsOnSubscriptions).toEqual([HUB]);
  });

  it("does not fire on a Windows site", () => {
    const tenant = withoutRouteAll();
    tenant.site.kind = "app";
    tenant.site.reserved = false;
    tenant.plan.reserved = false;
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("fires on a site whose only Linux marker is its plan", () => {
    const tenant = withoutRouteAll();
    tenant.site.kind = "app";
    tenant.site.reserved = false;
    expect(run(rule, tenant.inventory)).toHaveLength(1);
  });

  it("names a slot by the slot's own ID", () => {
    const tenant = healthyTenant();
    tenant.slot.outboundVnetRouting = { allTraffic: false };
    expect(hits(run(rule, tenant.inventory))).toEqual([[tenant.slot.id, "high"]]);
  });

  it("still fires when app settings were forbidden, noting WEBSITE_VNET_ROUTE_ALL may enable Route All", () => {
    const tenant = withoutRouteAll();
    tenant.site.reads.appSettings = "forbidden";
    delete tenant.site.appSettings;
    const [result] = run(rule, tenant.inventory);
    expect(result?.severity).toBe("high");
    expect(result?.evidence).toMatchObject({ appSettingsReadable: false, routeAllSourcesUnread: ["WEBSITE_VNET_ROUTE_ALL"] });
  });

  it("still fires when site config was not read, noting siteConfigReadable false", () => {
    const tenant = withoutRouteAll();
    tenant.site.reads.config = "failed";
    expect(run(rule, tenant.inventory)[0]?.evidence).toMatchObject({ siteConfigReadable: false, routeAllSourcesUnread: ["siteConfig.vnetRouteAllEnabled"] });
  });

  it("does not fire when the integration VNet is not in the inventory", () => {
    const tenant = withoutRouteAll();
    tenant.inventory.virtualNetworks = [];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("does not fire on a Linux site without regional integration", () => {
    const tenant = withoutRouteAll();
    delete tenant.site.virtualNetworkSubnetId;
    tenant.site.vnetConnections = [];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });
});

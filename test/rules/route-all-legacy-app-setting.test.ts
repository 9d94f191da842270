import { describe, expect, it } from "vitest";
import type { Site } from "../../src/model/inventory.js";
import { routeAllLegacyAppSetting as rule } from "../../src/rules/route-all-legacy-app-setting.js";
import { healthyTenant, hits, run } from "./fixtures.js";

/** The healthy tenant's site with Route All only from the app setting (the slot left out). */
function legacySettingOnly(value = "1") {
  const tenant = healthyTenant();
  tenant.site.outboundVnetRouting = { allTraffic: false, applicationTraffic: false };
  tenant.site.appSettings = { WEBSITE_VNET_ROUTE_ALL: value };
  tenant.inventory.sites = [tenant.site];
  return tenant;
}

describe("route-all-legacy-app-setting", () => {
  it("does not fire when Route All comes from the site setting", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  it.each(["1", "true", "TRUE"])("fires low when only WEBSITE_VNET_ROUTE_ALL=%s enables Route All", (value) => {
    const tenant = legacySettingOnly(value);
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.site.id, "low"]]);
    expect(results[0]?.evidence).toMatchObject({ WEBSITE_VNET_ROUTE_ALL: value, siteConfigReadable: true });
  });

  it.each<[string, Partial<Site>]>([
    ["outboundVnetRouting.allTraffic", { outboundVnetRouting: { allTraffic: true } }],
    ["outboundVnetRouting.applicationTraffic", { outboundVnetRouting: { applicationTraffic: true } }],
    ["siteConfig vnetRouteAllEnabled", { vnetRouteAllEnabled: true }],
  ])("does not fire when %s also enables Route All", (_source, overrides) => {
    const tenant = legacySettingOnly();
    Object.assign(tenant.site, overrides);
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("does not fire when the app setting is off", () => {
    expect(run(rule, legacySettingOnly("0").inventory)).toEqual([]);
  });

  it("does not fire when app settings could not be read", () => {
    const tenant = legacySettingOnly();
    tenant.site.reads.appSettings = "forbidden";
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("fires when site config was not read, noting siteConfigReadable false", () => {
    const tenant = legacySettingOnly();
    tenant.site.reads.config = "forbidden";
    expect(run(rule, tenant.inventory)[0]?.evidence).toMatchObject({ siteConfigReadable: false });
  });

  it("does not fire on a site without regional integration, where Route All does nothing", () => {
    const tenant = legacySettingOnly();
    delete tenant.site.virtualNetworkSubnetId;
    tenant.site.vnetConnections = [];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });
});

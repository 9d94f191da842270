import { describe, expect, it } from "vitest";
import { routeAllWindowsContainer as rule } from "../../src/rules/route-all-windows-container.js";
import { healthyTenant, hits, run } from "./fixtures.js";

/** The healthy tenant turned into a Windows container site with Route All on (the slot left out). */
function windowsContainer() {
  const tenant = healthyTenant();
  Object.assign(tenant.site, { kind: "app,container,windows", reserved: false, hyperV: true });
  Object.assign(tenant.plan, { kind: "windows", reserved: false, hyperV: true });
  tenant.inventory.sites = [tenant.site];
  return tenant;
}

describe("route-all-windows-container", () => {
  it("does not fire on a Linux site with Route All", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  it("fires low on a Windows container site with Route All on", () => {
    const tenant = windowsContainer();
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.site.id, "low"]]);
    expect(results[0]?.evidence).toMatchObject({ routeAllEnabledBy: ["outboundVnetRouting.allTraffic"] });
  });

  it("fires low when only the app setting turns Route All on", () => {
    const tenant = windowsContainer();
    tenant.site.outboundVnetRouting = {};
    tenant.site.appSettings = { WEBSITE_VNET_ROUTE_ALL: "1" };
    expect(run(rule, tenant.inventory)[0]?.evidence.routeAllEnabledBy).toEqual(["WEBSITE_VNET_ROUTE_ALL"]);
  });

  it("does not fire on a Windows container site with Route All off", () => {
    const tenant = windowsContainer();
    tenant.site.outboundVnetRouting = { allTraffic: false };
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("does not fire without regional integration, where Route All has no effect", () => {
    const tenant = windowsContainer();
    delete tenant.site.virtualNetworkSubnetId;
    tenant.site.vnetConnections = [];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });
});

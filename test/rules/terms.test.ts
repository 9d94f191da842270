import { describe, expect, it } from "vitest";
import {
  effectiveRouteAll,
  gatewayConnections,
  isExpressRouteGateway,
  isLinuxPlan,
  isLinuxSite,
  isOutOfIntegrationScope,
  isWindowsContainerSite,
  namesOnlyAzureProvidedDns,
  planAddressDemand,
  planMaximumInstances,
  regionalIntegrationSubnetId,
} from "../../src/rules/terms.js";
import {
  NOW,
  ids,
  makeAutoscale,
  makeExpressRouteGateway,
  makeGatewayConnection,
  makePlan,
  makeSite,
  makeSlot,
  makeSwiftConnection,
  makeVnet,
  makeVpnGateway,
} from "./fixtures.js";

describe("isLinuxSite", () => {
  it("is true for reserved sites, a linux kind token in any case, or a reserved plan", () => {
    expect(isLinuxSite(makeSite("a", { reserved: true }), undefined)).toBe(true);
    expect(isLinuxSite(makeSite("a", { kind: "functionapp, Linux ,container" }), undefined)).toBe(true);
    expect(isLinuxSite(makeSite("a"), makePlan("p", { reserved: true }))).toBe(true);
  });

  it("is false for a Windows site, and a token must match whole", () => {
    expect(isLinuxSite(makeSite("a", { kind: "app" }), makePlan("p"))).toBe(false);
    expect(isLinuxSite(makeSite("a", { kind: "app,linuxish" }), undefined)).toBe(false);
  });
});

describe("isWindowsContainerSite", () => {
  it("is true for Hyper-V sites and for container plus windows kind tokens", () => {
    expect(isWindowsContainerSite(makeSite("a", { hyperV: true }))).toBe(true);
    expect(isWindowsContainerSite(makeSite("a", { kind: "app,container,windows" }))).toBe(true);
  });

  it("is false for Linux containers and Windows code apps", () => {
    expect(isWindowsContainerSite(makeSite("a", { kind: "app,linux,container" }))).toBe(false);
    expect(isWindowsContainerSite(makeSite("a", { kind: "app" }))).toBe(false);
  });
});

describe("isOutOfIntegrationScope", () => {
  it("puts ASE sites, Container Apps sites and sites on an ASE plan out of scope", () => {
    expect(isOutOfIntegrationScope(makeSite("a", { hostingEnvironmentId: ids.ase("ase") }))).toBe(true);
    expect(isOutOfIntegrationScope(makeSite("a", { managedEnvironmentId: ids.managedEnvironment("env") }))).toBe(true);
    expect(isOutOfIntegrationScope(makeSite("a"), makePlan("p", { hostingEnvironmentId: ids.ase("ase") }))).toBe(true);
  });

  it("keeps multi-tenant sites in scope", () => {
    expect(isOutOfIntegrationScope(makeSite("a"), makePlan("p"))).toBe(false);
  });
});

describe("regionalIntegrationSubnetId", () => {
  const vnet = makeVnet("v");
  const siteSubnet = `${vnet.id}/subnets/site`;
  const planSubnet = `${vnet.id}/subnets/plan`;

  it("prefers the site's subnet, then the plan's, then a swift connection", () => {
    const plan = makePlan("p", { virtualNetworkSubnetId: planSubnet });
    expect(regionalIntegrationSubnetId(makeSite("a", { virtualNetworkSubnetId: siteSubnet }), plan)).toBe(siteSubnet);
    expect(regionalIntegrationSubnetId(makeSite("a"), plan)).toBe(planSubnet);
    expect(regionalIntegrationSubnetId(makeSite("a", { vnetConnections: [makeSwiftConnection(siteSubnet)] }), makePlan("q"))).toBe(siteSubnet);
  });

  it("is undefined for gateway-required connections and IDs that are not subnets", () => {
    expect(regionalIntegrationSubnetId(makeSite("a", { vnetConnections: [makeGatewayConnection(vnet.id)] }), undefined)).toBeUndefined();
    expect(regionalIntegrationSubnetId(makeSite("a", { virtualNetworkSubnetId: vnet.id }), undefined)).toBeUndefined();
  });
});

describe("gatewayConnections", () => {
  it("keeps the connections whose isSwift is not true", () => {
    const gateway = makeGatewayConnection(makeVnet("v").id);
    const site = makeSite("a", { vnetConnections: [makeSwiftConnection(`${makeVnet("v").id}/subnets/s`), gateway] });
    expect(gatewayConnections(site)).toEqual([gateway]);
    expect(gatewayConnections(makeSite("a", { vnetConnections: undefined }))).toEqual([]);
  });
});

describe("effectiveRouteAll", () => {
  it("is off with every source read and false", () => {
    expect(effectiveRouteAll(makeSite("a"))).toEqual({
      enabled: false,
      enabledBy: [],
      read: ["outboundVnetRouting.allTraffic", "outboundVnetRouting.applicationTraffic", "siteConfig.vnetRouteAllEnabled", "WEBSITE_VNET_ROUTE_ALL"],
      unread: [],
    });
  });

  it.each([
    [{ outboundVnetRouting: { allTraffic: true } }, "outboundVnetRouting.allTraffic"],
    [{ outboundVnetRouting: { applicationTraffic: true } }, "outboundVnetRouting.applicationTraffic"],
    [{ vnetRouteAllEnabled: true }, "siteConfig.vnetRouteAllEnabled"],
    [{ appSettings: { WEBSITE_VNET_ROUTE_ALL: "1" } }, "WEBSITE_VNET_ROUTE_ALL"],
    [{ appSettings: { WEBSITE_VNET_ROUTE_ALL: "true" } }, "WEBSITE_VNET_ROUTE_ALL"],
    [{ appSettings: { WEBSITE_VNET_ROUTE_ALL: "TRUE" } }, "WEBSITE_VNET_ROUTE_ALL"],
  ])("is on from %j alone", (overrides, source) => {
    const routeAll = effectiveRouteAll(makeSite("a", overrides));
    expect(routeAll.enabled).toBe(true);
    expect(routeAll.enabledBy).toEqual([source]);
  });

  it.each(["0", "false", "yes", ""])("treats WEBSITE_VNET_ROUTE_ALL=%j as off", (value) => {
    expect(effectiveRouteAll(makeSite("a", { appSettings: { WEBSITE_VNET_ROUTE_ALL: value } })).enabled).toBe(false);
  });

  it("reports forbidden app settings and unread site config as unread, ignoring stale values", () => {
    const site = makeSite("a", {
      vnetRouteAllEnabled: true,
      appSettings: { WEBSITE_VNET_ROUTE_ALL: "1" },
      reads: { config: "failed", appSettings: "forbidden", vnetConnections: "read" },
    });
    expect(effectiveRouteAll(site)).toMatchObject({
      enabled: false,
      unread: ["siteConfig.vnetRouteAllEnabled", "WEBSITE_VNET_ROUTE_ALL"],
    });
  });
});

describe("planMaximumInstances", () => {
  const plan = makePlan("p", { sku: { name: "P1v3", tier: "PremiumV3", capacity: 3 } });

  it("is the sku capacity when nothing else is set", () => {
    expect(planMaximumInstances(plan, [], NOW)).toEqual({ maximum: 3, source: { kind: "sku", capacity: 3 } });
  });

  it("takes the elastic maximum when it is larger", () => {
    const elastic = makePlan("ep", { sku: { name: "EP1", tier: "ElasticPremium", capacity: 1 }, maximumElasticWorkerCount: 20 });
    expect(planMaximumInstances(elastic, [], NOW)).toEqual({ maximum: 20, source: { kind: "elasticMaximum", maximumElasticWorkerCount: 20 } });
  });

  it("takes the largest profile of an enabled autoscale setting on the plan, matched case-insensitively", () => {
    const setting = makeAutoscale(plan, [{ name: "default", maximum: 5 }, { name: "business-hours", maximum: 12 }], {
      targetResourceUri: plan.id.toUpperCase(),
    });
    expect(planMaximumInstances(plan, [setting], NOW)).toEqual({
      maximum: 12,
      source: { kind: "autoscale", autoscaleSettingId: setting.id, profile: "business-hours", maximum: 12 },
    });
  });

  it("ignores disabled autoscale settings and settings on other plans", () => {
    const disabled = makeAutoscale(plan, [{ name: "default", maximum: 30 }], { enabled: false });
    const other = makeAutoscale(makePlan("other"), [{ name: "default", maximum: 30 }]);
    expect(planMaximumInstances(plan, [disabled, other], NOW).maximum).toBe(3);
  });

  // Microsoft's own autoscale list example carries a fixedDate profile from 2015 next to a
  // recurrence profile: the campaign is over, the weekly schedule still counts.
  const second = 1000;
  const fixedDate = (end: string) => ({ start: "2026-05-01T00:00:00Z", end, timeZone: "UTC" });

  it("ignores a fixedDate profile whose end passed one second ago", () => {
    const setting = makeAutoscale(plan, [{ name: "launch week", maximum: 30, fixedDate: fixedDate(new Date(NOW.getTime() - second).toISOString()) }]);
    expect(planMaximumInstances(plan, [setting], NOW)).toEqual({ maximum: 3, source: { kind: "sku", capacity: 3 } });
  });

  it("counts a fixedDate profile that ends one second from now, and names it", () => {
    const end = new Date(NOW.getTime() + second).toISOString();
    const setting = makeAutoscale(plan, [{ name: "launch week", maximum: 30, fixedDate: fixedDate(end) }]);
    expect(planMaximumInstances(plan, [setting], NOW)).toEqual({
      maximum: 30,
      source: { kind: "autoscale", autoscaleSettingId: setting.id, profile: "launch week", maximum: 30, fixedDateEnd: end },
    });
  });

  it("counts a scheduled fixedDate profile and a recurrence profile; the 2015 campaign does not", () => {
    const setting = makeAutoscale(plan, [
      { name: "adios", maximum: 40, fixedDate: { start: "2015-03-05T14:00:00.000Z", end: "2015-03-05T14:30:00.000Z", timeZone: "UTC" } },
      { name: "saludos", maximum: 10 },
      { name: "black friday", maximum: 25, fixedDate: { start: "2026-11-27T00:00:00.000Z", end: "2026-11-28T00:00:00.000Z", timeZone: "UTC" } },
    ]);
    expect(planMaximumInstances(plan, [setting], NOW)).toMatchObject({ maximum: 25, source: { kind: "autoscale", profile: "black friday" } });
  });

  it("counts a fixedDate profile whose end can't be read", () => {
    const setting = makeAutoscale(plan, [{ name: "odd", maximum: 9, fixedDate: { timeZone: "UTC" } }]);
    expect(planMaximumInstances(plan, [setting], NOW).maximum).toBe(9);
  });

  it("matches a lower-cased targetResourceUri (microsoft.web/serverfarms) to the plan", () => {
    const setting = makeAutoscale(plan, [{ name: "default", maximum: 7 }], { targetResourceUri: plan.id.toLowerCase() });
    expect(planMaximumInstances(plan, [setting], NOW).maximum).toBe(7);
  });

  it("ignores maximumElasticWorkerCount on a plan that is not elastic (a stale default)", () => {
    const standard = makePlan("s", { sku: { name: "P1v3", tier: "PremiumV3", capacity: 3 }, maximumElasticWorkerCount: 20, elasticScaleEnabled: false });
    expect(planMaximumInstances(standard, [], NOW)).toEqual({ maximum: 3, source: { kind: "sku", capacity: 3 } });
  });

  it("counts maximumElasticWorkerCount on a Premium v3 plan with elasticScaleEnabled", () => {
    const elastic = makePlan("e", { sku: { name: "P1v3", tier: "PremiumV3", capacity: 3 }, maximumElasticWorkerCount: 20, elasticScaleEnabled: true });
    expect(planMaximumInstances(elastic, [], NOW).maximum).toBe(20);
  });

  it("counts maximumElasticWorkerCount on an Elastic Premium plan whose flag reads false", () => {
    const ep = makePlan("ep", { sku: { name: "EP1", tier: "ElasticPremium", capacity: 1 }, maximumElasticWorkerCount: 20, elasticScaleEnabled: false });
    expect(planMaximumInstances(ep, [], NOW)).toEqual({ maximum: 20, source: { kind: "elasticMaximum", maximumElasticWorkerCount: 20 } });
  });

  it("counts maximumElasticWorkerCount on a Logic Apps WorkflowStandard plan", () => {
    const ws = makePlan("ws", { sku: { name: "WS1", tier: "WorkflowStandard", capacity: 1 }, maximumElasticWorkerCount: 20 });
    expect(planMaximumInstances(ws, [], NOW).maximum).toBe(20);
  });

  it("is 0 from an unknown source when the plan says nothing", () => {
    expect(planMaximumInstances(makePlan("p", { sku: {} }), [], NOW)).toEqual({ maximum: 0, source: { kind: "unknown" } });
  });
});

describe("planAddressDemand", () => {
  it("multiplies instances by 1 + the Windows container apps (slots included) on the plan", () => {
    const plan = makePlan("p", { hyperV: true, sku: { name: "P1v3", tier: "PremiumV3", capacity: 4 } });
    const a = makeSite("a", { hyperV: true, serverFarmId: plan.id });
    const sites = [a, makeSlot(a, "staging"), makeSite("b", { kind: "app,container,windows", serverFarmId: plan.id })];
    expect(planAddressDemand(plan, sites, [], NOW)).toMatchObject({ maximum: 4, windowsContainerApps: 3, demand: 16 });
  });

  it("is the planned maximum on a plan without Windows containers", () => {
    const plan = makePlan("p", { sku: { capacity: 4 } });
    expect(planAddressDemand(plan, [makeSite("a", { serverFarmId: plan.id })], [], NOW).demand).toBe(4);
  });
});

describe("namesOnlyAzureProvidedDns", () => {
  it.each([[[]], [["168.63.129.16"]], [[" 168.63.129.16 "]], [["168.63.129.16", "168.63.129.16"]]])("is Azure-provided DNS for %j", (servers) =>
    expect(namesOnlyAzureProvidedDns(servers)).toBe(true),
  );
  it.each([[["168.63.129.16", "10.0.0.4"]], [["10.0.0.4"]], [["1.1.1.1"]]])("is a custom resolver for %j", (servers) =>
    expect(namesOnlyAzureProvidedDns(servers)).toBe(false),
  );
});

describe("isLinuxPlan", () => {
  it("is a reserved plan or one with a linux kind token, not a Windows or elastic one", () => {
    expect(isLinuxPlan(makePlan("l", { reserved: true }))).toBe(true);
    expect(isLinuxPlan(makePlan("l", { kind: "Linux" }))).toBe(true);
    expect(isLinuxPlan(makePlan("w", { kind: "app" }))).toBe(false);
    expect(isLinuxPlan(makePlan("e", { kind: "elastic" }))).toBe(false);
  });
});

describe("isExpressRouteGateway", () => {
  it("recognises ExpressRoute gateways in any case, not VPN gateways", () => {
    const vnet = makeVnet("v");
    expect(isExpressRouteGateway(makeExpressRouteGateway(vnet, "er"))).toBe(true);
    expect(isExpressRouteGateway({ ...makeExpressRouteGateway(vnet, "er"), gatewayType: "expressroute" })).toBe(true);
    expect(isExpressRouteGateway(makeVpnGateway(vnet, "vpn"))).toBe(false);
  });
});

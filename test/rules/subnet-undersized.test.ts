import { describe, expect, it } from "vitest";
import type { Plan, Subnet } from "../../src/model/inventory.js";
import { subnetUndersized as rule } from "../../src/rules/subnet-undersized.js";
import {
  HUB,
  healthyTenant,
  hits,
  ids,
  integrate,
  makeAutoscale,
  makeInventory,
  makePlan,
  makeSite,
  makeSlot,
  makeSubnet,
  makeVnet,
  NOW,
  run,
} from "./fixtures.js";

/** A tenant whose one plan (capacity `instances`) integrates into a subnet with `prefixes`. */
function tenantWith(prefixes: string[], instances: number) {
  const tenant = healthyTenant();
  tenant.subnet.addressPrefixes = prefixes;
  tenant.plan.sku.capacity = instances;
  return tenant;
}

/** A second plan with one site integrating into the same subnet. */
function addPlan(tenant: ReturnType<typeof healthyTenant>, name: string, capacity: number, subnet: Subnet = tenant.subnet): Plan {
  const plan = makePlan(name, { sku: { name: "P1v3", tier: "PremiumV3", capacity } });
  tenant.inventory.plans.push(plan);
  tenant.inventory.sites.push(integrate(makeSite(`${name}-app`, { serverFarmId: plan.id }), subnet));
  return plan;
}

describe("subnet-undersized", () => {
  it("does not fire on a dedicated /26 whose plans fit", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  // A P1v3 plan without elastic scale carries maximumElasticWorkerCount as a stale default
  // (the shape of real plan payloads): it must not make a fitting /26 look undersized.
  it("does not fire on a /26 because of a non-elastic plan's maximumElasticWorkerCount", () => {
    const tenant = tenantWith(["10.1.0.0/26"], 3);
    tenant.plan.maximumElasticWorkerCount = 40;
    tenant.plan.elasticScaleEnabled = false;
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("fires high on a /26 when a Premium v3 plan has elastic scale on and may reach 40", () => {
    const tenant = tenantWith(["10.1.0.0/26"], 3);
    tenant.plan.maximumElasticWorkerCount = 40;
    tenant.plan.elasticScaleEnabled = true;
    expect(hits(run(rule, tenant.inventory))).toEqual([[tenant.subnet.id, "high"]]);
  });

  it("fires high on an Elastic Premium plan whose elasticScaleEnabled reads false: the tier decides", () => {
    const tenant = tenantWith(["10.1.0.0/26"], 1);
    tenant.plan.sku = { name: "EP1", tier: "ElasticPremium", capacity: 1 };
    tenant.plan.maximumElasticWorkerCount = 40;
    tenant.plan.elasticScaleEnabled = false;
    expect(hits(run(rule, tenant.inventory))).toEqual([[tenant.subnet.id, "high"]]);
  });

  // The autoscale list example Microsoft publishes carries a fixedDate profile from 2015.
  it("does not fire because of a fixedDate autoscale profile that ended one second ago", () => {
    const tenant = tenantWith(["10.1.0.0/26"], 3);
    const end = new Date(NOW.getTime() - 1000).toISOString();
    tenant.inventory.autoscaleSettings = [
      makeAutoscale(tenant.plan, [{ name: "launch", maximum: 40, fixedDate: { start: "2026-05-01T00:00:00Z", end, timeZone: "UTC" } }], {
        targetResourceUri: tenant.plan.id.toLowerCase(),
      }),
    ];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("fires high on a fixedDate autoscale profile that ends one second from now, naming it", () => {
    const tenant = tenantWith(["10.1.0.0/26"], 3);
    const end = new Date(NOW.getTime() + 1000).toISOString();
    const setting = makeAutoscale(tenant.plan, [
      { name: "adios", maximum: 50, fixedDate: { start: "2015-03-05T14:00:00.000Z", end: "2015-03-05T14:30:00.000Z", timeZone: "UTC" } },
      { name: "launch", maximum: 40, fixedDate: { start: "2026-05-01T00:00:00Z", end, timeZone: "UTC" } },
      { name: "saludos", maximum: 10 },
    ], { targetResourceUri: tenant.plan.id.toLowerCase() });
    tenant.inventory.autoscaleSettings = [setting];
    const [result] = run(rule, tenant.inventory);
    expect(result?.severity).toBe("high");
    expect(result?.evidence).toMatchObject({
      demand: 40,
      plans: [{ source: { kind: "autoscale", autoscaleSettingId: setting.id, profile: "launch", maximum: 40, fixedDateEnd: end } }],
    });
  });

  it("fires medium on a /27 whose plan fits its 13 safe instances", () => {
    const tenant = tenantWith(["10.1.0.0/27"], 3);
    expect(hits(run(rule, tenant.inventory))).toEqual([[tenant.subnet.id, "medium"]]);
  });

  it("fires medium on a /28 whose plan fits its 5 safe instances", () => {
    const tenant = tenantWith(["10.1.0.0/28"], 5);
    const [result] = run(rule, tenant.inventory);
    expect(result?.severity).toBe("medium");
    expect(result?.evidence).toMatchObject({ usableAddresses: 11, safeInstances: 5, demand: 5, reasons: ["smaller-than-/26"] });
  });

  it("fires high on a /29, whose prefix is longer than /28", () => {
    const tenant = tenantWith(["10.1.0.0/29"], 1);
    const [result] = run(rule, tenant.inventory);
    expect(result?.severity).toBe("high");
    expect(result?.evidence.reasons).toEqual(["prefix-longer-than-/28"]);
  });

  it("does not fire on a /26 when demand equals its 29 safe instances", () => {
    expect(run(rule, tenantWith(["10.1.0.0/26"], 29).inventory)).toEqual([]);
  });

  it("fires high on a /26 when demand 30 exceeds 29 safe instances", () => {
    const tenant = tenantWith(["10.1.0.0/26"], 30);
    expect(hits(run(rule, tenant.inventory))).toEqual([[tenant.subnet.id, "high"]]);
  });

  it("fires medium, not high, on a /27 when demand equals its 13 safe instances", () => {
    expect(run(rule, tenantWith(["10.1.0.0/27"], 13).inventory)[0]?.severity).toBe("medium");
  });

  it("fires high on a /27 when demand 14 exceeds 13 safe instances", () => {
    const [result] = run(rule, tenantWith(["10.1.0.0/27"], 14).inventory);
    expect(result?.severity).toBe("high");
    expect(result?.message).toContain("27 usable addresses, safe for 13 instances");
    expect(result?.message).toContain("may need 14");
  });

  it("fires high on a /27 shared by two plans even when they fit", () => {
    const tenant = tenantWith(["10.1.0.0/27"], 2);
    addPlan(tenant, "plan-b", 2);
    const [result] = run(rule, tenant.inventory);
    expect(result?.severity).toBe("high");
    expect(result?.evidence.reasons).toEqual(["plans-share-subnet-smaller-than-/26"]);
  });

  it("does not fire on a /26 shared by two plans that fit together", () => {
    const tenant = tenantWith(["10.1.0.0/26"], 14);
    addPlan(tenant, "plan-b", 15);
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("fires high when two plans together exceed a /26", () => {
    const tenant = tenantWith(["10.1.0.0/26"], 15);
    addPlan(tenant, "plan-b", 15);
    expect(run(rule, tenant.inventory)[0]?.evidence).toMatchObject({ demand: 30, safeInstances: 29 });
  });

  it("counts a site and its slot on one plan once", () => {
    const tenant = tenantWith(["10.1.0.0/27"], 13);
    tenant.inventory.sites.push(makeSlot(tenant.site, "canary"));
    expect(run(rule, tenant.inventory)[0]?.evidence.plans).toHaveLength(1);
  });

  it("uses the largest autoscale profile as the planned maximum and names it in evidence", () => {
    const tenant = tenantWith(["10.1.0.0/27"], 2);
    const setting = makeAutoscale(tenant.plan, [{ name: "default", maximum: 4 }, { name: "peak", maximum: 20 }]);
    tenant.inventory.autoscaleSettings.push(setting);
    const [result] = run(rule, tenant.inventory);
    expect(result?.severity).toBe("high");
    expect(result?.evidence.plans).toEqual([
      {
        id: tenant.plan.id,
        name: tenant.plan.name,
        inInventory: true,
        plannedMaximumInstances: 20,
        source: { kind: "autoscale", autoscaleSettingId: setting.id, profile: "peak", maximum: 20 },
        windowsContainerApps: 0,
        demand: 20,
      },
    ]);
  });

  it("uses the elastic maximum of an Elastic Premium plan", () => {
    const tenant = tenantWith(["10.1.0.0/26"], 1);
    tenant.plan.sku = { name: "EP1", tier: "ElasticPremium", capacity: 1 };
    tenant.plan.maximumElasticWorkerCount = 40;
    const [result] = run(rule, tenant.inventory);
    expect(result?.severity).toBe("high");
    expect(result?.evidence).toMatchObject({ demand: 40, plans: [{ source: { kind: "elasticMaximum", maximumElasticWorkerCount: 40 } }] });
  });

  it("counts one address per Windows container app per instance", () => {
    // 5 instances x (1 + 2 container apps) = 15 > 13 safe instances of a /27; 5 alone would fit.
    const tenant = tenantWith(["10.1.0.0/27"], 5);
    tenant.plan.reserved = false;
    tenant.plan.hyperV = true;
    tenant.site.kind = "app,container,windows";
    tenant.site.reserved = false;
    tenant.inventory.sites = [tenant.site, makeSlot(tenant.site, "staging")];
    const [result] = run(rule, tenant.inventory);
    expect(result?.severity).toBe("high");
    expect(result?.evidence).toMatchObject({ demand: 15, plans: [{ plannedMaximumInstances: 5, windowsContainerApps: 2, demand: 15 }] });
  });

  it("counts a plan integrated at plan level without sites", () => {
    const tenant = tenantWith(["10.1.0.0/27"], 2);
    const planLevel = makePlan("plan-level", { virtualNetworkSubnetId: tenant.subnet.id, sku: { capacity: 12 } });
    tenant.inventory.plans.push(planLevel);
    expect(run(rule, tenant.inventory)[0]?.evidence).toMatchObject({ demand: 14, reasons: ["demand-exceeds-safe-instances", "plans-share-subnet-smaller-than-/26"] });
  });

  it("lists a plan missing from the inventory without counting unknown demand", () => {
    const tenant = tenantWith(["10.1.0.0/27"], 2);
    const missingPlanId = ids.plan("plan-gone");
    tenant.inventory.sites.push(integrate(makeSite("orphan", { serverFarmId: missingPlanId }), tenant.subnet));
    const [result] = run(rule, tenant.inventory);
    expect(result?.evidence.demand).toBe(2);
    expect(result?.evidence.plans).toContainEqual({
      id: missingPlanId,
      name: null,
      inInventory: false,
      plannedMaximumInstances: null,
      source: null,
      windowsContainerApps: 0,
      demand: null,
    });
  });

  it("names the subnet with the subscription of its ID when the VNet lives in another subscription", () => {
    const hubVnet = makeVnet("vnet-hub", { subscriptionId: HUB });
    const hubSubnet = makeSubnet(hubVnet.id, "snet-shared", ["10.0.0.0/28"]);
    hubVnet.subnets = [hubSubnet];
    const site = integrate(makeSite("spoke-app", { serverFarmId: ids.plan("p") }), hubSubnet);
    const inventory = makeInventory({ sites: [site], plans: [makePlan("p", { sku: { capacity: 1 } })], virtualNetworks: [hubVnet] });
    expect(run(rule, inventory).map((result) => [result.resourceId, result.subscriptionId])).toEqual([[hubSubnet.id, HUB]]);
  });

  it("lists prefixes, usable addresses, safe instances, demand and plans in evidence", () => {
    const tenant = tenantWith(["10.1.0.0/28", "10.1.0.16/28"], 3);
    expect(run(rule, tenant.inventory)[0]?.evidence).toEqual({
      virtualNetworkId: tenant.vnet.id,
      addressPrefixes: ["10.1.0.0/28", "10.1.0.16/28"],
      usableAddresses: 22,
      safeInstances: 11,
      demand: 3,
      reasons: ["smaller-than-/26"],
      plans: [
        {
          id: tenant.plan.id,
          name: "plan-linux",
          inInventory: true,
          plannedMaximumInstances: 3,
          source: { kind: "sku", capacity: 3 },
          windowsContainerApps: 0,
          demand: 3,
        },
      ],
    });
  });

  it("does not judge a subnet whose VNet is not in the inventory", () => {
    const site = makeSite("a", { virtualNetworkSubnetId: `${makeVnet("gone").id}/subnets/s`, serverFarmId: ids.plan("p") });
    expect(run(rule, makeInventory({ sites: [site], plans: [makePlan("p", { sku: { capacity: 50 } })] }))).toEqual([]);
  });

  it("does not judge sites in an App Service Environment", () => {
    const tenant = tenantWith(["10.1.0.0/27"], 20);
    tenant.site.hostingEnvironmentId = ids.ase("ase");
    tenant.slot.hostingEnvironmentId = ids.ase("ase");
    expect(run(rule, tenant.inventory)).toEqual([]);
  });
});

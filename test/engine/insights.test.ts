import { describe, expect, it } from "vitest";
import { collectInsights, emptyInsights, mergeAllInsights, mergeInsights, type ReportInsights } from "../../src/engine/insights.js";
import {
  HUB,
  NOW,
  SPOKE,
  healthyTenant,
  ids,
  integrate,
  legacyTenant,
  makeAutoscale,
  makeCertificate,
  makeGatewayConnection,
  makeInventory,
  makePlan,
  makeSite,
  makeSlot,
  makeSubnet,
  makeVnet,
} from "../rules/fixtures.js";

const OTHER_SPOKE = "33333333-3333-3333-3333-333333333333";

describe("collectInsights", () => {
  it("describes every regional integration subnet with its capacity and plans", () => {
    const { inventory, subnet, plan, site, slot } = healthyTenant();
    const insights = collectInsights(inventory, NOW);
    expect(insights.generatedAt).toBe(NOW.toISOString());
    expect(insights.retirementDate).toBe("2027-03-31");
    expect(insights.subnets).toEqual([
      {
        id: subnet.id,
        name: "snet-integration",
        vnetId: ids.vnet("vnet-spoke"),
        vnetName: "vnet-spoke",
        subscriptionId: SPOKE,
        prefixes: ["10.1.0.0/26"],
        usableAddresses: 59,
        safeInstances: 29,
        demand: 3,
        plans: [{ id: plan.id, name: "plan-linux", plannedMaximum: 3, source: { kind: "sku", capacity: 3 }, windowsContainerApps: 0, demand: 3, siteCount: 2 }],
      },
    ]);
    // The endpoint subnet is not used for integration: not listed.
    expect(insights.subnets.map((s) => s.name)).not.toContain("snet-endpoints");
    expect([site.id, slot.id]).toHaveLength(2);
  });

  it("takes planned maximums from autoscale and elastic settings, and counts Windows container apps", () => {
    const vnet = makeVnet("vnet-a");
    const small = makeSubnet(vnet.id, "snet-small", ["10.1.0.0/28"]);
    const containers = makeSubnet(vnet.id, "snet-containers", ["10.1.1.0/26"]);
    vnet.subnets = [small, containers];
    const autoscaled = makePlan("plan-autoscaled", { sku: { name: "P1v3", tier: "PremiumV3", capacity: 2 } });
    const xenon = makePlan("plan-xenon", { hyperV: true, sku: { name: "P1v3", tier: "PremiumV3", capacity: 3 } });
    const inventory = makeInventory({
      virtualNetworks: [vnet],
      plans: [autoscaled, xenon],
      autoscaleSettings: [makeAutoscale(autoscaled, [{ name: "business hours", maximum: 8 }])],
      sites: [
        integrate(makeSite("api", { serverFarmId: autoscaled.id }), small),
        integrate(makeSite("legacy-a", { serverFarmId: xenon.id, hyperV: true }), containers),
        integrate(makeSite("legacy-b", { serverFarmId: xenon.id, hyperV: true }), containers),
      ],
    });
    const [containerSubnet, smallSubnet] = collectInsights(inventory, NOW).subnets;
    expect(smallSubnet).toMatchObject({ name: "snet-small", usableAddresses: 11, safeInstances: 5, demand: 8 });
    expect(smallSubnet!.plans[0]).toMatchObject({ plannedMaximum: 8, source: { kind: "autoscale", profile: "business hours", maximum: 8 } });
    // 3 instances × (1 + 2 container apps).
    expect(containerSubnet).toMatchObject({ name: "snet-containers", demand: 9, plans: [{ plannedMaximum: 3, windowsContainerApps: 2, demand: 9, siteCount: 2 }] });
  });

  it("lists plan-level integration, plans missing from the inventory, and subnets whose VNet was not collected", () => {
    const hubVnetId = ids.vnet("vnet-hub", HUB);
    const missingPlanId = ids.plan("plan-elsewhere");
    const planLevel = makePlan("plan-level", { virtualNetworkSubnetId: `${hubVnetId}/subnets/snet-shared` });
    const inventory = makeInventory({
      plans: [planLevel],
      sites: [makeSite("orphan", { serverFarmId: missingPlanId, virtualNetworkSubnetId: `${hubVnetId}/subnets/snet-shared` })],
    });
    const [subnet] = collectInsights(inventory, NOW).subnets;
    expect(subnet).toMatchObject({ name: "snet-shared", vnetName: "vnet-hub", vnetId: hubVnetId, subscriptionId: HUB, prefixes: [], usableAddresses: 0, safeInstances: 0, demand: 2 });
    expect(subnet!.plans).toEqual([
      { id: missingPlanId, name: null, plannedMaximum: null, source: null, windowsContainerApps: 0, demand: null, siteCount: 1 },
      { id: planLevel.id, name: "plan-level", plannedMaximum: 2, source: { kind: "sku", capacity: 2 }, windowsContainerApps: 0, demand: 2, siteCount: 0 },
    ]);
  });

  it("leaves out sites in an App Service Environment or on Container Apps", () => {
    const { inventory, site, slot } = healthyTenant();
    site.hostingEnvironmentId = ids.ase("ase");
    slot.managedEnvironmentId = ids.managedEnvironment("aca");
    // The plan itself is not integrated at plan level, so nothing is left.
    expect(collectInsights(inventory, NOW).subnets).toEqual([]);
  });

  it("lists every app on gateway-required integration with its VNets and readable certificates", () => {
    const { inventory, site, vnet } = legacyTenant();
    const second = makeSite("legacy-2", {
      serverFarmId: site.serverFarmId!,
      vnetConnections: [makeGatewayConnection(vnet.id, { certificate: { unreadable: "missing certBlob" } }), makeGatewayConnection(ids.vnet("vnet-other"))],
    });
    const slot = makeSlot(site, "staging");
    inventory.sites.push(second, slot);
    const apps = collectInsights(inventory, NOW).gatewayIntegratedApps;
    // In order of site ID.
    expect(apps.map((app) => app.name)).toEqual(["legacy", "legacy-2", "legacy/staging"]);
    expect(apps[0]).toEqual({
      siteId: site.id,
      name: "legacy",
      subscriptionId: SPOKE,
      vnetIds: [vnet.id],
      gatewayCertificates: [{ vnetId: vnet.id, notAfter: "2031-01-01T00:00:00.000Z", thumbprint: "AB12CD34", subject: "CN=appservice" }],
    });
    // Two VNets; only the second connection's certificate could be read.
    expect(apps[1]!.vnetIds).toEqual([vnet.id, ids.vnet("vnet-other")].sort());
    expect(apps[1]!.gatewayCertificates.map((c) => c.vnetId)).toEqual([ids.vnet("vnet-other")]);
  });

  it("lists every certificate with the sites that bind it, expired or not", () => {
    const { inventory, certificate, site } = healthyTenant();
    inventory.certificates.push(makeCertificate("old", -10, { thumbprint: undefined, subjectName: "CN=<old>", friendlyName: "free text \"name\"" }));
    const certificates = collectInsights(inventory, NOW).certificates;
    expect(certificates).toHaveLength(2);
    expect(certificates.find((c) => c.id === certificate.id)).toEqual({
      id: certificate.id,
      name: "web",
      subscriptionId: SPOKE,
      thumbprint: certificate.thumbprint,
      expirationDate: certificate.expirationDate,
      hostNames: ["web.contoso.com"],
      subjectName: null,
      friendlyName: null,
      boundSiteIds: [site.id],
    });
    expect(certificates.find((c) => c.name === "old")).toMatchObject({ thumbprint: null, boundSiteIds: [], subjectName: "CN=<old>", friendlyName: "free text \"name\"" });
  });

  it("is plain JSON", () => {
    const insights = collectInsights(healthyTenant().inventory, NOW);
    expect(JSON.parse(JSON.stringify(insights))).toEqual(insights);
  });
});

/** A hub subnet two spokes integrate into; each spoke's inventory sees the hub VNet and only its own plan. */
function spokeInventory(subscriptionId: string, planName: string, capacity: number, options: { hubVnetCollected?: boolean; upperCaseIds?: boolean } = {}) {
  const hubVnet = makeVnet("vnet-hub", { subscriptionId: HUB, addressPrefixes: ["10.0.0.0/16"] });
  const shared = makeSubnet(hubVnet.id, "snet-shared", ["10.0.4.0/26"]);
  hubVnet.subnets = [shared];
  const plan = makePlan(planName, { subscriptionId, id: ids.plan(planName, subscriptionId), sku: { name: "P1v3", tier: "PremiumV3", capacity } });
  const site = makeSite(`${planName}-app`, { subscriptionId, serverFarmId: plan.id });
  site.id = ids.site(`${planName}-app`, subscriptionId);
  integrate(site, shared);
  if (options.upperCaseIds) site.virtualNetworkSubnetId = shared.id.replace("resourceGroups/rg-network", "resourceGroups/RG-NETWORK");
  const certificate = makeCertificate("shared-cert", 20, { subscriptionId, id: ids.certificate("shared-cert", HUB) });
  return makeInventory({ sites: [site], plans: [plan], virtualNetworks: options.hubVnetCollected === false ? [] : [hubVnet], certificates: [certificate] });
}

describe("mergeInsights", () => {
  const a = collectInsights(spokeInventory(SPOKE, "plan-a", 3), NOW);
  const b = collectInsights(spokeInventory(OTHER_SPOKE, "plan-b", 4), new Date(NOW.getTime() + 60_000));

  it("unions a shared subnet's plans by ID and sums their demand", () => {
    const merged = mergeInsights(a, b);
    expect(merged.subnets).toHaveLength(1);
    expect(merged.subnets[0]).toMatchObject({ name: "snet-shared", usableAddresses: 59, safeInstances: 29, demand: 7 });
    expect(merged.subnets[0]!.plans.map((plan) => [plan.name, plan.demand])).toEqual([
      ["plan-a", 3],
      ["plan-b", 4],
    ]);
    expect(merged.generatedAt).toBe(b.generatedAt);
  });

  it("is commutative, associative and idempotent (parts arrive in any order, and twice)", () => {
    const c = collectInsights(legacyTenant().inventory, NOW);
    expect(mergeInsights(a, b)).toEqual(mergeInsights(b, a));
    expect(mergeInsights(mergeInsights(a, b), c)).toEqual(mergeInsights(a, mergeInsights(b, c)));
    expect(mergeInsights(mergeInsights(a, b), b)).toEqual(mergeInsights(a, b));
    expect(mergeInsights(a, a)).toEqual(a);
    // A redelivered part does not count its plan twice.
    expect(mergeInsights(mergeInsights(a, b), a).subnets[0]!.demand).toBe(7);
  });

  it("matches IDs case-insensitively and takes the prefixes from the part that read the VNet", () => {
    const blind = collectInsights(spokeInventory(OTHER_SPOKE, "plan-b", 4, { hubVnetCollected: false, upperCaseIds: true }), NOW);
    expect(blind.subnets[0]).toMatchObject({ prefixes: [], usableAddresses: 0 });
    for (const merged of [mergeInsights(a, blind), mergeInsights(blind, a)]) {
      expect(merged.subnets).toHaveLength(1);
      expect(merged.subnets[0]).toMatchObject({ id: a.subnets[0]!.id, prefixes: ["10.0.4.0/26"], usableAddresses: 59, safeInstances: 29, demand: 7 });
    }
  });

  it("keeps one entry per certificate and app, unioning what each part knows", () => {
    const merged = mergeInsights(a, b);
    expect(merged.certificates).toHaveLength(1);
    expect(merged.certificates[0]!.boundSiteIds).toEqual([]);
    const legacy = legacyTenant();
    const one = collectInsights(legacy.inventory, NOW);
    const other = structuredClone(one);
    other.gatewayIntegratedApps[0]!.vnetIds.push(ids.vnet("vnet-second"));
    const apps = mergeInsights(one, other).gatewayIntegratedApps;
    expect(apps).toHaveLength(1);
    expect(apps[0]!.vnetIds).toEqual([legacy.vnet.id, ids.vnet("vnet-second")].sort());
  });

  it("merges any number of parts, none giving the empty insights", () => {
    expect(mergeAllInsights([])).toEqual(emptyInsights(new Date(0).toISOString()));
    const all: ReportInsights = mergeAllInsights([a, b, a]);
    expect(all).toEqual(mergeInsights(a, b));
  });
});

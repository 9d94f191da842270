/**
 * The collector's request budget, counted on a small emulated tenant: lists per subscription,
 * one list per resource group holding sites, one per multi-site plan of a gateway-capable
 * tier, per-site reads only for the sites a rule needs them for, and hub resources read once
 * per scan. Counts are exact, so a change that adds a per-site (or any other) call fails
 * here. Nothing is timed, except that pacing must keep a large subscription under Resource
 * Manager's bucket.
 *
 * The product runs in-process, unchanged: real createAzureClients, a real managed identity
 * credential, real SDK pipelines (the globalSetup's CA makes them trust the emulator).
 */
import { ManagedIdentityCredential } from "@azure/identity";
import { afterEach, describe, expect, it } from "vitest";
import { countByOperation } from "../../bench/operations.js";
import { createAzureClients } from "../../src/azure/clients.js";
import { resolveScope } from "../../src/collect/scope.js";
import { collectTenant, DEFAULT_TENANT_COLLECT_OPTIONS, mergeInventories } from "../../src/collect/tenant.js";
import { evaluateInventory } from "../../src/engine/evaluate.js";
import type { Inventory } from "../../src/model/inventory.js";
import { ARM_READ_THROTTLE, startArmEmulator, type ArmEmulator, type ArmEmulatorOptions, type ArmResource } from "../../emulator/index.js";
import * as b from "../../emulator/tenant/index.js";

const HUB = "0c0c0c0c-0000-4000-8000-000000000001";
const APPS = "0c0c0c0c-0000-4000-8000-000000000002";
const EMPTY = "0c0c0c0c-0000-4000-8000-000000000003";
const BRANCH = "0c0c0c0c-0000-4000-8000-000000000004";

interface TestTenant {
  resources: ArmResource[];
  ids: Record<string, string>;
}

/**
 * - hub: a gateway VNet and a private DNS zone linked to the apps VNet; no App Service.
 * - apps: two resource groups. A P1v3 plan with four sites (regional with Route All in the
 *   payload and a slot; regional with Route All off; regional whose payload lacks
 *   outboundVnetRouting; no integration), an S1 plan with two sites of which one uses
 *   gateway-required integration into the hub, a B1 plan with a single site, a Consumption
 *   plan with two function apps.
 * - empty: no App Service at all.
 * - branch: an S1 plan with two sites, one of them gateway-integrated into the same hub VNet.
 */
async function buildTenant(): Promise<TestTenant> {
  const resources: ArmResource[] = [];
  const add = <T extends ArmResource>(resource: T): T => {
    resources.push(resource);
    return resource;
  };
  const certificate = await b.p2sCertificate({ notAfter: new Date(Date.now() + 400 * 86_400_000), commonName: "request-counts" });

  const hubVnetBase = b.vnet({ subscriptionId: HUB, resourceGroup: "rg-hub", name: "vnet-hub", addressPrefixes: ["10.0.0.0/16"], subnets: [{ name: "GatewaySubnet", addressPrefix: "10.0.0.0/27" }] });
  const gateway = add(
    b.vpnGateway({ subscriptionId: HUB, resourceGroup: "rg-hub", name: "vgw-hub", vnetId: hubVnetBase.id, vpnClientConfiguration: { addressPrefixes: ["172.16.0.0/24"], protocols: ["SSTP"] } }),
  );
  const hubVnet = add(b.attachGateway(hubVnetBase, gateway));

  const appsVnet = add(
    b.vnet({
      subscriptionId: APPS,
      resourceGroup: "rg-web",
      name: "vnet-apps",
      addressPrefixes: ["10.1.0.0/16"],
      subnets: [{ name: "snet-web", addressPrefix: "10.1.0.0/26", delegations: ["Microsoft.Web/serverFarms"] }],
    }),
  );
  const subnet = b.subnetId(appsVnet.id, "snet-web");
  const zone = add(b.privateDnsZone({ subscriptionId: HUB, resourceGroup: "rg-dns", name: "privatelink.database.windows.net" }));
  add(b.vnetLink(zone.id, appsVnet.id));

  const site = (subscriptionId: string, resourceGroup: string, name: string, serverFarmId: string, options: Partial<b.SiteOptions> = {}) =>
    add(b.site({ subscriptionId, resourceGroup, name, serverFarmId, httpsOnly: true, ...options }));

  // apps / rg-web: a P1v3 plan with four sites.
  const premium = add(b.plan({ subscriptionId: APPS, resourceGroup: "rg-web", name: "asp-premium", sku: { name: "P1v3", capacity: 2 } }));
  add(b.planVnetConnection(premium.id, { vnetResourceId: subnet }));
  const routeAllOn = site(APPS, "rg-web", "app-route-all-on", premium.id, { virtualNetworkSubnetId: subnet, outboundVnetRouting: { applicationTraffic: true } });
  add(b.slot(routeAllOn, "staging"));
  const routeAllOff = site(APPS, "rg-web", "app-route-all-off", premium.id, { virtualNetworkSubnetId: subnet });
  add(b.appSettings(routeAllOff.id, { WEBSITE_VNET_ROUTE_ALL: "1" }));
  const noRouting = site(APPS, "rg-web", "app-old-payload", premium.id, { virtualNetworkSubnetId: subnet, extra: { outboundVnetRouting: undefined } });
  const plain = site(APPS, "rg-web", "app-plain", premium.id);

  // apps / rg-web: an S1 plan whose plan-level list shows a gateway-required connection.
  const standard = add(b.plan({ subscriptionId: APPS, resourceGroup: "rg-web", name: "asp-standard", sku: { name: "S1" } }));
  add(b.planVnetConnection(standard.id, { vnetResourceId: hubVnet.id, certBlob: certificate.certBlob, certThumbprint: certificate.certThumbprint }));
  const gatewaySite = site(APPS, "rg-web", "app-gateway", standard.id);
  add(b.vnetConnection(gatewaySite.id, { vnetResourceId: hubVnet.id, certBlob: certificate.certBlob, certThumbprint: certificate.certThumbprint }));
  const gatewayPlanMate = site(APPS, "rg-web", "app-gateway-mate", standard.id);

  // apps / rg-func: a single-site Basic plan and a Consumption plan (not gateway-capable).
  const basic = add(b.plan({ subscriptionId: APPS, resourceGroup: "rg-func", name: "asp-basic", sku: { name: "B1" } }));
  const single = site(APPS, "rg-func", "app-single", basic.id);
  const consumption = add(b.plan({ subscriptionId: APPS, resourceGroup: "rg-func", name: "asp-y1", sku: { name: "Y1" } }));
  const functionA = site(APPS, "rg-func", "func-a", consumption.id, { kind: "functionapp" });
  site(APPS, "rg-func", "func-b", consumption.id, { kind: "functionapp" });

  // branch: the same hub VNet through another plan.
  const branchPlan = add(b.plan({ subscriptionId: BRANCH, resourceGroup: "rg-branch", name: "asp-branch", sku: { name: "S1" } }));
  add(b.planVnetConnection(branchPlan.id, { vnetResourceId: hubVnet.id, certBlob: certificate.certBlob }));
  const branchGateway = site(BRANCH, "rg-branch", "app-branch-gateway", branchPlan.id);
  add(b.vnetConnection(branchGateway.id, { vnetResourceId: hubVnet.id, certBlob: certificate.certBlob, certThumbprint: certificate.certThumbprint }));
  const branchOther = site(BRANCH, "rg-branch", "app-branch-other", branchPlan.id);

  return {
    resources,
    ids: {
      routeAllOn: routeAllOn.id,
      routeAllOnSlot: `${routeAllOn.id}/slots/staging`,
      routeAllOff: routeAllOff.id,
      noRouting: noRouting.id,
      plain: plain.id,
      gatewaySite: gatewaySite.id,
      gatewayPlanMate: gatewayPlanMate.id,
      single: single.id,
      functionA: functionA.id,
      branchGateway: branchGateway.id,
      branchOther: branchOther.id,
    },
  };
}

const tenantOf = (resources: ArmResource[]) =>
  b.tenant({
    subscriptions: [b.subscription(HUB, "Hub"), b.subscription(APPS, "Apps"), b.subscription(EMPTY, "Empty"), b.subscription(BRANCH, "Branch")],
    resources,
  });

/** What collecting the test tenant costs, per operation. */
const EXPECTED_REQUESTS: Record<string, number> = {
  "subscriptions.list": 1,
  // Every subscription: zones (phase one), sites, plans, certificates.
  "privateZones.list": 4,
  "webApps.list": 4,
  "appServicePlans.list": 4,
  "certificates.list": 4,
  // Only subscriptions with sites or plans (apps, branch): the hub and the empty one skip them.
  "virtualNetworks.listAll": 2,
  "autoscaleSettings.listBySubscription": 2,
  // Owner tags of resource groups: only where something can have a finding (apps, branch).
  "resourceGroups.list": 2,
  // One per zone.
  "virtualNetworkLinks.list": 1,
  // One per resource group holding sites: rg-web, rg-func, rg-branch.
  "webApps.listByResourceGroup": 3,
  // Gateway-capable plans hosting two or more sites: asp-premium, asp-standard, asp-branch.
  "appServicePlans.listVnets": 3,
  // Sites on the two plans whose list shows a gateway-required connection (2 + 2), and the
  // single site of asp-basic (its plan is not asked).
  "webApps.listVnetConnections": 5,
  // The regionally integrated site whose payload lacks outboundVnetRouting.
  "webApps.getConfiguration": 1,
  // Regionally integrated sites whose site-level Route All is off: the off one, the old payload.
  "webApps.listApplicationSettings": 2,
  // The hub VNet and its gateway, once for the scan although two subscriptions use them.
  "virtualNetworks.get": 1,
  "virtualNetworkGateways.get": 1,
};

let emulator: ArmEmulator | undefined;
let restoreEnv: (() => void) | undefined;

afterEach(async () => {
  restoreEnv?.();
  restoreEnv = undefined;
  await emulator?.close();
  emulator = undefined;
});

/** Starts the emulator and runs the product's collection against it, in-process. */
async function collect(options: Omit<ArmEmulatorOptions, "tenant"> & { resources: ArmResource[]; subscriptions?: ReturnType<typeof b.subscription>[] }) {
  emulator = await startArmEmulator({
    ...options,
    tenant: options.subscriptions ? b.tenant({ subscriptions: options.subscriptions, resources: options.resources }) : tenantOf(options.resources),
  });
  restoreEnv = emulator.applyEnv();
  const clients = createAzureClients({ endpoint: emulator.url, credential: new ManagedIdentityCredential() });
  const scope = await resolveScope(clients, []);
  const inventories: Inventory[] = [];
  for await (const inventory of collectTenant(clients, scope, DEFAULT_TENANT_COLLECT_OPTIONS)) inventories.push(inventory);
  return { emulator, inventories };
}

describe("collectTenant request budget", () => {
  it("makes exactly the expected requests per operation", async () => {
    const { resources } = await buildTenant();
    const { emulator, inventories } = await collect({ resources, pageSize: 1000 });

    expect(inventories.flatMap((inventory) => inventory.subscriptions.map((record) => record.status))).toEqual(["complete", "complete", "complete", "complete"]);
    expect(emulator.total({ all: true })).toBe(emulator.total());
    expect(countByOperation(emulator.requests)).toEqual(EXPECTED_REQUESTS);
  });

  it("reads per site only what a rule needs", async () => {
    const { resources, ids } = await buildTenant();
    const { emulator } = await collect({ resources });
    const bySite = emulator.countBySite();
    const reads = (id: string) => bySite[id.toLowerCase()] ?? 0;
    // Regional integration with Route All in the payload (and its slot), no integration, or a
    // plan that can't hold gateway-required connections: not one per-site call.
    expect(reads(ids.routeAllOn!)).toBe(0);
    expect(reads(ids.routeAllOnSlot!)).toBe(0);
    expect(reads(ids.plain!)).toBe(0);
    expect(reads(ids.functionA!)).toBe(0);
    // Route All off in the payload: the app settings only.
    expect(reads(ids.routeAllOff!)).toBe(1);
    // No outboundVnetRouting in the payload: site config, then (off there too) the app settings.
    expect(reads(ids.noRouting!)).toBe(2);
    // On a plan with a gateway-required connection: the VNet connections, for each site on it.
    expect(reads(ids.gatewaySite!)).toBe(1);
    expect(reads(ids.gatewayPlanMate!)).toBe(1);
    expect(reads(ids.branchGateway!)).toBe(1);
    expect(reads(ids.branchOther!)).toBe(1);
    // The only site of its plan: its own connections instead of the plan's.
    expect(reads(ids.single!)).toBe(1);
  });

  it("keeps the findings a full read of every site gives", async () => {
    const { resources, ids } = await buildTenant();
    const { inventories } = await collect({ resources });
    const now = new Date();
    const findings = inventories.flatMap((inventory) => evaluateInventory(inventory, { now }).map((finding) => `${finding.ruleId} ${finding.resourceId}`));
    expect(findings).toContain(`route-all-legacy-app-setting ${ids.routeAllOff}`);
    expect(findings).toContain(`gateway-integration-legacy ${ids.gatewaySite}`);
    expect(findings).toContain(`gateway-integration-legacy ${ids.branchGateway}`);
    expect(findings).not.toContain(`gateway-integration-legacy ${ids.gatewayPlanMate}`);
    // The DNS zone reaches the inventory of the subscription whose VNet it is linked to, and
    // the merged inventory (vnet-audit collect) keeps its link.
    const apps = inventories.find((inventory) => inventory.subscriptions[0]?.subscriptionId === APPS)!;
    expect(apps.privateDnsZones.map((zone) => zone.name)).toEqual(["privatelink.database.windows.net"]);
    const merged = mergeInventories(inventories, now.toISOString());
    expect(merged.privateDnsZones.flatMap((zone) => zone.virtualNetworkLinks.map((link) => link.virtualNetworkId.toLowerCase()))).toEqual([
      b.resourceId(APPS, "rg-web", "Microsoft.Network/virtualNetworks", "vnet-apps").toLowerCase(),
    ]);
  });

  it("costs the same lists for a larger subscription: per-site reads grow, nothing else does", async () => {
    const { resources } = await buildTenant();
    const premium = b.resourceId(APPS, "rg-web", "Microsoft.Web/serverfarms", "asp-premium");
    // 20 more healthy sites on the P1v3 plan: no additional request at all.
    for (let index = 0; index < 20; index++) {
      resources.push(b.site({ subscriptionId: APPS, resourceGroup: "rg-web", name: `app-extra-${index}`, serverFarmId: premium, httpsOnly: true }));
    }
    const { emulator } = await collect({ resources });
    expect(countByOperation(emulator.requests)).toEqual(EXPECTED_REQUESTS);
  });
});

describe("pacing", () => {
  it("keeps a subscription with more reads than Resource Manager's bucket under it: no 429", async () => {
    // 280 sites on one Standard plan with a gateway-required connection: 280 VNet-connection
    // reads plus the lists, more than the 250-request bucket holds.
    const sub = APPS;
    const resources: ArmResource[] = [];
    const plan = b.plan({ subscriptionId: sub, resourceGroup: "rg-many", name: "asp-many", sku: { name: "S1" } });
    resources.push(plan, b.planVnetConnection(plan.id, { vnetResourceId: b.resourceId(HUB, "rg-hub", "Microsoft.Network/virtualNetworks", "vnet-gone") }));
    for (let index = 0; index < 280; index++) {
      resources.push(b.site({ subscriptionId: sub, resourceGroup: "rg-many", name: `app-${index}`, serverFarmId: plan.id, httpsOnly: true }));
    }
    const { emulator, inventories } = await collect({ resources, subscriptions: [b.subscription(sub, "Many")], throttle: ARM_READ_THROTTLE });
    expect(emulator.throttledCount).toBe(0);
    expect(emulator.countBySubscription()[sub]).toBeGreaterThan(ARM_READ_THROTTLE.capacity);
    expect(inventories[0]?.subscriptions[0]?.status).toBe("complete");
    expect(inventories[0]?.sites.every((site) => site.reads.vnetConnections === "read")).toBe(true);
  });
});

describe("which plans are asked for VNet connections", () => {
  const SUB = APPS;
  const rg = "rg-mix";

  /** A tenant of one subscription; `build` adds plans and sites to it. */
  async function collectOne(build: (add: <T extends ArmResource>(resource: T) => T) => void) {
    const resources: ArmResource[] = [];
    build((resource) => {
      resources.push(resource);
      return resource;
    });
    return collect({ resources, subscriptions: [b.subscription(SUB, "Mix")] });
  }

  it("never asks a Linux plan or its sites: gateway-required integration only works for Windows plans", async () => {
    const { emulator, inventories } = await collectOne((add) => {
      // Two Linux plans of gateway-capable tiers: one with three sites, one with a single site.
      const multi = add(b.plan({ subscriptionId: SUB, resourceGroup: rg, name: "asp-linux", sku: { name: "P1v3" }, reserved: true }));
      for (const name of ["app-l1", "app-l2", "app-l3"]) add(b.site({ subscriptionId: SUB, resourceGroup: rg, name, serverFarmId: multi.id, reserved: true, httpsOnly: true }));
      const single = add(b.plan({ subscriptionId: SUB, resourceGroup: rg, name: "asp-linux-single", sku: { name: "S1" }, kind: "linux" }));
      add(b.site({ subscriptionId: SUB, resourceGroup: rg, name: "app-l4", serverFarmId: single.id, kind: "app,linux", httpsOnly: true }));
      // A Windows plan of the same tier beside them is still asked.
      const windows = add(b.plan({ subscriptionId: SUB, resourceGroup: rg, name: "asp-windows", sku: { name: "P1v3" } }));
      for (const name of ["app-w1", "app-w2"]) add(b.site({ subscriptionId: SUB, resourceGroup: rg, name, serverFarmId: windows.id, httpsOnly: true }));
    });
    const operations = countByOperation(emulator.requests);
    expect(operations["appServicePlans.listVnets"]).toBe(1);
    expect(operations["webApps.listVnetConnections"]).toBeUndefined();
    expect(emulator.requests.filter((request) => /serverfarms\/asp-linux/i.test(request.path))).toEqual([]);
    expect(inventories[0]?.sites.filter((site) => site.reserved).every((site) => site.reads.vnetConnections === "notNeeded")).toBe(true);
  });

  it("reads the sites of a plan whose list shows regional integration no site payload names, and finds them", async () => {
    const subnetRef = { id: "" };
    const { emulator, inventories } = await collectOne((add) => {
      const vnet = add(b.vnet({ subscriptionId: SUB, resourceGroup: rg, name: "vnet-mix", addressPrefixes: ["10.9.0.0/16"], subnets: [{ name: "snet-old", addressPrefix: "10.9.0.0/27", delegations: ["Microsoft.Web/serverFarms"] }] }));
      subnetRef.id = b.subnetId(vnet.id, "snet-old");
      const plan = add(b.plan({ subscriptionId: SUB, resourceGroup: rg, name: "asp-old", sku: { name: "S1", capacity: 2 } }));
      add(b.planVnetConnection(plan.id, { vnetResourceId: subnetRef.id }));
      const integrated = add(b.site({ subscriptionId: SUB, resourceGroup: rg, name: "app-old", serverFarmId: plan.id, httpsOnly: true, outboundVnetRouting: { applicationTraffic: true } }));
      add(b.vnetConnection(integrated.id, { vnetResourceId: subnetRef.id }));
      add(b.site({ subscriptionId: SUB, resourceGroup: rg, name: "app-old-mate", serverFarmId: plan.id, httpsOnly: true }));
    });
    // One plan list, then both sites' lists; Route All is in the payload, so nothing more.
    expect(countByOperation(emulator.requests)).toMatchObject({ "appServicePlans.listVnets": 1, "webApps.listVnetConnections": 2 });
    const inventory = inventories[0]!;
    expect(inventory.subscriptions[0]?.status).toBe("complete");
    const findings = evaluateInventory(inventory, { now: new Date() }).map((finding) => `${finding.ruleId} ${finding.resourceId}`);
    expect(findings).toContain(`subnet-undersized ${subnetRef.id}`);
  });

  it("records a coverage gap when no site of the plan can be matched to the plan's regional connection", async () => {
    const subnetId = b.subnetId(b.resourceId(SUB, rg, "Microsoft.Network/virtualNetworks", "vnet-mix"), "snet-orphan");
    const { inventories } = await collectOne((add) => {
      add(b.vnet({ subscriptionId: SUB, resourceGroup: rg, name: "vnet-mix", addressPrefixes: ["10.9.0.0/16"], subnets: [{ name: "snet-orphan", addressPrefix: "10.9.1.0/26", delegations: ["Microsoft.Web/serverFarms"] }] }));
      const plan = add(b.plan({ subscriptionId: SUB, resourceGroup: rg, name: "asp-orphan", sku: { name: "S1" } }));
      add(b.planVnetConnection(plan.id, { vnetResourceId: subnetId }));
      for (const name of ["app-o1", "app-o2"]) add(b.site({ subscriptionId: SUB, resourceGroup: rg, name, serverFarmId: plan.id, httpsOnly: true }));
    });
    const record = inventories[0]!.subscriptions[0]!;
    expect(record.status).toBe("partial");
    expect(record.errors).toEqual([
      expect.objectContaining({ operation: "appServicePlans.listVnets", code: "RegionalIntegrationNotAttributed", message: expect.stringContaining(subnetId) }),
    ]);
  });
});

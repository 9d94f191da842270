/**
 * Tests of the ARM emulator itself, driven through the real SDK clients the
 * product uses, with a real ManagedIdentityCredential (in-process) and a real
 * DefaultAzureCredential (in a child process, trusting the CA through
 * NODE_EXTRA_CA_CERTS).
 */
import { execFile } from "node:child_process";
import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManagedIdentityCredential } from "@azure/identity";
import { WebSiteManagementClient } from "@azure/arm-appservice";
import { NetworkManagementClient } from "@azure/arm-network";
import { PrivateDnsManagementClient } from "@azure/arm-privatedns";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { MonitorClient } from "@azure/arm-monitor";
import { armClientOptions, startArmEmulator, type ArmEmulator, type EmulatedTenant } from "../../emulator/index.js";
import { createTestCa, type TestCa } from "../../emulator/ca.js";
import * as b from "../../emulator/tenant/index.js";

const SUB_A = "11111111-1111-1111-1111-111111111111";
const SUB_B = "22222222-2222-2222-2222-222222222222";
const SUB_C = "33333333-3333-3333-3333-333333333333";
const RG_WEB = "rg-web";
const RG_NET = "rg-net";

async function sampleTenant(): Promise<EmulatedTenant> {
  const hub = b.vnet({
    subscriptionId: SUB_A,
    resourceGroup: RG_NET,
    name: "vnet-hub",
    addressPrefixes: ["10.0.0.0/16"],
    dnsServers: ["10.0.0.4"],
    subnets: [
      { name: "GatewaySubnet", addressPrefix: "10.0.255.0/27" },
      { name: "snet-apps", addressPrefix: "10.0.1.0/26", delegations: ["Microsoft.Web/serverFarms"] },
      { name: "snet-pe", addressPrefix: "10.0.2.0/24", privateEndpointIds: [b.resourceId(SUB_A, RG_NET, "Microsoft.Network/privateEndpoints", "pe-app1")] },
    ],
  });
  const gw = b.vpnGateway({
    subscriptionId: SUB_A,
    resourceGroup: RG_NET,
    name: "gw-hub",
    vnetId: hub.id,
    vpnClientConfiguration: { addressPrefixes: ["172.16.0.0/24"], protocols: ["SSTP", "IkeV2"] },
  });
  const spokes = ["vnet-spoke1", "vnet-spoke2"].map((name, i) =>
    b.vnet({ subscriptionId: SUB_A, resourceGroup: RG_NET, name, addressPrefixes: [`10.${i + 1}.0.0/16`], subnets: [{ name: "default", addressPrefix: `10.${i + 1}.0.0/24` }] }),
  );
  const planS1 = b.plan({ subscriptionId: SUB_A, resourceGroup: RG_WEB, name: "plan-s1", sku: { name: "S1" } });
  const planLinux = b.plan({ subscriptionId: SUB_A, resourceGroup: RG_WEB, name: "plan-linux", sku: { name: "P1v3" }, reserved: true });
  const appsSubnet = b.subnetId(hub.id, "snet-apps");
  const app1 = b.site({
    subscriptionId: SUB_A,
    resourceGroup: RG_WEB,
    name: "app1",
    serverFarmId: planLinux.id,
    reserved: true,
    httpsOnly: true,
    virtualNetworkSubnetId: appsSubnet,
    outboundVnetRouting: { allTraffic: true },
    dnsServers: ["10.0.0.4"],
    customHostNames: [{ name: "www.contoso.com", sslState: "SniEnabled", thumbprint: "ABCDEF" }],
  });
  const staging = b.slot(app1, "staging", { virtualNetworkSubnetId: null });
  const cert = await b.p2sCertificate({ notAfter: new Date("2030-01-01T00:00:00Z") });
  const app2 = b.site({ subscriptionId: SUB_A, resourceGroup: RG_WEB, name: "app2", serverFarmId: planS1.id });
  const others = ["app3", "app4", "app5"].map((name) => b.site({ subscriptionId: SUB_A, resourceGroup: RG_WEB, name, serverFarmId: planS1.id }));
  const zones = ["privatelink.azurewebsites.net", "privatelink.blob.core.windows.net", "contoso.internal"].map((name) =>
    b.privateDnsZone({ subscriptionId: SUB_A, resourceGroup: RG_NET, name }),
  );
  const autoscale = [planS1, planLinux, planS1].map((p, i) =>
    b.autoscaleSetting({ subscriptionId: SUB_A, resourceGroup: RG_WEB, name: `autoscale-${i}`, targetResourceUri: p.id, profiles: [{ name: "default", capacity: { minimum: 1, maximum: 5, default: 2 } }] }),
  );
  const appB = b.site({ subscriptionId: SUB_B, resourceGroup: "rg-b", name: "app-b", serverFarmId: b.resourceId(SUB_B, "rg-b", "Microsoft.Web/serverfarms", "plan-b") });

  return b.tenant({
    tenantId: "99999999-9999-9999-9999-999999999999",
    subscriptions: [b.subscription(SUB_A, "Contoso Prod"), b.subscription(SUB_B, "Contoso Dev", "Warned"), b.subscription(SUB_C, "Contoso Old", "Disabled")],
    resources: [
      b.attachGateway(hub, gw),
      gw,
      ...spokes,
      planS1,
      planLinux,
      app1,
      staging,
      app2,
      ...others,
      b.siteConfig(app1.id, { vnetRouteAllEnabled: true, vnetName: "snet-apps" }),
      b.appSettings(app1.id, { WEBSITE_DNS_SERVER: "10.0.0.4", WEBSITE_VNET_ROUTE_ALL: "1" }),
      b.appSettings(staging.id, { SLOT_SETTING: "yes" }),
      b.vnetConnection(app1.id, { vnetResourceId: appsSubnet }),
      b.vnetConnection(app2.id, { vnetResourceId: hub.id, certBlob: cert.certBlob, certThumbprint: cert.certThumbprint }),
      b.planVnetConnection(planS1.id, { vnetResourceId: hub.id, certBlob: cert.certBlob, certThumbprint: cert.certThumbprint }),
      ...zones,
      b.vnetLink(zones[0]!.id, hub.id, { registrationEnabled: false }),
      ...autoscale,
      b.certificate({
        subscriptionId: SUB_A,
        resourceGroup: RG_WEB,
        name: "www-contoso",
        thumbprint: "ABCDEF",
        expirationDate: new Date("2026-03-01T00:00:00Z"),
        hostNames: ["www.contoso.com"],
        subjectName: "www.contoso.com",
        issuer: "Contoso CA",
      }),
      appB,
    ],
  });
}

async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iter) out.push(item);
  return out;
}

/** A plain HTTPS call, for what the SDKs never send (no token, no api-version). */
function rawRequest(emulator: ArmEmulator, path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>((resolve, reject) => {
    const url = new URL(path, emulator.url);
    const req = https.request(url, { method: options.method ?? "GET", headers: options.headers ?? {}, ca: emulator.caCertPem }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function caught(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

let ca: TestCa;
let credential: ManagedIdentityCredential;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  ca = await createTestCa();
});

describe("ARM emulator with a sample tenant (pageSize 2)", () => {
  let emulator: ArmEmulator;
  let web: WebSiteManagementClient;
  const bearer = async () => `Bearer ${(await credential.getToken(`${emulator.url}/.default`)).token}`;

  beforeAll(async () => {
    emulator = await startArmEmulator({ tenant: await sampleTenant(), ca, pageSize: 2 });
    // The managed-identity env must be in place before the credential is built.
    restoreEnv = emulator.applyEnv();
    credential = new ManagedIdentityCredential();
    web = new WebSiteManagementClient(credential, SUB_A, armClientOptions(emulator));
  });
  afterAll(async () => {
    restoreEnv?.();
    await emulator.close();
  });

  it("issues tokens whose resource is the emulator's URL, via App Service managed identity", async () => {
    const sites = await collect(web.webApps.list());
    expect(sites.length).toBe(5);
    expect(emulator.tokenRequestCount).toBeGreaterThanOrEqual(1);
    expect(emulator.tokenRequests[0]).toMatchObject({ resource: emulator.url, apiVersion: "2019-08-01", status: 200 });
  });

  it("lists subscriptions across pages with the classic subscriptions client", async () => {
    const subs = await collect(new SubscriptionClient(credential, armClientOptions(emulator)).subscriptions.list());
    expect(subs.map((s) => [s.subscriptionId, s.displayName, s.state, s.tenantId])).toEqual([
      [SUB_A, "Contoso Prod", "Enabled", "99999999-9999-9999-9999-999999999999"],
      [SUB_B, "Contoso Dev", "Warned", "99999999-9999-9999-9999-999999999999"],
      [SUB_C, "Contoso Old", "Disabled", "99999999-9999-9999-9999-999999999999"],
    ]);
    const one = await new SubscriptionClient(credential, armClientOptions(emulator)).subscriptions.get(SUB_B);
    expect(one).toMatchObject({ id: `/subscriptions/${SUB_B}`, displayName: "Contoso Dev" });
  });

  it("pages webApps.list with absolute nextLinks carrying $skiptoken and the api-version", async () => {
    emulator.resetCounters();
    const pages = await collect(web.webApps.list().byPage());
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const listCalls = emulator.requests.filter((r) => r.path === `/subscriptions/${SUB_A}/providers/Microsoft.Web/sites`);
    expect(listCalls).toHaveLength(3);
    expect(listCalls.map((r) => r.query["$skiptoken"] !== undefined)).toEqual([false, true, true]);
    expect(listCalls.every((r) => r.apiVersion === "2025-05-01")).toBe(true);
    const app1 = pages.flat().find((s) => s.name === "app1")!;
    // The modular client flattens `properties`: these came from the wire format.
    expect(app1.virtualNetworkSubnetId).toMatch(/\/subnets\/snet-apps$/);
    expect(app1.outboundVnetRouting?.allTraffic).toBe(true);
    expect(app1.dnsConfiguration?.dnsServers).toEqual(["10.0.0.4"]);
    expect(app1.hostNameSslStates?.find((h) => h.name === "www.contoso.com")?.sslState).toBe("SniEnabled");
  });

  it("includes slots in listByResourceGroup only with includeSlots=true", async () => {
    const without = await collect(web.webApps.listByResourceGroup(RG_WEB));
    const withSlots = await collect(web.webApps.listByResourceGroup(RG_WEB, { includeSlots: true }));
    expect(without.map((s) => s.name)).not.toContain("app1/staging");
    expect(withSlots.map((s) => s.name)).toContain("app1/staging");
    expect(withSlots).toHaveLength(without.length + 1);
    const slots = await collect(web.webApps.listSlots(RG_WEB, "app1"));
    expect(slots.map((s) => [s.name, s.type, s.virtualNetworkSubnetId])).toEqual([["app1/staging", "Microsoft.Web/sites/slots", null]]);
  });

  it("serves VNet connections as a bare JSON array (sites, slots, plans)", async () => {
    const conns = await web.webApps.listVnetConnections(RG_WEB, "app1");
    expect(conns).toHaveLength(1);
    expect(conns[0]).toMatchObject({ isSwift: true, vnetResourceId: expect.stringMatching(/snet-apps$/), resyncRequired: false });
    const gatewayConns = await web.webApps.listVnetConnections(RG_WEB, "app2");
    expect(gatewayConns[0]).toMatchObject({ name: "vnet-hub", isSwift: false });
    expect(gatewayConns[0]!.certThumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(await web.webApps.listVnetConnectionsSlot(RG_WEB, "app1", "staging")).toEqual([]);
    const planConns = await web.appServicePlans.listVnets(RG_WEB, "plan-s1");
    expect(planConns.map((c) => c.name)).toEqual(["vnet-hub"]);

    const raw = await rawRequest(emulator, `/subscriptions/${SUB_A}/resourceGroups/${RG_WEB}/providers/Microsoft.Web/sites/app1/virtualNetworkConnections?api-version=2025-05-01`, {
      headers: { Authorization: await bearer() },
    });
    expect(Array.isArray(raw.body)).toBe(true);
  });

  it("serves app settings through POST .../config/appsettings/list (and slot), never GET", async () => {
    const settings = await web.webApps.listApplicationSettings(RG_WEB, "app1");
    expect(settings.properties).toEqual({ WEBSITE_DNS_SERVER: "10.0.0.4", WEBSITE_VNET_ROUTE_ALL: "1" });
    const slotSettings = await web.webApps.listApplicationSettingsSlot(RG_WEB, "app1", "staging");
    expect(slotSettings.properties).toEqual({ SLOT_SETTING: "yes" });
    // An app without stored settings has an empty dictionary, not a 404.
    expect((await web.webApps.listApplicationSettings(RG_WEB, "app3")).properties).toEqual({});
    const get = await rawRequest(emulator, `/subscriptions/${SUB_A}/resourceGroups/${RG_WEB}/providers/Microsoft.Web/sites/app1/config/appsettings/list?api-version=2025-05-01`, {
      headers: { Authorization: await bearer() },
    });
    expect(get.status).toBe(405);
  });

  it("serves config/web, with a default for apps that have none stored", async () => {
    const config = await web.webApps.getConfiguration(RG_WEB, "app1");
    expect(config.vnetRouteAllEnabled).toBe(true);
    expect((await web.webApps.getConfiguration(RG_WEB, "app2")).vnetRouteAllEnabled).toBe(false);
    expect((await web.webApps.getConfigurationSlot(RG_WEB, "app1", "staging")).vnetRouteAllEnabled).toBe(false);
  });

  it("lists plans and certificates", async () => {
    const plans = await collect(web.appServicePlans.list());
    expect(plans.map((p) => [p.name, p.sku?.tier, p.reserved])).toEqual([
      ["plan-s1", "Standard", false],
      ["plan-linux", "PremiumV3", true],
    ]);
    const certs = await collect(web.certificates.list());
    expect(certs[0]).toMatchObject({ thumbprint: "ABCDEF", hostNames: ["www.contoso.com"] });
    expect(certs[0]!.expirationDate).toEqual(new Date("2026-03-01T00:00:00Z"));
  });

  it("serves VNets (subnets inline) and gateways to the classic network client", async () => {
    const network = new NetworkManagementClient(credential, SUB_A, armClientOptions(emulator));
    emulator.resetCounters();
    const vnets = await collect(network.virtualNetworks.listAll());
    expect(vnets.map((v) => v.name)).toEqual(["vnet-hub", "vnet-spoke1", "vnet-spoke2"]);
    expect(emulator.total()).toBe(2); // two pages
    const hub = await network.virtualNetworks.get(RG_NET, "vnet-hub");
    const apps = hub.subnets!.find((s) => s.name === "snet-apps")!;
    expect(apps.delegations?.[0]?.serviceName).toBe("Microsoft.Web/serverFarms");
    const gatewaySubnet = hub.subnets!.find((s) => s.name === "GatewaySubnet")!;
    expect(gatewaySubnet.ipConfigurations?.[0]?.id).toMatch(/virtualNetworkGateways\/gw-hub\/ipConfigurations\/default$/);
    expect(hub.dhcpOptions?.dnsServers).toEqual(["10.0.0.4"]);
    const subnet = await network.subnets.get(RG_NET, "vnet-hub", "snet-pe");
    expect(subnet.privateEndpoints?.[0]?.id).toMatch(/pe-app1$/);
    const gw = await network.virtualNetworkGateways.get(RG_NET, "gw-hub");
    expect(gw.ipConfigurations?.[0]?.subnet?.id).toBe(b.subnetId(hub.id!, "GatewaySubnet"));
    expect(gw.vpnClientConfiguration?.vpnClientProtocols).toEqual(["SSTP", "IkeV2"]);
    expect(gw.vpnClientConfiguration?.vpnClientAddressPool?.addressPrefixes).toEqual(["172.16.0.0/24"]);
  });

  it("serves private DNS zones and links to the modular private DNS client, paged", async () => {
    const dns = new PrivateDnsManagementClient(credential, SUB_A, armClientOptions(emulator));
    const zones = await collect(dns.privateZones.list());
    expect(zones.map((z) => z.name)).toEqual(["privatelink.azurewebsites.net", "privatelink.blob.core.windows.net", "contoso.internal"]);
    const links = await collect(dns.virtualNetworkLinks.list(RG_NET, "privatelink.azurewebsites.net"));
    expect(links.map((l) => [l.name, l.virtualNetwork?.id, l.registrationEnabled])).toEqual([
      ["vnet-hub-link", b.resourceId(SUB_A, RG_NET, "Microsoft.Network/virtualNetworks", "vnet-hub"), false],
    ]);
  });

  it("serves autoscale settings to the monitor client, capacities as strings", async () => {
    const monitor = new MonitorClient(credential, SUB_A, armClientOptions(emulator));
    const settings = await collect(monitor.autoscaleSettings.listBySubscription());
    expect(settings).toHaveLength(3);
    expect(settings[0]!.profiles[0]!.capacity).toEqual({ minimum: "1", maximum: "5", default: "2" });
    expect(settings[0]!.targetResourceUri).toMatch(/serverfarms\/plan-s1$/);
  });

  it("answers ARM's 404 codes for unknown resources, groups and subscriptions", async () => {
    expect(await caught(web.webApps.get(RG_WEB, "nope"))).toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
    expect(await caught(web.webApps.get("rg-missing", "app1"))).toMatchObject({ statusCode: 404, code: "ResourceGroupNotFound" });
    const other = new WebSiteManagementClient(credential, "44444444-4444-4444-4444-444444444444", armClientOptions(emulator));
    expect(await caught(collect(other.webApps.list()))).toMatchObject({ statusCode: 404, code: "SubscriptionNotFound" });
    const network = new NetworkManagementClient(credential, SUB_A, armClientOptions(emulator));
    expect(await caught(network.virtualNetworks.get(RG_NET, "nope"))).toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
  });

  it("rejects requests without a token, with an unknown token, without api-version, and wrong methods", async () => {
    const path = `/subscriptions/${SUB_A}/providers/Microsoft.Web/sites`;
    const noToken = await rawRequest(emulator, `${path}?api-version=2025-05-01`);
    expect(noToken.status).toBe(401);
    expect(noToken.body.error.code).toBe("AuthenticationFailed");
    const badToken = await rawRequest(emulator, `${path}?api-version=2025-05-01`, { headers: { Authorization: "Bearer made-up" } });
    expect(badToken.status).toBe(401);
    const noVersion = await rawRequest(emulator, path, { headers: { Authorization: await bearer() } });
    expect(noVersion).toMatchObject({ status: 400, body: { error: { code: "MissingApiVersionParameter" } } });
    const put = await rawRequest(emulator, `${path}?api-version=2025-05-01`, { method: "PUT", headers: { Authorization: await bearer() } });
    expect(put.status).toBe(405);
    const unknownType = await rawRequest(emulator, `/subscriptions/${SUB_A}/providers/Microsoft.Foo/bars?api-version=1`, { headers: { Authorization: await bearer() } });
    expect(unknownType.status).toBe(404);
  });

  it("rejects a token issued for another audience, as ARM does (modular clients default to the public-cloud scope)", async () => {
    const defaultScope = new WebSiteManagementClient(credential, SUB_A, { endpoint: emulator.url, tlsOptions: { ca: emulator.caCertPem } });
    const err = await caught(defaultScope.webApps.get(RG_WEB, "app1"));
    expect(err).toMatchObject({ statusCode: 401, code: "InvalidAuthenticationTokenAudience" });
    expect(emulator.tokenRequests.some((t) => t.resource === "https://management.azure.com")).toBe(true);
  });

  it("rejects the identity endpoint without or with a wrong X-IDENTITY-HEADER", async () => {
    const call = (headers: Record<string, string>) =>
      fetch(`${emulator.identityEndpoint}?api-version=2019-08-01&resource=${encodeURIComponent(emulator.url)}`, { headers }).then((r) => r.status);
    expect(await call({})).toBe(400);
    expect(await call({ "X-IDENTITY-HEADER": "wrong" })).toBe(401);
    expect(await call({ "X-IDENTITY-HEADER": emulator.identityHeader })).toBe(200);
  });

  it("injects 403 for a whole subscription, and 404/500 for a path, until removed or used up", async () => {
    const forbidden = emulator.injectFault({ subscriptionId: SUB_A, status: 403 });
    expect(await caught(web.webApps.get(RG_WEB, "app1"))).toMatchObject({ statusCode: 403, code: "AuthorizationFailed" });
    const webB = new WebSiteManagementClient(credential, SUB_B, armClientOptions(emulator));
    expect(await collect(webB.webApps.list())).toHaveLength(1);
    forbidden.remove();

    const gone = emulator.injectFault({ method: "GET", path: /\/sites\/app2$/, status: 404, times: 1 });
    expect(await caught(web.webApps.get(RG_WEB, "app2"))).toMatchObject({ statusCode: 404 });
    expect((await web.webApps.get(RG_WEB, "app2")).name).toBe("app2");
    expect(gone.hits).toBe(1);

    const noRetry = new WebSiteManagementClient(credential, SUB_A, armClientOptions(emulator, { retryOptions: { maxRetries: 0 } }));
    const broken = emulator.injectFault({ path: `/subscriptions/${SUB_A}/resourceGroups/${RG_WEB}/providers/Microsoft.Web/sites/app3`, status: 500 });
    expect(await caught(noRetry.webApps.get(RG_WEB, "app3"))).toMatchObject({ statusCode: 500, code: "InternalServerError" });
    broken.remove();

    // The SDK retries a 500 on its own (exponential policy) and gets through once the fault is used up.
    const fastRetry = new WebSiteManagementClient(credential, SUB_A, armClientOptions(emulator, { retryOptions: { retryDelayInMs: 10 } }));
    emulator.injectFault({ path: /\/sites\/app4$/, status: 500, times: 2 });
    expect((await fastRetry.webApps.get(RG_WEB, "app4")).name).toBe("app4");
  });

  it("SDK honours an injected 429's Retry-After and succeeds; without Retry-After it gives up at once", async () => {
    emulator.resetCounters();
    emulator.injectFault({ path: /\/sites\/app5$/, status: 429, retryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    expect((await web.webApps.get(RG_WEB, "app5")).name).toBe("app5");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emulator.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(emulator.throttledCount).toBe(1);

    emulator.resetCounters();
    const bare = emulator.injectFault({ path: /\/sites\/app5$/, status: 429 });
    const err = await caught(web.webApps.get(RG_WEB, "app5"));
    expect(err.statusCode).toBe(429);
    expect(emulator.requests).toHaveLength(1);
    bare.remove();
  });

  it("counts requests per subscription and per site, separately from token requests and failures", async () => {
    emulator.resetCounters();
    await web.webApps.listVnetConnections(RG_WEB, "app1");
    await web.webApps.getConfiguration(RG_WEB, "app1");
    await web.webApps.listApplicationSettingsSlot(RG_WEB, "app1", "staging");
    await collect(web.webApps.list());
    const missing = emulator.injectFault({ path: /\/sites\/app2$/, status: 404 });
    await caught(web.webApps.get(RG_WEB, "app2"));
    missing.remove();

    const app1 = b.resourceId(SUB_A, RG_WEB, "Microsoft.Web/sites", "app1").toLowerCase();
    expect(emulator.countBySite()).toEqual({ [app1]: 2, [`${app1}/slots/staging`]: 1 });
    expect(emulator.countBySite({ all: true })[b.resourceId(SUB_A, RG_WEB, "Microsoft.Web/sites", "app2").toLowerCase()]).toBe(1);
    expect(emulator.countBySubscription()).toEqual({ [SUB_A]: 6 });
    expect(emulator.total()).toBe(6);
    expect(emulator.total({ all: true })).toBe(7);
    expect(emulator.tokenRequestCount).toBe(0); // the credential's cached token was reused
  });

  it("reflects upsertResource, removeResource and setTenant", async () => {
    const extra = b.site({ subscriptionId: SUB_B, resourceGroup: "rg-b", name: "app-new", serverFarmId: b.resourceId(SUB_B, "rg-b", "Microsoft.Web/serverfarms", "plan-b") });
    const webB = new WebSiteManagementClient(credential, SUB_B, armClientOptions(emulator));
    emulator.upsertResource(extra);
    expect((await webB.webApps.get("rg-b", "APP-NEW")).name).toBe("app-new"); // IDs are case-insensitive
    expect(emulator.removeResource(extra.id.toUpperCase())).toBe(true);
    expect(await caught(webB.webApps.get("rg-b", "app-new"))).toMatchObject({ statusCode: 404 });

    const before = await sampleTenant();
    emulator.setTenant(b.tenant({ tenantId: before.tenantId, subscriptions: [b.subscription(SUB_B)], resources: [] }));
    expect(await collect(webB.webApps.list())).toEqual([]);
    expect(await caught(collect(web.webApps.list()))).toMatchObject({ statusCode: 404, code: "SubscriptionNotFound" });
    emulator.setTenant(before);
  });

  it("proves DefaultAzureCredential + NODE_EXTRA_CA_CERTS work end to end in a child process", async () => {
    const script = `
      import { DefaultAzureCredential } from "@azure/identity";
      import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
      import { WebSiteManagementClient } from "@azure/arm-appservice";
      const endpoint = process.env.AUDIT_ARM_ENDPOINT;
      const scopes = [endpoint + "/.default"];
      const credential = new DefaultAzureCredential();
      const subs = [];
      for await (const s of new SubscriptionClient(credential, { endpoint, credentialScopes: scopes }).subscriptions.list()) subs.push(s.subscriptionId);
      const sites = [];
      const web = new WebSiteManagementClient(credential, subs[0], { endpoint, credentials: { scopes } });
      for await (const s of web.webApps.list()) sites.push(s.name);
      console.log(JSON.stringify({ subs, sites, clientId: process.env.AZURE_CLIENT_ID ?? null }));
    `;
    emulator.resetCounters();
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--input-type=module", "-e", script],
        { cwd: new URL("../..", import.meta.url).pathname, env: { ...process.env, AZURE_CLIENT_ID: "should-be-removed", ...emulator.env() }, timeout: 30_000 },
        (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
      );
    });
    expect(JSON.parse(stdout)).toEqual({ subs: [SUB_A, SUB_B, SUB_C], sites: ["app1", "app2", "app3", "app4", "app5"], clientId: null });
    expect(emulator.tokenRequests.map((t) => t.resource)).toEqual([emulator.url]);
    expect(emulator.countBySubscription()[SUB_A]).toBe(3);
  }, 40_000);
});

describe("ARM emulator throttling and latency", () => {
  it("drains a per-subscription token bucket and answers 429 with Retry-After", async () => {
    const emulator = await startArmEmulator({ tenant: await sampleTenant(), ca, throttle: { capacity: 3, refillPerSecond: 1 } });
    const restore = emulator.applyEnv();
    try {
      const cred = new ManagedIdentityCredential();
      const auth = `Bearer ${(await cred.getToken(`${emulator.url}/.default`)).token}`;
      const path = (sub: string) => `/subscriptions/${sub}/providers/Microsoft.Web/sites?api-version=2025-05-01`;
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await rawRequest(emulator, path(SUB_A), { headers: { Authorization: auth } });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last!.headers["retry-after"]).toBe("1");
      expect(last!.body.error.code).toBe("SubscriptionRequestsThrottled");
      // Another subscription has its own bucket.
      expect((await rawRequest(emulator, path(SUB_B), { headers: { Authorization: auth } })).status).toBe(200);
      expect(emulator.throttledCount).toBe(1);
      expect(emulator.total()).toBe(4);

      // The SDK waits out Retry-After and every call succeeds.
      const web = new WebSiteManagementClient(cred, SUB_B, armClientOptions(emulator));
      for (let i = 0; i < 4; i++) expect((await web.webApps.get("rg-b", "app-b")).name).toBe("app-b");
      expect(emulator.throttledCount).toBeGreaterThan(1);
    } finally {
      restore();
      await emulator.close();
    }
  }, 20_000);

  it("adds latency before every ARM response", async () => {
    const emulator = await startArmEmulator({ tenant: await sampleTenant(), ca, latencyMs: 150 });
    try {
      const started = Date.now();
      const res = await rawRequest(emulator, `/subscriptions?api-version=2022-12-01`);
      expect(res.status).toBe(401);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await emulator.close();
    }
  });
});

describe("ARM emulator lifecycle", () => {
  it("keeps one identity endpoint per process, so MSAL's process-wide cache survives emulator restarts", async () => {
    const first = await startArmEmulator({ tenant: await sampleTenant(), ca });
    const restore = first.applyEnv();
    const cred = new ManagedIdentityCredential();
    try {
      const web1 = new WebSiteManagementClient(cred, SUB_A, armClientOptions(first));
      expect((await web1.webApps.get(RG_WEB, "app1")).name).toBe("app1");
      const endpoint = first.identityEndpoint;
      await first.close();

      // A second emulator (new port, new URL) while MSAL still has the old endpoint cached.
      const second = await startArmEmulator({ tenant: await sampleTenant(), ca });
      try {
        expect(second.identityEndpoint).toBe(endpoint);
        expect(second.url).not.toBe(first.url);
        const web2 = new WebSiteManagementClient(new ManagedIdentityCredential(), SUB_A, armClientOptions(second));
        expect((await web2.webApps.get(RG_WEB, "app2")).name).toBe("app2");
        expect(second.tokenRequests.map((t) => t.resource)).toEqual([second.url]);
      } finally {
        await second.close();
      }
    } finally {
      restore();
    }
  });

  it("exposes the env a child process needs and removes its temp files on close", async () => {
    const { existsSync } = await import("node:fs");
    const emulator = await startArmEmulator({ tenant: await sampleTenant(), ca });
    const env = emulator.env();
    expect(env).toMatchObject({
      AUDIT_ARM_ENDPOINT: emulator.url,
      IDENTITY_ENDPOINT: emulator.identityEndpoint,
      IDENTITY_HEADER: emulator.identityHeader,
      NODE_EXTRA_CA_CERTS: emulator.caCertPath,
    });
    expect("AZURE_CLIENT_ID" in env && env.AZURE_CLIENT_ID === undefined).toBe(true);
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(emulator.caCertPath)).toBe(true);
    await emulator.close();
    expect(existsSync(emulator.caCertPath)).toBe(false);
  });
});

describe("test CA helpers", () => {
  it("installTestCa publishes one CA per run (bundled with existing extra CAs) and tears down", async () => {
    const { existsSync, readFileSync } = await import("node:fs");
    const { installTestCa, testCaFromEnv, TEST_CA_CERT_ENV } = await import("../../emulator/ca.js");
    const existing = await createTestCa({ commonName: "corporate proxy" });
    const { writeTestCaFiles } = await import("../../emulator/ca.js");
    const existingFiles = await writeTestCaFiles(existing);
    const env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: existingFiles.certPath };
    const installed = await installTestCa(env);
    expect(testCaFromEnv(env)).toEqual(installed.ca);
    const bundle = readFileSync(env.NODE_EXTRA_CA_CERTS!, "utf8");
    expect(bundle).toContain(existing.certPem.trim());
    expect(bundle).toContain(installed.ca.certPem.trim());
    await installed.teardown();
    expect(env).toEqual({ NODE_EXTRA_CA_CERTS: existingFiles.certPath });
    expect(existsSync(installed.certPath)).toBe(false);
    expect(TEST_CA_CERT_ENV in env).toBe(false);
    const { rm } = await import("node:fs/promises");
    await rm(existingFiles.dir, { recursive: true, force: true });
  });
});

describe("tenant builder", () => {
  it("builds IDs like ARM template functions and parses them back", () => {
    const id = b.resourceId(SUB_A, RG_WEB, "Microsoft.Web/sites/slots", "app1", "staging");
    expect(id).toBe(`/subscriptions/${SUB_A}/resourceGroups/${RG_WEB}/providers/Microsoft.Web/sites/app1/slots/staging`);
    expect(b.parseResourceId(id)).toMatchObject({ subscriptionId: SUB_A, resourceGroup: RG_WEB, type: "Microsoft.Web/sites/slots", name: "staging", names: ["app1", "staging"], parentId: b.resourceId(SUB_A, RG_WEB, "Microsoft.Web/sites", "app1") });
    expect(b.subscriptionResourceId(SUB_A, "Microsoft.Web/certificates", "c")).toBe(`/subscriptions/${SUB_A}/providers/Microsoft.Web/certificates/c`);
    expect(() => b.resourceId(SUB_A, RG_WEB, "Microsoft.Web/sites/slots", "app1")).toThrow();
  });

  it("emits wire format: nested properties, delegations, slots named site/slot", () => {
    const net = b.vnet({ subscriptionId: SUB_A, resourceGroup: RG_NET, name: "v", addressPrefixes: ["10.0.0.0/16"], subnets: [{ name: "s", addressPrefixes: ["10.0.0.0/24"], delegations: ["Microsoft.Web/serverFarms"], ipConfigurationIds: ["/x/ipc"] }] });
    const subnet = (net.properties as any).subnets[0];
    expect(subnet.id).toBe(b.subnetId(net.id, "s"));
    expect(subnet.properties.delegations[0].properties.serviceName).toBe("Microsoft.Web/serverFarms");
    expect(subnet.properties.ipConfigurations).toEqual([{ id: "/x/ipc" }]);
    expect(subnet.properties.privateEndpoints).toBeUndefined();
    const app = b.site({ subscriptionId: SUB_A, resourceGroup: RG_WEB, name: "my-app", serverFarmId: "/p" });
    const s = b.slot(app, "blue");
    expect([s.name, s.type, (s.properties as any).defaultHostName]).toEqual(["my-app/blue", "Microsoft.Web/sites/slots", "my-app-blue.azurewebsites.net"]);
    expect(b.vnetConnection(s.id, { vnetResourceId: b.subnetId(net.id, "s") }).type).toBe("Microsoft.Web/sites/slots/virtualNetworkConnections");
  });

  it("makes real, cached point-to-site certificates with the requested expiry", async () => {
    const { X509Certificate } = await import("node:crypto");
    const notAfter = new Date("2027-05-01T12:00:00Z");
    const a = await b.p2sCertificate({ notAfter });
    const again = await b.p2sCertificate({ notAfter });
    expect(again.certBlob).toBe(a.certBlob);
    const parsed = new X509Certificate(Buffer.from(a.certBlob, "base64"));
    expect(new Date(parsed.validTo).toISOString()).toBe(notAfter.toISOString());
    expect(parsed.fingerprint.replaceAll(":", "")).toBe(a.certThumbprint);
  });
});

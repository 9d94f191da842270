/**
 * The sample tenant served in the shapes Microsoft publishes (azure-rest-api-specs examples and
 * swagger: web 2025-05-01, network 2025-05-01, monitor 2022-10-01), through the real CLI. First
 * the wire itself is checked (so the emulator can't drift back to friendlier payloads), then
 * the verdicts that used to break on those shapes, then what a full scan asked for.
 */
import https from "node:https";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanResult } from "../../src/engine/result.js";
import { buildSampleTenant, SUBSCRIPTIONS, type SampleTenant } from "../../emulator/sample/sample-tenant.js";
import { startArmEmulator, type ArmEmulator } from "../../emulator/index.js";
import { runCliProcess } from "../support/cli.js";

let emulator: ArmEmulator;
let sample: SampleTenant;
let result: ScanResult;
let token: string;

const key = (finding: { ruleId: string; resourceId: string; severity: string }) => `${finding.ruleId} ${finding.resourceId.toLowerCase()} ${finding.severity}`;
const idOf = (name: string) => sample.tenant.resources.find((resource) => resource.name === name)!.id;
const findingOn = (ruleId: string, resourceId: string) => result.findings.find((finding) => finding.ruleId === ruleId && finding.resourceId.toLowerCase() === resourceId.toLowerCase());

/** A raw GET against the emulator, as the SDKs see the wire before deserializing. */
function getRaw(path: string, apiVersion: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${emulator.url}${path}?api-version=${apiVersion}`);
    const request = https.get(url, { ca: emulator.caCertPem, headers: { Authorization: `Bearer ${token}` } }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => (response.statusCode === 200 ? resolve(JSON.parse(body) as Record<string, unknown>) : reject(new Error(`${response.statusCode}: ${body}`))));
    });
    request.on("error", reject);
  });
}

beforeAll(async () => {
  sample = await buildSampleTenant();
  emulator = await startArmEmulator({ tenant: sample.tenant });
  for (const fault of sample.faults) emulator.injectFault(fault);
  const restore = emulator.applyEnv();
  try {
    token = (await new ManagedIdentityCredential().getToken(`${emulator.url}/.default`))!.token;
  } finally {
    restore();
  }
  const scan = await runCliProcess(["scan", "--format", "json"], emulator.env());
  // Only the summary line every scan ends with.
  expect(scan.stderr).toMatch(/^vnet-audit: \d+ subscriptions: [^\n]*; report: stdout\n$/);
  result = JSON.parse(scan.stdout) as ScanResult;
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

describe("the emulator sends what Azure sends", () => {
  it("site lists carry siteConfig filled with defaults (vnetRouteAllEnabled false even where config/web says true) and nextLink: null", async () => {
    const body = await getRaw(`/subscriptions/${SUBSCRIPTIONS.prod}/providers/Microsoft.Web/sites`, "2025-05-01");
    expect(body.nextLink).toBeNull();
    const search = (body.value as Array<{ name: string; properties: { siteConfig?: { vnetRouteAllEnabled?: boolean } } }>).find((site) => site.name === "app-search-api");
    expect(search?.properties.siteConfig?.vnetRouteAllEnabled).toBe(false);
    const config = await getRaw(`${idOf("app-search-api")}/config/web`, "2025-05-01");
    expect((config.properties as { vnetRouteAllEnabled: boolean }).vnetRouteAllEnabled).toBe(true);
  });

  it("VNets always carry dhcpOptions, and delegated subnets in use a service association link", async () => {
    const data = await getRaw(`/subscriptions/${SUBSCRIPTIONS.data}/providers/Microsoft.Network/virtualNetworks`, "2025-05-01");
    const vnets = data.value as Array<{ name: string; properties: { dhcpOptions?: { dnsServers: string[] }; subnets: Array<{ name: string; properties: Record<string, unknown> }> } }>;
    expect(vnets.find((vnet) => vnet.name === "vnet-data-weu")?.properties.dhcpOptions).toEqual({ dnsServers: [] });
    const functions = vnets.find((vnet) => vnet.name === "vnet-data-weu")!.properties.subnets.find((subnet) => subnet.name === "snet-functions")!;
    expect(functions.properties.serviceAssociationLinks).toEqual([expect.objectContaining({ name: "AppServiceLink", properties: expect.objectContaining({ linkedResourceType: "Microsoft.Web/serverFarms" }) })]);
  });

  it("ExpressRoute and policy-based gateways send vpnClientConfiguration: null", async () => {
    for (const name of ["ergw-onprem", "vgw-s2s-policy"]) {
      const gateway = await getRaw(idOf(name), "2025-05-01");
      expect((gateway.properties as Record<string, unknown>).vpnClientConfiguration).toBeNull();
    }
  });

  it("autoscale settings carry string capacities, fixedDate and recurrence profiles, lower-cased IDs", async () => {
    const body = await getRaw(`/subscriptions/${SUBSCRIPTIONS.prod}/providers/Microsoft.Insights/autoscalesettings`, "2022-10-01");
    const setting = (body.value as Array<{ id: string; properties: { targetResourceUri: string; profiles: Array<Record<string, unknown>> } }>).find((item) => item.id.endsWith("autoscale-asp-web-prod"))!;
    expect(setting.id).toContain("/providers/microsoft.insights/autoscalesettings/");
    expect(setting.properties.targetResourceUri).toBe(setting.properties.targetResourceUri.toLowerCase());
    expect(setting.properties.profiles.map((profile) => (profile.capacity as { maximum: unknown }).maximum)).toEqual(["5", "10", "40"]);
    expect(setting.properties.profiles.map((profile) => Object.keys(profile).filter((k) => k === "fixedDate" || k === "recurrence"))).toEqual([[], ["recurrence"], ["fixedDate"]]);
  });

  it("certificates carry expirationDate with +00:00", async () => {
    const body = await getRaw(`/subscriptions/${SUBSCRIPTIONS.prod}/providers/Microsoft.Web/certificates`, "2025-05-01");
    for (const certificate of body.value as Array<{ properties: { expirationDate: string } }>) {
      expect(certificate.properties.expirationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    }
  });
});

describe("vnet-audit scan on the published shapes", () => {
  it("finds exactly the expected findings", () => {
    expect(result.findings.map(key).sort()).toEqual(sample.expected.map(key).sort());
  });

  it("does not count last year's fixedDate campaign nor a P1v3 plan's stale elastic maximum", () => {
    expect(findingOn("subnet-undersized", `${sample.ids.spokeVnet}/subnets/snet-apps`)).toBeUndefined();
    expect(findingOn("subnet-undersized", `${sample.ids.spokeVnet}/subnets/snet-mixed`)).toBeUndefined();
  });

  it("names the running fixedDate profile that set a plan's maximum", () => {
    const finding = findingOn("subnet-undersized", `${sample.ids.spokeVnet}/subnets/snet-policy`);
    expect(finding?.evidence).toMatchObject({ demand: 35, plans: [{ source: { kind: "autoscale", profile: "year-end upload window", maximum: 35 } }] });
  });

  it("counts an Elastic Premium plan's burst whatever its elasticScaleEnabled flag says", () => {
    const finding = findingOn("subnet-undersized", integrationSubnetId(SUBSCRIPTIONS.data, "rg-data-network", "vnet-data-weu", "snet-functions"));
    expect(finding?.evidence).toMatchObject({ plans: [{ source: { kind: "elasticMaximum", maximumElasticWorkerCount: 30 } }] });
  });

  it("treats dnsServers [\"168.63.129.16\"] as Azure DNS (finding), not beside a custom resolver (none)", () => {
    expect(findingOn("linux-private-dns-without-route-all", sample.ids.dnsFindingSite!)?.evidence).toMatchObject({ virtualNetworkDnsServers: ["168.63.129.16"] });
    expect(result.findings.filter((finding) => /app-(dashboards|notebooks)/.test(finding.resourceId))).toEqual([]);
  });

  it("never judges Route All from a list's siteConfig", () => {
    expect(result.findings.filter((finding) => finding.resourceId.toLowerCase() === idOf("app-search-api").toLowerCase())).toEqual([]);
  });

  it("says which point-to-site problem a gateway has", () => {
    expect(findingOn("gateway-p2s-misconfigured", sample.ids.radiusGatewaySite!)?.message).toBe(
      "Site app-classic-expenses uses gateway-required integration through VPN gateway vgw-branch-radius, which does not offer certificate authentication for point-to-site.",
    );
    expect(findingOn("gateway-p2s-misconfigured", sample.ids.policyBasedGatewaySite!)?.message).toBe(
      "Site app-classic-timesheets uses gateway-required integration through VPN gateway vgw-s2s-policy, which is not route-based and has no point-to-site configuration.",
    );
  });

  it("counts a private endpoint once, though its subnet lists its upper-cased NIC IP configuration too", () => {
    expect(findingOn("subnet-not-dedicated", `${sample.ids.spokeVnet}/subnets/snet-mixed`)?.message).toBe(
      "Integration subnet snet-mixed also holds 0 IP configuration(s), 1 private endpoint(s) and 0 other delegation(s).",
    );
  });

  it("finds the regional integration only the plan's VNet connection list shows, by reading that plan's sites", () => {
    const finding = findingOn("subnet-undersized", `${sample.ids.spokeVnet}/subnets/snet-legacy-regional`);
    expect(finding?.evidence).toMatchObject({ plans: [{ name: "asp-legacy-regional" }] });
    const prod = result.subscriptions.find((subscription) => subscription.subscriptionId === SUBSCRIPTIONS.prod)!;
    expect(prod.status).toBe("complete");
  });

  it("never asked a Linux plan or its sites for VNet connections", () => {
    const asked = emulator.requests.filter((request) => /virtualNetworkConnections$/i.test(request.path));
    expect(asked.length).toBeGreaterThan(0);
    const linuxPlan = idOf("asp-linux-classic").toLowerCase();
    expect(asked.filter((request) => request.path.toLowerCase().startsWith(linuxPlan) || request.path.toLowerCase().startsWith(sample.ids.linuxPlanSite!.toLowerCase()))).toEqual([]);
  });
});

function integrationSubnetId(subscriptionId: string, resourceGroup: string, vnet: string, subnet: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`;
}

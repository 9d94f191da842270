import { describe, expect, it } from "vitest";
import type { Site as SdkSite } from "@azure/arm-appservice";
import { CallLedger } from "../../src/collect/calls.js";
import { readConnectionCertificate } from "../../src/collect/certificate.js";
import { toAutoscaleSetting, toCertificate, toGateway, toPlan, toSite, toVirtualNetwork } from "../../src/collect/normalize.js";
import { inventorySchema } from "../../src/model/inventory-schema.js";
import { emptyInventory } from "../../src/model/inventory.js";
import { createSelfSignedCertificate } from "../../emulator/ca.js";

const SUB = "1a2b3c4d-0000-4000-8000-000000000002";
const siteId = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/app`;

describe("normalizing odd ARM payloads", () => {
  it("coerces values the SDK types promise but the wire doesn't deliver, and keeps the inventory valid", () => {
    const odd = {
      id: siteId,
      name: "app",
      httpsOnly: null,
      dnsConfiguration: { dnsServers: "10.0.0.4" },
      hostNameSslStates: { name: "app.azurewebsites.net" },
      outboundVnetRouting: { allTraffic: "true", applicationTraffic: null },
    } as unknown as SdkSite;
    const site = toSite(odd, SUB)!;
    expect(site).toMatchObject({ dnsServers: [], hostNameSslStates: [], outboundVnetRouting: { allTraffic: undefined, applicationTraffic: undefined } });
    expect(site.httpsOnly).toBeUndefined();

    const plan = toPlan({ id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/serverfarms/p`, sku: { capacity: null }, maximumElasticWorkerCount: null } as never, SUB)!;
    const vnet = toVirtualNetwork({ id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v`, subnets: [{ id: "s", addressPrefix: null, delegations: [null] }] } as never, SUB)!;
    const inventory = { ...emptyInventory("2026-11-22T00:00:00Z"), sites: [site], plans: [plan], virtualNetworks: [vnet] };
    expect(inventorySchema.safeParse(JSON.parse(JSON.stringify(inventory))).success).toBe(true);
  });

  it("records an item it can't read as an error on that resource and keeps the others", () => {
    const ledger = new CallLedger();
    const items = [{ id: "/a", ok: true }, { id: "/b", ok: false }, { id: "/c", ok: true }];
    const read = ledger.normalizeEach("webApps.list", items, (item) => {
      if (!item.ok) throw new TypeError("x.filter is not a function");
      return item.id;
    });
    expect(read).toEqual(["/a", "/c"]);
    expect(ledger.errors).toEqual([{ operation: "webApps.list", resourceId: "/b", code: "UnreadablePayload", message: "the response could not be read: x.filter is not a function" }]);
    expect(ledger.status()).toBe("failed");
  });
});

describe("reading a gateway certificate blob", () => {
  it("reads base64 DER, base64 of PEM and PEM text alike", async () => {
    const certificate = await createSelfSignedCertificate({ notAfter: new Date("2027-06-01T00:00:00Z") });
    const fromDer = readConnectionCertificate(certificate.derBase64);
    expect(fromDer.notAfter).toBe("2027-06-01T00:00:00.000Z");
    expect(fromDer.thumbprint).toBe(certificate.thumbprint);
    expect(readConnectionCertificate(Buffer.from(certificate.pem).toString("base64"))).toEqual(fromDer);
    expect(readConnectionCertificate(certificate.pem)).toEqual(fromDer);
  });

  it.each([
    [undefined, "the connection has no certificate blob"],
    ["", "the connection has no certificate blob"],
    [42, "the connection has no certificate blob"],
    ["bm90IGEgY2VydGlmaWNhdGU=", "the certificate blob is not a readable X.509 certificate"],
    ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "the certificate blob is not a readable X.509 certificate"],
    ["%%% not base64 %%%", "the certificate blob is not a readable X.509 certificate"],
  ])("turns %j into a coverage note, never a throw", (blob, reason) => {
    expect(readConnectionCertificate(blob)).toEqual({ unreadable: reason });
  });
});

/**
 * Payloads in the shapes Microsoft publishes (azure-rest-api-specs examples), as the SDKs hand
 * them over: network 2025-05-01 gateways, monitor 2022-10-01 autoscale settings, web 2025-05-01
 * plans and certificates.
 */
describe("normalizing payloads in the shapes Azure publishes", () => {
  const gatewayId = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/gw`;
  const vnetId = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v`;

  it("reads vpnClientConfiguration: null (ExpressRoute, policy-based) as no point-to-site configuration", () => {
    const gateway = toGateway({ id: gatewayId, gatewayType: "ExpressRoute", vpnType: "PolicyBased", vpnClientConfiguration: null } as never, vnetId, SUB)!;
    expect(gateway).not.toHaveProperty("vpnClientConfiguration");
  });

  it("keeps a configuration without an address pool, with its protocols and implied authentication", () => {
    const gateway = toGateway(
      { id: gatewayId, vpnClientConfiguration: { vpnClientProtocols: ["OpenVPN"], radiusServerAddress: "10.0.0.10", vpnClientRootCertificates: [] } } as never,
      vnetId,
      SUB,
    )!;
    expect(gateway.vpnClientConfiguration).toEqual({ addressPrefixes: [], protocols: ["OpenVPN"], authenticationTypes: ["Radius"] });
  });

  it("takes vpnAuthenticationTypes as listed, else certificate authentication from root certificates", () => {
    const listed = toGateway({ id: gatewayId, vpnClientConfiguration: { vpnClientAddressPool: { addressPrefixes: ["172.16.0.0/24"] }, vpnAuthenticationTypes: ["AAD"], aadTenant: "https://login.microsoftonline.com/t" } } as never, vnetId, SUB)!;
    expect(listed.vpnClientConfiguration?.authenticationTypes).toEqual(["AAD"]);
    const implied = toGateway({ id: gatewayId, vpnClientConfiguration: { vpnClientAddressPool: { addressPrefixes: ["172.16.0.0/24"] }, vpnClientRootCertificates: [{ name: "root", publicCertData: "MIIC" }] } } as never, vnetId, SUB)!;
    expect(implied.vpnClientConfiguration?.authenticationTypes).toEqual(["Certificate"]);
  });

  it("keeps each autoscale profile's string maximum and fixedDate window (the 2015 example profile and a recurrence one)", () => {
    const setting = toAutoscaleSetting(
      {
        id: `/subscriptions/${SUB}/resourceGroups/rg/providers/microsoft.insights/autoscalesettings/MySetting`,
        targetResourceUri: `/subscriptions/${SUB}/resourcegroups/rg/providers/microsoft.web/serverfarms/asp`,
        enabled: true,
        profiles: [
          { name: "adios", capacity: { minimum: "1", maximum: "10", default: "1" }, rules: [], fixedDate: { timeZone: "UTC", start: new Date("2015-03-05T14:00:00Z"), end: new Date("2015-03-05T14:30:00Z") } },
          { name: "saludos", capacity: { minimum: "1", maximum: "12", default: "1" }, rules: [], recurrence: { frequency: "Week", schedule: { timeZone: "UTC", days: ["1"], hours: [5], minutes: [15] } } },
        ],
      } as never,
      SUB,
    )!;
    expect(setting.profiles).toEqual([
      { name: "adios", maximum: 10, fixedDate: { start: "2015-03-05T14:00:00.000Z", end: "2015-03-05T14:30:00.000Z", timeZone: "UTC" } },
      { name: "saludos", maximum: 12 },
    ]);
  });

  // ListWebApps (web 2025-05-01) carries a siteConfig of defaults in every list item: its
  // vnetRouteAllEnabled is not the site's setting and is never read from there.
  it("ignores the default siteConfig a site list carries", () => {
    const listed = { id: siteId, name: "app", siteConfig: { vnetRouteAllEnabled: true, vnetName: "" } } as unknown as SdkSite;
    const site = toSite(listed, SUB)!;
    expect(site.vnetRouteAllEnabled).toBeUndefined();
    expect(site.reads.config).toBe("notNeeded");
  });

  it("keeps a plan's elasticScaleEnabled flag", () => {
    const plan = toPlan({ id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/serverfarms/p`, sku: { name: "P1v3", tier: "PremiumV3", capacity: 3 }, elasticScaleEnabled: false, maximumElasticWorkerCount: 1 } as never, SUB)!;
    expect(plan).toMatchObject({ elasticScaleEnabled: false, maximumElasticWorkerCount: 1 });
  });

  it("reads a certificate expirationDate written with +00:00 (ListCertificates example)", () => {
    const certificate = toCertificate({ id: `/subscriptions/${SUB}/resourceGroups/testrg123/providers/Microsoft.Web/certificates/testc6282`, expirationDate: "2039-12-31T23:59:59+00:00" } as never, SUB)!;
    expect(certificate.expirationDate).toBe("2039-12-31T23:59:59.000Z");
  });

  it("reads dhcpOptions: { dnsServers: [] } as no custom DNS", () => {
    const vnet = toVirtualNetwork({ id: vnetId, dhcpOptions: { dnsServers: [] }, subnets: [] } as never, SUB)!;
    expect(vnet.dnsServers).toEqual([]);
  });

  it("an inventory saved before authenticationTypes existed still loads", () => {
    const inventory = {
      ...emptyInventory("2026-11-22T00:00:00Z"),
      gateways: [{ id: gatewayId, name: "gw", subscriptionId: SUB, virtualNetworkId: vnetId, vpnClientConfiguration: { addressPrefixes: ["172.16.0.0/24"], protocols: ["SSTP"] } }],
    };
    const parsed = inventorySchema.parse(inventory);
    expect(parsed.gateways[0]?.vpnClientConfiguration?.authenticationTypes).toEqual([]);
  });
});

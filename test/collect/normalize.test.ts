import { describe, expect, it } from "vitest";
import type { Site as SdkSite } from "@azure/arm-appservice";
import { CallLedger } from "../../src/collect/calls.js";
import { readConnectionCertificate } from "../../src/collect/certificate.js";
import { toPlan, toSite, toVirtualNetwork } from "../../src/collect/normalize.js";
import { inventorySchema } from "../../src/model/inventory-schema.js";
import { emptyInventory } from "../../src/model/inventory.js";
import { createSelfSignedCertificate } from "../support/test-ca.js";

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

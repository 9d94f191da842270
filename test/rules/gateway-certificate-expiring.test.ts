import { describe, expect, it } from "vitest";
import { gatewayCertificateExpiring as rule } from "../../src/rules/gateway-certificate-expiring.js";
import { daysAfterNow, hits, legacyTenant, makeSlot, run } from "./fixtures.js";

/** A legacy tenant whose connection certificate has this NotAfter. */
function expiringAt(notAfter: string) {
  const tenant = legacyTenant();
  tenant.site.vnetConnections![0]!.certificate.notAfter = notAfter;
  return tenant;
}

describe("gateway-certificate-expiring", () => {
  it("does not fire on a certificate years from expiry", () => {
    expect(run(rule, legacyTenant().inventory)).toEqual([]);
  });

  it("does not fire at 184 days left", () => {
    expect(run(rule, expiringAt(daysAfterNow(184)).inventory)).toEqual([]);
  });

  it("fires high at 183 days left (six months)", () => {
    const tenant = expiringAt(daysAfterNow(183));
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.site.id, "high"]]);
    expect(results[0]?.evidence.connections).toMatchObject([
      { daysLeft: 183, certificateThumbprint: "AB12CD34", virtualNetwork: { id: tenant.vnet.id }, gateway: { id: tenant.gateway.id }, plan: { id: tenant.plan.id } },
    ]);
  });

  it("fires high on the last moment before expiry", () => {
    expect(run(rule, expiringAt(daysAfterNow(0, 1)).inventory)[0]?.severity).toBe("high");
  });

  it("fires critical once expired", () => {
    const [result] = run(rule, expiringAt(daysAfterNow(0, -1)).inventory);
    expect(result?.severity).toBe("critical");
    expect(result?.message).toContain("expired on");
  });

  it("emits nothing for an unreadable or missing certificate blob (a coverage note on gateway-integration-legacy)", () => {
    const tenant = legacyTenant();
    tenant.site.vnetConnections![0]!.certificate = { unreadable: "the certificate blob is not a readable X.509 certificate" };
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("names a slot by its own ID", () => {
    const tenant = expiringAt(daysAfterNow(10));
    const slot = makeSlot(tenant.site, "staging");
    tenant.inventory.sites.push(slot);
    expect(hits(run(rule, tenant.inventory))).toEqual([
      [tenant.site.id, "high"],
      [slot.id, "high"],
    ]);
  });
});

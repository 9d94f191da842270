import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SETTINGS } from "../../src/rules/rule.js";
import { certificateExpiring as rule } from "../../src/rules/certificate-expiring.js";
import { readableTime } from "../../src/util/time.js";
import { NOW, daysAfterNow, healthyTenant, hits, ids, makeCertificate, makeInventory, makeSite, run } from "./fixtures.js";

const severityAt = (daysLeft: number, extraMs = 0, settings = DEFAULT_RULE_SETTINGS) => {
  const certificate = makeCertificate("cert", daysLeft, { expirationDate: daysAfterNow(daysLeft, extraMs) });
  return run(rule, makeInventory({ certificates: [certificate] }), NOW, settings)[0]?.severity;
};

describe("certificate-expiring", () => {
  it("does not fire on a certificate a year from expiry", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  it("does not fire at 31 days left", () => {
    expect(severityAt(31)).toBeUndefined();
  });

  it("fires medium at 30 days left, and at 15", () => {
    expect(severityAt(30)).toBe("medium");
    expect(severityAt(30, 86_399_999)).toBe("medium");
    expect(severityAt(15)).toBe("medium");
  });

  it("fires high at 14 days left, down to the last moment", () => {
    expect(severityAt(14)).toBe("high");
    expect(severityAt(0, 1)).toBe("high");
  });

  it("fires critical once expired", () => {
    expect(severityAt(0, -1)).toBe("critical");
    expect(severityAt(-400)).toBe("critical");
  });

  it("uses the thresholds from context.settings", () => {
    const settings = { certificateExpiry: { highWithinDays: 7, mediumWithinDays: 60 } };
    expect(severityAt(61, 0, settings)).toBeUndefined();
    expect(severityAt(60, 0, settings)).toBe("medium");
    expect(severityAt(8, 0, settings)).toBe("medium");
    expect(severityAt(7, 0, settings)).toBe("high");
  });

  it("names the thumbprint, host names and the sites and slots binding it, matched case-insensitively", () => {
    const tenant = healthyTenant();
    tenant.certificate.expirationDate = daysAfterNow(10);
    tenant.slot.hostNameSslStates = [{ name: "staging.contoso.com", sslState: "SniEnabled", thumbprint: tenant.certificate.thumbprint!.toLowerCase() }];
    tenant.inventory.sites.push(makeSite("unrelated", { hostNameSslStates: [{ name: "x.contoso.com", thumbprint: "FFFF" }] }));
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.certificate.id, "high"]]);
    expect(results[0]?.message).toBe(`Certificate web expires on ${readableTime(daysAfterNow(10))} (in 10 days) and is bound by 2 site(s).`);
    expect(results[0]?.message).not.toMatch(/T\d{2}:\d{2}:\d{2}\.\d{3}Z/);
    expect(results[0]?.evidence).toEqual({
      thumbprint: tenant.certificate.thumbprint,
      expirationDate: daysAfterNow(10),
      daysLeft: 10,
      hostNames: ["web.contoso.com"],
      subjectName: null,
      boundSiteIds: [tenant.site.id, tenant.slot.id],
      thresholds: { highWithinDays: 14, mediumWithinDays: 30 },
    });
  });

  it("judges certificates of sites in an App Service Environment too", () => {
    const certificate = makeCertificate("ase-cert", 3);
    const site = makeSite("in-ase", { hostingEnvironmentId: ids.ase("ase"), hostNameSslStates: [{ name: "a", thumbprint: certificate.thumbprint! }] });
    expect(run(rule, makeInventory({ certificates: [certificate], sites: [site] }))[0]?.evidence.boundSiteIds).toEqual([site.id]);
  });

  it("does not fire on a certificate without an expiration date", () => {
    const certificate = makeCertificate("cert", 1);
    delete certificate.expirationDate;
    expect(run(rule, makeInventory({ certificates: [certificate] }))).toEqual([]);
  });
});

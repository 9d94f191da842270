import { describe, expect, it } from "vitest";
import { httpsOnlyDisabled as rule } from "../../src/rules/https-only-disabled.js";
import { healthyTenant, hits, ids, makeInventory, makeSite, run } from "./fixtures.js";

describe("https-only-disabled", () => {
  it("does not fire on sites with httpsOnly true", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  it("fires medium when httpsOnly is false", () => {
    const site = makeSite("plain", { httpsOnly: false });
    const results = run(rule, makeInventory({ sites: [site] }));
    expect(hits(results)).toEqual([[site.id, "medium"]]);
    expect(results[0]?.message).toBe("Site plain has httpsOnly set to false, so it answers plain HTTP requests.");
    expect(results[0]?.evidence).toEqual({ httpsOnly: false });
  });

  it("fires medium when httpsOnly is absent", () => {
    const site = makeSite("plain");
    delete site.httpsOnly;
    expect(run(rule, makeInventory({ sites: [site] }))[0]?.evidence).toEqual({ httpsOnly: null });
  });

  it("names a slot by its own ID", () => {
    const tenant = healthyTenant();
    tenant.slot.httpsOnly = false;
    expect(hits(run(rule, tenant.inventory))).toEqual([[tenant.slot.id, "medium"]]);
  });

  it("judges sites in an App Service Environment and on Container Apps too, in resource ID order", () => {
    const ase = makeSite("b-in-ase", { httpsOnly: false, hostingEnvironmentId: ids.ase("ase") });
    const aca = makeSite("a-on-aca", { httpsOnly: false, managedEnvironmentId: ids.managedEnvironment("env") });
    expect(hits(run(rule, makeInventory({ sites: [ase, aca] }))).map(([id]) => id)).toEqual([aca.id, ase.id]);
  });
});

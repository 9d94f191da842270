import { describe, expect, it } from "vitest";
import { gatewayIntegrationLegacy as rule } from "../../src/rules/gateway-integration-legacy.js";
import { healthyTenant, hits, ids, legacyTenant, makeSlot, run } from "./fixtures.js";

const at = (iso: string) => new Date(iso);

describe("gateway-integration-legacy", () => {
  it("does not fire on regional integration", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  it("fires medium on a gateway-required connection long before retirement", () => {
    const tenant = legacyTenant();
    expect(hits(run(rule, tenant.inventory, at("2026-06-01T00:00:00Z")))).toEqual([[tenant.site.id, "medium"]]);
  });

  it("fires medium on 2026-10-01, the day before the 180-day mark, even at its last second", () => {
    const [result] = run(rule, legacyTenant().inventory, at("2026-10-01T23:59:59Z"));
    expect(result?.severity).toBe("medium");
    expect(result?.evidence.daysUntilRetirement).toBe(181);
  });

  it("fires high on 2026-10-02, 180 days before 2027-03-31", () => {
    const [result] = run(rule, legacyTenant().inventory, at("2026-10-02T00:00:00Z"));
    expect(result?.severity).toBe("high");
    expect(result?.evidence.daysUntilRetirement).toBe(180);
  });

  it("fires high on 2027-03-30, the last day before retirement", () => {
    expect(run(rule, legacyTenant().inventory, at("2027-03-30T23:59:59Z"))[0]?.severity).toBe("high");
  });

  it("fires critical on the retirement date 2027-03-31 and after", () => {
    expect(run(rule, legacyTenant().inventory, at("2027-03-31T00:00:00Z"))[0]?.severity).toBe("critical");
    const [after] = run(rule, legacyTenant().inventory, at("2027-09-01T00:00:00Z"));
    expect(after?.severity).toBe("critical");
    expect(after?.message).toContain("was retired on 2027-03-31");
  });

  it("says to migrate and names the retirement date, the VNet, the gateway and the plan", () => {
    const tenant = legacyTenant();
    const [result] = run(rule, tenant.inventory);
    expect(result?.message).toBe(
      "Site legacy uses gateway-required VNet integration to vnet-legacy, which retires on 2027-03-31 (in 303 days): migrate it to regional VNet integration.",
    );
    expect(result?.evidence).toEqual({
      retirementDate: "2027-03-31",
      daysUntilRetirement: 303,
      connections: [
        {
          connection: "vnet-legacy",
          virtualNetwork: { id: tenant.vnet.id, name: "vnet-legacy" },
          gateway: { id: tenant.gateway.id, name: "vgw-legacy", sku: "VpnGw1" },
          plan: { id: tenant.plan.id, name: "plan-windows" },
          certificateUnreadable: null,
        },
      ],
    });
  });

  it("notes an unreadable gateway certificate as coverage, and still fires", () => {
    const tenant = legacyTenant();
    tenant.site.vnetConnections![0]!.certificate = { unreadable: "the connection has no certificate blob" };
    expect(run(rule, tenant.inventory)[0]?.evidence.connections).toMatchObject([{ certificateUnreadable: "the connection has no certificate blob" }]);
  });

  it("names a slot by its own ID", () => {
    const tenant = legacyTenant();
    const slot = makeSlot(tenant.site, "staging");
    tenant.inventory.sites.push(slot);
    expect(hits(run(rule, tenant.inventory)).map(([id]) => id)).toEqual([tenant.site.id, slot.id]);
  });

  it("says what it knows when the VNet, gateway and plan are not in the inventory", () => {
    const tenant = legacyTenant();
    tenant.inventory.virtualNetworks = [];
    tenant.inventory.gateways = [];
    tenant.inventory.plans = [];
    expect(run(rule, tenant.inventory)[0]?.evidence.connections).toMatchObject([
      { virtualNetwork: { id: tenant.vnet.id, inInventory: false }, gateway: null, plan: { id: tenant.plan.id, inInventory: false } },
    ]);
  });

  it("does not judge sites in an App Service Environment", () => {
    const tenant = legacyTenant();
    tenant.site.hostingEnvironmentId = ids.ase("ase");
    expect(run(rule, tenant.inventory)).toEqual([]);
  });
});

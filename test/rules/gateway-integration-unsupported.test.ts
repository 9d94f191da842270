import { describe, expect, it } from "vitest";
import { gatewayIntegrationUnsupported as rule } from "../../src/rules/gateway-integration-unsupported.js";
import { healthyTenant, hits, legacyTenant, makeExpressRouteGateway, run } from "./fixtures.js";

describe("gateway-integration-unsupported", () => {
  it("does not fire on a Windows code site whose VNet has only a VPN gateway", () => {
    expect(run(rule, legacyTenant().inventory)).toEqual([]);
  });

  it("does not fire on a Linux site with regional integration", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  it("fires high on gateway-required integration from a Linux site", () => {
    const tenant = legacyTenant();
    tenant.site.kind = "app,linux";
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.site.id, "high"]]);
    expect(results[0]?.evidence.reasons).toEqual(["linux-site"]);
  });

  it("fires high on a site whose plan is Linux (reserved)", () => {
    const tenant = legacyTenant();
    tenant.plan.reserved = true;
    expect(run(rule, tenant.inventory)[0]?.evidence.reasons).toEqual(["linux-site"]);
  });

  it("fires high on gateway-required integration from a Windows container site", () => {
    const tenant = legacyTenant();
    tenant.site.hyperV = true;
    expect(run(rule, tenant.inventory)[0]?.message).toContain("because it is a Windows container site");
  });

  it("fires high when the VNet has an ExpressRoute gateway", () => {
    const tenant = legacyTenant();
    tenant.inventory.gateways = [makeExpressRouteGateway(tenant.vnet, "ergw")];
    const [result] = run(rule, tenant.inventory);
    expect(result?.evidence).toMatchObject({ reasons: ["expressroute-gateway"], expressRouteGatewayIds: [tenant.inventory.gateways[0]!.id] });
    expect(result?.evidence.connections).toMatchObject([{ gateway: null }]);
  });

  it("fires high on a coexistence VNet with both a VPN and an ExpressRoute gateway", () => {
    const tenant = legacyTenant();
    tenant.inventory.gateways.push(makeExpressRouteGateway(tenant.vnet, "ergw"));
    const [result] = run(rule, tenant.inventory);
    expect(result?.severity).toBe("high");
    expect(result?.evidence.connections).toMatchObject([{ gateway: { id: tenant.gateway.id } }]);
  });
});

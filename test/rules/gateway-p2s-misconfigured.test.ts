import { describe, expect, it } from "vitest";
import { gatewayP2sMisconfigured as rule } from "../../src/rules/gateway-p2s-misconfigured.js";
import { hits, legacyTenant, run } from "./fixtures.js";

/** A legacy tenant whose VPN gateway is changed by `change`. */
function withGateway(change: (gateway: ReturnType<typeof legacyTenant>["gateway"]) => void) {
  const tenant = legacyTenant();
  change(tenant.gateway);
  return tenant;
}

const problemsOf = (tenant: ReturnType<typeof legacyTenant>) => run(rule, tenant.inventory)[0]?.evidence.connections;

describe("gateway-p2s-misconfigured", () => {
  it("does not fire on a route-based VpnGw1 with SSTP only and an RFC 1918 pool", () => {
    expect(run(rule, legacyTenant().inventory)).toEqual([]);
  });

  it("fires high on the site when the gateway is policy-based", () => {
    const tenant = withGateway((gateway) => (gateway.vpnType = "PolicyBased"));
    expect(hits(run(rule, tenant.inventory))).toEqual([[tenant.site.id, "high"]]);
    expect(problemsOf(tenant)).toMatchObject([{ problems: ["not-route-based"], gateway: { id: tenant.gateway.id }, plan: { id: tenant.plan.id } }]);
  });

  it("fires high when the gateway has no point-to-site configuration", () => {
    const tenant = withGateway((gateway) => delete gateway.vpnClientConfiguration);
    expect(problemsOf(tenant)).toMatchObject([{ problems: ["no-point-to-site"] }]);
  });

  it("fires high with both problems on a policy-based gateway whose vpnClientConfiguration is null (absent here)", () => {
    const tenant = withGateway((gateway) => {
      gateway.vpnType = "PolicyBased";
      delete gateway.vpnClientConfiguration;
    });
    expect(problemsOf(tenant)).toMatchObject([{ problems: ["not-route-based", "no-point-to-site"], pointToSite: null }]);
  });

  it("fires high on a configuration without an address pool, and doesn't call it 'no point-to-site configuration'", () => {
    const tenant = withGateway((gateway) => (gateway.vpnClientConfiguration!.addressPrefixes = []));
    expect(problemsOf(tenant)).toMatchObject([{ problems: ["no-address-pool"] }]);
    const message = run(rule, tenant.inventory)[0]?.message;
    expect(message).toBe(
      "Site legacy uses gateway-required integration through VPN gateway vgw-legacy, which has a point-to-site configuration without an address pool.",
    );
    expect(message).not.toContain("no point-to-site configuration");
  });

  it("fires high on an OpenVPN-only configuration (App Service connects with SSTP)", () => {
    const tenant = withGateway((gateway) => (gateway.vpnClientConfiguration!.protocols = ["OpenVPN"]));
    expect(problemsOf(tenant)).toMatchObject([{ problems: ["sstp-not-enabled"] }]);
  });

  it.each([[["Radius"]], [["AAD"]], [["Radius", "AAD"]]])("fires high when point-to-site authenticates only with %j, not certificates", (types) => {
    const tenant = withGateway((gateway) => (gateway.vpnClientConfiguration!.authenticationTypes = types));
    expect(problemsOf(tenant)).toMatchObject([{ problems: ["no-certificate-authentication"] }]);
    expect(run(rule, tenant.inventory)[0]?.message).toContain("does not offer certificate authentication for point-to-site");
  });

  it("does not fire when certificate authentication is offered beside RADIUS", () => {
    const tenant = withGateway((gateway) => (gateway.vpnClientConfiguration!.authenticationTypes = ["Radius", "Certificate"]));
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("does not judge an unknown authentication list", () => {
    const tenant = withGateway((gateway) => (gateway.vpnClientConfiguration!.authenticationTypes = []));
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("fires high when a non-Basic gateway offers IKEv2 alongside SSTP", () => {
    const tenant = withGateway((gateway) => (gateway.vpnClientConfiguration!.protocols = ["IkeV2", "SSTP"]));
    expect(problemsOf(tenant)).toMatchObject([{ problems: ["ikev2-enabled"] }]);
  });

  it("fires high when a non-Basic gateway offers IKEv2 without SSTP", () => {
    const tenant = withGateway((gateway) => (gateway.vpnClientConfiguration!.protocols = ["IkeV2"]));
    expect(problemsOf(tenant)).toMatchObject([{ problems: ["ikev2-enabled", "sstp-not-enabled"] }]);
    expect(run(rule, tenant.inventory)[0]?.message).toBe(
      "Site legacy uses gateway-required integration through VPN gateway vgw-legacy, which offers IKEv2 on a non-Basic SKU and does not offer SSTP.",
    );
  });

  it("does not fire when a Basic gateway lists IKEv2 with SSTP (the IKEv2 rule is for non-Basic SKUs)", () => {
    const tenant = withGateway((gateway) => {
      gateway.sku = "Basic";
      gateway.vpnClientConfiguration!.protocols = ["IkeV2", "SSTP"];
    });
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("fires high when any gateway offers no SSTP", () => {
    const tenant = withGateway((gateway) => {
      gateway.sku = "Basic";
      gateway.vpnClientConfiguration!.protocols = ["OpenVPN"];
    });
    expect(problemsOf(tenant)).toMatchObject([{ problems: ["sstp-not-enabled"] }]);
  });

  it.each(["100.64.0.0/24", "172.32.0.0/24", "192.169.1.0/24", "172.0.0.0/8"])("fires high on a point-to-site pool %s outside RFC 1918", (prefix) => {
    const tenant = withGateway((gateway) => (gateway.vpnClientConfiguration!.addressPrefixes = ["10.0.0.0/24", prefix]));
    expect(problemsOf(tenant)).toMatchObject([{ problems: ["address-pool-outside-rfc1918"], addressPrefixesOutsideRfc1918: [prefix] }]);
  });

  it.each(["10.255.0.0/16", "172.31.0.0/24", "192.168.200.0/24"])("does not fire on a point-to-site pool %s inside RFC 1918", (prefix) => {
    const tenant = withGateway((gateway) => (gateway.vpnClientConfiguration!.addressPrefixes = [prefix]));
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("does not judge values it doesn't know: no vpnType, no SKU, no protocol list", () => {
    const tenant = withGateway((gateway) => {
      delete gateway.vpnType;
      delete gateway.sku;
      gateway.vpnClientConfiguration!.protocols = [];
    });
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("does not fire when the VNet's gateway is not in the inventory", () => {
    const tenant = legacyTenant();
    tenant.inventory.gateways = [];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });
});

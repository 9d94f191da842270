import { describe, expect, it } from "vitest";
import { integrationVnetIpv6 as rule } from "../../src/rules/integration-vnet-ipv6.js";
import { healthyTenant, hits, integrate, makeSite, makeSubnet, makeVnet, run } from "./fixtures.js";

describe("integration-vnet-ipv6", () => {
  it("does not fire on an IPv4-only integration VNet", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  it("fires medium on a dual-stack integration VNet, once however many integration subnets it has", () => {
    const tenant = healthyTenant();
    tenant.vnet.addressPrefixes = ["10.1.0.0/16", "fd00:db8::/48"];
    const second = makeSubnet(tenant.vnet.id, "snet-integration-2", ["10.1.2.0/26"]);
    tenant.vnet.subnets.push(second);
    tenant.inventory.sites.push(integrate(makeSite("other", { serverFarmId: tenant.plan.id }), second));
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.vnet.id, "medium"]]);
    expect(results[0]?.evidence).toEqual({
      ipv6AddressPrefixes: ["fd00:db8::/48"],
      addressPrefixes: ["10.1.0.0/16", "fd00:db8::/48"],
      integrationSubnetIds: [tenant.subnet.id, second.id],
    });
  });

  it("does not fire on a dual-stack VNet that nothing integrates into", () => {
    const tenant = healthyTenant();
    tenant.inventory.virtualNetworks.push(makeVnet("vnet-dual", { addressPrefixes: ["10.9.0.0/16", "fd00::/48"] }));
    expect(run(rule, tenant.inventory)).toEqual([]);
  });
});

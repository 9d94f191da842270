import { describe, expect, it } from "vitest";
import { gatewayResyncRequired as rule } from "../../src/rules/gateway-resync-required.js";
import { hits, legacyTenant, makeSlot, makeSwiftConnection, run } from "./fixtures.js";

describe("gateway-resync-required", () => {
  it("does not fire when no connection needs a resync", () => {
    expect(run(rule, legacyTenant().inventory)).toEqual([]);
  });

  it("fires medium on the site when its gateway-required connection has resyncRequired", () => {
    const tenant = legacyTenant();
    tenant.site.vnetConnections![0]!.resyncRequired = true;
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.site.id, "medium"]]);
    expect(results[0]?.message).toBe("Site legacy has 1 gateway-required VNet connection(s) that need Sync Network (vnet-legacy).");
    expect(results[0]?.evidence.connections).toMatchObject([{ virtualNetwork: { id: tenant.vnet.id }, gateway: { id: tenant.gateway.id }, plan: { id: tenant.plan.id } }]);
  });

  it("names a slot by its own ID", () => {
    const tenant = legacyTenant();
    const slot = makeSlot(tenant.site, "staging");
    slot.vnetConnections![0]!.resyncRequired = true;
    tenant.inventory.sites.push(slot);
    expect(hits(run(rule, tenant.inventory))).toEqual([[slot.id, "medium"]]);
  });

  it("ignores resyncRequired on a regional (swift) connection, which Sync Network does not apply to", () => {
    const tenant = legacyTenant();
    const swift = makeSwiftConnection(`${tenant.vnet.id}/subnets/snet-apps`);
    swift.resyncRequired = true;
    tenant.site.vnetConnections!.push(swift);
    expect(run(rule, tenant.inventory)).toEqual([]);
  });
});

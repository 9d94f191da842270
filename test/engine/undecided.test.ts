import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import type { Inventory } from "../../src/model/inventory.js";
import { findingId } from "../../src/model/finding.js";
import { NOW, healthyTenant, makeGatewayConnection } from "../rules/fixtures.js";

/** The finding IDs the engine could not decide (unknown verdicts), as the cycle reads them. */
const undecidedFindingIds = (inventory: Inventory) => evaluate(inventory, { now: NOW }).undecided;

describe("undecided findings (unknown verdicts)", () => {
  it("is empty when every read a rule needed was made", () => {
    expect(undecidedFindingIds(healthyTenant().inventory)).toEqual([]);
  });

  it.each(["forbidden", "failed", "notFound"] as const)("holds the Route All rules of a site whose app settings were %s", (status) => {
    const tenant = healthyTenant();
    tenant.site.reads.appSettings = status;
    expect(undecidedFindingIds(tenant.inventory).sort()).toEqual(
      ["linux-private-dns-without-route-all", "route-all-legacy-app-setting", "route-all-windows-container"].map((rule) => findingId(rule, tenant.site.id)).sort(),
    );
  });

  it("holds the Route All rules of a site whose config was not found", () => {
    const tenant = healthyTenant();
    tenant.slot.reads.config = "notFound";
    expect(undecidedFindingIds(tenant.inventory)).toContain(findingId("route-all-legacy-app-setting", tenant.slot.id));
  });

  it("holds the certificate rule of a site whose gateway certificate could not be read", () => {
    const tenant = healthyTenant();
    tenant.site.vnetConnections = [makeGatewayConnection("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v", { certificate: { unreadable: "malformed" } })];
    expect(undecidedFindingIds(tenant.inventory)).toEqual([findingId("gateway-certificate-expiring", tenant.site.id)]);
  });
});

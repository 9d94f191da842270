/**
 * `meta.reads` is honest: what a rule declares is what it judges by, and collection's read
 * conditions (src/rules/reads.ts) cover every site such a rule picks.
 */
import { describe, expect, it } from "vitest";
import { ruleVerdicts } from "../../src/engine/evaluate.js";
import type { Inventory, Site } from "../../src/model/inventory.js";
import { RULES } from "../../src/rules/index.js";
import { indexInventory } from "../../src/rules/inventory-index.js";
import { SITE_READ_NEEDS, siteNeedsRead } from "../../src/rules/reads.js";
import { DEFAULT_RULE_SETTINGS, type Rule, type SiteRead } from "../../src/rules/rule.js";
import { gatewayConnections } from "../../src/rules/terms.js";
import { NOW, healthyTenant, legacyTenant, makeInventory, makeSite, makeSubnet, makeSwiftConnection } from "./fixtures.js";

const SITE_READS: SiteRead[] = ["config", "appSettings", "vnetConnections"];

/**
 * A tenant on which most rules have something to say: the healthy Linux site and its slot
 * (regional integration, private DNS), the legacy Windows site (gateway-required), and a
 * Windows site integrated only through a swift connection in its VNet-connection list, with
 * Route All only in the legacy app setting and an HTTP-only binding.
 */
function busyTenant(): Inventory {
  const healthy = healthyTenant();
  const legacy = legacyTenant();
  const subnet = makeSubnet(healthy.vnet.id, "snet-windows", ["10.1.2.0/28"]);
  healthy.vnet.subnets.push(subnet);
  const swiftOnly = makeSite("swift-only", {
    serverFarmId: legacy.plan.id,
    httpsOnly: false,
    vnetRouteAllEnabled: false,
    appSettings: { WEBSITE_VNET_ROUTE_ALL: "1" },
    vnetConnections: [makeSwiftConnection(subnet.id)],
  });
  healthy.site.outboundVnetRouting = undefined;
  healthy.site.vnetRouteAllEnabled = false;
  return makeInventory({
    sites: [healthy.site, healthy.slot, legacy.site, swiftOnly],
    plans: [healthy.plan, legacy.plan],
    virtualNetworks: [healthy.vnet, legacy.vnet],
    gateways: legacy.inventory.gateways,
    privateDnsZones: [healthy.zone],
    certificates: [healthy.certificate],
  });
}

const judge = (rule: Rule, inventory: Inventory) =>
  ruleVerdicts(rule, indexInventory(inventory), { inventory, now: NOW, settings: DEFAULT_RULE_SETTINGS });

/** The inventory as if a read had never been made: its values gone, its status `notNeeded`. */
function withoutRead(inventory: Inventory, read: SiteRead): Inventory {
  const copy = structuredClone(inventory);
  for (const site of copy.sites) {
    site.reads[read] = "notNeeded";
    if (read === "config") delete site.vnetRouteAllEnabled;
    if (read === "appSettings") delete site.appSettings;
    if (read === "vnetConnections") delete site.vnetConnections;
  }
  return copy;
}

describe("rule reads", () => {
  it("the busy tenant gives most rules a finding, so the checks below judge real verdicts", () => {
    const failing = RULES.filter((rule) => judge(rule, busyTenant()).some((verdict) => verdict.outcome === "fail")).map((rule) => rule.meta.id);
    expect(failing).toEqual(
      expect.arrayContaining(["subnet-undersized", "gateway-integration-legacy", "linux-private-dns-without-route-all", "route-all-legacy-app-setting", "https-only-disabled"]),
    );
  });

  it.each(RULES.map((rule) => [rule.meta.id, rule] as const))("%s judges the same without the reads it does not declare", (_id, rule) => {
    const inventory = busyTenant();
    const verdicts = judge(rule, inventory);
    for (const read of SITE_READS.filter((read) => !rule.meta.reads.includes(read))) {
      expect(judge(rule, withoutRead(inventory, read)), `${rule.meta.id} without ${read}`).toEqual(verdicts);
    }
  });

  it.each(RULES.filter((rule) => rule.meta.reads.length > 0).map((rule) => [rule.meta.id, rule] as const))(
    "%s never passes a site whose declared reads all failed",
    (_id, rule) => {
      const inventory = busyTenant();
      for (const site of inventory.sites) for (const read of rule.meta.reads) site.reads[read] = "failed";
      const sites = new Set(inventory.sites.map((site) => site.id));
      const onSites = judge(rule, inventory).filter((verdict) => sites.has(verdict.resourceId));
      expect(onSites.filter((verdict) => verdict.outcome === "pass")).toEqual([]);
    },
  );

  // A VNet-connection list matters where it carries what the payload doesn't: gateway-required
  // connections, or a regional integration only the list shows. Linux sites, say, are judged by
  // the regional rules without it (gateway-required integration can't exist there).
  const carriesData: Record<SiteRead, (site: Site) => boolean> = {
    config: () => true,
    appSettings: () => true,
    vnetConnections: (site) => gatewayConnections(site).length > 0 || (site.virtualNetworkSubnetId === undefined && (site.vnetConnections ?? []).some((connection) => connection.isSwift)),
  };

  it.each(SITE_READS)("collection's condition for %s covers every site a rule declaring it judges by it", (read) => {
    const inventory = busyTenant();
    const index = indexInventory(inventory);
    const byId = new Map(inventory.sites.map((site) => [site.id, site]));
    let covered = 0;
    for (const rule of RULES.filter((candidate) => candidate.meta.reads.includes(read))) {
      for (const verdict of judge(rule, inventory)) {
        const site: Site | undefined = byId.get(verdict.resourceId);
        if (!site || !carriesData[read](site)) continue;
        expect(SITE_READ_NEEDS[read].selects(site, index.planOf(site)), `${rule.meta.id} judges ${site.name}`).toBe(true);
        covered++;
      }
    }
    expect(covered).toBeGreaterThan(0);
  });

  it("reads nothing that no rule declares", () => {
    const { site, plan } = healthyTenant();
    delete site.outboundVnetRouting;
    const onlyHttps = RULES.filter((rule) => rule.meta.id === "https-only-disabled");
    for (const read of SITE_READS) expect(siteNeedsRead(read, site, plan, onlyHttps), read).toBe(false);
    expect(siteNeedsRead("config", site, plan)).toBe(true);
  });
});

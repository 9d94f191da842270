import { describe, expect, it } from "vitest";
import { auditInventory } from "../../src/audit.js";
import { mergeTallies, summarizeChecks } from "../../src/engine/checks.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { defaultConfig } from "../../src/config/file.js";
import { findingId } from "../../src/model/finding.js";
import type { Inventory } from "../../src/model/inventory.js";
import { RULES } from "../../src/rules/index.js";
import type { InventoryIndex } from "../../src/rules/inventory-index.js";
import { defineRule, fail, pass, unknown, type RuleMetadata } from "../../src/rules/rule.js";
import { NOW, healthyTenant, makeGatewayConnection, makeVnet } from "../rules/fixtures.js";

const checksOf = (inventory: Inventory) => summarizeChecks(evaluate(inventory, { now: NOW }).checks);

describe("verdicts through the engine", () => {
  it("turns a fail into a finding and counts it with the passes as checked", () => {
    const tenant = healthyTenant();
    tenant.site.httpsOnly = false;
    const { findings, undecided, checks } = evaluate(tenant.inventory, { now: NOW });
    expect(findings.map((finding) => [finding.ruleId, finding.resourceId])).toEqual([["https-only-disabled", tenant.site.id]]);
    expect(undecided).toEqual([]);
    // The site fails, its slot passes.
    expect(summarizeChecks(checks)["https-only-disabled"]).toEqual({ checked: 2, failed: 1, unknown: 0 });
  });

  it("turns a pass judged without a read the rule declares into an unknown: no finding, an undecided ID", () => {
    const tenant = healthyTenant();
    tenant.site.reads.appSettings = "forbidden";
    const { findings, undecided } = evaluate(tenant.inventory, { now: NOW });
    expect(findings).toEqual([]);
    expect(undecided).toContain(findingId("route-all-legacy-app-setting", tenant.site.id));
    // The slot's reads succeeded: it passes.
    expect(undecided).not.toContain(findingId("route-all-legacy-app-setting", tenant.slot.id));
    expect(checksOf(tenant.inventory)["route-all-legacy-app-setting"]).toEqual({ checked: 2, failed: 0, unknown: 1 });
    // A rule that does not declare app settings judges the site as before.
    expect(checksOf(tenant.inventory)["https-only-disabled"]).toEqual({ checked: 2, failed: 0, unknown: 0 });
  });

  it("takes an unknown the rule gives itself (an unreadable gateway certificate) as undecided", () => {
    const tenant = healthyTenant();
    tenant.site.vnetConnections = [makeGatewayConnection(makeVnet("v").id, { certificate: { unreadable: "malformed" } })];
    const { findings, undecided } = evaluate(tenant.inventory, { now: NOW });
    expect(findings.filter((finding) => finding.ruleId === "gateway-certificate-expiring")).toEqual([]);
    expect(undecided).toEqual([findingId("gateway-certificate-expiring", tenant.site.id)]);
    expect(checksOf(tenant.inventory)["gateway-certificate-expiring"]).toEqual({ checked: 1, failed: 0, unknown: 1 });
  });

  it("keeps a fail the rule could decide without the unread value, noting what was not read", () => {
    const tenant = healthyTenant();
    delete tenant.site.outboundVnetRouting;
    tenant.site.vnetRouteAllEnabled = false;
    tenant.site.reads.appSettings = "forbidden";
    delete tenant.site.appSettings;
    const { findings, undecided } = evaluate(tenant.inventory, { now: NOW });
    const dns = findings.find((finding) => finding.ruleId === "linux-private-dns-without-route-all");
    expect(dns?.resourceId).toBe(tenant.site.id);
    expect(dns?.evidence).toMatchObject({ appSettingsReadable: false });
    expect(undecided).not.toContain(dns?.id);
    expect(checksOf(tenant.inventory)["linux-private-dns-without-route-all"]).toMatchObject({ failed: 1, unknown: 0 });
  });

  it("builds the inventory index once and hands the same one to every rule", () => {
    const seen: InventoryIndex[] = [];
    const meta = (id: string): RuleMetadata => ({ ...RULES[0]!.meta, id, reads: [] });
    const spy = (id: string) =>
      defineRule({
        meta: meta(id),
        select: (index) => {
          seen.push(index);
          return index.inventory.sites;
        },
        target: (site) => ({ resourceId: site.id, subscriptionId: site.subscriptionId }),
        judge: (site, { index }) => (index === seen[0] ? (site.name === "web" ? fail({ severity: "low", message: "m", evidence: {} }) : pass()) : unknown("another index")),
      });
    const { inventory, site } = healthyTenant();
    const { findings, undecided, checks } = evaluate(inventory, { now: NOW, rules: [spy("a"), spy("b")] });
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
    expect(findings.map((finding) => finding.id)).toEqual([findingId("a", site.id), findingId("b", site.id)]);
    expect(undecided).toEqual([]);
    expect(summarizeChecks(checks)).toEqual({ a: { checked: 2, failed: 1, unknown: 0 }, b: { checked: 2, failed: 1, unknown: 0 } });
  });
});

describe("summary.checks", () => {
  it("lists every rule the scan ran, with what it checked, in the scan result", () => {
    const tenant = healthyTenant();
    const { summary } = auditInventory(tenant.inventory, defaultConfig(), NOW, "scan");
    expect(Object.keys(summary.checks ?? {})).toEqual(RULES.map((rule) => rule.meta.id).sort());
    expect(summary.checks?.["subnet-undersized"]).toEqual({ checked: 1, failed: 0, unknown: 0 });
    expect(summary.checks?.["certificate-expiring"]).toEqual({ checked: 1, failed: 0, unknown: 0 });
    expect(summary.checks?.["gateway-integration-legacy"]).toEqual({ checked: 0, failed: 0, unknown: 0 });
  });

  it("counts a hub subnet judged from two subscriptions' inventories once, and each subscription's sites apart", () => {
    const spoke = healthyTenant();
    const other = healthyTenant();
    // Another spoke's apps in the same subnet: other sites, the same subnet and VNet.
    for (const site of other.inventory.sites) site.id = site.id.replace("/sites/web", "/sites/api");
    other.site.httpsOnly = false;
    const merged = summarizeChecks(mergeTallies([evaluate(spoke.inventory, { now: NOW }).checks, evaluate(other.inventory, { now: NOW }).checks]));
    expect(merged["subnet-undersized"]).toEqual({ checked: 1, failed: 0, unknown: 0 });
    expect(merged["https-only-disabled"]).toEqual({ checked: 4, failed: 1, unknown: 0 });
  });

  it("merges a subnet that fails from one inventory and passes from another as failed", () => {
    const spoke = healthyTenant();
    const other = healthyTenant();
    other.subnet.serviceEndpointPolicyIds = ["/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/serviceEndpointPolicies/p"];
    const merged = summarizeChecks(mergeTallies([evaluate(spoke.inventory, { now: NOW }).checks, evaluate(other.inventory, { now: NOW }).checks]));
    expect(merged["subnet-service-endpoint-policy"]).toEqual({ checked: 1, failed: 1, unknown: 0 });
  });
});

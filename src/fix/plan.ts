/**
 * Attaches `fix` to findings after evaluation (RULES.md "Fix plans"), dispatched by rule, so
 * rule files stay about judging. Pure: the inventory and the findings in, findings with fixes
 * out. Address space is handed out by one `AddressAllocator` per scan, in a fixed order
 * (migrations by plan, then replacements by subnet), so a scan's proposals never overlap and
 * the same inventory always gets the same plan.
 */
import type { Finding, FixPlan } from "../model/finding.js";
import type { Inventory } from "../model/inventory.js";
import { gatewayIntegratedSites, regionalIntegrations, type GatewayIntegratedSite, type RegionalIntegration } from "../rules/selectors.js";
import { indexInventory, type InventoryIndex } from "../rules/inventory-index.js";
import { ruleById } from "../rules/index.js";
import { armKey } from "../util/arm-id.js";
import { AddressAllocator } from "./allocator.js";
import { migrationKey, planMigration } from "./migration.js";
import {
  certificateFix,
  httpsOnlyFix,
  ipv6Fix,
  legacyRouteAllSettingFix,
  p2sFix,
  planTierFix,
  planVnetListStep,
  resyncFix,
  routeAllFix,
  serviceEndpointPolicyFix,
  windowsContainerRouteAllFix,
} from "./single.js";
import { planSubnetReplacement } from "./subnet.js";

/** Address space in use anywhere in the inventory: VNets, their peerings, point-to-site pools. */
export function knownAddressSpace(inventory: Inventory): string[] {
  return [
    ...inventory.virtualNetworks.flatMap((vnet) => [...vnet.addressPrefixes, ...(vnet.peerings ?? []).flatMap((p) => p.remoteAddressPrefixes)]),
    ...inventory.gateways.flatMap((gateway) => gateway.vpnClientConfiguration?.addressPrefixes ?? []),
  ];
}

class FixPlanner {
  private readonly index: InventoryIndex;
  private readonly migrations = new Map<string, FixPlan>();
  private readonly replacements = new Map<string, FixPlan>();
  /** Gateway-integrated sites and slots by migration key (their plan). */
  private readonly gatewaySites = new Map<string, GatewayIntegratedSite[]>();
  private readonly integrations: Map<string, RegionalIntegration>;
  private readonly known: string[];

  constructor(
    private readonly inventory: Inventory,
    private readonly allocator: AddressAllocator,
    private readonly now: Date,
  ) {
    this.index = indexInventory(inventory);
    for (const entry of gatewayIntegratedSites(this.index)) {
      const key = migrationKey(this.index, entry.site);
      this.gatewaySites.set(key, [...(this.gatewaySites.get(key) ?? []), entry]);
    }
    this.integrations = new Map(regionalIntegrations(this.index).map((entry) => [armKey(entry.subnetId), entry]));
    this.known = knownAddressSpace(inventory);
  }

  /** The one migration plan of the App Service plan a site (or the plan itself) is on. */
  migration(key: string): FixPlan | null {
    const cached = this.migrations.get(key);
    if (cached) return cached;
    const sites = this.gatewaySites.get(key) ?? [];
    if (sites.length === 0) return null;
    const fix = planMigration({ index: this.index, planId: this.index.planIdOf(sites[0]!.site), sites, allocator: this.allocator, now: this.now });
    this.migrations.set(key, fix);
    return fix;
  }

  replacement(subnetId: string, reason: string, deleteOld: boolean): FixPlan | null {
    const key = armKey(subnetId);
    const cached = this.replacements.get(key);
    if (cached) return cached;
    const integration = this.integrations.get(key);
    if (!integration?.subnet || !integration.vnet) return null;
    const fix = planSubnetReplacement({
      index: this.index,
      subnet: integration.subnet,
      vnet: integration.vnet,
      planIds: integration.planIds,
      allocator: this.allocator,
      reason,
      deleteOld,
      now: this.now,
    });
    this.replacements.set(key, fix);
    return fix;
  }

  fixFor(finding: Finding): FixPlan | null {
    const { index } = this;
    const site = index.site(finding.resourceId);
    switch (finding.ruleId) {
      case "gateway-integration-legacy":
      case "gateway-integration-unsupported":
      case "gateway-certificate-expiring":
        return site ? this.migration(migrationKey(index, site)) : null;
      case "gateway-plan-vnet-limit": {
        const migration = this.migration(armKey(finding.resourceId));
        const list = planVnetListStep(index, finding.resourceId);
        return migration && list ? { ...migration, steps: [list, ...migration.steps] } : migration;
      }
      case "gateway-resync-required":
        return site ? resyncFix(index, site, this.migration(migrationKey(index, site))) : null;
      case "gateway-p2s-misconfigured":
        return site ? p2sFix(index, site, this.known) : null;
      case "subnet-undersized":
        return this.replacement(finding.resourceId, "too small for its plans", true);
      case "subnet-not-dedicated":
        return this.replacement(finding.resourceId, "shared with other resources", false);
      case "subnet-service-endpoint-policy":
        return serviceEndpointPolicyFix(index, finding.resourceId);
      case "integration-vnet-ipv6":
        return ipv6Fix(index, finding.resourceId);
      case "plan-tier-unsupported":
        return site ? planTierFix(index, site) : null;
      case "linux-private-dns-without-route-all":
        return site ? routeAllFix(site) : null;
      case "route-all-legacy-app-setting":
        return site ? legacyRouteAllSettingFix(site) : null;
      case "route-all-windows-container":
        return site ? windowsContainerRouteAllFix(site) : null;
      case "https-only-disabled":
        return site ? httpsOnlyFix(site) : null;
      case "certificate-expiring": {
        const certificate = this.inventory.certificates.find((c) => armKey(c.id) === armKey(finding.resourceId));
        return certificate ? certificateFix(index, certificate) : null;
      }
      default:
        return null;
    }
  }
}

/** Which findings claim address space first: migrations, then subnet replacements, then the rest. */
const ALLOCATION_ORDER = ["gateway-integration-legacy", "subnet-undersized", "subnet-not-dedicated"];

function allocationRank(ruleId: string): number {
  const rank = ALLOCATION_ORDER.indexOf(ruleId);
  return rank < 0 ? ALLOCATION_ORDER.length : rank;
}

/**
 * Every finding with its `fix` and its `remediation` string (the rule's text and the fix's
 * commands, for JSON and CSV readers that want one string). The findings keep their order.
 */
export function attachFixes(inventory: Inventory, findings: readonly Finding[], now: Date, allocator?: AddressAllocator): Finding[] {
  const known = knownAddressSpace(inventory);
  if (allocator) allocator.observe(known);
  const planner = new FixPlanner(inventory, allocator ?? new AddressAllocator(known), now);
  const fixes = new Map<Finding, FixPlan | null>();
  const order = [...findings].sort(
    (a, b) => allocationRank(a.ruleId) - allocationRank(b.ruleId) || armKey(a.resourceId).localeCompare(armKey(b.resourceId)),
  );
  for (const finding of order) fixes.set(finding, planner.fixFor(finding));
  return findings.map((finding) => {
    const fix = fixes.get(finding) ?? null;
    return { ...finding, fix, remediation: remediationText(finding.ruleId, fix) };
  });
}

/** The JSON `remediation` string: the rule's text, then the fix's commands in order. */
export function remediationText(ruleId: string, fix: FixPlan | null): string {
  const text = ruleById(ruleId)?.meta.remediation.text ?? "";
  const commands = (fix?.steps ?? []).flatMap((step) => (step.command ? [step.command] : []));
  return commands.length > 0 ? `${text} ${commands.join(" && ")}` : text;
}

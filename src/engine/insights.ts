/**
 * Report insights: the facts the HTML report shows about healthy resources too, which the
 * scan result (findings only, docs/ARCHITECTURE.md) does not carry: every regional integration subnet's
 * capacity, every app still on gateway-required integration, every App Service certificate.
 *
 * Pure and small: computed from one Inventory with the terms the rules use, JSON-serialisable,
 * and mergeable, so a scan keeps one per subscription (or one running merge) instead of the
 * inventories, and the function app can store one per subscription and merge them at the end.
 */
import type { Inventory } from "../model/inventory.js";
import { gatewayIntegratedSites, regionalIntegrations, type RegionalIntegration } from "../rules/selectors.js";
import { indexInventory, type InventoryIndex } from "../rules/inventory-index.js";
import { planAddressDemand, safeInstances, GATEWAY_INTEGRATION_RETIREMENT_DATE, type PlannedMaximumSource } from "../rules/terms.js";
import { usableAddresses } from "../util/ipv4.js";
import { armKey, compareIds, distinctIds, parentVirtualNetworkId, resourceNameAfter, subscriptionOf } from "../util/arm-id.js";

export const INSIGHTS_SCHEMA_VERSION = 1;

export interface SubnetPlanInsight {
  id: string;
  /** Null when the plan is not in the inventory (only its ID is known, from a site). */
  name: string | null;
  /** Planned maximum instances (RULES.md); null when the plan is not in the inventory. */
  plannedMaximum: number | null;
  /** Where the planned maximum came from; null when the plan is not in the inventory. */
  source: PlannedMaximumSource | null;
  /** Windows container apps on the plan; each takes one more address per instance. */
  windowsContainerApps: number;
  /** Addresses the plan may need at its planned maximum; null when unknown. */
  demand: number | null;
  /** Sites and slots on the plan that integrate into this subnet. */
  siteCount: number;
}

export interface SubnetInsight {
  /** The subnet's ARM ID, as the inventory (or the first integrating site) spells it. */
  id: string;
  name: string;
  vnetId: string;
  vnetName: string;
  subscriptionId: string;
  /** IPv4 and IPv6 prefixes; empty when the subnet's VNet was not collected (unknown size). */
  prefixes: string[];
  usableAddresses: number;
  safeInstances: number;
  /** The summed demand of the plans in the subnet (unknown plans count 0). */
  demand: number;
  plans: SubnetPlanInsight[];
}

export interface GatewayCertificateInsight {
  vnetId: string;
  notAfter: string;
  thumbprint: string | null;
  subject: string | null;
}

export interface GatewayIntegratedAppInsight {
  siteId: string;
  /** `app` or `app/slot`. */
  name: string;
  subscriptionId: string;
  /** The VNets of its gateway-required connections (the connection name when no VNet ID is known). */
  vnetIds: string[];
  /** The point-to-site certificates of those connections that could be read. */
  gatewayCertificates: GatewayCertificateInsight[];
}

export interface CertificateInsight {
  id: string;
  name: string;
  subscriptionId: string;
  thumbprint: string | null;
  expirationDate: string | null;
  hostNames: string[];
  subjectName: string | null;
  friendlyName: string | null;
  /** Sites and slots whose host name bindings use the thumbprint. */
  boundSiteIds: string[];
}

export interface ReportInsights {
  schemaVersion: typeof INSIGHTS_SCHEMA_VERSION;
  /** The latest evaluation clock among the merged parts (ISO). */
  generatedAt: string;
  retirementDate: string;
  subnets: SubnetInsight[];
  gatewayIntegratedApps: GatewayIntegratedAppInsight[];
  certificates: CertificateInsight[];
}

export function emptyInsights(generatedAt: string): ReportInsights {
  return {
    schemaVersion: INSIGHTS_SCHEMA_VERSION,
    generatedAt,
    retirementDate: GATEWAY_INTEGRATION_RETIREMENT_DATE,
    subnets: [],
    gatewayIntegratedApps: [],
    certificates: [],
  };
}

/** The insights of one inventory snapshot (one subscription, or a merged inventory). */
export function collectInsights(inventory: Inventory, now: Date): ReportInsights {
  const index = indexInventory(inventory);
  return {
    ...emptyInsights(now.toISOString()),
    subnets: regionalIntegrations(index).map((integration) => subnetInsight(index, integration, now)).sort(byId),
    gatewayIntegratedApps: gatewayIntegratedSites(index)
      .map(({ site, connections }) => ({
        siteId: site.id,
        name: site.name,
        subscriptionId: site.subscriptionId,
        vnetIds: distinctIds(connections.map((connection) => connection.vnetResourceId ?? connection.name)),
        gatewayCertificates: distinctGatewayCertificates(
          connections.flatMap(({ vnetResourceId, name, certificate, certThumbprint }) =>
            certificate.notAfter === undefined
              ? []
              : [
                  {
                    vnetId: vnetResourceId ?? name,
                    notAfter: certificate.notAfter,
                    thumbprint: certificate.thumbprint ?? certThumbprint ?? null,
                    subject: certificate.subject ?? null,
                  },
                ],
          ),
        ),
      }))
      .sort((a, b) => compareIds(a.siteId, b.siteId)),
    certificates: inventory.certificates
      .map((certificate) => ({
        id: certificate.id,
        name: certificate.name,
        subscriptionId: certificate.subscriptionId,
        thumbprint: certificate.thumbprint ?? null,
        expirationDate: certificate.expirationDate ?? null,
        hostNames: [...new Set(certificate.hostNames)].sort(),
        subjectName: certificate.subjectName ?? null,
        friendlyName: certificate.friendlyName ?? null,
        boundSiteIds: certificate.thumbprint === undefined ? [] : distinctIds(index.sitesBinding(certificate.thumbprint).map((site) => site.id)),
      }))
      .sort(byId),
  };
}

function subnetInsight(index: InventoryIndex, integration: RegionalIntegration, now: Date): SubnetInsight {
  const { subnetId, subnet, vnet, sites, planIds } = integration;
  const vnetId = vnet?.id ?? parentVirtualNetworkId(subnetId) ?? subnetId;
  const plans = planIds.map((planId): SubnetPlanInsight => {
    const siteCount = sites.filter((site) => {
      const id = index.planIdOf(site);
      return id !== undefined && armKey(id) === armKey(planId);
    }).length;
    const plan = index.plan(planId);
    if (!plan) return { id: planId, name: null, plannedMaximum: null, source: null, windowsContainerApps: 0, demand: null, siteCount };
    const planned = planAddressDemand(plan, index.sitesOnPlan(plan.id), index.autoscaleSettingsFor(plan.id), now);
    return {
      id: plan.id,
      name: plan.name,
      plannedMaximum: planned.maximum,
      source: planned.source,
      windowsContainerApps: planned.windowsContainerApps,
      demand: planned.demand,
      siteCount,
    };
  });
  return withCapacity({
    id: subnet?.id ?? subnetId,
    name: subnet?.name ?? resourceNameAfter(subnetId, "subnets") ?? subnetId,
    vnetId,
    vnetName: vnet?.name ?? resourceNameAfter(vnetId, "virtualNetworks") ?? vnetId,
    subscriptionId: subscriptionOf(subnetId) ?? vnet?.subscriptionId ?? "",
    prefixes: [...(subnet?.addressPrefixes ?? [])],
    plans: plans.sort(byId),
  });
}

/** Usable addresses, safe instances and demand from the prefixes and plans (rules/terms.ts, util/ipv4.ts). */
function withCapacity(subnet: Omit<SubnetInsight, "usableAddresses" | "safeInstances" | "demand">): SubnetInsight {
  const usable = usableAddresses(subnet.prefixes);
  return {
    ...subnet,
    usableAddresses: usable,
    safeInstances: safeInstances(usable),
    demand: subnet.plans.reduce((sum, plan) => sum + (plan.demand ?? 0), 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Merging

/**
 * Merges two insights (two subscriptions' parts, or a running merge and the next part).
 * Commutative, associative and idempotent, so parts can arrive in any order and twice
 * (a redelivered queue message):
 *
 * - Certificates and gateway-integrated apps: one per ID; their list fields are unioned.
 * - Subnets: one per ID. A hub subnet can hold plans of several spoke subscriptions, and each
 *   spoke's inventory sees only its own plans, so the subnet's plans are the union **by plan
 *   ID** and its demand is recomputed as their sum. Neither "sum the subnets' demands" (counts
 *   a plan twice when a part is merged again) nor "keep the larger demand" (drops the other
 *   spokes' plans) is right. A plan seen twice keeps the entry that knows more (in the
 *   inventory, then the larger demand). Prefixes come from whichever part read the VNet.
 */
export function mergeInsights(a: ReportInsights, b: ReportInsights): ReportInsights {
  return {
    schemaVersion: INSIGHTS_SCHEMA_VERSION,
    generatedAt: a.generatedAt >= b.generatedAt ? a.generatedAt : b.generatedAt,
    retirementDate: a.retirementDate || b.retirementDate,
    subnets: mergeById([...a.subnets, ...b.subnets], (x) => x.id, mergeSubnet),
    gatewayIntegratedApps: mergeById([...a.gatewayIntegratedApps, ...b.gatewayIntegratedApps], (x) => x.siteId, (x, y) => ({
      ...pickCanonical(x, y, (item) => item.siteId),
      vnetIds: unionIds(x.vnetIds, y.vnetIds),
      gatewayCertificates: distinctGatewayCertificates([...x.gatewayCertificates, ...y.gatewayCertificates]),
    })),
    certificates: mergeById([...a.certificates, ...b.certificates], (x) => x.id, (x, y) => ({
      ...pickCanonical(x, y, (item) => item.id),
      hostNames: [...new Set([...x.hostNames, ...y.hostNames])].sort(),
      boundSiteIds: unionIds(x.boundSiteIds, y.boundSiteIds),
    })),
  };
}

/** Merges any number of parts; `emptyInsights` when there are none. */
export function mergeAllInsights(parts: Iterable<ReportInsights>, generatedAt = new Date(0).toISOString()): ReportInsights {
  let merged = emptyInsights(generatedAt);
  for (const part of parts) merged = mergeInsights(merged, part);
  return merged;
}

function mergeSubnet(x: SubnetInsight, y: SubnetInsight): SubnetInsight {
  // The part that read the VNet knows the prefixes and names; otherwise the canonical one.
  const known = x.prefixes.length > 0 && y.prefixes.length === 0 ? x : y.prefixes.length > 0 && x.prefixes.length === 0 ? y : pickCanonical(x, y, (s) => s.id);
  const plans = mergeById([...x.plans, ...y.plans], (plan) => plan.id, (p, q) => {
    const rank = (plan: SubnetPlanInsight) => [plan.name === null ? 0 : 1, plan.demand ?? -1, plan.siteCount] as const;
    const [rp, rq] = [rank(p), rank(q)];
    for (let i = 0; i < rp.length; i++) {
      if (rp[i]! !== rq[i]!) return rp[i]! > rq[i]! ? p : q;
    }
    return pickCanonical(p, q, (plan) => plan.id);
  });
  return withCapacity({
    id: known.id,
    name: known.name,
    vnetId: known.vnetId,
    vnetName: known.vnetName,
    subscriptionId: known.subscriptionId,
    prefixes: [...known.prefixes],
    plans,
  });
}

/** One item per ARM key (case-insensitive), merged pairwise, sorted by ID. */
function mergeById<T>(items: readonly T[], idOf: (item: T) => string, merge: (x: T, y: T) => T): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const key = armKey(idOf(item));
    const existing = byKey.get(key);
    byKey.set(key, existing === undefined ? item : merge(existing, item));
  }
  return [...byKey.values()].sort((x, y) => compareIds(idOf(x), idOf(y)));
}

/** Of two records describing the same resource, a deterministic one (so merging is commutative). */
function pickCanonical<T>(x: T, y: T, idOf: (item: T) => string): T {
  const order = compareIds(idOf(x), idOf(y));
  if (order !== 0) return order < 0 ? x : y;
  return JSON.stringify(x) <= JSON.stringify(y) ? x : y;
}

function distinctGatewayCertificates(certificates: readonly GatewayCertificateInsight[]): GatewayCertificateInsight[] {
  const key = (c: GatewayCertificateInsight) => `${armKey(c.vnetId)}|${(c.thumbprint ?? "").toLowerCase()}|${c.notAfter}`;
  const seen = new Map<string, GatewayCertificateInsight>();
  for (const certificate of certificates) {
    const existing = seen.get(key(certificate));
    // The entry that knows the subject wins; otherwise a deterministic one (commutative merges).
    const better =
      !existing ||
      (existing.subject === null) !== (certificate.subject === null)
        ? !existing || existing.subject === null
        : JSON.stringify(certificate) < JSON.stringify(existing);
    if (better) seen.set(key(certificate), certificate);
  }
  return [...seen.values()].sort((a, b) => compareOrdinal(key(a), key(b)));
}

/** Distinct IDs of both lists (case-insensitive), sorted; the spelling kept does not depend on the order. */
function unionIds(a: readonly string[], b: readonly string[]): string[] {
  return distinctIds([...a, ...b].sort(compareOrdinal));
}

function compareOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return compareIds(a.id, b.id);
}

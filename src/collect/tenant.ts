import type { AzureClients } from "../azure/clients.js";
import { emptyInventory, type CollectionError, type Inventory, type PrivateDnsZone, type SubscriptionRecord } from "../model/inventory.js";
import { mapWithConcurrency } from "../util/concurrency.js";
import { collectPrivateDnsZones, zonesForInventory } from "./dns.js";
import { isAudited } from "./scope.js";
import { SharedReads } from "./shared.js";
import { collectSubscription } from "./subscription.js";

export interface TenantCollectOptions {
  /** Subscriptions collected at once. */
  subscriptionConcurrency: number;
  /** Per-resource reads in flight within one subscription. */
  readConcurrency: number;
  now?: () => Date;
  /** The owner tag findings are judged with; see SubscriptionCollectOptions.ownerTag. */
  ownerTag?: string;
}

/**
 * A subscription's collection is a short chain of dependent rounds (lists, then per-plan and
 * per-site reads, then referenced VNets and gateways), each a round trip to Resource Manager.
 * Collecting many subscriptions at once hides that latency; Resource Manager's buckets are
 * per subscription, and the client-side pacing in the pipeline (azure/throttling.ts) keeps
 * each one under its own, so subscription concurrency is bounded by this machine, not by
 * throttling. Memory is what limits it: a 10,000-site scan peaks near 260 MB at 10
 * subscriptions at once and near 320 MB at 16 (docs/performance.md).
 */
export const DEFAULT_TENANT_COLLECT_OPTIONS: TenantCollectOptions = { subscriptionConcurrency: 10, readConcurrency: 8 };

export interface ScopeZones {
  zones: PrivateDnsZone[];
  errorsBySubscription: Map<string, CollectionError[]>;
}

/** Reads the DNS private zones of every audited subscription in scope (phase one of a scan). */
export async function collectScopeZones(clients: AzureClients, scope: SubscriptionRecord[], concurrency: number): Promise<ScopeZones> {
  const errorsBySubscription = new Map<string, CollectionError[]>();
  const perSubscription = await mapWithConcurrency(scope.filter(isAudited), concurrency, async (record) => {
    const collected = await collectPrivateDnsZones(clients, record.subscriptionId);
    if (collected.errors.length > 0) errorsBySubscription.set(record.subscriptionId.toLowerCase(), collected.errors);
    return collected.zones;
  });
  return { zones: perSubscription.flat(), errorsBySubscription };
}

/**
 * Collects every subscription in scope, yielding each one's self-contained Inventory as it
 * finishes so the caller can evaluate and drop it: memory holds the scope's DNS zones plus
 * the subscriptions in flight, not every subscription already done. A finished inventory
 * waits until the caller takes it before its lane starts the next subscription, so however
 * slow the caller, no more inventories exist at once than lanes plus the one it holds.
 * Skipped and failed (unreadable) subscriptions are yielded too, as inventories holding only
 * their record.
 */
export async function* collectTenant(
  clients: AzureClients,
  scope: SubscriptionRecord[],
  options: TenantCollectOptions = DEFAULT_TENANT_COLLECT_OPTIONS,
): AsyncGenerator<Inventory> {
  const now = options.now ?? (() => new Date());
  // Zones are only needed to evaluate, not to collect: phase one runs beside the first
  // subscriptions instead of before them, and each inventory gets the zones before it is yielded.
  const scopeZones = collectScopeZones(clients, scope, options.subscriptionConcurrency);
  scopeZones.catch(() => undefined); // awaited below; a failure surfaces there
  const shared = new SharedReads();

  const ready: Array<{ inventory: Inventory; taken: () => void }> = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const deliver = (inventory: Inventory) =>
    new Promise<void>((taken) => {
      if (closed) return taken();
      ready.push({ inventory, taken });
      wake?.();
    });

  const work = mapWithConcurrency(scope, options.subscriptionConcurrency, async (record) => {
    if (!isAudited(record)) {
      const inventory = emptyInventory(now().toISOString());
      inventory.subscriptions = [record];
      await deliver(inventory);
      return;
    }
    const inventory = await collectSubscription(clients, record, {
      concurrency: options.readConcurrency,
      privateDnsZones: [],
      now,
      shared,
      ...(options.ownerTag !== undefined ? { ownerTag: options.ownerTag } : {}),
    });
    const { zones, errorsBySubscription } = await scopeZones;
    inventory.privateDnsZones = zonesForInventory(zones, inventory);
    addZoneErrors(inventory, errorsBySubscription.get(record.subscriptionId.toLowerCase()) ?? []);
    await deliver(inventory);
  });
  let finished = false;
  let failure: unknown;
  work.then(
    () => {
      finished = true;
      wake?.();
    },
    (error: unknown) => {
      failure = error;
      finished = true;
      wake?.();
    },
  );

  try {
    while (true) {
      const next = ready.shift();
      if (next) {
        next.taken();
        yield next.inventory;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    // A caller that stops early must not leave lanes waiting forever.
    closed = true;
    for (const pending of ready.splice(0)) pending.taken();
  }
  if (failure) throw failure;
}

/**
 * The subscription's own zone reads (phase one) failed in part: its errors go first, as
 * `collectSubscription`'s `initialErrors` would put them, and a complete subscription becomes
 * partial (it was read, though not all of it).
 */
function addZoneErrors(inventory: Inventory, errors: CollectionError[]): void {
  const record = inventory.subscriptions[0];
  if (!record || errors.length === 0) return;
  record.errors = [...errors, ...record.errors];
  if (record.status === "complete") record.status = "partial";
}

/**
 * Merges per-subscription inventories (for `vnet-audit collect`); shared records are kept once.
 * A zone appears in every inventory with a VNet linked to it, each time with the links to
 * that inventory's VNets: the merged zone has all of them.
 */
export function mergeInventories(inventories: Inventory[], collectedAt: string): Inventory {
  const merged = emptyInventory(collectedAt);
  const keys = ["sites", "plans", "autoscaleSettings", "virtualNetworks", "gateways", "certificates", "resourceGroups"] as const;
  const seen = new Map<string, Set<string>>(keys.map((key) => [key, new Set<string>()]));
  const zones = new Map<string, PrivateDnsZone>();
  for (const inventory of inventories) {
    merged.subscriptions.push(...inventory.subscriptions);
    for (const key of keys) {
      const ids = seen.get(key)!;
      for (const item of inventory[key] as { id: string }[]) {
        if (ids.has(item.id.toLowerCase())) continue;
        ids.add(item.id.toLowerCase());
        (merged[key] as { id: string }[]).push(item);
      }
    }
    for (const zone of inventory.privateDnsZones) {
      const existing = zones.get(zone.id.toLowerCase());
      if (!existing) {
        zones.set(zone.id.toLowerCase(), { ...zone, virtualNetworkLinks: [...zone.virtualNetworkLinks] });
        continue;
      }
      const links = new Set(existing.virtualNetworkLinks.map((link) => link.id.toLowerCase()));
      existing.virtualNetworkLinks.push(...zone.virtualNetworkLinks.filter((link) => !links.has(link.id.toLowerCase())));
    }
  }
  merged.privateDnsZones = [...zones.values()];
  return merged;
}

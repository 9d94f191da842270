import type { AzureClients } from "../azure/clients.js";
import { emptyInventory, type CollectionError, type Inventory, type PrivateDnsZone, type SubscriptionRecord } from "../model/inventory.js";
import { mapWithConcurrency } from "../util/concurrency.js";
import { collectPrivateDnsZones } from "./dns.js";
import { isAudited } from "./scope.js";
import { collectSubscription } from "./subscription.js";

export interface TenantCollectOptions {
  /** Subscriptions collected at once. */
  subscriptionConcurrency: number;
  /** Per-resource reads in flight within one subscription. */
  readConcurrency: number;
  now?: () => Date;
}

export const DEFAULT_TENANT_COLLECT_OPTIONS: TenantCollectOptions = { subscriptionConcurrency: 8, readConcurrency: 8 };

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
 * the subscriptions in flight, not every subscription already done. Skipped and failed
 * (unreadable) subscriptions are yielded too, as inventories holding only their record.
 */
export async function* collectTenant(
  clients: AzureClients,
  scope: SubscriptionRecord[],
  options: TenantCollectOptions = DEFAULT_TENANT_COLLECT_OPTIONS,
): AsyncGenerator<Inventory> {
  const now = options.now ?? (() => new Date());
  const { zones, errorsBySubscription } = await collectScopeZones(clients, scope, options.subscriptionConcurrency);

  const ready: Inventory[] = [];
  let wake: (() => void) | undefined;
  const deliver = (inventory: Inventory) => {
    ready.push(inventory);
    wake?.();
  };

  const work = mapWithConcurrency(scope, options.subscriptionConcurrency, async (record) => {
    if (!isAudited(record)) {
      const inventory = emptyInventory(now().toISOString());
      inventory.subscriptions = [record];
      deliver(inventory);
      return;
    }
    deliver(
      await collectSubscription(clients, record, {
        concurrency: options.readConcurrency,
        privateDnsZones: zones,
        initialErrors: errorsBySubscription.get(record.subscriptionId.toLowerCase()),
        now,
      }),
    );
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

  while (true) {
    const next = ready.shift();
    if (next) {
      yield next;
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  if (failure) throw failure;
}

/** Merges per-subscription inventories (for `vnet-audit collect`); shared records are kept once. */
export function mergeInventories(inventories: Inventory[], collectedAt: string): Inventory {
  const merged = emptyInventory(collectedAt);
  const keys = ["sites", "plans", "autoscaleSettings", "virtualNetworks", "gateways", "privateDnsZones", "certificates"] as const;
  const seen = new Map<string, Set<string>>(keys.map((key) => [key, new Set<string>()]));
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
  }
  return merged;
}

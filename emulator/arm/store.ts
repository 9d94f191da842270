/**
 * The emulated tenant, indexed for ARM's case-insensitive lookups: resources by ID, by
 * collection and by scope and type, resource groups (explicit or implied by what lives in
 * them), subscriptions and management groups.
 */
import type { ArmResource, EmulatedManagementGroup, EmulatedSubscription, EmulatedTenant } from "./types.js";
import { SITE_TYPES } from "./web.js";
import { collectionKey, lower, props, segmentsOf } from "./wire.js";

/**
 * Resource types the emulator knows even when the tenant has none of them, so
 * listing them answers 200 with an empty list (as ARM does for a registered
 * type) rather than 404 InvalidResourceType.
 */
export const BUILTIN_TYPES = [
  "Microsoft.Web/sites",
  "Microsoft.Web/sites/slots",
  "Microsoft.Web/sites/config",
  "Microsoft.Web/sites/slots/config",
  "Microsoft.Web/sites/virtualNetworkConnections",
  "Microsoft.Web/sites/slots/virtualNetworkConnections",
  "Microsoft.Web/serverfarms",
  "Microsoft.Web/serverfarms/virtualNetworkConnections",
  "Microsoft.Web/certificates",
  "Microsoft.Web/hostingEnvironments",
  "Microsoft.Network/virtualNetworks",
  "Microsoft.Network/virtualNetworks/subnets",
  "Microsoft.Network/virtualNetworkGateways",
  "Microsoft.Network/privateDnsZones",
  "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
  "Microsoft.Network/privateEndpoints",
  "Microsoft.Network/networkSecurityGroups",
  "Microsoft.Network/routeTables",
  "Microsoft.Network/natGateways",
  "Microsoft.Insights/autoscalesettings",
  "Microsoft.App/managedEnvironments",
].map((t) => t.toLowerCase());


export interface StoreIndex {
  /** lower(collection path) -> resources directly in it (RG-level lists and child lists). */
  byCollection: Map<string, ArmResource[]>;
  /** `${lower(scope)}|${lower(type)}` -> resources of that type in a subscription or resource group. */
  byScopeType: Map<string, ArmResource[]>;
  /** lower(`/subscriptions/{s}/resourcegroups/{rg}`) -> explicit RG resource or first resource in it. */
  groups: Map<string, { id: string; name: string; location?: string; explicit?: ArmResource }>;
  types: Set<string>;
  /** lower(subnet ID) -> the plan whose sites (or the plan itself) use it for regional integration. */
  integratedSubnets: Map<string, string>;
}

export class ResourceStore {
  tenantId = "";
  private subscriptions = new Map<string, EmulatedSubscription>();
  private subscriptionOrder: EmulatedSubscription[] = [];
  private managementGroups: EmulatedManagementGroup[] = [];
  private resources = new Map<string, ArmResource>();
  private index: StoreIndex | undefined;

  constructor(tenant: EmulatedTenant) {
    this.setTenant(tenant);
  }

  setTenant(tenant: EmulatedTenant): void {
    this.tenantId = tenant.tenantId;
    this.managementGroups = (tenant.managementGroups ?? []).map((group) => ({ ...group, subscriptions: [...group.subscriptions] }));
    this.subscriptionOrder = tenant.subscriptions.map((s) => ({ ...s }));
    this.subscriptions = new Map(this.subscriptionOrder.map((s) => [lower(s.subscriptionId), s]));
    this.resources = new Map();
    this.index = undefined;
    for (const r of tenant.resources) this.upsert(r);
  }

  upsert(resource: ArmResource): void {
    if (!/^\/subscriptions\/[^/]+\//i.test(resource.id)) {
      throw new Error(`ARM emulator: resource ID must start with /subscriptions/{id}/: ${resource.id}`);
    }
    // Copy so later changes to the caller's object do not leak in.
    this.resources.set(lower(resource.id), structuredClone(resource));
    this.index = undefined;
  }

  remove(id: string): boolean {
    const removed = this.resources.delete(lower(id));
    if (removed) this.index = undefined;
    return removed;
  }

  listSubscriptions(): EmulatedSubscription[] {
    return this.subscriptionOrder;
  }

  managementGroup(name: string): EmulatedManagementGroup | undefined {
    return this.managementGroups.find((group) => lower(group.name) === lower(name));
  }

  /** Every group and subscription below `group`, at all levels, parents before children. */
  descendants(group: EmulatedManagementGroup): Array<{ kind: "group"; group: EmulatedManagementGroup; parent: string } | { kind: "subscription"; subscriptionId: string; parent: string }> {
    const children = this.managementGroups.filter((candidate) => candidate.parent !== undefined && lower(candidate.parent) === lower(group.name));
    return [
      ...children.map((child) => ({ kind: "group" as const, group: child, parent: group.name })),
      ...group.subscriptions.map((subscriptionId) => ({ kind: "subscription" as const, subscriptionId, parent: group.name })),
      ...children.flatMap((child) => this.descendants(child)),
    ];
  }

  subscription(id: string): EmulatedSubscription | undefined {
    return this.subscriptions.get(lower(id));
  }

  get(id: string): ArmResource | undefined {
    return this.resources.get(lower(id));
  }

  inCollection(path: string): ArmResource[] {
    return this.indexed().byCollection.get(lower(path)) ?? [];
  }

  inScope(scope: string, type: string): ArmResource[] {
    return this.indexed().byScopeType.get(`${lower(scope)}|${lower(type)}`) ?? [];
  }

  resourceGroup(subscriptionId: string, name: string) {
    return this.indexed().groups.get(lower(`/subscriptions/${subscriptionId}/resourceGroups/${name}`));
  }

  resourceGroups(subscriptionId: string) {
    const prefix = lower(`/subscriptions/${subscriptionId}/resourcegroups/`);
    return [...this.indexed().groups.entries()].filter(([k]) => k.startsWith(prefix)).map(([, g]) => g);
  }

  knowsType(type: string): boolean {
    return this.indexed().types.has(lower(type));
  }

  /** The plan integrating into a subnet (regional integration), if any. */
  integratingPlan(subnetId: string): string | undefined {
    return this.indexed().integratedSubnets.get(lower(subnetId));
  }

  private indexed(): StoreIndex {
    if (this.index) return this.index;
    const index: StoreIndex = { byCollection: new Map(), byScopeType: new Map(), groups: new Map(), types: new Set(BUILTIN_TYPES), integratedSubnets: new Map() };
    const push = (map: Map<string, ArmResource[]>, key: string, r: ArmResource) => {
      const list = map.get(key);
      if (list) list.push(r);
      else map.set(key, [r]);
    };
    for (const r of this.resources.values()) {
      const segs = segmentsOf(r.id);
      const type = lower(r.type);
      index.types.add(type);
      push(index.byCollection, collectionKey(r.id), r);
      const integrationSubnet = SITE_TYPES.has(type)
        ? props(r).virtualNetworkSubnetId
        : type === "microsoft.web/serverfarms"
          ? (props(r).network as { virtualNetworkSubnetId?: unknown } | undefined)?.virtualNetworkSubnetId
          : undefined;
      if (typeof integrationSubnet === "string" && integrationSubnet && !index.integratedSubnets.has(lower(integrationSubnet))) {
        const planId = type === "microsoft.web/serverfarms" ? r.id : props(r).serverFarmId;
        if (typeof planId === "string") index.integratedSubnets.set(lower(integrationSubnet), planId);
      }
      const sub = `/subscriptions/${segs[1]}`;
      if (type === "microsoft.resources/resourcegroups") {
        const key = lower(r.id);
        index.groups.set(key, { id: r.id, name: r.name, ...(r.location ? { location: r.location } : {}), explicit: r });
        continue;
      }
      push(index.byScopeType, `${lower(sub)}|${type}`, r);
      if (lower(segs[2] ?? "") === "resourcegroups" && segs[3]) {
        const rgId = `${sub}/resourceGroups/${segs[3]}`;
        push(index.byScopeType, `${lower(rgId)}|${type}`, r);
        // A resource group exists when anything lives in it (ARM would also
        // list empty ones; add a Microsoft.Resources/resourceGroups resource for that).
        if (!index.groups.has(lower(rgId))) {
          index.groups.set(lower(rgId), { id: rgId, name: segs[3], ...(r.location ? { location: r.location } : {}) });
        }
      }
    }
    this.index = index;
    return index;
  }
}

/** Evidence shapes shared by several rules (the gateway-required ones above all). */
import type { VnetConnection } from "../model/inventory.js";
import type { InventoryIndex } from "./inventory-index.js";
import type { SiteOnPlan } from "./selectors.js";
import { isVpnGateway } from "./terms.js";

/** `{ id, name }` of a resource for evidence, or `{ id, inInventory: false }` when only the ID is known. */
export function resourceRef(
  id: string | undefined,
  resource: { id: string; name: string } | undefined,
): { id: string; name: string } | { id: string | null; inInventory: false } {
  return resource ? { id: resource.id, name: resource.name } : { id: id ?? null, inInventory: false };
}

/** The VPN gateway a gateway-required connection to the VNet goes through, or null when none was collected. */
export function vpnGatewayRef(index: InventoryIndex, vnetId: string | undefined) {
  const gateway = index.gatewaysOf(vnetId).find(isVpnGateway);
  return gateway ? { id: gateway.id, name: gateway.name, sku: gateway.sku ?? null } : null;
}

/** RULES.md: gateway-required evidence names the VNet, the gateway and the plan. */
export function gatewayConnectionEvidence(index: InventoryIndex, entry: SiteOnPlan, connection: VnetConnection) {
  return {
    connection: connection.name,
    virtualNetwork: resourceRef(connection.vnetResourceId, index.virtualNetwork(connection.vnetResourceId)),
    gateway: vpnGatewayRef(index, connection.vnetResourceId),
    plan: resourceRef(entry.planId, entry.plan),
  };
}

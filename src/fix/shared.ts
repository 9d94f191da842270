/** Small pieces the fix planners share. */
import type { FixBlocker, FixStep } from "../model/finding.js";
import type { VirtualNetwork } from "../model/inventory.js";
import { sameArmId } from "../util/arm-id.js";
import { LONGEST_PROPOSED_PREFIX, SHORTEST_PROPOSED_PREFIX } from "./address-space.js";
import type { AddressSpaceShortfall } from "./allocator.js";
import { command, shellArg } from "./commands.js";

/** `West Europe` and `westeurope` are one region. */
export function normalizeRegion(location: string | undefined): string {
  return (location ?? "").replace(/\s+/g, "").toLowerCase();
}

/** True when either VNet lists a peering to the other (any state: a half-made peering is completed by hand). */
export function peeredWith(a: VirtualNetwork, b: VirtualNetwork): boolean {
  return (
    (a.peerings ?? []).some((peering) => sameArmId(peering.remoteVirtualNetworkId, b.id)) ||
    (b.peerings ?? []).some((peering) => sameArmId(peering.remoteVirtualNetworkId, a.id))
  );
}

/** A prefix length for demand no single proposed subnet holds: the largest one proposed. */
export function sizeFor(demand: number): number {
  return demand <= 0 ? LONGEST_PROPOSED_PREFIX : SHORTEST_PROPOSED_PREFIX;
}

/**
 * RULES.md: no free block, blocker `no-free-address-space`, and the message says how much to
 * add. With a prefix that overlaps nothing known, the step adds it to the VNet's address space.
 */
export function addressSpaceBlocker(
  vnet: VirtualNetwork,
  length: number,
  shortfall: AddressSpaceShortfall,
): { blocker: FixBlocker; step?: FixStep } {
  const add = shortfall.addressSpaceToAdd;
  const blocker: FixBlocker = {
    code: "no-free-address-space",
    message:
      `${vnet.name} (${vnet.addressPrefixes.join(", ")}) has no free aligned /${length} (${shortfall.neededAddresses} addresses; ` +
      `${shortfall.freeAddresses > 0 ? `${shortfall.freeAddresses} address(es) are free, in smaller pieces` : "every address is in a subnet"}): ` +
      `add at least a /${length} of address space` +
      (add ? `, e.g. ${add}, which overlaps neither the VNet, its peerings nor any other network this audit read (check your IP address plan too)` : "") +
      `, then plan again.`,
  };
  if (!add) return { blocker };
  const prefixes = [...vnet.addressPrefixes, add];
  return {
    blocker,
    step: {
      description:
        `Add ${add} to ${vnet.name}'s address space (the list below is its current prefixes plus the new one)` +
        `${(vnet.peerings ?? []).length > 0 ? "; then sync its peerings so the peered networks learn the new range" : ""}.`,
      command: command("az network vnet update", ["--subscription", vnet.subscriptionId], ["--resource-group", vnet.resourceGroup], ["--name", vnet.name], "--address-prefixes", ...prefixes.map(shellArg)),
    },
  };
}

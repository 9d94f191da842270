/**
 * Hands out address space in turn, as the engineer would create the subnets, so that the
 * subnets (and address spaces to add) one scan proposes never overlap each other
 * (RULES.md "Fix plans"). One allocator per scan; it holds only what it has handed out.
 */
import type { VirtualNetwork } from "../model/inventory.js";
import { armKey } from "../util/arm-id.js";
import { additionalAddressSpace, formatCidr, freeRanges, countAddresses, lowestAlignedBlock, blockSize } from "./address-space.js";

export interface SubnetProposal {
  addressPrefix: string;
}

export interface AddressSpaceShortfall {
  /** Free IPv4 addresses left in the VNet (none of them in an aligned block big enough). */
  freeAddresses: number;
  /** Addresses the needed block holds. */
  neededAddresses: number;
  /** A prefix to add to the VNet's address space, or undefined when every private block is taken. */
  addressSpaceToAdd?: string;
}

export class AddressAllocator {
  /** Lower-cased VNet ID -> prefixes proposed in it so far. */
  private readonly proposed = new Map<string, string[]>();
  /** Address spaces proposed for adding, anywhere. */
  private readonly added: string[] = [];

  /**
   * @param knownPrefixes address space already in use anywhere the scan saw (every VNet,
   * every point-to-site pool): an address space to add never overlaps it.
   */
  private readonly knownPrefixes: string[];

  constructor(knownPrefixes: readonly string[] = []) {
    this.knownPrefixes = [...knownPrefixes];
  }

  /** More address space in use (another subscription's inventory of the same scan). */
  observe(prefixes: readonly string[]): void {
    this.knownPrefixes.push(...prefixes);
  }

  proposedIn(vnetId: string): readonly string[] {
    return this.proposed.get(armKey(vnetId)) ?? [];
  }

  /**
   * Address space for a new VNet: a private block of `length` that overlaps nothing known or
   * handed out, preferring the private block `near` is in. Recorded as taken.
   */
  freshSpace(near: readonly string[], length: number): string | undefined {
    const block = additionalAddressSpace(near, [], [...this.knownPrefixes, ...this.added, ...[...this.proposed.values()].flat()], length);
    if (!block) return undefined;
    const prefix = formatCidr(block);
    this.added.push(prefix);
    return prefix;
  }

  /** The lowest aligned free block of `length` in the VNet, recorded as taken; or a shortfall. */
  allocate(vnet: VirtualNetwork, length: number): { prefix: string } | { shortfall: AddressSpaceShortfall } {
    const used = [...vnet.subnets.flatMap((subnet) => subnet.addressPrefixes), ...this.proposedIn(vnet.id)];
    const free = freeRanges(vnet.addressPrefixes, used);
    const block = lowestAlignedBlock(free, length);
    if (block) {
      const prefix = formatCidr(block);
      this.proposed.set(armKey(vnet.id), [...this.proposedIn(vnet.id), prefix]);
      return { prefix };
    }
    const peered = (vnet.peerings ?? []).flatMap((peering) => peering.remoteAddressPrefixes);
    const extra = additionalAddressSpace(vnet.addressPrefixes, peered, [...this.knownPrefixes, ...this.added], length);
    const addressSpaceToAdd = extra ? formatCidr(extra) : undefined;
    if (addressSpaceToAdd) this.added.push(addressSpaceToAdd);
    return {
      shortfall: {
        freeAddresses: countAddresses(free),
        neededAddresses: blockSize(length),
        ...(addressSpaceToAdd ? { addressSpaceToAdd } : {}),
      },
    };
  }
}

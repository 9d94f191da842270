/**
 * IPv4 address-space arithmetic for fix plans (RULES.md "Fix plans"): what is free in a VNet,
 * the lowest aligned block of a size, the size a set of plans needs, and where to add address
 * space when nothing is free. Pure: numbers in, numbers out.
 *
 * Prefixes are parsed by `parseIPv4Cidr` and sized by `usableAddresses` / `safeInstances`
 * (src/util/ipv4.ts, src/rules/terms.ts), so "usable" and "safe" mean here exactly what the rules judge by.
 * IPv6 prefixes are ignored everywhere: regional integration uses IPv4 only.
 */
import { parseIPv4Cidr, usableAddresses, type IPv4Cidr } from "../util/ipv4.js";
import { safeInstances } from "../rules/terms.js";
import { RECOMMENDED_PREFIX } from "../rules/subnet-undersized.js";

/** A half-open range of IPv4 addresses as unsigned numbers: [start, end). */
export interface AddressRange {
  start: number;
  end: number;
}

/** RULES.md: a proposed integration subnet is never smaller than the recommended /26. */
export const LONGEST_PROPOSED_PREFIX = RECOMMENDED_PREFIX;
/** The largest block proposed for one integration subnet; demand beyond it can't be met by one subnet. */
export const SHORTEST_PROPOSED_PREFIX = 16;

const SPACE = 2 ** 32;

export function blockSize(length: number): number {
  return 2 ** (32 - length);
}

/** `a.b.c.d/len` of a parsed prefix. */
export function formatCidr(cidr: IPv4Cidr): string {
  const n = cidr.network;
  return `${Math.floor(n / 2 ** 24) % 256}.${Math.floor(n / 2 ** 16) % 256}.${Math.floor(n / 2 ** 8) % 256}.${n % 256}/${cidr.length}`;
}

/** The IPv4 prefixes of a list, parsed; IPv6 and malformed entries are left out. */
export function ipv4Prefixes(prefixes: readonly string[]): IPv4Cidr[] {
  return prefixes.flatMap((prefix) => parseIPv4Cidr(prefix) ?? []);
}

export function toRange(cidr: IPv4Cidr): AddressRange {
  return { start: cidr.network, end: cidr.network + blockSize(cidr.length) };
}

/** Sorted, non-overlapping, adjacent ranges joined. */
export function mergeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: AddressRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** `from` minus every range of `taken`. Both may overlap themselves; the result is merged. */
export function subtractRanges(from: readonly AddressRange[], taken: readonly AddressRange[]): AddressRange[] {
  const holes = mergeRanges(taken);
  const result: AddressRange[] = [];
  for (const range of mergeRanges(from)) {
    let cursor = range.start;
    for (const hole of holes) {
      if (hole.end <= cursor) continue;
      if (hole.start >= range.end) break;
      if (hole.start > cursor) result.push({ start: cursor, end: hole.start });
      cursor = Math.max(cursor, hole.end);
      if (cursor >= range.end) break;
    }
    if (cursor < range.end) result.push({ start: cursor, end: range.end });
  }
  return result;
}

/**
 * RULES.md "Free address space": the VNet's IPv4 prefixes minus every subnet's prefixes
 * (GatewaySubnet and all others) and minus anything already proposed in this scan.
 */
export function freeRanges(vnetPrefixes: readonly string[], usedPrefixes: readonly string[]): AddressRange[] {
  return subtractRanges(ipv4Prefixes(vnetPrefixes).map(toRange), ipv4Prefixes(usedPrefixes).map(toRange));
}

/** The lowest block of `length` that is aligned on its size and lies wholly in one free range. */
export function lowestAlignedBlock(free: readonly AddressRange[], length: number): IPv4Cidr | undefined {
  const size = blockSize(length);
  for (const range of mergeRanges(free)) {
    const start = Math.ceil(range.start / size) * size;
    if (start + size <= range.end && start + size <= SPACE) return { network: start, length };
  }
  return undefined;
}

/** Total free addresses, for messages. */
export function countAddresses(ranges: readonly AddressRange[]): number {
  return ranges.reduce((sum, range) => sum + (range.end - range.start), 0);
}

/** Safe instances of one prefix of this length (terms: usable, then halved while scaling). */
export function safeInstancesOfLength(length: number): number {
  return safeInstances(usableAddresses([formatCidr({ network: 0, length })]));
}

/**
 * RULES.md "Needed size" for a set of plans: the longest prefix (smallest block) whose safe
 * instances cover the summed demand, never smaller than /26. Undefined when even a
 * /16 can't hold it (then no single subnet can).
 */
export function neededPrefixLength(demand: number): number | undefined {
  for (let length = LONGEST_PROPOSED_PREFIX; length >= SHORTEST_PROPOSED_PREFIX; length--) {
    if (safeInstancesOfLength(length) >= demand) return length;
  }
  return undefined;
}

/** The private blocks address space is proposed from, when a VNet has none free. */
const PRIVATE_BLOCKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((block) => parseIPv4Cidr(block)!);

function containsRange(outer: AddressRange, inner: AddressRange): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/**
 * When a VNet has no free block of `length`: a prefix of that size to add to its address
 * space that overlaps neither the VNet, its peerings' remote address spaces, nor anything in
 * `avoid` (other VNets seen, point-to-site pools, earlier proposals). Taken from the private
 * block the VNet already uses first (so routes and firewall rules stay in one family), then
 * the others. Undefined when every private block is full.
 */
export function additionalAddressSpace(
  vnetPrefixes: readonly string[],
  peeredPrefixes: readonly string[],
  avoid: readonly string[],
  length: number,
): IPv4Cidr | undefined {
  const own = ipv4Prefixes(vnetPrefixes).map(toRange);
  const taken = [...own, ...ipv4Prefixes(peeredPrefixes).map(toRange), ...ipv4Prefixes(avoid).map(toRange)];
  const blocks = PRIVATE_BLOCKS.map(toRange);
  const home = blocks.filter((block) => own.some((range) => containsRange(block, range)));
  for (const block of [...home, ...blocks.filter((b) => !home.includes(b))]) {
    const found = lowestAlignedBlock(subtractRanges([block], taken), length);
    if (found) return found;
  }
  return undefined;
}

/** True when two prefix lists share any address (IPv4 only). */
export function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const left = mergeRanges(ipv4Prefixes(a).map(toRange));
  const right = mergeRanges(ipv4Prefixes(b).map(toRange));
  return left.some((x) => right.some((y) => x.start < y.end && y.start < x.end));
}

/** True when every address of `inner` lies in `outer` (IPv4 only). */
export function within(inner: string, outer: readonly string[]): boolean {
  const cidr = parseIPv4Cidr(inner);
  if (!cidr) return false;
  return subtractRanges([toRange(cidr)], ipv4Prefixes(outer).map(toRange)).length === 0;
}

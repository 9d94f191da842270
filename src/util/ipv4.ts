/**
 * IPv4 prefixes as numbers: parsing `a.b.c.d/len`, the addresses Azure leaves usable in a
 * subnet, and the RFC 1918 blocks. Pure arithmetic, shared by the rules (sizes, gateway pools)
 * and the fix plans (free address space), so "usable" means the same in both.
 */

export interface IPv4Cidr {
  /** The network address as an unsigned 32-bit number, host bits cleared. */
  network: number;
  length: number;
}

/** Parses `a.b.c.d/len`; undefined for IPv6 or anything malformed. */
export function parseIPv4Cidr(prefix: string): IPv4Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(prefix.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const length = Number(match[5]);
  if (octets.some((octet) => octet > 255) || length > 32) return undefined;
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  return { network: address - (address % 2 ** (32 - length)), length };
}

export function isIPv6Prefix(prefix: string): boolean {
  return prefix.includes(":");
}

/** Azure reserves five addresses in every subnet prefix (network, gateway, 2 DNS, broadcast). */
const AZURE_RESERVED_ADDRESSES_PER_PREFIX = 5;

/** RULES.md "Usable addresses": 2^(32 − len) − 5 per IPv4 prefix, summed; IPv6 prefixes ignored. */
export function usableAddresses(prefixes: readonly string[]): number {
  return prefixes
    .map(parseIPv4Cidr)
    .filter((cidr) => cidr !== undefined)
    .reduce((sum, cidr) => sum + Math.max(0, 2 ** (32 - cidr.length) - AZURE_RESERVED_ADDRESSES_PER_PREFIX), 0);
}

/** The RFC 1918 private blocks a gateway's point-to-site pool must lie in. */
const RFC1918_BLOCKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((block) => parseIPv4Cidr(block)!);

function contains(outer: IPv4Cidr, inner: IPv4Cidr): boolean {
  return inner.length >= outer.length && inner.network - (inner.network % 2 ** (32 - outer.length)) === outer.network;
}

/** True when the whole prefix lies inside 10/8, 172.16/12 or 192.168/16; false for IPv6 or malformed. */
export function isWithinRfc1918(prefix: string): boolean {
  const cidr = parseIPv4Cidr(prefix);
  return cidr !== undefined && RFC1918_BLOCKS.some((block) => contains(block, cidr));
}

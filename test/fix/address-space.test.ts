import { describe, expect, it } from "vitest";
import {
  additionalAddressSpace,
  formatCidr,
  freeRanges,
  lowestAlignedBlock,
  mergeRanges,
  neededPrefixLength,
  overlaps,
  safeInstancesOfLength,
  subtractRanges,
  toRange,
  within,
} from "../../src/fix/address-space.js";
import { AddressAllocator } from "../../src/fix/allocator.js";
import { parseIPv4Cidr } from "../../src/util/ipv4.js";
import { makeSubnet, makeVnet } from "../rules/fixtures.js";

const range = (prefix: string) => toRange(parseIPv4Cidr(prefix)!);
const lowest = (vnet: string[], used: string[], length: number) => {
  const block = lowestAlignedBlock(freeRanges(vnet, used), length);
  return block ? formatCidr(block) : undefined;
};

describe("prefix arithmetic", () => {
  it("formats and parses back every length", () => {
    for (let length = 0; length <= 32; length++) {
      const cidr = parseIPv4Cidr(`10.20.30.40/${length}`)!;
      expect(parseIPv4Cidr(formatCidr(cidr))).toEqual(cidr);
    }
    expect(formatCidr(parseIPv4Cidr("255.255.255.255/32")!)).toBe("255.255.255.255/32");
    expect(formatCidr(parseIPv4Cidr("10.1.2.77/26")!)).toBe("10.1.2.64/26");
  });

  it("merges overlapping and adjacent ranges", () => {
    expect(mergeRanges([range("10.0.1.0/24"), range("10.0.0.0/24"), range("10.0.0.128/25")])).toEqual([{ start: range("10.0.0.0/23").start, end: range("10.0.0.0/23").end }]);
  });

  it("subtracts holes at the start, middle and end, and whole ranges", () => {
    const free = subtractRanges([range("10.0.0.0/24")], [range("10.0.0.0/26"), range("10.0.0.128/27"), range("10.0.0.224/27")]);
    expect(free).toEqual([range("10.0.0.64/26"), { start: range("10.0.0.160/27").start, end: range("10.0.0.192/27").end }]);
    expect(subtractRanges([range("10.0.0.0/24")], [range("10.0.0.0/16")])).toEqual([]);
    expect(subtractRanges([range("10.0.0.0/24")], [])).toEqual([range("10.0.0.0/24")]);
  });

  it("finds the lowest aligned free block, skipping unaligned gaps", () => {
    // Free: 10.0.0.32/27 (too small for a /26), then 10.0.0.128/25.
    expect(lowest(["10.0.0.0/24"], ["10.0.0.0/27", "10.0.0.64/26"], 26)).toBe("10.0.0.128/26");
    // A free run of 96 addresses starting at .32 holds a /26 only at .64.
    expect(lowest(["10.0.0.0/24"], ["10.0.0.0/27", "10.0.0.128/25"], 26)).toBe("10.0.0.64/26");
    expect(lowest(["10.0.0.0/24"], ["10.0.0.0/27", "10.0.0.96/27", "10.0.0.128/25"], 26)).toBeUndefined();
  });

  it("uses the block at the very end of a prefix", () => {
    expect(lowest(["10.9.0.0/24"], ["10.9.0.0/25", "10.9.0.128/26"], 26)).toBe("10.9.0.192/26");
    expect(lowest(["255.255.255.0/24"], ["255.255.255.0/25", "255.255.255.128/26"], 26)).toBe("255.255.255.192/26");
  });

  it("counts GatewaySubnet and every other subnet as used", () => {
    expect(lowest(["10.50.0.0/24"], ["10.50.0.0/27"], 26)).toBe("10.50.0.64/26");
  });

  it("reads two prefixes, and addressPrefix and addressPrefixes alike, and ignores IPv6", () => {
    const vnet = ["10.1.0.0/24", "10.2.0.0/24", "fd00:db8::/48"];
    expect(lowest(vnet, ["10.1.0.0/24"], 26)).toBe("10.2.0.0/26");
    expect(lowest(vnet, ["10.1.0.0/25", "fd00:db8::/64"], 26)).toBe("10.1.0.128/26");
    // A block can't straddle two adjacent prefixes unless it is aligned across them.
    expect(lowest(["10.1.0.0/25", "10.1.0.128/25"], [], 24)).toBe("10.1.0.0/24");
    expect(lowest(["10.1.0.128/25", "10.1.1.0/25"], [], 24)).toBeUndefined();
    expect(lowest(["fd00::/48"], [], 26)).toBeUndefined();
  });

  it("handles a fragmented space: every other /27 taken", () => {
    const used = Array.from({ length: 4 }, (_, i) => `10.3.0.${i * 64}/27`);
    expect(lowest(["10.3.0.0/24"], used, 26)).toBeUndefined();
    expect(lowest(["10.3.0.0/24"], used, 27)).toBe("10.3.0.32/27");
  });

  it("handles a /16 with hundreds of subnets", () => {
    // 1 000 /26 subnets fill 10.4.0.0 .. 10.4.249.255; one /26 in the middle left free.
    const used = Array.from({ length: 1000 }, (_, i) => `10.4.${Math.floor(i / 4)}.${(i % 4) * 64}/26`).filter((p) => p !== "10.4.120.128/26");
    expect(lowest(["10.4.0.0/16"], used, 26)).toBe("10.4.120.128/26");
    expect(lowest(["10.4.0.0/16"], used, 24)).toBe("10.4.250.0/24");
    expect(lowest(["10.4.0.0/16"], used, 22)).toBe("10.4.252.0/22");
    expect(lowest(["10.4.0.0/16"], used, 20)).toBeUndefined();
  });

  it("tests overlap and containment", () => {
    expect(overlaps(["10.0.0.0/16"], ["10.0.255.0/24"])).toBe(true);
    expect(overlaps(["10.0.0.0/16"], ["10.1.0.0/16", "fd00::/8"])).toBe(false);
    expect(within("10.0.1.0/26", ["10.0.0.0/24", "10.0.1.0/24"])).toBe(true);
    expect(within("10.0.1.0/23", ["10.0.1.0/24"])).toBe(false);
  });
});

describe("needed size", () => {
  it("uses the rules' usable and safe-instance terms", () => {
    expect(safeInstancesOfLength(28)).toBe(5);
    expect(safeInstancesOfLength(27)).toBe(13);
    expect(safeInstancesOfLength(26)).toBe(29);
  });

  it("is never smaller than a /26, and the smallest prefix whose safe instances cover the demand", () => {
    expect(neededPrefixLength(0)).toBe(26);
    expect(neededPrefixLength(1)).toBe(26);
    expect(neededPrefixLength(29)).toBe(26);
    expect(neededPrefixLength(30)).toBe(25); // /25: 123 usable, 61 safe
    expect(neededPrefixLength(61)).toBe(25);
    expect(neededPrefixLength(62)).toBe(24);
    expect(neededPrefixLength(125)).toBe(24);
    expect(neededPrefixLength(126)).toBe(23);
    expect(neededPrefixLength(1_000_000)).toBeUndefined();
  });
});

describe("address space to add", () => {
  it("overlaps neither the VNet nor its peerings, and stays in the VNet's private block", () => {
    const add = additionalAddressSpace(["10.50.0.0/24"], ["10.50.1.0/24", "10.0.0.0/16"], [], 26)!;
    expect(formatCidr(add)).toBe("10.1.0.0/26");
    expect(overlaps([formatCidr(add)], ["10.50.0.0/24", "10.50.1.0/24", "10.0.0.0/16"])).toBe(false);
  });

  it("moves to the next private block when the VNet's is full", () => {
    expect(formatCidr(additionalAddressSpace(["192.168.0.0/16"], [], [], 26)!)).toBe("10.0.0.0/26");
    expect(formatCidr(additionalAddressSpace(["192.168.0.0/17"], [], ["10.0.0.0/8"], 26)!)).toBe("192.168.128.0/26");
  });

  it("is undefined when every private block is taken", () => {
    expect(additionalAddressSpace(["10.0.0.0/8"], ["172.16.0.0/12"], ["192.168.0.0/16"], 26)).toBeUndefined();
  });
});

describe("AddressAllocator", () => {
  it("hands out blocks in turn so proposals never overlap", () => {
    const vnet = makeVnet("vnet-a", { addressPrefixes: ["10.7.0.0/24"] });
    vnet.subnets = [makeSubnet(vnet.id, "GatewaySubnet", ["10.7.0.0/27"])];
    const allocator = new AddressAllocator();
    const first = allocator.allocate(vnet, 26);
    const second = allocator.allocate(vnet, 26);
    const third = allocator.allocate(vnet, 26);
    const fourth = allocator.allocate(vnet, 26);
    expect([first, second, third]).toEqual([{ prefix: "10.7.0.64/26" }, { prefix: "10.7.0.128/26" }, { prefix: "10.7.0.192/26" }]);
    expect(fourth).toMatchObject({ shortfall: { freeAddresses: 32, neededAddresses: 64 } });
  });

  it("proposes address space that avoids peerings, other known networks and earlier proposals", () => {
    const vnet = makeVnet("vnet-full", {
      addressPrefixes: ["10.70.0.0/26"],
      peerings: [{ name: "to-hub", remoteVirtualNetworkId: "x", remoteAddressPrefixes: ["10.0.0.0/16"] }],
    });
    vnet.subnets = [makeSubnet(vnet.id, "snet-all", ["10.70.0.0/26"])];
    const allocator = new AddressAllocator(["10.1.0.0/16"]);
    const a = allocator.allocate(vnet, 26);
    const b = allocator.allocate(vnet, 26);
    expect(a).toEqual({ shortfall: { freeAddresses: 0, neededAddresses: 64, addressSpaceToAdd: "10.2.0.0/26" } });
    expect(b).toEqual({ shortfall: { freeAddresses: 0, neededAddresses: 64, addressSpaceToAdd: "10.2.0.64/26" } });
  });
});

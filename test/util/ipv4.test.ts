import { describe, expect, it } from "vitest";
import { safeInstances } from "../../src/rules/terms.js";
import { isWithinRfc1918, usableAddresses } from "../../src/util/ipv4.js";

describe("usableAddresses and safeInstances", () => {
  it.each([
    ["10.0.0.0/26", 59, 29],
    ["10.0.0.0/27", 27, 13],
    ["10.0.0.0/28", 11, 5],
    ["10.0.0.0/29", 3, 1],
  ])("gives %s %i usable addresses and %i safe instances", (prefix, usable, safe) => {
    expect(usableAddresses([prefix])).toBe(usable);
    expect(safeInstances(usable)).toBe(safe);
  });

  it("sums IPv4 prefixes and ignores IPv6 and malformed ones", () => {
    expect(usableAddresses(["10.0.0.0/27", "10.0.1.0/28", "fd00::/64", "not-a-prefix"])).toBe(38);
  });
});

describe("isWithinRfc1918", () => {
  it.each(["10.0.0.0/8", "10.255.0.0/16", "172.16.0.0/12", "172.31.255.0/24", "192.168.0.0/16", "192.168.10.0/24"])(
    "accepts %s",
    (prefix) => expect(isWithinRfc1918(prefix)).toBe(true),
  );

  it.each(["172.32.0.0/24", "172.15.255.0/24", "172.0.0.0/8", "192.169.0.0/24", "11.0.0.0/24", "100.64.0.0/10", "10.0.0.0/7", "172.16.0.0/11", "192.168.0.0/15", "fd00::/64", "10.0.0.0"])(
    "rejects %s",
    (prefix) => expect(isWithinRfc1918(prefix)).toBe(false),
  );
});

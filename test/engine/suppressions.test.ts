import { describe, expect, it } from "vitest";
import { compileGlob, matchSuppression } from "../../src/engine/suppressions.js";

const finding = { ruleId: "subnet-undersized", resourceId: "/subscriptions/S1/resourceGroups/Legacy-RG/providers/Microsoft.Network/virtualNetworks/v/subnets/apps" };
const now = new Date("2026-11-22T12:00:00Z");

describe("suppressions", () => {
  it("matches resource globs case-insensitively", () => {
    // `*` spans path segments, so a resource-group prefix covers everything in the group.
    expect(compileGlob("/subscriptions/*/resourceGroups/legacy-*")(finding.resourceId)).toBe(true);
    expect(compileGlob("/subscriptions/*/resourceGroups/prod-*")(finding.resourceId)).toBe(false);
    expect(compileGlob("/subscriptions/s?/*")(finding.resourceId)).toBe(true);
    expect(compileGlob("/subscriptions/s1/resourceGroups/legacy-rg/providers/Microsoft.Network/virtualNetworks/v/subnets/apps.x")(finding.resourceId)).toBe(false);
  });

  it("applies a rule-specific or wildcard suppression, and not another rule's", () => {
    expect(matchSuppression(finding, [{ ruleId: "https-only-disabled", resourceId: "*", reason: "r" }], now)).toBeUndefined();
    expect(matchSuppression(finding, [{ ruleId: "*", resourceId: "*", reason: "all" }], now)).toMatchObject({ expired: false });
  });

  it("holds through its expiry day and stops the day after", () => {
    const suppression = { ruleId: "*", resourceId: "*", reason: "r", expiresOn: "2026-11-22" };
    expect(matchSuppression(finding, [suppression], now)).toMatchObject({ expired: false });
    expect(matchSuppression(finding, [suppression], new Date("2026-11-23T00:00:00Z"))).toMatchObject({ expired: true });
  });

  it("prefers a live suppression over an expired one", () => {
    const expired = { ruleId: "*", resourceId: "*", reason: "old", expiresOn: "2026-01-01" };
    const live = { ruleId: "subnet-undersized", resourceId: "*", reason: "new" };
    expect(matchSuppression(finding, [expired, live], now)?.suppression.reason).toBe("new");
  });
});

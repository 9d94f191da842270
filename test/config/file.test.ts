import { describe, expect, it } from "vitest";
import { ConfigError, configFromSetting, parseConfig } from "../../src/config/file.js";
import { cycleDepsFromEnv } from "../../src/cycle/deps.js";

const RULE_IDS = ["subnet-undersized", "https-only-disabled"];

describe("config file", () => {
  it("accepts a complete config and applies defaults", () => {
    const config = parseConfig(
      {
        subscriptions: ["00000000-0000-0000-0000-000000000001"],
        failOn: "medium",
        suppressions: [{ ruleId: "*", resourceId: "/subscriptions/*/resourceGroups/legacy-*", reason: "retiring in Q1", expiresOn: "2027-01-31" }],
        certificateExpiry: { highWithinDays: 7 },
      },
      RULE_IDS,
    );
    expect(config.failOn).toBe("medium");
    expect(config.suppressions).toHaveLength(1);
    expect(config.ruleSettings.certificateExpiry).toEqual({ highWithinDays: 7, mediumWithinDays: 30 });
  });

  it("uses the default thresholds when none are given", () => {
    expect(parseConfig({}, RULE_IDS).ruleSettings.certificateExpiry).toEqual({ highWithinDays: 14, mediumWithinDays: 30 });
  });

  it.each([
    [{ suppressions: [{ ruleId: "subnet-undersized", resourceId: "/x" }] }, /suppressions\.0\.reason is not valid/],
    [{ suppressions: [{ ruleId: "subnet-undersized", resourceId: "/x", reason: "  " }] }, /suppressions\.0\.reason "  " is not valid: expected a non-empty reason/],
    [{ suppressions: [{ ruleId: "no-such-rule", resourceId: "/x", reason: "r" }] }, /suppressions\.0\.ruleId "no-such-rule" is not valid: expected a rule ID \(subnet-undersized, https-only-disabled\) or "\*"/],
    [{ suppressions: [{ ruleId: "*", resourceId: "/x", reason: "r", expiresOn: "next week" }] }, /expiresOn "next week" is not valid: expected a date like 2027-01-31/],
    [{ suppressions: [{ ruleId: "*", resourceId: "/x", reason: "r", expiresOn: "2027-02-31" }] }, /expiresOn "2027-02-31" is not valid/],
    [{ failOn: "urgent" }, /failOn "urgent" is not valid: expected one of "critical", "high", "medium", "low", "info"/],
    [{ certificateExpiry: { highWithinDays: 40, mediumWithinDays: 30 } }, /certificateExpiry\.mediumWithinDays .* expected mediumWithinDays at least highWithinDays/],
    [{ supressions: [] }, /\(root\) .*is not valid: expected no unknown keys \(supressions\)/],
    [{ subscriptions: ["prod"] }, /subscriptions\.0 "prod" is not valid: expected a subscription ID/],
  ])("rejects %j with a message naming the field", (raw, message) => {
    expect(() => parseConfig(raw, RULE_IDS, "audit.json")).toThrow(ConfigError);
    expect(() => parseConfig(raw, RULE_IDS, "audit.json")).toThrow(message);
  });
});

describe("AUDIT_CONFIG app setting", () => {
  it("is the config file's JSON, and empty means defaults", () => {
    expect(configFromSetting("", RULE_IDS).suppressions).toEqual([]);
    const config = configFromSetting(JSON.stringify({ suppressions: [{ ruleId: "https-only-disabled", resourceId: "*", reason: "behind Front Door" }] }), RULE_IDS);
    expect(config.suppressions).toEqual([{ ruleId: "https-only-disabled", resourceId: "*", reason: "behind Front Door" }]);
  });

  it.each([
    ["{suppressions:", /^AUDIT_CONFIG: not valid JSON/],
    ['{"failOn": "urgent"}', /^AUDIT_CONFIG: failOn "urgent" is not valid/],
  ])("names the setting when %s is wrong", (json, message) => {
    expect(() => configFromSetting(json, RULE_IDS)).toThrow(ConfigError);
    expect(() => configFromSetting(json, RULE_IDS)).toThrow(message);
  });

  it("reaches the function app's scan cycle", () => {
    const deps = cycleDepsFromEnv({
      AzureWebJobsStorage: "UseDevelopmentStorage=true",
      AUDIT_CONFIG: JSON.stringify({ certificateExpiry: { highWithinDays: 7, mediumWithinDays: 60 } }),
    });
    expect(deps.config.ruleSettings.certificateExpiry).toEqual({ highWithinDays: 7, mediumWithinDays: 60 });
  });
});

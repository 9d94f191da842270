import { describe, expect, it } from "vitest";
import { readSettings, SettingsError } from "../../src/config/settings.js";

describe("settings", () => {
  it("applies defaults when nothing is set", () => {
    const settings = readSettings({});
    expect(settings.AUDIT_ARM_ENDPOINT).toBe("https://management.azure.com");
    expect(settings.AUDIT_SUBSCRIPTIONS).toEqual([]);
    expect(settings.AUDIT_MIN_ALERT_SEVERITY).toBe("high");
  });

  it("parses the allow-list and trims the endpoint", () => {
    const settings = readSettings({
      AUDIT_ARM_ENDPOINT: "https://127.0.0.1:8443/",
      AUDIT_SUBSCRIPTIONS: " 00000000-0000-0000-0000-000000000001 ,00000000-0000-0000-0000-000000000002,",
      AUDIT_STORAGE: "UseDevelopmentStorage=true",
      AzureWebJobsStorage: "ignored",
    });
    expect(settings.AUDIT_ARM_ENDPOINT).toBe("https://127.0.0.1:8443");
    expect(settings.AUDIT_SUBSCRIPTIONS).toHaveLength(2);
    expect(readSettings({ AUDIT_SUBSCRIPTIONS: "1a2b3c4d-0000-4000-8000-000000000001,1A2B3C4D-0000-4000-8000-000000000001" }).AUDIT_SUBSCRIPTIONS).toEqual([
      "1a2b3c4d-0000-4000-8000-000000000001",
    ]);
  });

  it.each([
    [{ AUDIT_ARM_ENDPOINT: "http://management.azure.com" }, /AUDIT_ARM_ENDPOINT="http:\/\/management.azure.com" is not valid: expected an https URL/],
    [{ AUDIT_SUBSCRIPTIONS: "prod,dev" }, /AUDIT_SUBSCRIPTIONS="prod,dev" is not valid: expected a subscription ID/],
    [{ AUDIT_MIN_ALERT_SEVERITY: "urgent" }, /AUDIT_MIN_ALERT_SEVERITY="urgent" is not valid/],
    [{ AUDIT_WEBHOOK_URL: "http://hooks.example.com/x?sig=SECRETSIG" }, /^AUDIT_WEBHOOK_URL=<hidden> is not valid: expected an https URL \(http only on loopback\)$/],
  ])("rejects %j naming the setting", (env, message) => {
    expect(() => readSettings(env)).toThrow(SettingsError);
    expect(() => readSettings(env)).toThrow(message);
  });

  it("accepts an http webhook on loopback only", () => {
    expect(readSettings({ AUDIT_WEBHOOK_URL: "http://127.0.0.1:9999/hook" }).AUDIT_WEBHOOK_URL).toBe("http://127.0.0.1:9999/hook");
  });
});

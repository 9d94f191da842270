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

describe("webhook URL validation", () => {
  it.each([
    ["https://169.254.169.254/metadata/instance", /link-local|metadata/],
    ["https://[fe80::1]/hook", /link-local/],
    ["https://0.0.0.0/hook", /unspecified/],
    ["https://10.1.2.3/hook", /private/],
    ["https://192.168.1.10/hook", /private/],
    ["https://[::ffff:169.254.169.254]/hook", /metadata/],
    ["https://user:pass@hooks.example.com/hook", /user:password@/],
    ["http://hooks.example.com/hook", /http only on loopback/],
  ])("refuses %s", (url, reason) => {
    expect(() => readSettings({ AUDIT_WEBHOOK_URL: url })).toThrow(reason);
    expect(() => readSettings({ AUDIT_WEBHOOK_URL: url })).not.toThrow(/hooks\.example|169\.254|:pass@/);
  });

  it("refuses http loopback on App Service and the managed-identity endpoint's origin anywhere", () => {
    expect(() => readSettings({ AUDIT_WEBHOOK_URL: "http://127.0.0.1:9999/hook", WEBSITE_SITE_NAME: "vnet-audit-func" })).toThrow(/App Service/);
    expect(() => readSettings({ AUDIT_WEBHOOK_URL: "http://127.0.0.1:41741/hook", IDENTITY_ENDPOINT: "http://127.0.0.1:41741/msi/token" })).toThrow(/managed-identity/);
  });

  it("keeps the local receiver (demo, tests) and public https working", () => {
    expect(readSettings({ AUDIT_WEBHOOK_URL: "http://127.0.0.1:9999/hook" }).AUDIT_WEBHOOK_URL).toBe("http://127.0.0.1:9999/hook");
    expect(readSettings({ AUDIT_WEBHOOK_URL: "https://prod-01.westeurope.logic.azure.com/workflows/x?sig=abc" }).AUDIT_WEBHOOK_URL).toContain("logic.azure.com");
  });
});

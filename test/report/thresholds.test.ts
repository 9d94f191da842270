/**
 * One home per threshold: the report colours a certificate, counts certificates due and tones
 * the retirement countdown exactly as the rules judge them, with the config's thresholds, not
 * numbers of its own. Each case is checked twice: with the rules' findings active, and with
 * every finding suppressed (the report then colours from the rules' bands alone).
 */
import { describe, expect, it } from "vitest";
import { auditInventory } from "../../src/audit.js";
import { defaultConfig, type AuditConfig } from "../../src/config/file.js";
import { collectInsights } from "../../src/engine/insights.js";
import type { ScanResult } from "../../src/engine/result.js";
import type { Severity } from "../../src/model/severity.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderReport } from "../../src/report/index.js";
import { buildReportView } from "../../src/report/view-model.js";
import { severityFor as gatewayCertificateSeverity } from "../../src/rules/gateway-certificate-expiring.js";
import { LEGACY_HIGH_WITHIN_DAYS } from "../../src/rules/gateway-integration-legacy.js";
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from "../../src/rules/rule.js";
import { GATEWAY_INTEGRATION_RETIREMENT_DATE } from "../../src/rules/terms.js";
import { DAY_MS, NOW, legacyTenant, makeCertificate, makeInventory } from "../rules/fixtures.js";

/** Non-default on purpose: the report's old numbers (30 days, medium only) would disagree. */
const SETTINGS: RuleSettings = { certificateExpiry: { highWithinDays: 7, mediumWithinDays: 60 } };
const DAYS_LEFT = [-3, 0, 5, 7, 8, 20, 30, 31, 45, 59, 60, 61, 90];

function config(settings: RuleSettings, suppressAll: boolean): AuditConfig {
  return { ...defaultConfig(), ruleSettings: settings, suppressions: suppressAll ? [{ ruleId: "*", resourceId: "*", reason: "accepted for the test" }] : [] };
}

function certificateTenant() {
  return makeInventory({ certificates: DAYS_LEFT.map((days) => makeCertificate(`cert-${days < 0 ? "minus" : ""}${Math.abs(days)}`, days, { thumbprint: `T${days}` })) });
}

/** data-status of each certificate's timeline marker, by certificate ID. */
function markerStatus(html: string): Map<string, string> {
  return new Map([...html.matchAll(/<g class="timeline-item" data-certificate-id="([^"]+)" data-status="([^"]+)"/g)].map((match) => [match[1]!, match[2]!]));
}

describe("certificate colours follow certificate-expiring with the config's thresholds", () => {
  const inventory = certificateTenant();
  const insights = collectInsights(inventory, NOW);
  // What the rule says of each certificate, with the non-default thresholds.
  const judged = auditInventory(inventory, config(SETTINGS, false), NOW, "scan-judged");
  const ruleSays = new Map(inventory.certificates.map((c) => [c.id, judged.findings.find((f) => f.resourceId === c.id)?.severity ?? "ok"]));

  it("the rule itself sees the non-default thresholds (high within 7, medium within 60)", () => {
    expect(DAYS_LEFT.map((days, i) => ruleSays.get(inventory.certificates[i]!.id))).toEqual([
      "critical", "high", "high", "high", "medium", "medium", "medium", "medium", "medium", "medium", "medium", "ok", "ok",
    ]);
  });

  for (const suppressAll of [false, true]) {
    it(`colours each certificate as the rule judged it (${suppressAll ? "every finding suppressed" : "findings active"})`, () => {
      const result = auditInventory(inventory, config(SETTINGS, suppressAll), NOW, "scan-colours");
      expect(result.findings.every((f) => Boolean(f.suppressed) === suppressAll)).toBe(true);
      const html = renderHtmlReport(result, insights, { now: NOW, settings: SETTINGS });
      const status = markerStatus(html);
      for (const certificate of inventory.certificates) expect(status.get(certificate.id), certificate.name).toBe(ruleSays.get(certificate.id));
    });
  }

  it("counts as due what the rule flags at all: expired or within mediumWithinDays", () => {
    const result = auditInventory(inventory, config(SETTINGS, false), NOW, "scan-due");
    const due = buildReportView({ result, insights, now: NOW, settings: SETTINGS }).summary.kpis.find((kpi) => kpi.label === "Certificates due")!;
    expect(due.value).toBe(String(result.findings.filter((f) => f.ruleId === "certificate-expiring").length));
    expect(due.sub).toBe(`expired or within ${SETTINGS.certificateExpiry.mediumWithinDays} days, of ${DAYS_LEFT.length}`);
  });

  it("takes the settings through renderReport (the CLI's path); without them, the rules' defaults", () => {
    const result = auditInventory(inventory, config(SETTINGS, true), NOW, "scan-cli");
    const status = markerStatus(renderReport(result, "html", insights, {}, { now: NOW, settings: SETTINGS }));
    for (const certificate of inventory.certificates) expect(status.get(certificate.id)).toBe(ruleSays.get(certificate.id));
    const byDefault = auditInventory(inventory, config(DEFAULT_RULE_SETTINGS, false), NOW, "scan-default");
    const defaults = markerStatus(renderHtmlReport(byDefault, insights, { now: NOW }));
    for (const certificate of inventory.certificates) {
      expect(defaults.get(certificate.id)).toBe(byDefault.findings.find((f) => f.resourceId === certificate.id)?.severity ?? "ok");
    }
  });
});

describe("gateway certificate colours follow gateway-certificate-expiring", () => {
  for (const daysLeft of [-1, 0, 100, 183, 184, 400]) {
    it(`${daysLeft} day(s) left, the finding suppressed`, () => {
      const { inventory, site } = legacyTenant();
      site.vnetConnections![0]!.certificate.notAfter = new Date(NOW.getTime() + daysLeft * DAY_MS).toISOString();
      const result = auditInventory(inventory, config(DEFAULT_RULE_SETTINGS, true), NOW, "scan-gateway");
      const html = renderHtmlReport(result, collectInsights(inventory, NOW), { now: NOW });
      const [status] = [...markerStatus(html).entries()].filter(([id]) => id.startsWith("gateway:")).map(([, value]) => value);
      expect(status).toBe(gatewayCertificateSeverity(daysLeft) ?? "ok");
    });
  }
});

describe("the retirement countdown follows gateway-integration-legacy", () => {
  const retirement = Date.parse(`${GATEWAY_INTEGRATION_RETIREMENT_DATE}T00:00:00Z`);
  for (const daysBefore of [LEGACY_HIGH_WITHIN_DAYS + 1, LEGACY_HIGH_WITHIN_DAYS, 1, 0, -10]) {
    it(`${daysBefore} day(s) before the retirement: the rule's severity of that day`, () => {
      const now = new Date(retirement - daysBefore * DAY_MS + 12 * 3_600_000);
      const { inventory } = legacyTenant();
      const result: ScanResult = auditInventory(inventory, defaultConfig(), now, "scan-retirement");
      const legacy = result.findings.find((f) => f.ruleId === "gateway-integration-legacy")!;
      const html = renderHtmlReport(result, collectInsights(inventory, now), { now });
      const tone = /class="countdown-number tone-([a-z]+)"/.exec(html)![1] as Severity;
      expect(tone).toBe(legacy.severity);
      expect(html).toContain(`high (last ${LEGACY_HIGH_WITHIN_DAYS} days)`);
    });
  }
});

/**
 * The report's Rules section: per rule, what the engine counted (`summary.checks`): "checked N",
 * "undecided M" when it could not decide some, "not run" for a rule the scan left out, and
 * "n/a" throughout for a result written before the counts existed. Hand-built results, so the
 * section is checked apart from the engine that fills the counts.
 */
import { describe, expect, it } from "vitest";
import type { ScanResult } from "../../src/engine/result.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { RULES } from "../../src/rules/index.js";

const NOW = new Date("2026-06-01T00:00:00Z");

function result(checks?: Record<string, { checked: number; failed: number; unknown: number }>): ScanResult {
  // With or without `checks`: results written before the engine counted them lack it.
  const summary = {
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    byRule: {},
    ...(checks ? { checks } : {}),
  };
  return {
    schemaVersion: 1,
    scanId: "scan-checks",
    startedAt: NOW.toISOString(),
    finishedAt: NOW.toISOString(),
    tool: { name: "vnet-audit", version: "test" },
    subscriptions: [{ subscriptionId: "11111111-1111-1111-1111-111111111111", displayName: "Spoke", status: "complete", errors: [] }],
    findings: [],
    summary,
  };
}

/** The Checked cell of each rule's row, as text. */
function checkedCells(html: string): Map<string, string> {
  const section = html.slice(html.indexOf(`<section id="rules"`), html.indexOf(`</section>`, html.indexOf(`<section id="rules"`)));
  return new Map(
    [...section.matchAll(/<tr data-rule="([^"]+)">.*?<td class="checked">(.*?)<\/td><\/tr>/g)].map((match) => [match[1]!, match[2]!.replace(/<[^>]+>/g, "")]),
  );
}

describe("the report's Rules section", () => {
  it("says checked N per rule, undecided M where the engine could not decide, not run for a rule left out", () => {
    const html = renderHtmlReport(
      result({
        "gateway-integration-legacy": { checked: 12, failed: 2, unknown: 0 },
        "certificate-expiring": { checked: 4, failed: 1, unknown: 3 },
      }),
      undefined,
      { now: NOW },
    );
    const cells = checkedCells(html);
    expect([...cells.keys()]).toEqual(RULES.map((rule) => rule.meta.id));
    expect(cells.get("gateway-integration-legacy")).toBe("checked 12");
    expect(cells.get("certificate-expiring")).toBe("checked 4 · undecided 3");
    expect(cells.get("https-only-disabled")).toBe("not run");
    expect(html).toContain(`<a href="#rules">Rules</a>`);
  });

  it("says n/a for every rule of a result without the counts", () => {
    const html = renderHtmlReport(result(), undefined, { now: NOW });
    const cells = checkedCells(html);
    expect(cells.size).toBe(RULES.length);
    expect(new Set(cells.values())).toEqual(new Set(["n/a"]));
    expect(html).not.toMatch(/checked \d/);
  });
});

/**
 * Azure strings and ARM error text carrying terminal control sequences (colour/cursor ESC
 * sequences, OSC-8 hyperlinks, a one-byte C1 CSI, right-to-left overrides) never reach a
 * terminal raw through any text format; JSON keeps the exact values as escapes.
 */
import { describe, expect, it } from "vitest";
import { buildResult } from "../../src/audit.js";
import type { Finding } from "../../src/model/finding.js";
import { renderReport } from "../../src/report/index.js";
import { terminalSafe } from "../../src/report/terminal.js";

const HOSTILE = {
  esc: "\u001b[2J\u001b[31mred",
  osc8: "\u001b]8;;https://evil.example/\u0007click me\u001b]8;;\u0007",
  c1: "\u009b31m",
  bidi: "app-\u202egnp.exe\u202c",
  isolate: "x\u2066y\u2069",
};
const RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const SUB = "7e570000-0000-4000-8000-000000000001";
const finding: Finding = {
  id: "f1",
  ruleId: "https-only-disabled",
  severity: "high",
  title: `Title ${HOSTILE.esc}`,
  resourceId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/${HOSTILE.bidi}`,
  subscriptionId: SUB,
  message: `Message ${HOSTILE.osc8} ${HOSTILE.c1}`,
  remediation: `az webapp update --name ${HOSTILE.isolate}`,
  evidence: { name: HOSTILE.esc },
  references: [],
  suppressed: null,
} as unknown as Finding;

const result = buildResult("scan-1", new Date("2026-12-01T00:00:00Z"), new Date("2026-12-01T00:01:00Z"), [
  { subscriptionId: SUB, displayName: `Sub ${HOSTILE.esc}`, state: "Enabled", status: "partial", errors: [{ operation: "webApps.list", resourceId: `/subscriptions/${SUB}`, message: `ARM said ${HOSTILE.osc8}` }] },
], [finding]);

describe("terminal control characters", () => {
  it.each(["table", "csv", "markdown"] as const)("%s output carries none raw, and shows them visibly", (format) => {
    const text = renderReport(result, format);
    expect(text).not.toMatch(RAW);
    expect(text).toContain("\\x1b");
  });

  it("json output carries none raw and parses back to the exact values", () => {
    const text = renderReport(result, "json");
    expect(text).not.toMatch(RAW);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(result)));
  });

  it("keeps tabs and newlines, which the formats lay out themselves", () => {
    expect(terminalSafe("a\tb\nc")).toBe("a\tb\nc");
    expect(terminalSafe("\u001b[0m\u202e")).toBe("\\x1b[0m\\u202e");
  });
});

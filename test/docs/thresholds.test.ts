/**
 * The docs state the thresholds the rules judge with: each number below is imported from its
 * rule (or the config's defaults), so changing a rule's threshold fails here until its doc,
 * and the catalog in docs/RULES.md, say the new one.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GATEWAY_CERTIFICATE_HIGH_WITHIN_DAYS } from "../../src/rules/gateway-certificate-expiring.js";
import { LEGACY_HIGH_WITHIN_DAYS } from "../../src/rules/gateway-integration-legacy.js";
import { DEFAULT_RULE_SETTINGS } from "../../src/rules/rule.js";
import { REPO_ROOT } from "../support/cli.js";

/** A doc's text with its line breaks and runs of spaces folded, so wrapped prose still matches. */
const doc = (path: string) => readFileSync(join(REPO_ROOT, "docs", path), "utf8").replace(/\s+/g, " ");
const { highWithinDays, mediumWithinDays } = DEFAULT_RULE_SETTINGS.certificateExpiry;

describe("the docs' thresholds are the rules'", () => {
  it("gateway-integration-legacy: high within its window before the retirement", () => {
    expect(doc("rules/gateway-integration-legacy.md")).toContain(`| \`high\` | within ${LEGACY_HIGH_WITHIN_DAYS} days |`);
    expect(doc("RULES.md")).toContain(`**high** within ${LEGACY_HIGH_WITHIN_DAYS} days, **critical** from that date`);
  });

  it("gateway-certificate-expiring: high within its six months, as whole days", () => {
    const text = doc("rules/gateway-certificate-expiring.md");
    expect(text).toContain(`| \`high\` | 0 to ${GATEWAY_CERTIFICATE_HIGH_WITHIN_DAYS} days left (six months) |`);
    expect(text).toContain(`| \`highWithinDays\` | ${GATEWAY_CERTIFICATE_HIGH_WITHIN_DAYS} |`);
    expect(doc("RULES.md")).toContain(`**high** within six months (${GATEWAY_CERTIFICATE_HIGH_WITHIN_DAYS} days)`);
  });

  it("certificate-expiring: the config's defaults", () => {
    const text = doc("rules/certificate-expiring.md");
    expect(text).toContain(`\`highWithinDays\` (${highWithinDays}) days left`);
    expect(text).toContain(`\`mediumWithinDays\` (${mediumWithinDays}) days left`);
    expect(doc("RULES.md")).toContain(`**high** within ${highWithinDays} days, **medium** within ${mediumWithinDays} days`);
  });
});

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { handWrittenPart, RULE_DOC_SECTIONS, ruleDocSections, updateRuleDoc } from "../../src/docs/rule-docs.js";
import { learnCitation } from "../../src/docs/learn.js";
import { RULES } from "../../src/rules/index.js";
import { REPO_ROOT } from "../support/cli.js";

const DOCS = join(REPO_ROOT, "docs", "rules");
const read = (id: string) => readFileSync(join(DOCS, `${id}.md`), "utf8");

describe("docs/rules", () => {
  it("has one doc per rule and nothing else", () => {
    expect(readdirSync(DOCS).sort()).toEqual(RULES.map((rule) => `${rule.meta.id}.md`).sort());
  });

  it.each(RULES.map((rule) => [rule.meta.id, rule] as const))("%s: generated parts up to date with the metadata (run `npm run docs`)", (id, rule) => {
    expect(existsSync(join(DOCS, `${id}.md`))).toBe(true);
    const doc = read(id);
    expect(doc).toBe(updateRuleDoc(doc, rule));
  });

  it.each(RULES.map((rule) => [rule.meta.id, rule] as const))("%s: header first, then the hand-written explanation, then remediation and references", (id, rule) => {
    const doc = read(id);
    expect(doc.startsWith("<!-- BEGIN GENERATED: header -->\n")).toBe(true);
    const positions = RULE_DOC_SECTIONS.map((name) => doc.indexOf(`<!-- BEGIN GENERATED: ${name} -->`));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(doc.trimEnd().endsWith("<!-- END GENERATED: references -->")).toBe(true);

    const explanation = handWrittenPart(doc);
    expect(explanation.length).toBeGreaterThan(300);
    expect(explanation).toMatch(/^## (What it checks|Severity logic)$/m);
    expect(explanation).toMatch(/^## Why$/m);
    // Remediation and references come from the metadata only; no hand-written copy to drift.
    expect(explanation).not.toMatch(/^## (Remediation|References)\b/m);
    expect(explanation).not.toContain("GENERATED");
    // The header names the rule by its metadata.
    expect(ruleDocSections(rule).header).toContain(`# ${rule.meta.title}\n`);
  });

  it("cites every reference by its Microsoft Learn title", () => {
    for (const { meta } of RULES) {
      const doc = read(meta.id);
      for (const url of meta.references) expect(doc).toContain(`- [${learnCitation(url).title}](${url})`);
    }
  });

  it("renders every remediation field the metadata has", () => {
    for (const { meta } of RULES) {
      const remediation = ruleDocSections({ meta, verdicts: () => [] }).remediation;
      expect(remediation).toContain(meta.remediation.text);
      if (meta.remediation.bicep) expect(remediation).toContain(`\`\`\`bicep\n${meta.remediation.bicep}\n\`\`\``);
      for (const step of meta.remediation.portal ?? []) expect(remediation).toContain(step);
      for (const command of meta.remediation.az?.split(/;\s*/) ?? []) expect(remediation).toContain(`\`${command.replace(/\s*\([^)]*\)$/, "")}\``);
    }
  });

  it("fails loudly for a reference without a Learn title", () => {
    expect(() => learnCitation("https://learn.microsoft.com/azure/app-service/not-catalogued")).toThrow(/no title/);
    expect(() => learnCitation("https://learn.microsoft.com/azure/app-service/overview-vnet-integration#not-a-section")).toThrow(/no section heading/);
  });
});

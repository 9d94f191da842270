/**
 * The report's stylesheet and script are real files (src/report/assets/), inlined into the
 * page and allowed by their hashes: the CSP must name exactly the hash of the text inlined,
 * that text must be the files' (after the palette's custom properties), and the build must
 * put the same files beside the compiled code that reads them.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEVERITIES } from "../../src/model/severity.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { paletteProperties, REPORT_CSP, REPORT_SCRIPT, REPORT_STYLE } from "../../src/report/inline-assets.js";
import { COLORS, SEVERITY_COLORS } from "../../src/report/palette.js";
import { NOW, healthyTenant } from "../rules/fixtures.js";
import { auditInventory } from "../../src/audit.js";
import { defaultConfig } from "../../src/config/file.js";
import { REPO_ROOT } from "../support/cli.js";

const SOURCE = join(REPO_ROOT, "src", "report", "assets");
const BUILT = join(REPO_ROOT, "dist", "src", "report", "assets");
const file = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");
const hash = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

function page(): { html: string; style: string; script: string; csp: string } {
  const { inventory } = healthyTenant();
  const html = renderHtmlReport(auditInventory(inventory, defaultConfig(), NOW, "scan-assets"), undefined, { now: NOW });
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!.replace(/&#39;/g, "'");
  return { html, style, script, csp };
}

describe("the report's assets", () => {
  const { style, script, csp } = page();

  it("inlines report.css after the palette, and report.js, exactly as the files hold them", () => {
    expect(style).toBe(`${paletteProperties()}\n${file(SOURCE, "report.css").trim()}`);
    expect(script).toBe(file(SOURCE, "report.js").trim());
    expect(style).toBe(REPORT_STYLE);
    expect(script).toBe(REPORT_SCRIPT);
  });

  it("allows in the CSP exactly the hash of the inlined style and script", () => {
    const directives = Object.fromEntries(csp.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives["style-src"]).toEqual([hash(style)]);
    expect(directives["script-src"]).toEqual([hash(script)]);
    expect(csp).toBe(REPORT_CSP);
  });

  it("declares every colour the stylesheet uses, from the one palette", () => {
    const declared = new Set([...paletteProperties().matchAll(/(--[a-z-]+):/g)].map((match) => match[1]!));
    const used = new Set([...file(SOURCE, "report.css").matchAll(/var\((--[a-z-]+)\)/g)].map((match) => match[1]!));
    expect([...used].filter((name) => !declared.has(name))).toEqual([]);
    expect(paletteProperties()).toContain(`--accent-dark:${COLORS.accentDark}`);
    for (const severity of SEVERITIES) expect(paletteProperties()).toContain(`--sev-${severity}:${SEVERITY_COLORS[severity].solid}`);
  });

  it("is copied by the build beside the compiled code (dist/src/report/assets), unchanged", () => {
    for (const name of ["report.css", "report.js"]) expect(file(BUILT, name), name).toBe(file(SOURCE, name));
  });
});

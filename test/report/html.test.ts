import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditInventory } from "../../src/audit.js";
import { defaultConfig } from "../../src/config/file.js";
import { collectInsights, type ReportInsights } from "../../src/engine/insights.js";
import type { ScanResult } from "../../src/engine/result.js";
import type { Inventory } from "../../src/model/inventory.js";
import { SEVERITIES } from "../../src/model/severity.js";
import { buildDigest } from "../../src/notify/digest.js";
import { renderDigestHtml } from "../../src/notify/email.js";
import { COLORS, SEVERITY_COLORS } from "../../src/report/charts.js";
import { escapeHtml, jsonForScript, safeHttpUrl } from "../../src/report/escape.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderReport } from "../../src/report/index.js";
import { migrationPlans } from "../../src/report/migration.js";
import {
  HUB,
  NOW,
  SPOKE,
  healthyTenant,
  ids,
  integrate,
  legacyTenant,
  makeCertificate,
  makeInventory,
  makePlan,
  makeSite,
  makeSubnet,
} from "../rules/fixtures.js";

// ---------------------------------------------------------------------------------------------
// A tiny tag scanner: enough HTML tokenising to see every element and attribute the browser
// would create (quoted attribute values, raw-text <script>/<style>, comments).

interface Tag {
  name: string;
  attributes: Map<string, string>;
  /** Raw text of <script> and <style>. */
  raw?: string;
}

function scanTags(html: string): Tag[] {
  const tags: Tag[] = [];
  let i = 0;
  while ((i = html.indexOf("<", i)) !== -1) {
    if (html.startsWith("<!--", i)) {
      const end = html.indexOf("-->", i + 4);
      if (end === -1) throw new Error(`unterminated comment at ${i}`);
      i = end + 3;
      continue;
    }
    if (/^<!doctype/i.test(html.slice(i, i + 9)) || html[i + 1] === "/") {
      i = html.indexOf(">", i) + 1;
      continue;
    }
    const name = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(i))?.[1];
    if (!name) throw new Error(`a "<" that is not a tag at ${i}: ${html.slice(i, i + 40)}`);
    i += name.length + 1;
    const attributes = new Map<string, string>();
    for (;;) {
      while (/\s/.test(html[i]!)) i++;
      if (html[i] === ">") {
        i++;
        break;
      }
      if (html.startsWith("/>", i)) {
        i += 2;
        break;
      }
      const attrName = /^[^\s"'>/=]+/.exec(html.slice(i))![0];
      i += attrName.length;
      let value = "";
      if (html[i] === "=") {
        i++;
        const quote = html[i];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, i + 1);
          value = html.slice(i + 1, end);
          i = end + 1;
        } else {
          value = /^[^\s>]+/.exec(html.slice(i))![0];
          i += value.length;
        }
      }
      attributes.set(attrName.toLowerCase(), value);
    }
    const tag: Tag = { name: name.toLowerCase(), attributes };
    if (tag.name === "script" || tag.name === "style") {
      const close = html.toLowerCase().indexOf(`</${tag.name}`, i);
      tag.raw = html.slice(i, close);
      i = close;
    }
    tags.push(tag);
  }
  return tags;
}

const ALLOWED_TAGS = new Set(
  (
    "html head meta title style body a nav main section header footer div span p h1 h2 h3 strong code pre time ul ol li article dl dt dd " +
    "figure figcaption table caption colgroup col thead tbody tr th td details summary form label select option input button script br " +
    "svg g rect circle line path text title defs pattern"
  ).split(" "),
);

function unescapeAttribute(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

// ---------------------------------------------------------------------------------------------
// A tenant whose every free-text field is hostile

const EVIL = `<script>alert(1)</script>"><img src=x onerror=alert(1)>'</script><!--\u2028`;
const EVIL_NAME = `app"><img src=x onerror=alert(1)>`;

function hostileTenant(): { inventory: Inventory; result: ScanResult; insights: ReportInsights } {
  const healthy = healthyTenant();
  const legacy = legacyTenant();
  const inventory = makeInventory({
    sites: [...healthy.inventory.sites, ...legacy.inventory.sites],
    plans: [...healthy.inventory.plans, ...legacy.inventory.plans],
    virtualNetworks: [...healthy.inventory.virtualNetworks, ...legacy.inventory.virtualNetworks],
    gateways: legacy.inventory.gateways,
    privateDnsZones: healthy.inventory.privateDnsZones,
    certificates: healthy.inventory.certificates,
  });
  // Names, subjects and friendly names are free text.
  healthy.subnet.name = `snet-${EVIL}`;
  healthy.vnet.name = `vnet-${EVIL}`;
  healthy.plan.name = `plan-${EVIL}`;
  legacy.site.name = EVIL_NAME;
  const tiny = makeSubnet(healthy.vnet.id, "snet-tiny", ["10.1.9.0/29"]);
  healthy.vnet.subnets.push(tiny);
  const plan = makePlan("plan-tiny", { sku: { name: "P1v3", tier: "PremiumV3", capacity: 4 } });
  inventory.plans.push(plan);
  inventory.sites.push(integrate(makeSite("tiny", { serverFarmId: plan.id, httpsOnly: false }), tiny));
  inventory.certificates.push(
    makeCertificate("evil-cert", 3, { subjectName: `CN=${EVIL}`, friendlyName: EVIL, hostNames: [`${EVIL}.contoso.com`], thumbprint: "FF00" }),
    makeCertificate("gone", -5, { thumbprint: "EE00" }),
  );
  inventory.subscriptions = [
    { subscriptionId: SPOKE, displayName: `Spoke ${EVIL}`, state: "Enabled", status: "complete", errors: [] },
    {
      subscriptionId: HUB,
      displayName: `Hub ${EVIL}`,
      state: "Enabled",
      status: "partial",
      errors: [{ operation: `webApps.list${EVIL}`, resourceId: `/subscriptions/${HUB}/${EVIL}`, statusCode: 403, code: `AuthorizationFailed${EVIL}`, message: `denied ${EVIL}` }],
    },
  ];
  const result = auditInventory(inventory, defaultConfig(), NOW, `scan-${EVIL}`);
  result.tool.version = `1.0${EVIL}`;
  for (const finding of result.findings) {
    finding.title = `${finding.title} ${EVIL}`;
    finding.references = [...finding.references, "javascript:alert(1)", "JAVASCRIPT:alert(2)", " javascript:alert(3)", "java\tscript:alert(4)", "data:text/html,<script>alert(5)</script>", `https://learn.microsoft.com/?q="><script>alert(6)</script>`];
  }
  const first = result.findings[0]!;
  first.remediation = `${first.remediation} ${EVIL}`;
  first.evidence = { ...first.evidence, note: EVIL };
  return { inventory, result, insights: collectInsights(inventory, NOW) };
}

describe("renderHtmlReport", () => {
  const { result, insights } = hostileTenant();
  const html = renderHtmlReport(result, insights, { now: NOW });
  const tags = scanTags(html);

  it("renders a finding table row per active finding and every section", () => {
    expect(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">")).toBe(true);
    for (const id of ["summary", "capacity", "retirement", "certificates", "migration", "findings", "subscriptions"]) expect(html).toContain(`id="${id}"`);
    // The Migration section comes before the findings table.
    expect(html.indexOf(`id="migration"`)).toBeLessThan(html.indexOf(`id="findings"`));
    const active = result.findings.filter((finding) => !finding.suppressed);
    expect(active.length).toBeGreaterThan(4);
    expect(tags.filter((tag) => tag.name === "tbody" && tag.attributes.get("class") === "finding")).toHaveLength(active.length);
    expect(tags.filter((tag) => tag.name === "svg")).toHaveLength(5);
    expect(tags.filter((tag) => tag.name === "g" && tag.attributes.get("class") === "capacity-row")).toHaveLength(insights.subnets.length);
    expect(tags.filter((tag) => tag.name === "g" && tag.attributes.get("class") === "timeline-item").length).toBeGreaterThanOrEqual(insights.certificates.length);
    // Every finding has its remediation and a copy button pointing at it.
    for (const button of tags.filter((tag) => tag.name === "button" && tag.attributes.get("class")?.startsWith("copy"))) {
      const target = button.attributes.get("data-copy-target")!;
      expect(html).toContain(`id="${target}"`);
    }
    // "Copy all commands" per finding with a command, and per migration plan with one.
    const withCommands = active.filter((finding) => finding.fix?.steps.some((step) => step.command));
    const plans = migrationPlans(active).filter((plan) => plan.fix.steps.some((step) => step.command));
    expect(withCommands.length).toBeGreaterThan(0);
    expect(tags.filter((tag) => tag.name === "button" && tag.attributes.get("class") === "copy primary")).toHaveLength(withCommands.length + plans.length);
    // Each step of each finding's fix is in the report, with a copy button for its command.
    for (const finding of withCommands) {
      finding.fix!.steps.forEach((step, i) => {
        expect(html).toContain(`id="fix-${finding.id}-step-${i + 1}"`);
        if (step.command) expect(html).toContain(`id="fix-${finding.id}-step-${i + 1}-cmd">${escapeHtml(step.command)}</code>`);
      });
    }
  });

  it("is self-contained under a strict Content-Security-Policy that allows exactly its own style and script", () => {
    const csp = unescapeAttribute(tags.find((tag) => tag.name === "meta" && tag.attributes.get("http-equiv") === "Content-Security-Policy")!.attributes.get("content")!);
    const directives = Object.fromEntries(csp.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives["default-src"]).toEqual(["'none'"]);
    const style = tags.filter((tag) => tag.name === "style");
    const scripts = tags.filter((tag) => tag.name === "script");
    expect(style).toHaveLength(1);
    expect(scripts).toHaveLength(2);
    const code = scripts.find((tag) => !tag.attributes.has("type"))!;
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    expect(directives["script-src"]).toEqual([hash(code.raw!)]);
    expect(directives["style-src"]).toEqual([hash(style[0]!.raw!)]);
    // Nothing to fetch: no src, no stylesheet links, no url() or @import, no inline style attributes (the CSP forbids them).
    for (const tag of tags) {
      expect(tag.attributes.has("src")).toBe(false);
      expect(tag.attributes.has("style")).toBe(false);
      expect(tag.name).not.toBe("link");
    }
    expect(style[0]!.raw).not.toMatch(/url\(|@import/);
    // Deterministic: the same input renders the same bytes (hashes, not nonces).
    expect(renderHtmlReport(result, insights, { now: NOW })).toBe(html);
  });

  it("keeps every string from Azure inert: <script> and onerror= only ever appear escaped", () => {
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img");
    expect(html).not.toMatch(/<svg onload/i);
    for (const match of html.matchAll(/onerror=/g)) {
      const before = html.slice(Math.max(0, match.index - 16), match.index);
      expect(before).toMatch(/(&lt;|\\u003c)img src=x $/);
    }
    // Only known elements, no event-handler attribute, links only to http(s) or in-page anchors.
    for (const tag of tags) {
      expect(ALLOWED_TAGS.has(tag.name), `unexpected <${tag.name}>`).toBe(true);
      for (const [name, value] of tag.attributes) {
        expect(name.startsWith("on"), `attribute ${name} on <${tag.name}>`).toBe(false);
        if (name === "href") expect(unescapeAttribute(value)).toMatch(/^(https?:\/\/|#)/);
      }
    }
    // The hostile text is still there, escaped, for people to read.
    expect(html).toContain(escapeHtml(`CN=${EVIL}`));
    expect(html).toContain(escapeHtml(`Hub ${EVIL}`));
    expect(html).toContain(escapeHtml(EVIL_NAME));
  });

  it("shows non-web references as text, never as links", () => {
    const hrefs = tags.filter((tag) => tag.name === "a").map((tag) => unescapeAttribute(tag.attributes.get("href")!));
    expect(hrefs.some((href) => /script:|^data:/i.test(href))).toBe(false);
    expect(hrefs).toContain(`https://learn.microsoft.com/?q="><script>alert(6)</script>`);
    expect(html).toContain(`<span class="unsafe-url" title="Not a web link, shown as text">javascript:alert(1)</span>`);
  });

  it("embeds the scan data as JSON that can't close its script element", () => {
    const island = tags.find((tag) => tag.name === "script" && tag.attributes.get("type") === "application/json")!;
    expect(island.attributes.get("id")).toBe("vnet-audit-data");
    expect(island.raw).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(island.raw!)).toEqual({ result, insights });
  });

  it("draws subnet capacity against the safe threshold", () => {
    const tiny = insights.subnets.find((subnet) => subnet.name === "snet-tiny")!;
    expect(tiny).toMatchObject({ usableAddresses: 3, safeInstances: 1, demand: 4 });
    const row = tags.find((tag) => tag.name === "g" && tag.attributes.get("data-subnet-id") === tiny.id)!;
    expect(row.attributes.get("data-state")).toBe("over-usable");
    expect(html).toContain("capacity-overflow");
    const healthy = tags.find((tag) => tag.name === "g" && tag.attributes.get("data-subnet-id") === insights.subnets.find((s) => s.name.startsWith("snet-<"))!.id)!;
    expect(healthy.attributes.get("data-state")).toBe("ok");
  });

  it("counts down to the retirement, and up once it has passed", () => {
    expect(html).toMatch(/<span class="days">303<\/span><span class="unit">days left<\/span>/);
    const after = renderHtmlReport(result, insights, { now: new Date("2027-04-10T12:00:00Z") });
    expect(after).toMatch(/<span class="days">10<\/span><span class="unit">days since retirement<\/span>/);
    expect(html).toContain(`id="gateway-apps"`);
    expect(html).toContain(escapeHtml(EVIL_NAME));
  });

  it("renders without insights, falling back to the findings for the retirement list", () => {
    const bare = renderHtmlReport(result, undefined, { now: NOW });
    expect(bare).toContain("Not available: this report was rendered without inventory insights");
    expect(bare).toContain(`id="gateway-apps"`);
    expect(scanTags(bare).filter((tag) => tag.name === "svg")).toHaveLength(3);
    expect(renderReport(result, "html")).toContain("<!DOCTYPE html>");
  });

  it("lists collection errors and suppressed findings", () => {
    expect(html).toContain(`id="collection-errors"`);
    expect(html).toContain(escapeHtml(`denied ${EVIL}`));
    const suppressed = structuredClone(result);
    suppressed.findings[0]!.suppressed = { reason: `accepted ${EVIL}`, expiresOn: null };
    const out = renderHtmlReport(suppressed, insights, { now: NOW });
    expect(out).toContain(`id="suppressed"`);
    expect(out).toContain(escapeHtml(`accepted ${EVIL}`));
    expect(scanTags(out).filter((tag) => tag.name === "tbody" && tag.attributes.get("class") === "finding")).toHaveLength(result.findings.length - 1);
  });
});

describe("escaping helpers", () => {
  it("escapes text and attribute values", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });

  it("accepts only absolute http(s) URLs", () => {
    for (const url of ["https://learn.microsoft.com/azure", "HTTP://example.com/x?a=1&b=2"]) expect(safeHttpUrl(url)).toBe(url);
    for (const url of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:x", "https://x\n.com", "data:text/html,x", "//evil.example", "/relative", "mailto:a@b.c", "vbscript:x", ""]) {
      expect(safeHttpUrl(url), url).toBeUndefined();
    }
    expect(safeHttpUrl("http://example.com", ["https:"])).toBeUndefined();
  });

  it("writes JSON a script element can hold", () => {
    const value = { a: "</script><script>alert(1)</script>", b: "<!-- \u2028 \u2029 & >" };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe("palette", () => {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const contrast = (a: string, b: string) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x! + 0.05) / (y! + 0.05);
  };

  it("keeps text readable (WCAG AA, 4.5:1)", () => {
    for (const severity of SEVERITIES) {
      expect(contrast(SEVERITY_COLORS[severity].solid, "#ffffff"), severity).toBeGreaterThanOrEqual(4.5);
      expect(contrast(SEVERITY_COLORS[severity].onTint, SEVERITY_COLORS[severity].tint), severity).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrast(COLORS.ok, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(contrast(COLORS.muted, COLORS.page)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(COLORS.accent, "#ffffff")).toBeGreaterThanOrEqual(4.5);
  });
});

describe("the alert email", () => {
  it("shares the report's pieces with inline styles only: no <style>, no script, no SVG, nothing hostile", () => {
    const { result } = hostileTenant();
    const digest = buildDigest({ scanId: `scan-${EVIL}`, changes: { new: result.findings, escalated: [], resolved: [] }, minSeverity: "info", now: NOW })!;
    const html = renderDigestHtml(digest, { generatedAt: EVIL });
    const tags = scanTags(html);
    expect(tags.some((tag) => ["style", "script", "svg", "img", "link"].includes(tag.name))).toBe(false);
    for (const tag of tags) {
      for (const [name, value] of tag.attributes) {
        expect(name.startsWith("on")).toBe(false);
        if (name === "href") expect(unescapeAttribute(value)).toMatch(/^https:\/\//);
        if (name === "class") throw new Error("email markup relies on a class");
      }
    }
    expect(html).not.toContain("javascript:");
    expect(html).toContain(escapeHtml(EVIL));
    // The same severity palette as the report, and the rule's az command split out.
    expect(html).toContain(SEVERITY_COLORS.high.solid);
    const withCli = result.findings.find((finding) => finding.ruleId === "https-only-disabled")!;
    expect(html).toContain(escapeHtml(withCli.fix!.steps[0]!.command!));
    expect(ids.site("x")).toContain(SPOKE);
  });
});

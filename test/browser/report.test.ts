/**
 * The HTML report in a real browser: the real CLI scans the emulated sample tenant
 * (`scan --format html --output`), headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens the file, and the test checks that the charts rendered, filtering
 * and sorting work, the copy button copies, nothing is fetched and nothing logs an error.
 * Kept in test-output/: the report (report.html), full-page screenshots (report.png, and
 * report-print.png with print styles), the first screen (report-top.png, which the README shows
 * as docs/report.png), and the hostile-strings report (report-hostile.html).
 *
 * Chromium comes from `npm test`'s setup (test/support/browser-setup.mjs: VNET_AUDIT_CHROMIUM,
 * the machine's chromium, or Debian's package installed then). Where the setup could get none,
 * it recorded why: outside CI this file then reports one test not run with that reason; under
 * CI=true it fails. Without the setup's record (vitest run directly) it needs /usr/bin/chromium.
 */
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportInsights } from "../../src/engine/insights.js";
import type { ScanResult } from "../../src/engine/result.js";
import { findingId, type Finding } from "../../src/model/finding.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { migrationPlans } from "../../src/report/migration.js";
import { stepCommands } from "../../src/report/remediation.js";
import { buildSampleTenant, SUBSCRIPTIONS, type SampleTenant } from "../../emulator/sample/sample-tenant.js";
import { startArmEmulator, type ArmEmulator } from "../../emulator/index.js";
import { REPO_ROOT, runCliProcess, type CliRun } from "../support/cli.js";

const OUTPUT_DIR = join(REPO_ROOT, "test-output");
const SETUP = readSetup();
const CHROMIUM_PATH = process.env.VNET_AUDIT_CHROMIUM ?? SETUP.executablePath ?? "/usr/bin/chromium";
/** Outside CI, a reason from the setup means this machine can't have Chromium: said, not hidden. */
const NOT_RUN = SETUP.unavailable !== undefined && !process.env.CI && !process.env.VNET_AUDIT_CHROMIUM ? `${SETUP.unavailable} (as npm test's setup found it)` : undefined;

function readSetup(): { executablePath?: string; unavailable?: string } {
  const path = join(OUTPUT_DIR, "chromium.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { executablePath?: string; unavailable?: string }) : {};
}
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let emulator: ArmEmulator;
let sample: SampleTenant;
let scan: CliRun;
let reportPath: string;
let reportUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let data: { result: ScanResult; insights: ReportInsights };
const consoleErrors: string[] = [];
const requests: string[] = [];

if (NOT_RUN !== undefined) it.skip(`NOT RUN: ${NOT_RUN}`, () => undefined);

beforeAll(async () => {
  if (NOT_RUN !== undefined) return;
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}${SETUP.unavailable ? ` (${SETUP.unavailable})` : ""}: run npm test, whose setup installs Debian's chromium where it can, or set VNET_AUDIT_CHROMIUM`);
  }
  sample = await buildSampleTenant();
  emulator = await startArmEmulator({ tenant: sample.tenant, pageSize: 4 });
  for (const fault of sample.faults) emulator.injectFault(fault);
  const workDir = await mkdtemp(join(tmpdir(), "vnet-audit-browser-"));
  reportPath = join(workDir, "report.html");
  reportUrl = pathToFileURL(reportPath).href;
  scan = await runCliProcess(["scan", "--format", "html", "--output", reportPath], emulator.env());

  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") consoleErrors.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(reportUrl, { waitUntil: "load" });
  data = JSON.parse((await page.locator("#vnet-audit-data").textContent()) ?? "null") as typeof data;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.close();
});

const visibleFindings = () => page.locator("#findings-table tbody.finding:not([hidden])").count();
const active = () => data.result.findings.filter((finding) => !finding.suppressed);

describe.skipIf(NOT_RUN !== undefined)("the HTML report of the sample tenant, in Chromium", () => {
  it("was written by the CLI for an incomplete scan (the sandbox subscription denies the identity)", () => {
    // Only the summary line: the report went to the file.
    expect(scan.stderr).toMatch(/^vnet-audit: 5 subscriptions: .*; report: .*report\.html\n$/);
    expect(scan.code).toBe(3);
    expect(data.result.findings).toHaveLength(sample.expected.length);
    expect(data.insights.subnets.length).toBeGreaterThan(10);
  });

  it("loads nothing but the file itself and logs no error (no CSP violation either)", () => {
    expect(requests).toEqual([reportUrl]);
    expect(consoleErrors).toEqual([]);
  });

  it("renders every chart with a real size", async () => {
    const charts = page.locator("svg.chart");
    expect(await charts.count()).toBe(5);
    for (const chart of await charts.all()) {
      const box = await chart.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(100);
      expect(box?.height ?? 0).toBeGreaterThan(50);
      expect(await chart.getAttribute("aria-label")).toBeTruthy();
    }
    const severities = new Set(active().map((finding) => finding.severity));
    expect(await page.locator("svg.severity-donut .donut-segment").count()).toBe(severities.size);
    expect(await page.locator("svg.rule-bars .rule-bar").count()).toBe(new Set(active().map((finding) => finding.ruleId)).size);
  });

  it("draws one capacity bar per integration subnet, with the safe threshold", async () => {
    const rows = page.locator("#capacity-chart g.capacity-row");
    expect(await rows.count()).toBe(data.insights.subnets.length);
    for (const row of await rows.all()) {
      const track = await row.locator(".capacity-track").boundingBox();
      expect(track?.width ?? 0).toBeGreaterThan(50);
    }
    const known = data.insights.subnets.filter((subnet) => subnet.prefixes.length > 0).length;
    expect(await page.locator("#capacity-chart .capacity-safe").count()).toBe(known);
    // snet-api: a /28 (5 safe) with autoscale up to 8, drawn above the safe threshold.
    const api = data.insights.subnets.find((subnet) => subnet.name === "snet-api")!;
    expect(api).toMatchObject({ usableAddresses: 11, safeInstances: 5, demand: 8 });
    const apiRow = page.locator(`#capacity-chart g.capacity-row[data-subnet-id="${api.id}"]`);
    expect(await apiRow.getAttribute("data-state")).toBe("over-safe");
    const demand = (await apiRow.locator(".capacity-demand").boundingBox())!;
    const safe = (await apiRow.locator(".capacity-safe").boundingBox())!;
    expect(demand.x + demand.width).toBeGreaterThan(safe.x);
  });

  it("shows the retirement countdown with every app still on gateway-required integration", async () => {
    expect(await page.locator("#retirement .countdown-number .days").textContent()).toMatch(/^\d+$/);
    const apps = data.insights.gatewayIntegratedApps;
    expect(apps.length).toBe(sample.expected.filter((finding) => finding.ruleId === "gateway-integration-legacy").length);
    expect(await page.locator("#gateway-apps tbody tr").count()).toBe(apps.length);
    expect(await page.locator("#retirement-strip .today-marker").count()).toBe(1);
  });

  it("puts certificates on a timeline with today marked", async () => {
    const items = page.locator("#certificate-timeline g.timeline-item");
    expect(await items.count()).toBeGreaterThanOrEqual(data.insights.certificates.length);
    expect(await page.locator("#certificate-timeline .today-marker").count()).toBe(1);
    const expired = page.locator("#certificate-timeline g.timeline-item[data-status=critical]");
    expect(await expired.count()).toBeGreaterThanOrEqual(1);
    // The expired certificate sits left of today.
    const today = (await page.locator("#certificate-timeline .today-marker").boundingBox())!;
    const shop = (await page.locator(`#certificate-timeline g.timeline-item[data-certificate-id$="cert-shop-contoso-com"] .timeline-marker`).boundingBox())!;
    expect(shop.x + shop.width / 2).toBeLessThan(today.x);
  });

  it("filters findings by owner, from the Owner select and from the By owner table", async () => {
    const owner = "legacy-web@contoso.com";
    const owned = active().filter((finding) => finding.owner === owner).length;
    expect(owned).toBeGreaterThan(3);
    await page.selectOption("#filter-owner", owner);
    expect(await visibleFindings()).toBe(owned);
    expect(new Set(await page.locator("#findings-table tbody.finding:not([hidden]) td.owner").allTextContents())).toEqual(new Set([owner]));
    await page.selectOption("#filter-owner", "unowned");
    expect(await visibleFindings()).toBe(active().filter((finding) => finding.owner === null).length);
    await page.click("#filter-reset");
    await expect.poll(visibleFindings).toBe(active().length);

    await page.click(`#owners-table button[data-filter-owner="netops@contoso.com"]`);
    expect(await page.inputValue("#filter-owner")).toBe("netops@contoso.com");
    expect(await visibleFindings()).toBe(active().filter((finding) => finding.owner === "netops@contoso.com").length);
    await page.click("#filter-reset");
    await expect.poll(visibleFindings).toBe(active().length);
  });

  it("opens the per-app view: one app's findings together, its slots under it", async () => {
    const siteId = sample.ids.dnsFindingSite!;
    const app = page.locator(`#apps details.app[id$="-app-inventory-api"]`);
    expect(await app.count()).toBe(1);
    expect(await app.evaluate((element) => (element as unknown as { open: boolean }).open)).toBe(false);
    expect(await app.locator("ul.app-findings").first().isVisible()).toBe(false);
    await app.locator("summary").click();
    expect(await app.evaluate((element) => (element as unknown as { open: boolean }).open)).toBe(true);
    const own = active().filter((finding) => finding.resourceId.toLowerCase() === siteId.toLowerCase());
    const staging = active().filter((finding) => finding.resourceId.toLowerCase() === `${siteId}/slots/staging`.toLowerCase());
    expect(own.length).toBeGreaterThan(0);
    expect(staging.length).toBeGreaterThan(0);
    expect(await app.locator(":scope > ul.app-findings > li").count()).toBe(own.length);
    expect(await app.locator("li.slot .slot-name").allTextContents()).toEqual(["Slot staging"]);
    expect(await app.locator("li.slot ul.app-findings > li").count()).toBe(staging.length);
    expect(await app.locator("li.slot ul.app-findings").first().isVisible()).toBe(true);
    // Each entry links to its row in the findings table.
    const href = (await app.locator("li.slot ul.app-findings a").first().getAttribute("href"))!;
    expect(href).toBe(`#finding-${staging[0]!.id}`);
    expect(await page.locator(href).count()).toBe(1);
    await app.locator("summary").click();
  });

  it("filters findings by severity, rule, subscription and text", async () => {
    const count = page.locator("#findings-count");
    expect(await visibleFindings()).toBe(active().length);

    await page.selectOption("#filter-severity", "high");
    const high = active().filter((finding) => finding.severity === "high").length;
    expect(await visibleFindings()).toBe(high);
    expect(await count.textContent()).toBe(`Showing ${high} of ${active().length} findings`);

    await page.selectOption("#filter-severity", "");
    await page.selectOption("#filter-rule", "https-only-disabled");
    expect(await visibleFindings()).toBe(2);

    await page.selectOption("#filter-rule", "");
    await page.selectOption("#filter-subscription", SUBSCRIPTIONS.data);
    expect(await visibleFindings()).toBe(active().filter((finding) => finding.subscriptionId === SUBSCRIPTIONS.data).length);

    await page.selectOption("#filter-subscription", "");
    await page.fill("#filter-text", "app-classic-billing");
    const billing = active().filter((finding) => finding.resourceId.endsWith("/app-classic-billing"));
    expect(billing.length).toBe(4);
    expect(await visibleFindings()).toBe(billing.length);

    // Filters combine.
    await page.selectOption("#filter-severity", "medium");
    expect(await visibleFindings()).toBe(billing.filter((finding) => finding.severity === "medium").length);

    await page.fill("#filter-text", "no-such-resource-anywhere");
    expect(await visibleFindings()).toBe(0);
    expect(await page.locator("#findings-empty").isVisible()).toBe(true);

    await page.click("#filter-reset");
    await expect.poll(visibleFindings).toBe(active().length);
    expect(await page.locator("#findings-empty").isVisible()).toBe(false);

    // The severity legend filters too.
    await page.click(`button.legend-item[data-filter-severity="critical"]`);
    expect(await visibleFindings()).toBe(active().filter((finding) => finding.severity === "critical").length);
    await page.click("#filter-reset");
    await expect.poll(visibleFindings).toBe(active().length);
  });

  it("sorts by a column, both ways, and marks the header", async () => {
    const ruleIds = () => page.locator("#findings-table tbody.finding .rule-id").allTextContents();
    const sorted = [...active().map((finding) => finding.ruleId)].sort();
    await page.click(`th[data-column="rule"] button`);
    expect(await ruleIds()).toEqual(sorted);
    expect(await page.getAttribute(`th[data-column="rule"]`, "aria-sort")).toBe("ascending");
    await page.click(`th[data-column="rule"] button`);
    expect(await ruleIds()).toEqual([...sorted].reverse());
    expect(await page.getAttribute(`th[data-column="rule"]`, "aria-sort")).toBe("descending");

    // Severity sorts most severe first on the first click, then the other way.
    const order = ["critical", "high", "medium", "low", "info"];
    const severities = async () =>
      (await page.locator("#findings-table tbody.finding").evaluateAll((bodies) => bodies.map((body) => body.getAttribute("data-severity")!))).map((severity) => order.indexOf(severity));
    await page.click(`th[data-column="severity"] button`);
    expect(await page.getAttribute(`th[data-column="severity"]`, "aria-sort")).toBe("descending");
    const mostSevereFirst = await severities();
    expect(mostSevereFirst).toEqual([...mostSevereFirst].sort((a, b) => a - b));
    expect(mostSevereFirst[0]).toBe(0);
    await page.click(`th[data-column="severity"] button`);
    expect(await page.getAttribute(`th[data-column="severity"]`, "aria-sort")).toBe("ascending");
    const leastSevereFirst = await severities();
    expect(leastSevereFirst).toEqual([...leastSevereFirst].sort((a, b) => b - a));
    expect(await page.getAttribute(`th[data-column="rule"]`, "aria-sort")).toBeNull();
    await page.click(`th[data-column="severity"] button`);
  });

  it("copies a finding's remediation", async () => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]).catch(() => undefined);
    const first = page.locator("#findings-table tbody.finding").first();
    const id = (await first.getAttribute("id"))!.replace(/^finding-/, "");
    const finding = active().find((candidate) => candidate.id === id)!;
    await first.locator("details.fix > summary").click();
    const button = first.locator("button.copy.primary");
    await button.click();
    await expect.poll(() => button.textContent()).toMatch(/^(Copied|Press Ctrl\+C)$/);
    expect(await page.locator("#live-status").textContent()).toMatch(/Copied|Press Ctrl\+C/);
    const clipboard = (await page.evaluate("navigator.clipboard.readText().catch(() => null)")) as string | null;
    if (clipboard !== null) expect(clipboard).toBe(stepCommands(finding.fix!.steps));
  });

  it("opens the Migration section, copies a step, and saves a screenshot of it", async () => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]).catch(() => undefined);
    await page.click('nav.toc a[href="#migration"]');
    const section = page.locator("#migration");
    await expect.poll(() => section.isVisible()).toBe(true);
    const plans = migrationPlans(active());
    const ready = plans.find((plan) => plan.fix.blockers.length === 0 && plan.fix.steps.some((step) => step.command))!;
    expect(ready).toBeDefined();
    expect(await section.locator("article.migration-plan").count()).toBe(plans.length);
    const card = section.locator(`article.migration-plan[data-plan="${ready.planId}"]`);
    await card.scrollIntoViewIfNeeded();
    expect(await card.locator("dl.migration-facts").textContent()).toContain(ready.fix.proposedSubnet!.addressPrefix);
    await card.locator("details.plan-steps > summary").click();
    const firstStep = card.locator("li.fix-step").first();
    const button = firstStep.locator("button.copy");
    await button.click();
    await expect.poll(() => button.textContent()).toMatch(/^(Copied|Press Ctrl\+C)$/);
    const clipboard = (await page.evaluate("navigator.clipboard.readText().catch(() => null)")) as string | null;
    if (clipboard !== null) expect(clipboard).toBe(ready.fix.steps[0]!.command);
    // The blocked plans say why.
    for (const plan of plans.filter((p) => p.fix.blockers.length > 0)) {
      const text = await section.locator(`article.migration-plan[data-plan="${plan.planId}"] ul.blockers`).textContent();
      for (const blocker of plan.fix.blockers) expect(text).toContain(blocker.code);
    }
    await mkdir(OUTPUT_DIR, { recursive: true });
    await section.screenshot({ path: join(OUTPUT_DIR, "migration.png") });
    // The opened plan card alone, at a size a reviewer can read.
    await card.screenshot({ path: join(OUTPUT_DIR, "migration-plan.png") });
    expect(existsSync(join(OUTPUT_DIR, "migration.png"))).toBe(true);
  });

  it("saves a screenshot (screen and print) with the test output", async () => {
    await page.click("#filter-reset");
    await page.evaluate("window.scrollTo(0, 0)");
    await mkdir(OUTPUT_DIR, { recursive: true });
    await copyFile(reportPath, join(OUTPUT_DIR, "report.html"));
    await page.screenshot({ path: join(OUTPUT_DIR, "report.png"), fullPage: true });
    // The first screen, as the README shows it (docs/report.png is a copy of this file).
    await page.screenshot({ path: join(OUTPUT_DIR, "report-top.png") });
    await page.emulateMedia({ media: "print" });
    await page.screenshot({ path: join(OUTPUT_DIR, "report-print.png"), fullPage: true });
    await page.emulateMedia({ media: "screen" });
    expect(existsSync(join(OUTPUT_DIR, "report.png"))).toBe(true);
    expect(existsSync(join(OUTPUT_DIR, "report-top.png"))).toBe(true);
    expect(consoleErrors).toEqual([]);
  });
});

describe.skipIf(NOT_RUN !== undefined)("hostile strings from Azure, in Chromium", () => {
  it("stay inert: no script runs, no element is injected, the data island round-trips", async () => {
    const evil = `<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">`;
    const sub = "5ab00000-0000-4000-8000-000000000001";
    const resourceId = `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Web/certificates/${evil}`;
    const finding: Finding = {
      id: findingId("certificate-expiring", resourceId),
      ruleId: "certificate-expiring",
      severity: "critical",
      title: evil,
      resourceId,
      subscriptionId: sub,
      message: `</script><script>window.__pwned=3</script>${evil}`,
      remediation: evil,
      owner: evil,
      evidence: { subjectName: evil, "</script>": "\u2028\u2029<!--" },
      references: ["javascript:window.__pwned=4", "https://learn.microsoft.com/azure/?q=\"><script>window.__pwned=5</script>"],
      suppressed: null,
      fix: { summary: evil, steps: [{ description: evil, command: evil }], proposedSubnet: null, blockers: [{ code: evil, message: evil }] },
    };
    const result: ScanResult = {
      schemaVersion: 1,
      scanId: evil,
      startedAt: "2026-06-01T00:00:00.000Z",
      finishedAt: "2026-06-01T00:05:00.000Z",
      tool: { name: "vnet-audit", version: evil },
      subscriptions: [{ subscriptionId: sub, displayName: evil, status: "partial", errors: [{ operation: evil, resourceId: evil, statusCode: 403, code: evil, message: evil }] }],
      findings: [finding],
      summary: { bySeverity: { critical: 1, high: 0, medium: 0, low: 0, info: 0 }, byRule: { "certificate-expiring": 1 } },
    };
    const insights: ReportInsights = {
      schemaVersion: 1,
      generatedAt: result.startedAt,
      retirementDate: "2027-03-31",
      subnets: [
        {
          id: `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/${evil}`,
          name: evil,
          vnetId: evil,
          vnetName: evil,
          subscriptionId: sub,
          prefixes: ["10.0.0.0/28", evil],
          usableAddresses: 11,
          safeInstances: 5,
          demand: 8,
          plans: [{ id: evil, name: evil, plannedMaximum: 8, source: { kind: "autoscale", autoscaleSettingId: evil, profile: evil, maximum: 8 }, windowsContainerApps: 0, demand: 8, siteCount: 1 }],
        },
      ],
      gatewayIntegratedApps: [{ siteId: evil, name: evil, subscriptionId: sub, vnetIds: [evil], gatewayCertificates: [{ vnetId: evil, notAfter: "2026-07-01T00:00:00.000Z", thumbprint: evil, subject: evil }] }],
      certificates: [
        { id: resourceId, name: evil, subscriptionId: sub, thumbprint: evil, expirationDate: "2026-05-20T00:00:00.000Z", hostNames: [evil], subjectName: evil, friendlyName: evil, boundSiteIds: [evil] },
      ],
    };
    const html = renderHtmlReport(result, insights);
    await mkdir(OUTPUT_DIR, { recursive: true });
    const path = join(OUTPUT_DIR, "report-hostile.html");
    await writeFile(path, html);

    const hostile = await context.newPage();
    const dialogs: string[] = [];
    const hostileRequests: string[] = [];
    hostile.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    hostile.on("request", (request) => hostileRequests.push(request.url()));
    await hostile.goto(pathToFileURL(path).href, { waitUntil: "load" });
    expect(await hostile.evaluate("window.__pwned")).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(hostileRequests).toEqual([pathToFileURL(path).href]);
    expect(await hostile.locator("img").count()).toBe(0);
    // Two scripts: the data island and the report's own.
    expect(await hostile.locator("script").count()).toBe(2);
    expect(await hostile.locator(`a[href^="javascript:"]`).count()).toBe(0);
    const island = JSON.parse((await hostile.locator("#vnet-audit-data").textContent())!) as { result: ScanResult; insights: ReportInsights };
    expect(island).toEqual({ result, insights });
    // The hostile text is shown as text.
    expect(await hostile.locator("#findings-table .message").first().textContent()).toContain("</script><script>window.__pwned=3</script>");
    await hostile.close();
  });
});

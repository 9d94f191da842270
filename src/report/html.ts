/**
 * The HTML report (`vnet-audit scan --format html`, and the blob stored per run): one
 * self-contained file. Inline CSS and a small inline script, both allowed by hash in a strict
 * Content-Security-Policy (`default-src 'none'`), SVG charts drawn here on the server, no
 * external request of any kind. Readable offline, without script, and printed.
 *
 * Every string from Azure or the rules is escaped with `escapeHtml` (text and quoted
 * attributes); only http(s) references become links; the scan data embedded for tooling sits
 * in a `<script type="application/json">` written by `jsonForScript`, which can't close it.
 *
 * The pieces the alert email shares (severity badge, references, remediation) take a `Skin`:
 * `report` styles with classes, `email` with inline `style=""` that mail clients keep.
 */
import { createHash } from "node:crypto";
import type { ReportInsights, SubnetPlanInsight } from "../engine/insights.js";
import { GATEWAY_INTEGRATION_RETIREMENT_DATE, type PlannedMaximumSource } from "../rules/terms.js";
import type { ScanResult } from "../engine/result.js";
import type { Finding } from "../model/finding.js";
import { SEVERITIES, severityRank, type Severity } from "../model/severity.js";
import { ruleById } from "../rules/index.js";
import { calendarDaysUntil, wholeDaysUntil } from "../util/time.js";
import {
  capacityChart,
  capacityState,
  certificateTimeline,
  COLORS,
  isoDate,
  retirementStrip,
  ruleBars,
  SEVERITY_COLORS,
  SEVERITY_LABELS,
  severityDonut,
  type CapacityRow,
  type TimelineItem,
} from "./charts.js";
import { attr, escapeHtml as esc, jsonForScript, safeHttpUrl } from "./escape.js";
import { resourceGroupOf } from "../util/arm-id.js";
import { activeFindings, shortResource } from "./text.js";
import { changeNote, findingDataAttributes, findingFilters, ownerCell } from "./owners-html.js";
import { groupByApp, renderApps, renderOwners } from "./apps-html.js";
import { renderChanges } from "./changes-html.js";
import { MIGRATION_STYLE, renderMigration } from "./migration.js";
import { remediationView, renderBlockers, renderSteps, stepCommands } from "./remediation.js";

export interface HtmlReportOptions {
  /** The report's clock (countdowns, "today"); default: when the scan finished. */
  now?: Date;
}

/** Timeline rows drawn at most; the table below the chart lists every certificate. */
export const MAX_TIMELINE_ITEMS = 40;
/** Capacity rows drawn at most (most pressed first); the details table lists every subnet. */
export const MAX_CAPACITY_ROWS = 120;

// ---------------------------------------------------------------------------------------------
// Pieces shared with the alert email

export type Skin = "report" | "email";

const EMAIL_FONT = "font-family:'Segoe UI',Helvetica,Arial,sans-serif;";
const EMAIL_MONO = "font-family:Consolas,'Courier New',monospace;";

/** Inline styles of the email skin (the report uses the classes of its stylesheet). */
export const EMAIL_STYLES = {
  font: EMAIL_FONT,
  mono: EMAIL_MONO,
  link: `color:${COLORS.accent};text-decoration:underline;`,
  muted: `color:${COLORS.muted};`,
  code: `${EMAIL_MONO}font-size:12px;line-height:1.45;background:${COLORS.page};border:1px solid ${COLORS.line};padding:8px 10px;white-space:pre-wrap;word-break:break-all;color:${COLORS.ink};`,
} as const;

export function severityBadge(severity: Severity, skin: Skin = "report"): string {
  const label = esc(severity);
  if (skin === "report") return `<span ${attr("class", `badge sev-${severity}`)}>${label}</span>`;
  const colour = SEVERITY_COLORS[severity]?.solid ?? COLORS.muted;
  return (
    `<span style="display:inline-block;padding:2px 8px;border-radius:3px;background-color:${colour};color:#ffffff;${EMAIL_FONT}` +
    `font-size:11px;font-weight:bold;letter-spacing:0.04em;text-transform:uppercase;mso-line-height-rule:exactly;line-height:16px;">${label}</span>`
  );
}

/**
 * A finding's documentation links. Only http(s) URLs (`https` only in email) become links;
 * in the report anything else is shown as inert text, in email it is left out.
 */
export function referenceLinks(references: readonly string[], skin: Skin = "report"): string {
  if (skin === "email") {
    return references
      .flatMap((reference) => safeHttpUrl(reference, ["https:"]) ?? [])
      .map((url) => `<a href="${esc(url)}" style="${EMAIL_STYLES.link}">${esc(url)}</a>`)
      .join("<br>");
  }
  if (references.length === 0) return "";
  const items = references.map((reference) => {
    const url = safeHttpUrl(reference);
    return url
      ? `<li><a ${attr("href", url)} rel="noopener noreferrer" target="_blank">${esc(reference)}</a></li>`
      : `<li><span class="unsafe-url" title="Not a web link, shown as text">${esc(reference)}</span></li>`;
  });
  return `<ul class="references">${items.join("")}</ul>`;
}

// ---------------------------------------------------------------------------------------------
// The report

interface Context {
  result: ScanResult;
  insights: ReportInsights | undefined;
  now: Date;
  active: Finding[];
  subscriptionName: (id: string) => string;
  /** Worst active finding severity by lower-cased resource ID. */
  worstByResource: Map<string, Severity>;
  findingsByResource: Map<string, Finding[]>;
}

export function renderHtmlReport(result: ScanResult, insights: ReportInsights | undefined, options: HtmlReportOptions = {}): string {
  const now = options.now ?? new Date(result.finishedAt);
  const active = activeFindings(result);
  const names = new Map(result.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), s.displayName]));
  const worstByResource = new Map<string, Severity>();
  const findingsByResource = new Map<string, Finding[]>();
  for (const finding of active) {
    const key = finding.resourceId.toLowerCase();
    const worst = worstByResource.get(key);
    if (!worst || severityRank(finding.severity) > severityRank(worst)) worstByResource.set(key, finding.severity);
    const list = findingsByResource.get(key);
    if (list) list.push(finding);
    else findingsByResource.set(key, [finding]);
  }
  const ctx: Context = {
    result,
    insights,
    now,
    active,
    subscriptionName: (id) => names.get(id.toLowerCase()) || id,
    worstByResource,
    findingsByResource,
  };

  const csp = [
    "default-src 'none'",
    `style-src '${sha256(STYLE)}'`,
    `script-src '${sha256(SCRIPT)}'`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const title = `vnet-audit report · ${result.startedAt.slice(0, 10)}`;

  return [
    `<!DOCTYPE html>`,
    `<html lang="en">`,
    `<head>`,
    `<meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" ${attr("content", csp)}>`,
    `<meta name="referrer" content="no-referrer">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta name="generator" ${attr("content", `vnet-audit ${result.tool.version}`)}>`,
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    `</head>`,
    `<body>`,
    `<a class="skip" href="#findings">Skip to findings</a>`,
    renderHeader(ctx),
    `<nav class="toc" aria-label="Sections">`,
    [
      ["#summary", "Summary"],
      ["#capacity", "Subnet capacity"],
      ["#retirement", "Retirement"],
      ["#migration", "Migration"],
      ["#certificates", "Certificates"],
      ...(result.findings.some((f) => !f.suppressed) ? [["#owners", "Owners"]] : []),
      ["#findings", "Findings"],
      ...(groupByApp(active).length > 0 ? [["#apps", "Apps"]] : []),
      ["#subscriptions", "Subscriptions"],
    ]
      .map(([href, text]) => `<a href="${href}">${text}</a>`)
      .join(""),
    `</nav>`,
    `<main>`,
    renderBanner(ctx),
    renderChanges(result),
    renderSummary(ctx),
    renderCapacity(ctx),
    renderRetirement(ctx),
    renderCertificates(ctx),
    renderOwners(result),
    renderMigration(ctx.active, { now: ctx.now, retirementDate: retirementDate(ctx) }),
    renderFindings(ctx),
    renderApps(result),
    renderSuppressed(ctx),
    renderSubscriptions(ctx),
    `</main>`,
    `<footer>Generated by vnet-audit ${esc(result.tool.version)} from scan <code>${esc(result.scanId)}</code>. ` +
      `This file is self-contained: it loads nothing from the network. The scan result (JSON) is embedded in the element <code>#vnet-audit-data</code>.</footer>`,
    `<div id="live-status" class="visually-hidden" role="status" aria-live="polite"></div>`,
    `<script type="application/json" id="vnet-audit-data">${jsonForScript({ result, insights: insights ?? null })}</script>`,
    `<script>${SCRIPT}</script>`,
    `</body>`,
    `</html>`,
    ``,
  ].join("\n");
}

function sha256(content: string): string {
  return `sha256-${createHash("sha256").update(content, "utf8").digest("base64")}`;
}

// ---------------------------------------------------------------------------------------------
// Header and summary

function renderBanner({ result }: Context): string {
  const incomplete = result.subscriptions.filter((s) => s.status === "failed" || s.status === "partial");
  if (incomplete.length === 0) return "";
  return (
    `<div class="banner" role="note"><strong>Incomplete scan.</strong> ${incomplete.length} subscription(s) could not be read completely ` +
    `(${incomplete.map((s) => `${esc(s.displayName || s.subscriptionId)}: ${esc(s.status)}`).join(", ")}); findings there may be missing. ` +
    `<a href="#subscriptions">See the collection errors</a>.</div>`
  );
}

function renderHeader({ result }: Context): string {
  return [
    `<header class="top">`,
    `<div class="header-row"><div>`,
    `<div class="eyebrow">vnet-audit · App Service VNet integration</div>`,
    `<h1>Tenant audit report</h1>`,
    `<div class="meta">`,
    `<span>Scan <code>${esc(result.scanId)}</code></span>`,
    `<span>Started <time ${attr("datetime", result.startedAt)}>${esc(formatInstant(result.startedAt))}</time></span>`,
    `<span>Finished <time ${attr("datetime", result.finishedAt)}>${esc(formatInstant(result.finishedAt))}</time></span>`,
    `<span>${result.subscriptions.length} subscription(s)</span>`,
    `<span>vnet-audit ${esc(result.tool.version)}</span>`,
    `</div></div>`,
    `<button type="button" class="print-button no-print" data-action="print">Print or save as PDF</button>`,
    `</div>`,
    `</header>`,
  ].join("\n");
}

function renderSummary(ctx: Context): string {
  const { result, active, insights, now } = ctx;
  const counts = result.summary.bySeverity;
  const total = SEVERITIES.reduce((sum, s) => sum + counts[s], 0);
  const complete = result.subscriptions.filter((s) => s.status === "complete").length;
  const failed = result.subscriptions.filter((s) => s.status === "failed").length;
  const partial = result.subscriptions.filter((s) => s.status === "partial").length;
  const skipped = result.subscriptions.filter((s) => s.status === "skipped").length;
  const days = calendarDaysUntil(retirementDate(ctx), now);
  const gatewayAppCount = gatewayApps(ctx).length;
  const subnets = insights?.subnets ?? [];
  const pressed = subnets.filter((s) => capacityState(capacityInput(s)) === "over-safe" || capacityState(capacityInput(s)) === "over-usable").length;
  const certificates = insights?.certificates ?? [];
  const soon = certificates.filter((c) => {
    const left = c.expirationDate ? wholeDaysUntil(c.expirationDate, now) : undefined;
    return left !== undefined && left <= 30;
  }).length;

  const kpi = (label: string, value: string, sub: string, tone: Severity | "ok" | "neutral", href: string) =>
    `<a ${attr("class", `kpi tone-${tone}`)} ${attr("href", href)}><span class="label">${esc(label)}</span><span class="value">${esc(value)}</span><span class="sub">${esc(sub)}</span></a>`;
  const worst = SEVERITIES.find((s) => counts[s] > 0);
  const kpis = [
    kpi("Active findings", String(total), `${counts.critical} critical · ${counts.high} high`, worst ?? "ok", "#findings"),
    kpi(
      "Subscriptions complete",
      `${complete} / ${result.subscriptions.length}`,
      [failed ? `${failed} failed` : "", partial ? `${partial} partial` : "", skipped ? `${skipped} skipped` : ""].filter(Boolean).join(" · ") || "all read",
      failed + partial > 0 ? "high" : "ok",
      "#subscriptions",
    ),
    kpi("Subnets above safe size", insights ? `${pressed} / ${subnets.length}` : "n/a", insights ? "integration subnets" : "insights not available", pressed > 0 ? "high" : "ok", "#capacity"),
    kpi(
      days > 0 ? "Days to retirement" : "Days since retirement",
      String(Math.abs(days)),
      `${gatewayAppCount} app(s) on gateway-required integration`,
      gatewayAppCount === 0 ? "ok" : days <= 0 ? "critical" : days <= 180 ? "high" : "medium",
      "#retirement",
    ),
    kpi("Certificates due", insights ? String(soon) : "n/a", insights ? `expired or within 30 days, of ${certificates.length}` : "insights not available", soon > 0 ? "high" : "ok", "#certificates"),
  ];

  const byRule = new Map<string, Record<Severity, number>>();
  for (const finding of active) {
    const row = byRule.get(finding.ruleId) ?? (Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>);
    row[finding.severity]++;
    byRule.set(finding.ruleId, row);
  }
  const rules = [...byRule.entries()]
    .map(([ruleId, c]) => ({ ruleId, title: ruleById(ruleId)?.meta.title ?? ruleId, counts: c, total: SEVERITIES.reduce((sum, s) => sum + c[s], 0) }))
    .sort((a, b) => b.total - a.total || SEVERITIES.reduce((d, s) => d || b.counts[s] - a.counts[s], 0) || a.ruleId.localeCompare(b.ruleId));

  const legend = SEVERITIES.map(
    (severity) =>
      `<li><button type="button" class="legend-item" ${attr("data-filter-severity", severity)} ${attr("aria-label", `Show ${counts[severity]} ${severity} finding(s)`)}>` +
      `<span ${attr("class", `swatch sev-${severity}`)} aria-hidden="true"></span><span class="legend-name">${SEVERITY_LABELS[severity]}</span><span class="legend-count">${counts[severity]}</span></button></li>`,
  ).join("");

  return [
    `<section id="summary" aria-labelledby="summary-title">`,
    `<h2 id="summary-title" class="visually-hidden">Summary</h2>`,
    `<div class="kpis">${kpis.join("")}</div>`,
    `<div class="card summary-grid">`,
    `<figure class="donut"><figcaption>By severity</figcaption>${severityDonut(counts)}<ul class="legend no-print-buttons">${legend}</ul></figure>`,
    `<figure class="by-rule"><figcaption>By rule <span class="hint">(active findings, stacked by severity)</span></figcaption>${ruleBars(rules)}</figure>`,
    `</div>`,
    `</section>`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Subnet capacity

function capacityInput(subnet: ReportInsights["subnets"][number]) {
  return { known: subnet.prefixes.some((p) => !p.includes(":")), usable: subnet.usableAddresses, safe: subnet.safeInstances, demand: subnet.demand };
}

function describeSource(plan: SubnetPlanInsight): string {
  if (plan.source === null) return "plan not in the inventory";
  const source: PlannedMaximumSource = plan.source;
  switch (source.kind) {
    case "sku":
      return `sku capacity ${source.capacity}`;
    case "elasticMaximum":
      return `elastic maximum ${source.maximumElasticWorkerCount}`;
    case "autoscale":
      return `autoscale profile “${source.profile}” maximum ${source.maximum}${source.fixedDateEnd ? ` until ${source.fixedDateEnd.slice(0, 10)}` : ""}`;
    case "unknown":
      return "no capacity known";
  }
}

function renderCapacity(ctx: Context): string {
  const { insights } = ctx;
  const head = [
    `<section id="capacity" class="card" aria-labelledby="capacity-title">`,
    `<h2 id="capacity-title">Integration subnet capacity</h2>`,
    `<p class="lede">Each plan instance takes one address in its integration subnet, and scaling doubles that for a while, so a subnet is safe for half its usable addresses. ` +
      `Bars compare the plans' planned maximum demand with the safe threshold (dashed) and the usable addresses (grey track).</p>`,
  ];
  if (!insights) return [...head, unavailable(), `</section>`].join("\n");
  const pressure = (s: ReportInsights["subnets"][number]) => {
    const input = capacityInput(s);
    if (!input.known) return -1;
    return input.safe === 0 ? Number.POSITIVE_INFINITY : input.demand / input.safe;
  };
  const sorted = [...insights.subnets].sort((a, b) => pressure(b) - pressure(a) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const rows: CapacityRow[] = sorted.slice(0, MAX_CAPACITY_ROWS).map((subnet) => {
    const input = capacityInput(subnet);
    const finding = subnetFindingLabel(ctx, subnet.id);
    return {
      id: subnet.id,
      name: subnet.name,
      detail: `${subnet.vnetName} · ${subnet.prefixes.join(", ") || "prefix unknown"} · ${ctx.subscriptionName(subnet.subscriptionId)}`,
      usable: input.usable,
      safe: input.safe,
      demand: input.demand,
      known: input.known,
      unknownPlans: subnet.plans.filter((plan) => plan.demand === null || plan.source?.kind === "unknown").length,
      ...(finding ? { finding } : {}),
    };
  });
  const more = sorted.length > rows.length ? `<p class="note">Showing the ${rows.length} most pressed of ${sorted.length} subnets; the table lists them all.</p>` : "";
  const tableRows = sorted.map((subnet) => {
    const plans = subnet.plans
      .map(
        (plan) =>
          `<li><span class="mono">${esc(plan.name ?? shortResource(plan.id))}</span>: ${plan.demand ?? "?"} address(es) ` +
          `<span class="muted">(${esc(describeSource(plan))}${plan.windowsContainerApps > 0 ? `, × (1 + ${plan.windowsContainerApps} Windows container app(s))` : ""}; ${plan.siteCount} site(s))</span></li>`,
      )
      .join("");
    const finding = ctx.worstByResource.get(subnet.id.toLowerCase());
    return (
      `<tr><th scope="row">${resourceCell(subnet.name, subnet.id)}</th>` +
      `<td>${esc(subnet.vnetName)}</td><td>${esc(ctx.subscriptionName(subnet.subscriptionId))}</td>` +
      `<td class="mono">${esc(subnet.prefixes.join(", ") || "unknown")}</td>` +
      `<td class="num">${subnet.usableAddresses}</td><td class="num">${subnet.safeInstances}</td><td class="num">${subnet.demand}</td>` +
      `<td><ul class="plain">${plans}</ul></td><td>${finding ? severityBadge(finding) : `<span class="muted">none</span>`}</td></tr>`
    );
  });
  return [
    ...head,
    `<figure class="chart-frame">${capacityChart(rows)}</figure>`,
    more,
    `<details class="subnet-details" data-print-open><summary>Subnet details (${sorted.length})</summary>`,
    `<div class="table-scroll"><table><caption class="visually-hidden">Integration subnets with their plans</caption>`,
    `<thead><tr><th scope="col">Subnet</th><th scope="col">VNet</th><th scope="col">Subscription</th><th scope="col">Prefixes</th><th scope="col" class="num">Usable</th><th scope="col" class="num">Safe</th><th scope="col" class="num">Demand</th><th scope="col">Plans</th><th scope="col">Finding</th></tr></thead>`,
    `<tbody>${tableRows.join("") || `<tr><td colspan="9" class="muted">No subnet is used for regional VNet integration.</td></tr>`}</tbody></table></div>`,
    `</details>`,
    `</section>`,
  ].join("\n");
}

/** Why the subnet has findings, in a few words: subnet-undersized's first reason, else the rule IDs. */
const UNDERSIZED_REASONS: Record<string, string> = {
  "prefix-longer-than-/28": "prefix longer than /28",
  "demand-exceeds-safe-instances": "demand above safe",
  "plans-share-subnet-smaller-than-/26": "shared by plans, under /26",
  "smaller-than-/26": "smaller than /26",
};

function subnetFindingLabel(ctx: Context, subnetId: string): { severity: Severity; label: string } | undefined {
  const findings = [...(ctx.findingsByResource.get(subnetId.toLowerCase()) ?? [])].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const worst = findings[0];
  if (!worst) return undefined;
  const labels = findings.map((finding) => {
    const reasons = finding.ruleId === "subnet-undersized" && Array.isArray(finding.evidence.reasons) ? (finding.evidence.reasons as unknown[]) : [];
    const first = typeof reasons[0] === "string" ? UNDERSIZED_REASONS[reasons[0]] : undefined;
    return first ?? finding.ruleId;
  });
  return { severity: worst.severity, label: labels.join("; ") };
}

/** A resource's name with its resource group below; the full ID is the tooltip (and stays in the JSON). */
function resourceCell(name: string, id: string): string {
  const group = resourceGroupOf(id);
  return `<span class="mono" ${attr("title", id)}>${esc(name)}</span>${group ? `<span class="full">${esc(group)}</span>` : ""}`;
}

/** Up to `max` resource names, then how many more; every ID in the tooltip. */
function compactList(ids: readonly string[], max = 3): string {
  if (ids.length === 0) return `<span class="muted">none</span>`;
  const names = ids.map((id) => id.split("/").pop() || id);
  const shown = names.slice(0, max).map((name, i) => `<span class="mono nowrap" ${attr("title", ids[i]!)}>${esc(name)}</span>`);
  const more = ids.length > max ? ` <span class="muted" ${attr("title", names.slice(max).join(", "))}>and ${ids.length - max} more</span>` : "";
  return `${shown.join(", ")}${more}`;
}

function unavailable(): string {
  return `<p class="note">Not available: this report was rendered without inventory insights (only the scan result).</p>`;
}

// ---------------------------------------------------------------------------------------------
// Retirement of gateway-required integration

function retirementDate(ctx: Context): string {
  return ctx.insights?.retirementDate || GATEWAY_INTEGRATION_RETIREMENT_DATE;
}

interface GatewayApp {
  siteId: string;
  name: string;
  subscriptionId: string;
  vnetIds: string[];
  earliestCertificate: string | null;
}

/** From the insights, or (without them) from the legacy findings, which name the same sites. */
function gatewayApps(ctx: Context): GatewayApp[] {
  if (ctx.insights) {
    return ctx.insights.gatewayIntegratedApps.map((app) => ({
      siteId: app.siteId,
      name: app.name,
      subscriptionId: app.subscriptionId,
      vnetIds: app.vnetIds,
      earliestCertificate: app.gatewayCertificates.map((c) => c.notAfter).sort()[0] ?? null,
    }));
  }
  return ctx.result.findings
    .filter((finding) => finding.ruleId === "gateway-integration-legacy")
    .map((finding) => {
      const connections = Array.isArray(finding.evidence.connections) ? (finding.evidence.connections as { virtualNetwork?: { id?: unknown } }[]) : [];
      return {
        siteId: finding.resourceId,
        name: shortResource(finding.resourceId).split("/").slice(2).join("/") || finding.resourceId,
        subscriptionId: finding.subscriptionId,
        vnetIds: connections.flatMap((c) => (typeof c.virtualNetwork?.id === "string" ? [c.virtualNetwork.id] : [])),
        earliestCertificate: null,
      };
    });
}

function renderRetirement(ctx: Context): string {
  const date = retirementDate(ctx);
  const days = calendarDaysUntil(date, ctx.now);
  const apps = gatewayApps(ctx).sort(
    (a, b) => ctx.subscriptionName(a.subscriptionId).localeCompare(ctx.subscriptionName(b.subscriptionId)) || a.name.localeCompare(b.name),
  );
  const tone: Severity = days <= 0 ? "critical" : days <= 180 ? "high" : "medium";
  const headline =
    days > 0
      ? `<span class="days">${days}</span><span class="unit">days left</span>`
      : `<span class="days">${-days}</span><span class="unit">days since retirement</span>`;
  const rows = apps.map((app) => {
    const legacy = (ctx.findingsByResource.get(app.siteId.toLowerCase()) ?? []).filter((f) => f.ruleId.startsWith("gateway-"));
    const worst = legacy.map((f) => f.severity).sort((a, b) => severityRank(b) - severityRank(a))[0];
    const certificate = app.earliestCertificate
      ? `${esc(app.earliestCertificate.slice(0, 10))}<br><span class="muted">${esc(daysPhrase(wholeDaysUntil(app.earliestCertificate, ctx.now)))}</span>`
      : `<span class="muted">unknown</span>`;
    return (
      `<tr><th scope="row">${resourceCell(app.name, app.siteId)}</th>` +
      `<td>${esc(ctx.subscriptionName(app.subscriptionId))}</td>` +
      `<td>${app.vnetIds.map((id) => `<span class="mono" ${attr("title", id)}>${esc(id.split("/").pop() || id)}</span>`).join("<br>") || `<span class="muted">unknown</span>`}</td>` +
      `<td class="date">${certificate}</td>` +
      `<td>${worst ? severityBadge(worst) : ""} ${legacy.length > 1 ? `<span class="muted">${legacy.length} findings</span>` : ""}</td></tr>`
    );
  });
  return [
    `<section id="retirement" class="card" aria-labelledby="retirement-title">`,
    `<h2 id="retirement-title">Gateway-required integration retirement</h2>`,
    `<p class="lede">Gateway-required (legacy) VNet integration is retired on <strong>${esc(date)}</strong>. Apps still using it must move to regional VNet integration.</p>`,
    `<div class="countdown">`,
    `<div ${attr("class", `countdown-number tone-${tone}`)} role="status" ${attr("aria-label", days > 0 ? `${days} days until ${date}` : `${-days} days since ${date}`)}>${headline}</div>`,
    `<div class="countdown-apps"><span class="days-small">${apps.length}</span> app(s) and slot(s) still on gateway-required integration</div>`,
    `</div>`,
    `<figure class="chart-frame">${retirementStrip(date, ctx.now)}</figure>`,
    apps.length === 0
      ? `<p class="ok-note">No app uses gateway-required integration.</p>`
      : `<div class="table-scroll"><table id="gateway-apps"><caption class="visually-hidden">Apps on gateway-required integration</caption>` +
        `<thead><tr><th scope="col">App</th><th scope="col">Subscription</th><th scope="col">VNets</th><th scope="col">Gateway certificate</th><th scope="col">Findings</th></tr></thead>` +
        `<tbody>${rows.join("")}</tbody></table></div>`,
    `</section>`,
  ].join("\n");
}

function daysPhrase(days: number | undefined): string {
  if (days === undefined) return "unknown";
  if (days < 0) return `expired ${-days} day(s) ago`;
  return days === 0 ? "expires today" : `in ${days} day(s)`;
}

// ---------------------------------------------------------------------------------------------
// Certificates

interface CertificateRow extends TimelineItem {
  subject: string | null;
  friendlyName: string | null;
  hostNames: string[];
  bound: string[];
  subscriptionId: string;
  resourceId: string;
}

function certificateRows(ctx: Context): CertificateRow[] {
  const insights = ctx.insights!;
  const appService: CertificateRow[] = insights.certificates.flatMap((certificate) => {
    if (!certificate.expirationDate || Number.isNaN(Date.parse(certificate.expirationDate))) return [];
    const worst = ctx.worstByResource.get(certificate.id.toLowerCase());
    return [
      {
        id: certificate.id,
        resourceId: certificate.id,
        label: certificate.name,
        detail: certificate.hostNames.join(", ") || certificate.subjectName || "",
        expiresAt: certificate.expirationDate,
        status: worst ?? fallbackStatus(certificate.expirationDate, ctx.now, 30),
        kind: "app-service" as const,
        subject: certificate.subjectName,
        friendlyName: certificate.friendlyName,
        hostNames: certificate.hostNames,
        bound: certificate.boundSiteIds,
        subscriptionId: certificate.subscriptionId,
      },
    ];
  });
  // Gateway point-to-site certificates: one row per certificate, naming the apps that use it.
  const gateway = new Map<string, CertificateRow>();
  for (const app of insights.gatewayIntegratedApps) {
    const finding = (ctx.findingsByResource.get(app.siteId.toLowerCase()) ?? []).find((f) => f.ruleId === "gateway-certificate-expiring");
    for (const certificate of app.gatewayCertificates) {
      const key = `${(certificate.thumbprint ?? "").toLowerCase()}|${certificate.notAfter}`;
      const existing = gateway.get(key);
      if (existing) {
        if (!existing.bound.includes(app.siteId)) existing.bound.push(app.siteId);
        if (finding && (existing.status === "ok" || severityRank(finding.severity) > severityRank(existing.status))) existing.status = finding.severity;
        continue;
      }
      const name = certificate.subject?.replace(/^CN=/i, "") || certificate.thumbprint || "certificate";
      gateway.set(key, {
        id: `gateway:${key}`,
        resourceId: app.siteId,
        label: `P2S ${name}`,
        detail: `gateway-required integration, ${certificate.thumbprint ?? "no thumbprint"}`,
        expiresAt: certificate.notAfter,
        status: finding?.severity ?? fallbackStatus(certificate.notAfter, ctx.now, 183),
        kind: "gateway",
        subject: certificate.subject,
        friendlyName: null,
        hostNames: [],
        bound: [app.siteId],
        subscriptionId: app.subscriptionId,
      });
    }
  }
  return [...appService, ...gateway.values()].sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || a.label.localeCompare(b.label));
}

/** Without a finding (suppressed, or beyond the thresholds), the marker is coloured by the rule's bands. */
function fallbackStatus(expiresAt: string, now: Date, warnWithinDays: number): Severity | "ok" {
  const days = wholeDaysUntil(expiresAt, now);
  if (days === undefined) return "ok";
  if (days < 0) return "critical";
  return days <= warnWithinDays ? "medium" : "ok";
}

function renderCertificates(ctx: Context): string {
  const head = [
    `<section id="certificates" class="card" aria-labelledby="certificates-title">`,
    `<h2 id="certificates-title">Certificate expiry</h2>`,
    `<p class="lede">App Service certificates (circles) and the point-to-site certificates of gateway-required connections (diamonds), by expiry date. ` +
      `The shaded area is the past; certificates beyond the axis are marked at its right edge.</p>`,
  ];
  if (!ctx.insights) return [...head, unavailable(), `</section>`].join("\n");
  const rows = certificateRows(ctx);
  const withoutDate = ctx.insights.certificates.filter((c) => !c.expirationDate || Number.isNaN(Date.parse(c.expirationDate)));
  const more = rows.length > MAX_TIMELINE_ITEMS ? `<p class="note">The chart shows the ${MAX_TIMELINE_ITEMS} earliest of ${rows.length} certificates; the table lists them all.</p>` : "";
  const tableRows = rows.map((row) => {
    const days = wholeDaysUntil(row.expiresAt, ctx.now);
    const status = row.status === "ok" ? `<span class="badge ok">ok</span>` : severityBadge(row.status);
    return (
      `<tr><th scope="row">${row.kind === "app-service" ? resourceCell(row.label, row.resourceId) : `<span class="mono">${esc(row.label)}</span>`}</th>` +
      `<td>${row.kind === "gateway" ? "Gateway P2S" : "App Service"}</td>` +
      `<td>${esc(row.subject ?? "")}</td><td>${esc(row.friendlyName ?? "")}</td>` +
      `<td>${row.hostNames.map((h) => esc(h)).join("<br>")}</td>` +
      `<td class="date"><time ${attr("datetime", row.expiresAt)}>${esc(row.expiresAt.slice(0, 10))}</time><br><span class="muted">${esc(daysPhrase(days))}</span></td>` +
      `<td>${status}</td><td>${compactList(row.bound)}</td><td>${esc(ctx.subscriptionName(row.subscriptionId))}</td></tr>`
    );
  });
  for (const certificate of withoutDate) {
    tableRows.push(
      `<tr><th scope="row">${resourceCell(certificate.name, certificate.id)}</th><td>App Service</td>` +
        `<td>${esc(certificate.subjectName ?? "")}</td><td>${esc(certificate.friendlyName ?? "")}</td><td>${certificate.hostNames.map((h) => esc(h)).join("<br>")}</td>` +
        `<td class="muted">unknown</td><td></td><td>${compactList(certificate.boundSiteIds)}</td><td>${esc(ctx.subscriptionName(certificate.subscriptionId))}</td></tr>`,
    );
  }
  return [
    ...head,
    `<figure class="chart-frame">${certificateTimeline(rows, ctx.now, { maxItems: MAX_TIMELINE_ITEMS })}</figure>`,
    more,
    `<div class="table-scroll"><table id="certificates-table"><caption class="visually-hidden">Certificates by expiry</caption>`,
    `<thead><tr><th scope="col">Certificate</th><th scope="col">Type</th><th scope="col">Subject</th><th scope="col">Friendly name</th><th scope="col">Host names</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col">Used by</th><th scope="col">Subscription</th></tr></thead>`,
    `<tbody>${tableRows.join("") || `<tr><td colspan="9" class="muted">No certificates.</td></tr>`}</tbody></table></div>`,
    `</section>`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Findings

function renderFindings(ctx: Context): string {
  const { active } = ctx;
  const severityOptions = SEVERITIES.filter((s) => active.some((f) => f.severity === s)).map(
    (s) => `<option ${attr("value", s)}>${SEVERITY_LABELS[s]} (${active.filter((f) => f.severity === s).length})</option>`,
  );
  const ruleCounts = new Map<string, number>();
  for (const f of active) ruleCounts.set(f.ruleId, (ruleCounts.get(f.ruleId) ?? 0) + 1);
  const ruleOptions = [...ruleCounts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, n]) => `<option ${attr("value", id)}>${esc(id)} (${n})</option>`);
  const subscriptionCounts = new Map<string, number>();
  for (const f of active) subscriptionCounts.set(f.subscriptionId.toLowerCase(), (subscriptionCounts.get(f.subscriptionId.toLowerCase()) ?? 0) + 1);
  const subscriptionOptions = [...subscriptionCounts.entries()]
    .sort(([a], [b]) => ctx.subscriptionName(a).localeCompare(ctx.subscriptionName(b)))
    .map(([id, n]) => `<option ${attr("value", id)}>${esc(ctx.subscriptionName(id))} (${n})</option>`);
  const { ownerFilter, changeFilter } = findingFilters(active);

  const columns: [string, string, "ascending" | "descending"][] = [
    ["Severity", "severity", "descending"],
    ["Rule", "rule", "ascending"],
    ["Resource", "resource", "ascending"],
    ["Subscription", "subscription", "ascending"],
    ["Owner", "owner", "ascending"],
    ["Finding", "message", "ascending"],
  ];
  const header = columns
    .map(
      ([name, key, dir], index) =>
        `<th scope="col" ${attr("data-column", key)}${index === 0 ? ` aria-sort="descending"` : ""}><button type="button" class="sort" ${attr("data-column-index", index)} ${attr("data-first-direction", dir)}>${name}<span class="sort-indicator" aria-hidden="true"></span></button></th>`,
    )
    .join("");
  const bodies = active.map((finding, index) => renderFindingBody(ctx, finding, index));

  return [
    `<section id="findings" class="card" aria-labelledby="findings-title">`,
    `<h2 id="findings-title">Findings</h2>`,
    `<p class="lede">Active findings, most severe first. Filter and sort them; each one's remediation is under “Remediation”.</p>`,
    `<form class="filters no-print" role="search" aria-label="Filter findings" id="findings-filters">`,
    `<label>Severity<select id="filter-severity" name="severity"><option value="">All severities</option>${severityOptions.join("")}</select></label>`,
    `<label>Rule<select id="filter-rule" name="rule"><option value="">All rules</option>${ruleOptions.join("")}</select></label>`,
    `<label>Subscription<select id="filter-subscription" name="subscription"><option value="">All subscriptions</option>${subscriptionOptions.join("")}</select></label>`,
    ownerFilter,
    changeFilter,
    `<label class="grow">Search<input id="filter-text" name="q" type="search" placeholder="Resource, message, rule…" autocomplete="off"></label>`,
    `<button type="reset" class="secondary" id="filter-reset">Reset</button>`,
    `<button type="button" class="secondary" data-action="toggle-details" aria-pressed="false">Expand all</button>`,
    `</form>`,
    `<p id="findings-count" class="count" aria-live="polite">Showing all ${active.length} findings</p>`,
    `<div class="table-scroll"><table id="findings-table" class="findings"><caption class="visually-hidden">Active findings</caption>`,
    `<colgroup><col class="c-sev"><col class="c-rule"><col class="c-res"><col class="c-sub"><col class="c-owner"><col class="c-msg"></colgroup>`,
    `<thead><tr>${header}</tr></thead>`,
    bodies.join("\n"),
    `</table></div>`,
    `<p id="findings-empty" class="empty"${active.length === 0 ? "" : " hidden"}>${active.length === 0 ? "No active findings." : "No finding matches these filters."}</p>`,
    `</section>`,
  ].join("\n");
}

function renderFindingBody(ctx: Context, finding: Finding, index: number): string {
  const fix = remediationView(finding);
  const n = index + 1;
  const expired = finding.evidence.expiredSuppression as { expiresOn?: unknown; reason?: unknown } | undefined;
  const copyButton = (targetId: string, what: string) =>
    `<button type="button" class="copy" ${attr("data-copy-target", targetId)} ${attr("aria-label", `Copy ${what}`)}>Copy</button>`;
  const evidence = JSON.stringify(finding.evidence, null, 2);
  return [
    `<tbody class="finding" ${attr("id", `finding-${finding.id}`)} ${attr("data-index", index)} ${attr("data-severity", finding.severity)} ${attr("data-rule", finding.ruleId)} ${attr("data-subscription", finding.subscriptionId.toLowerCase())} ${findingDataAttributes(finding)}>`,
    `<tr class="finding-row">`,
    `<td ${attr("data-sort", severityRank(finding.severity))}>${severityBadge(finding.severity)}</td>`,
    `<td><span class="mono rule-id">${esc(finding.ruleId)}</span><span class="rule-title">${esc(finding.title)}</span></td>`,
    `<td ${attr("data-sort", shortResource(finding.resourceId).toLowerCase())}><span class="mono res-short">${esc(shortResource(finding.resourceId))}</span><span class="full mono">${esc(finding.resourceId)}</span></td>`,
    `<td><span ${attr("title", finding.subscriptionId)}>${esc(ctx.subscriptionName(finding.subscriptionId))}</span></td>`,
    ownerCell(finding),
    `<td class="message">${esc(finding.message)}${changeNote(finding)}${
      expired ? ` <span class="badge expired" title="A suppression for this finding has expired">suppression expired ${esc(String(expired.expiresOn ?? ""))}</span>` : ""
    }` +
      `<details class="fix" data-print-open><summary>Remediation</summary>` +
      `<div class="fix-body">` +
      `<div class="fix-text"><p ${attr("id", `fix-${n}-text`)}>${esc(fix.text)}</p>${fix.summary ? `<p class="fix-summary">${esc(fix.summary)}</p>` : ""}</div>` +
      renderBlockers(fix.blockers) +
      renderSteps(fix.steps, `fix-${finding.id}`) +
      (fix.bicep ? `<details class="bicep"><summary>Bicep</summary><div class="code-block"><div class="code-head"><span>Bicep</span>${copyButton(`fix-${n}-bicep`, "Bicep snippet")}</div><pre class="code"><code ${attr("id", `fix-${n}-bicep`)}>${esc(fix.bicep)}</code></pre></div></details>` : "") +
      (stepCommands(fix.steps)
        ? `<div class="fix-actions"><button type="button" class="copy primary" ${attr("data-copy-target", `fix-${n}-all`)} aria-label="Copy every command of the remediation">Copy all commands</button></div>` +
          `<pre class="visually-hidden" ${attr("id", `fix-${n}-all`)}>${esc(stepCommands(fix.steps))}</pre>`
        : "") +
      referenceLinks(finding.references) +
      `<details class="evidence"><summary>Evidence</summary><pre class="code">${esc(evidence)}</pre></details>` +
      `</div></details></td>`,
    `</tr>`,
    `</tbody>`,
  ].join("");
}

function renderSuppressed({ result, subscriptionName }: Context): string {
  const suppressed = result.findings.filter((f) => f.suppressed);
  if (suppressed.length === 0) return "";
  const rows = suppressed.map(
    (f) =>
      `<tr><td>${severityBadge(f.severity)}</td><td class="mono">${esc(f.ruleId)}</td><td><span class="mono">${esc(shortResource(f.resourceId))}</span><span class="full mono">${esc(f.resourceId)}</span></td>` +
      `<td>${esc(subscriptionName(f.subscriptionId))}</td><td>${esc(f.suppressed!.reason)}</td><td>${esc(f.suppressed!.expiresOn ?? "never")}</td></tr>`,
  );
  return [
    `<section id="suppressed" class="card" aria-labelledby="suppressed-title">`,
    `<h2 id="suppressed-title">Suppressed findings (${suppressed.length})</h2>`,
    `<p class="lede">Accepted by configuration; not counted above and never alerted.</p>`,
    `<div class="table-scroll"><table><thead><tr><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Resource</th><th scope="col">Subscription</th><th scope="col">Reason</th><th scope="col">Expires</th></tr></thead>`,
    `<tbody>${rows.join("")}</tbody></table></div>`,
    `</section>`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Subscriptions and collection errors

const STATUS_TONE: Record<string, string> = { complete: "ok", partial: "medium", failed: "critical", skipped: "info" };

function renderSubscriptions({ result }: Context): string {
  const rows = result.subscriptions.map(
    (s) =>
      `<tr><th scope="row">${esc(s.displayName || s.subscriptionId)}</th><td class="mono">${esc(s.subscriptionId)}</td>` +
      `<td><span ${attr("class", `badge status tone-${STATUS_TONE[s.status] ?? "info"}`)}>${esc(s.status)}</span></td><td class="num">${s.errors.length}</td></tr>`,
  );
  const errors = result.subscriptions.flatMap((s) => s.errors.map((e) => ({ s, e })));
  const errorRows = errors.map(
    ({ s, e }) =>
      `<tr><td>${esc(s.displayName || s.subscriptionId)}</td><td class="mono">${esc(e.operation)}</td><td class="mono wrap">${esc(e.resourceId)}</td>` +
      `<td class="num">${e.statusCode ?? ""}</td><td class="mono">${esc(e.code ?? "")}</td><td>${esc(e.message)}</td></tr>`,
  );
  return [
    `<section id="subscriptions" class="card" aria-labelledby="subscriptions-title">`,
    `<h2 id="subscriptions-title">Subscriptions</h2>`,
    `<div class="table-scroll"><table id="subscriptions-table"><caption class="visually-hidden">Subscriptions in scope and how their scan went</caption>`,
    `<thead><tr><th scope="col">Subscription</th><th scope="col">ID</th><th scope="col">Status</th><th scope="col" class="num">Errors</th></tr></thead>`,
    `<tbody>${rows.join("") || `<tr><td colspan="4" class="muted">No subscriptions in scope.</td></tr>`}</tbody></table></div>`,
    errors.length > 0
      ? `<h3>Collection errors (${errors.length})</h3><div class="table-scroll"><table id="collection-errors"><caption class="visually-hidden">Errors met while reading Azure</caption>` +
        `<thead><tr><th scope="col">Subscription</th><th scope="col">Operation</th><th scope="col">Resource</th><th scope="col" class="num">Status</th><th scope="col">Code</th><th scope="col">Message</th></tr></thead>` +
        `<tbody>${errorRows.join("")}</tbody></table></div>`
      : `<p class="ok-note">No collection errors.</p>`,
    `</section>`,
  ].join("\n");
}

function formatInstant(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${isoDate(ms)} ${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

// ---------------------------------------------------------------------------------------------
// Stylesheet and script (allowed by their hashes in the CSP)

const sev = (s: Severity) => SEVERITY_COLORS[s];

const STYLE = `
:root{color-scheme:light;--ink:${COLORS.ink};--muted:${COLORS.muted};--faint:${COLORS.faint};--line:${COLORS.line};--page:${COLORS.page};--surface:${COLORS.surface};--accent:${COLORS.accent};--accent-dark:${COLORS.accentDark};--ok:${COLORS.ok};--ok-tint:${COLORS.okTint}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;scroll-padding-top:56px}
body{margin:0;background:var(--page);color:var(--ink);font:14px/1.5 "Segoe UI",system-ui,-apple-system,"Helvetica Neue",Arial,sans-serif}
code,pre,.mono{font-family:"Cascadia Mono",Consolas,"SFMono-Regular",Menlo,"Liberation Mono",monospace}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid #7fb0e0;outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0}
.skip:focus{left:12px;top:12px;z-index:20;background:#fff;padding:8px 12px;border-radius:4px}
.visually-hidden{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
header.top{background:var(--accent-dark);color:#fff;padding:22px 32px 20px}
.header-row{max-width:1240px;margin:0 auto;display:flex;justify-content:space-between;align-items:flex-start;gap:16px}
.eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:#c9daeb}
h1{margin:4px 0 8px;font-size:26px;font-weight:600;letter-spacing:-.01em}
header .meta{display:flex;flex-wrap:wrap;gap:6px 20px;font-size:13px;color:#dce8f4}
header code{color:#fff;font-size:12px}
button{font:inherit;cursor:pointer}
.print-button{background:transparent;color:#fff;border:1px solid #8fb3d6;border-radius:4px;padding:6px 12px;white-space:nowrap}
.print-button:hover{background:rgba(255,255,255,.1)}
.banner{margin:0 0 16px;background:${sev("high").tint};color:${sev("high").onTint};border:1px solid #f2c4a8;border-left:4px solid ${sev("high").solid};border-radius:6px;padding:10px 14px}
.banner a{color:${sev("high").onTint}}
nav.toc{position:sticky;top:0;z-index:10;background:var(--surface);border-bottom:1px solid var(--line);display:flex;gap:2px;padding:0 max(32px,calc((100% - 1240px)/2));overflow-x:auto}
nav.toc a{padding:11px 12px 9px;color:var(--muted);text-decoration:none;font-weight:500;border-bottom:2px solid transparent;white-space:nowrap}
nav.toc a:hover{color:var(--accent);border-bottom-color:var(--accent)}
main{max-width:1304px;margin:0 auto;padding:20px 32px 40px}
.card{background:var(--surface);border:1px solid var(--line);border-radius:8px;padding:20px 24px;margin-bottom:20px}
h2{font-size:18px;font-weight:600;margin:0 0 4px}
h3{font-size:15px;font-weight:600;margin:20px 0 8px}
.lede{color:var(--muted);margin:0 0 16px;max-width:90ch}
.note{color:var(--muted);font-size:13px;margin:8px 0}
.ok-note{color:var(--ok);margin:8px 0}
.muted{color:var(--muted)}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:12px;margin-bottom:20px}
.kpi{display:flex;flex-direction:column;background:var(--surface);border:1px solid var(--line);border-top:4px solid var(--faint);border-radius:6px;padding:12px 16px;color:var(--ink);text-decoration:none}
.kpi:hover{border-color:var(--accent)}
.kpi .label{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.kpi .value{font-size:28px;font-weight:600;line-height:1.25}
.kpi .sub{font-size:12px;color:var(--muted)}
.tone-ok{border-top-color:var(--ok)}
${SEVERITIES.map((s) => `.kpi.tone-${s}{border-top-color:${sev(s).solid}}`).join("\n")}
.summary-grid{display:grid;grid-template-columns:minmax(220px,260px) 1fr;gap:32px;align-items:start}
figure{margin:0}
figcaption{font-weight:600;margin-bottom:8px}
.hint{font-weight:400;color:var(--muted);font-size:12px}
.donut svg{max-width:180px;display:block}
.legend{list-style:none;margin:12px 0 0;padding:0;max-width:240px}
.legend-item{display:flex;align-items:center;gap:8px;width:100%;background:none;border:0;border-radius:4px;padding:3px 6px;color:var(--ink);text-align:left}
.legend-item:hover{background:var(--page)}
.legend-count{margin-left:auto;font-weight:600;font-variant-numeric:tabular-nums}
.swatch{width:12px;height:12px;border-radius:2px;display:inline-block}
svg.chart{display:block;height:auto;overflow:visible}
svg.chart text{font-family:inherit}
svg.chart .mono{font-family:"Cascadia Mono",Consolas,Menlo,monospace}
.chart-frame{margin:8px 0 12px;overflow-x:auto}
.chart-frame svg.chart{min-width:860px}
.by-rule{overflow-x:auto;min-width:0}
.by-rule svg.chart{min-width:560px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:11px;font-weight:600;line-height:18px;letter-spacing:.04em;text-transform:uppercase;white-space:nowrap;color:#fff;background:var(--faint)}
.badge.ok,.badge.tone-ok{background:var(--ok)}
.badge.expired{background:${sev("medium").tint};color:${sev("medium").onTint};text-transform:none;letter-spacing:0}
${SEVERITIES.map((s) => `.sev-${s},.badge.tone-${s}{background:${sev(s).solid}}`).join("\n")}
.countdown{display:flex;flex-wrap:wrap;align-items:baseline;gap:12px 40px;margin:4px 0 8px}
.countdown-number{display:flex;align-items:baseline;gap:10px;padding-left:14px;border-left:4px solid var(--faint)}
${SEVERITIES.map((s) => `.countdown-number.tone-${s}{border-left-color:${sev(s).solid}}.countdown-number.tone-${s} .days{color:${sev(s).onTint}}`).join("\n")}
.countdown .days{font-size:44px;font-weight:700;line-height:1;font-variant-numeric:tabular-nums}
.countdown .unit{font-size:16px;color:var(--muted)}
.days-small{font-size:24px;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid var(--line)}
thead th{font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);background:#f7f9fb;border-bottom:1px solid #cdd5de;white-space:nowrap}
tbody th{font-weight:500}
.num{text-align:right;font-variant-numeric:tabular-nums}
.lifecycle{display:block;margin-top:4px;font-size:12px;color:var(--muted)}.lifecycle .badge{margin-right:6px}
.changes-list,.app-findings,.slots{list-style:none;padding-left:0;margin:6px 0 12px}.changes-list li,.app-findings li{margin:4px 0}
details.app{border-top:1px solid var(--line);padding:8px 0}details.app>summary{cursor:pointer}details.app .slots{padding-left:24px}.slot-name{display:block;margin-top:6px}
.full{display:block;font-size:11px;color:var(--muted);word-break:break-all;font-weight:400}
.wrap{word-break:break-all;min-width:16em}
.nowrap,td.date{white-space:nowrap}
.table-scroll{overflow-x:auto}
ul.plain,ul.references{margin:0;padding:0;list-style:none}
ul.references{margin-top:8px;font-size:12px}
ul.references li{word-break:break-all}
.unsafe-url{color:var(--muted);font-family:monospace}
details.subnet-details>summary,details.fix>summary,details.bicep>summary,details.evidence>summary{cursor:pointer;color:var(--accent);font-weight:500;margin-top:6px}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end;margin:0 0 8px;padding:12px;background:var(--page);border:1px solid var(--line);border-radius:6px}
.filters label{display:flex;flex-direction:column;gap:4px;font-size:12px;font-weight:600;color:var(--muted)}
.filters label.grow{flex:1 1 220px}
select,input[type=search]{font:inherit;font-size:13px;color:var(--ink);background:#fff;border:1px solid #aab5c0;border-radius:4px;padding:6px 8px;min-width:170px}
button.secondary{background:#fff;border:1px solid #aab5c0;border-radius:4px;padding:6px 12px;color:var(--ink)}
button.secondary:hover{border-color:var(--accent);color:var(--accent)}
.count{color:var(--muted);font-size:13px;margin:8px 0}
table.findings{table-layout:fixed;min-width:900px}
col.c-sev{width:96px}col.c-rule{width:19%}col.c-res{width:21%}col.c-sub{width:11%}col.c-owner{width:10%}
tbody.finding>tr>td{border-bottom:1px solid var(--line)}
tbody.finding:hover>tr>td{background:#fafbfd}
.rule-id{display:block;font-size:12px;word-break:break-all}
.rule-title{display:block;font-size:12px;color:var(--muted)}
.res-short{word-break:break-all}
th button.sort{all:unset;cursor:pointer;display:inline-flex;align-items:center;gap:4px;text-transform:inherit;letter-spacing:inherit}
th button.sort:focus-visible{outline:3px solid #7fb0e0;outline-offset:2px}
.sort-indicator::after{content:"↕";color:var(--faint);font-size:11px}
th[aria-sort=ascending] .sort-indicator::after{content:"▲";color:var(--accent)}
th[aria-sort=descending] .sort-indicator::after{content:"▼";color:var(--accent)}
.fix-body{margin-top:6px;padding:10px 12px;background:#f9fafc;border:1px solid var(--line);border-radius:6px}
.fix-text p{margin:0 0 8px}
.code-block{margin:8px 0}
.code-head{display:flex;justify-content:space-between;align-items:center;font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
pre.code{margin:4px 0 0;padding:8px 10px;background:#fff;border:1px solid var(--line);border-radius:4px;white-space:pre-wrap;word-break:break-all;font-size:12px;line-height:1.45;max-height:320px;overflow:auto}
button.copy{background:#fff;border:1px solid #aab5c0;border-radius:4px;padding:2px 10px;font-size:12px;color:var(--ink)}
button.copy:hover{border-color:var(--accent);color:var(--accent)}
button.copy.primary{background:var(--accent);border-color:var(--accent);color:#fff}
button.copy.primary:hover{background:var(--accent-dark);color:#fff}
button.copy.copied{background:var(--ok);border-color:var(--ok);color:#fff}
.fix-actions{margin:8px 0 0}
.empty{padding:16px;text-align:center;color:var(--muted)}
.copy-buffer{position:fixed;top:0;left:-10000px;width:1px;height:1px;opacity:0}
footer{max-width:1304px;margin:0 auto;padding:0 32px 32px;color:var(--muted);font-size:12px}
@media (max-width:820px){.summary-grid{grid-template-columns:1fr}main{padding-left:14px;padding-right:14px}header.top{padding:18px 14px}}
@media print{
@page{size:A4 landscape;margin:12mm 10mm}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{background:#fff;font-size:10.5px}
nav.toc,.filters,.no-print,button.copy,.fix-actions,.skip,details.evidence{display:none!important}
header.top{background:#fff;color:var(--ink);padding:0 0 8px;border-bottom:2px solid var(--ink)}
header .meta,.eyebrow{color:var(--muted)}
header code{color:var(--ink)}
main,footer{max-width:none;padding-left:0;padding-right:0}
.card{border:0;border-radius:0;padding:0;margin:0 0 18px}
.kpis{grid-template-columns:repeat(5,1fr)}
.kpi,tr,figure,.countdown{break-inside:avoid}
h2,h3{break-after:avoid}
table.findings{min-width:0}
.table-scroll{overflow:visible}
pre.code{max-height:none;overflow:visible}
.chart-frame,.by-rule{overflow:visible}
.chart-frame svg.chart,.by-rule svg.chart{min-width:0}
.fix-body{background:#fff;padding:4px 0;border:0}
tbody.finding:hover>tr>td{background:none}
}
`.trim() + MIGRATION_STYLE;

const SCRIPT = `
(function () {
  "use strict";
  var doc = document;
  function byId(id) { return doc.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  var live = byId("live-status");
  function announce(message) { if (live) { live.textContent = ""; live.textContent = message; } }

  var table = byId("findings-table");
  var form = byId("findings-filters");
  if (table && form) {
    var bodies = Array.prototype.filter.call(table.tBodies, function (body) { return body.classList.contains("finding"); });
    var total = bodies.length;
    var count = byId("findings-count");
    var empty = byId("findings-empty");
    var severity = byId("filter-severity"), rule = byId("filter-rule"), subscription = byId("filter-subscription"), text = byId("filter-text");
    var owner = byId("filter-owner"), change = byId("filter-change");
    var searchText = function (body) {
      if (body._search === undefined) {
        // What the row shows: its cells without the remediation and evidence inside <details>.
        var parts = [];
        each(body.rows[0].cells, function (cell) {
          each(cell.childNodes, function (node) { if (node.nodeName !== "DETAILS") parts.push(node.textContent); });
        });
        body._search = parts.join(" ").replace(/\\s+/g, " ").toLowerCase();
      }
      return body._search;
    };
    var apply = function () {
      var terms = text.value.toLowerCase().split(/\\s+/).filter(Boolean);
      var shown = 0;
      each(bodies, function (body) {
        var visible = (!severity.value || body.getAttribute("data-severity") === severity.value) &&
          (!rule.value || body.getAttribute("data-rule") === rule.value) &&
          (!subscription.value || body.getAttribute("data-subscription") === subscription.value) &&
          (!owner || !owner.value || body.getAttribute("data-owner") === owner.value) &&
          (!change || !change.value || body.getAttribute("data-change") === change.value) &&
          terms.every(function (term) { return searchText(body).indexOf(term) !== -1; });
        body.hidden = !visible;
        if (visible) shown++;
      });
      count.textContent = shown === total ? "Showing all " + total + " findings" : "Showing " + shown + " of " + total + " findings";
      empty.hidden = shown !== 0 || total === 0;
      if (total > 0) empty.textContent = "No finding matches these filters.";
    };
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    each(doc.querySelectorAll("[data-filter-owner]"), function (button) {
      button.addEventListener("click", function () {
        if (!owner) return;
        owner.value = button.getAttribute("data-filter-owner");
        apply();
        byId("findings").scrollIntoView();
        owner.focus();
      });
    });
    each(doc.querySelectorAll("[data-filter-severity]"), function (button) {
      button.addEventListener("click", function () {
        var value = button.getAttribute("data-filter-severity");
        var exists = Array.prototype.some.call(severity.options, function (option) { return option.value === value; });
        severity.value = exists ? value : "";
        apply();
        byId("findings").scrollIntoView();
        severity.focus();
      });
    });

    var headers = table.tHead.rows[0].cells;
    var sortRows = function (index, direction) {
      var factor = direction === "ascending" ? 1 : -1;
      var key = function (body) {
        var cell = body.rows[0].cells[index];
        var value = cell.getAttribute("data-sort");
        return value !== null ? value : cell.textContent.replace(/\\s+/g, " ").trim().toLowerCase();
      };
      bodies.sort(function (a, b) {
        var x = key(a), y = key(b), order;
        if (x !== "" && y !== "" && !isNaN(x) && !isNaN(y)) order = Number(x) - Number(y);
        else order = x < y ? -1 : x > y ? 1 : 0;
        return order * factor || Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index"));
      });
      each(bodies, function (body) { table.appendChild(body); });
      each(headers, function (th, i) { if (i === index) th.setAttribute("aria-sort", direction); else th.removeAttribute("aria-sort"); });
      announce("Sorted by " + headers[index].textContent + ", " + direction);
    };
    each(table.querySelectorAll("th button.sort"), function (button) {
      button.addEventListener("click", function () {
        var index = Number(button.getAttribute("data-column-index"));
        var current = headers[index].getAttribute("aria-sort");
        var direction = current ? (current === "ascending" ? "descending" : "ascending") : button.getAttribute("data-first-direction");
        sortRows(index, direction);
      });
    });
  }

  var toggle = doc.querySelector("[data-action=toggle-details]");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-pressed") !== "true";
      each(doc.querySelectorAll("details.fix"), function (details) { details.open = open; });
      toggle.setAttribute("aria-pressed", String(open));
      toggle.textContent = open ? "Collapse all" : "Expand all";
    });
  }
  var print = doc.querySelector("[data-action=print]");
  if (print) print.addEventListener("click", function () { window.print(); });

  var legacyCopy = function (value) {
    var area = doc.createElement("textarea");
    area.value = value;
    area.setAttribute("readonly", "");
    area.className = "copy-buffer";
    doc.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = doc.execCommand("copy"); } catch (error) { copied = false; }
    doc.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  };
  var copyText = function (value) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(value).catch(function () { return legacyCopy(value); });
    }
    return legacyCopy(value);
  };
  var feedback = function (button, message, ok) {
    if (!button.hasAttribute("data-label")) button.setAttribute("data-label", button.textContent);
    button.textContent = message;
    button.classList.toggle("copied", ok);
    announce(message);
    clearTimeout(button._reset);
    button._reset = setTimeout(function () { button.textContent = button.getAttribute("data-label"); button.classList.remove("copied"); }, 2500);
  };
  doc.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("button.copy") : null;
    if (!button) return;
    var source = byId(button.getAttribute("data-copy-target"));
    if (!source) return;
    copyText(source.textContent).then(function () { feedback(button, "Copied", true); }, function () {
      var range = doc.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      feedback(button, "Press Ctrl+C", false);
    });
  });

  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [];
    each(doc.querySelectorAll("details[data-print-open]:not([open])"), function (details) { details.open = true; opened.push(details); });
  });
  window.addEventListener("afterprint", function () {
    each(opened, function (details) { details.open = false; });
    opened = [];
  });
})();
`.trim();

/**
 * The HTML report's view model: what each section shows, shaped from the scan result, the
 * inventory's insights, the report's clock and the rule settings, as plain data (numbers,
 * strings, lists, no markup). Pure: no I/O, no clock of its own. The sections
 * (src/report/sections/) turn it into markup; html.ts assembles the page.
 */
import type { RuleChecks } from "../engine/checks.js";
import type { ReportInsights, SubnetInsight, SubnetPlanInsight } from "../engine/insights.js";
import type { ScanResult } from "../engine/result.js";
import type { Finding } from "../model/finding.js";
import { SEVERITIES, severityRank, type Severity } from "../model/severity.js";
import { severityFor as certificateSeverity } from "../rules/certificate-expiring.js";
import { severityFor as gatewayCertificateSeverity } from "../rules/gateway-certificate-expiring.js";
import { retirementSeverity } from "../rules/gateway-integration-legacy.js";
import { RULES, ruleById } from "../rules/index.js";
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from "../rules/rule.js";
import { GATEWAY_INTEGRATION_RETIREMENT_DATE, type PlannedMaximumSource } from "../rules/terms.js";
import { calendarDaysUntil, wholeDaysUntil } from "../util/time.js";
import { groupByApp } from "./sections/apps.js";
import { capacityState, type CapacityRow, type RuleBar, type TimelineItem } from "./charts.js";
import { activeFindings, shortResource } from "./text.js";

/** Timeline rows drawn at most; the table below the chart lists every certificate. */
export const MAX_TIMELINE_ITEMS = 40;
/** Capacity rows drawn at most (most pressed first); the details table lists every subnet. */
export const MAX_CAPACITY_ROWS = 120;

export type Tone = Severity | "ok" | "neutral";

export interface ReportViewInput {
  result: ScanResult;
  insights: ReportInsights | undefined;
  /** The report's clock (countdowns, "today"). */
  now: Date;
  /** The thresholds the rules judged with (the config's `certificateExpiry`). */
  settings?: RuleSettings;
}

export interface Kpi {
  label: string;
  value: string;
  sub: string;
  tone: Tone;
  href: string;
}

export interface SubnetRowView {
  subnet: SubnetInsight;
  subscriptionName: string;
  /** The plans, each with how its demand is known. */
  plans: { plan: SubnetPlanInsight; source: string }[];
  /** The worst active finding on the subnet. */
  worst: Severity | undefined;
}

export interface GatewayAppView {
  siteId: string;
  name: string;
  subscriptionName: string;
  vnetIds: string[];
  earliestCertificate: { notAfter: string; daysLeft: number | undefined } | null;
  /** The app's active gateway-* findings: their worst severity and how many. */
  worst: Severity | undefined;
  findingCount: number;
}

export interface CertificateRow extends TimelineItem {
  subject: string | null;
  friendlyName: string | null;
  hostNames: string[];
  bound: string[];
  subscriptionId: string;
  subscriptionName: string;
  resourceId: string;
  daysLeft: number | undefined;
}

export interface RuleRowView {
  ruleId: string;
  title: string;
  /** Active findings of the rule. */
  active: number;
  /** The engine's counts (`summary.checks`); null when the result has none (older results) or the rule did not run. */
  checks: RuleChecks | null;
}

export interface ReportView {
  result: ScanResult;
  insights: ReportInsights | undefined;
  now: Date;
  settings: RuleSettings;
  /** Unsuppressed findings, in the result's order (most severe first). */
  active: Finding[];
  /** Subscriptions not read completely (the banner). */
  incomplete: { name: string; status: string }[];
  nav: { href: string; text: string }[];
  summary: {
    kpis: Kpi[];
    counts: Record<Severity, number>;
    /** Active findings by rule, most first. */
    rules: (RuleBar & { total: number })[];
  };
  capacity: null | {
    /** The chart's rows, most pressed first, at most MAX_CAPACITY_ROWS. */
    chart: CapacityRow[];
    /** Every integration subnet, most pressed first. */
    table: SubnetRowView[];
  };
  retirement: { date: string; days: number; tone: Severity; apps: GatewayAppView[] };
  certificates: null | {
    /** Certificates with an expiry date, soonest first. */
    rows: CertificateRow[];
    /** App Service certificates without a (readable) expiry date. */
    withoutDate: { certificate: ReportInsights["certificates"][number]; subscriptionName: string }[];
  };
  findings: {
    rows: { finding: Finding; subscriptionName: string }[];
    severityOptions: { severity: Severity; count: number }[];
    ruleOptions: { ruleId: string; count: number }[];
    subscriptionOptions: { subscriptionId: string; name: string; count: number }[];
  };
  suppressed: { finding: Finding; subscriptionName: string }[];
  rules: {
    /** False for a result without per-rule counts (written before they existed). */
    counted: boolean;
    rows: RuleRowView[];
  };
  subscriptions: {
    rows: { name: string; subscriptionId: string; status: string; errorCount: number }[];
    errors: { subscriptionName: string; error: ScanResult["subscriptions"][number]["errors"][number] }[];
  };
}

export function buildReportView({ result, insights, now, settings = DEFAULT_RULE_SETTINGS }: ReportViewInput): ReportView {
  const active = activeFindings(result);
  const names = new Map(result.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), s.displayName]));
  const subscriptionName = (id: string) => names.get(id.toLowerCase()) || id;
  const index = indexFindings(active);
  const retirement = retirementView(result, insights, now, index, subscriptionName);
  const capacity = insights ? capacityView(insights, index, subscriptionName) : null;
  const certificates = insights ? certificatesView(insights, now, settings, index, subscriptionName) : null;
  const row = (finding: Finding) => ({ finding, subscriptionName: subscriptionName(finding.subscriptionId) });
  return {
    result,
    insights,
    now,
    settings,
    active,
    incomplete: result.subscriptions
      .filter((s) => s.status === "failed" || s.status === "partial")
      .map((s) => ({ name: s.displayName || s.subscriptionId, status: s.status })),
    nav: [
      { href: "#summary", text: "Summary" },
      { href: "#capacity", text: "Subnet capacity" },
      { href: "#retirement", text: "Retirement" },
      { href: "#migration", text: "Migration" },
      { href: "#certificates", text: "Certificates" },
      ...(result.findings.some((f) => !f.suppressed) ? [{ href: "#owners", text: "Owners" }] : []),
      { href: "#findings", text: "Findings" },
      ...(groupByApp(active).length > 0 ? [{ href: "#apps", text: "Apps" }] : []),
      { href: "#rules", text: "Rules" },
      { href: "#subscriptions", text: "Subscriptions" },
    ],
    summary: summaryView(result, insights, now, settings, active, retirement, capacity),
    capacity,
    retirement,
    certificates,
    findings: findingsView(active, subscriptionName, row),
    suppressed: result.findings.filter((f) => f.suppressed).map(row),
    rules: rulesView(result),
    subscriptions: {
      rows: result.subscriptions.map((s) => ({ name: s.displayName || s.subscriptionId, subscriptionId: s.subscriptionId, status: s.status, errorCount: s.errors.length })),
      errors: result.subscriptions.flatMap((s) => s.errors.map((error) => ({ subscriptionName: s.displayName || s.subscriptionId, error }))),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Findings by resource

interface FindingIndex {
  /** Worst active finding severity by lower-cased resource ID. */
  worstByResource: Map<string, Severity>;
  findingsByResource: Map<string, Finding[]>;
}

function indexFindings(active: readonly Finding[]): FindingIndex {
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
  return { worstByResource, findingsByResource };
}

// ---------------------------------------------------------------------------------------------
// Summary

function summaryView(
  result: ScanResult,
  insights: ReportInsights | undefined,
  now: Date,
  settings: RuleSettings,
  active: readonly Finding[],
  retirement: ReportView["retirement"],
  capacity: ReportView["capacity"],
): ReportView["summary"] {
  const counts = result.summary.bySeverity;
  const total = SEVERITIES.reduce((sum, s) => sum + counts[s], 0);
  const complete = result.subscriptions.filter((s) => s.status === "complete").length;
  const failed = result.subscriptions.filter((s) => s.status === "failed").length;
  const partial = result.subscriptions.filter((s) => s.status === "partial").length;
  const skipped = result.subscriptions.filter((s) => s.status === "skipped").length;
  const { days } = retirement;
  const gatewayAppCount = retirement.apps.length;
  const subnets = capacity?.table ?? [];
  const pressed = subnets.filter(({ subnet }) => {
    const state = capacityState(capacityInput(subnet));
    return state === "over-safe" || state === "over-usable";
  }).length;
  const certificates = insights?.certificates ?? [];
  // Due: what certificate-expiring flags at all (its widest band, the config's).
  const dueWithin = settings.certificateExpiry.mediumWithinDays;
  const soon = certificates.filter((c) => {
    const left = c.expirationDate ? wholeDaysUntil(c.expirationDate, now) : undefined;
    return left !== undefined && left <= dueWithin;
  }).length;
  const worst = SEVERITIES.find((s) => counts[s] > 0);
  const kpis: Kpi[] = [
    { label: "Active findings", value: String(total), sub: `${counts.critical} critical · ${counts.high} high`, tone: worst ?? "ok", href: "#findings" },
    {
      label: "Subscriptions complete",
      value: `${complete} / ${result.subscriptions.length}`,
      sub: [failed ? `${failed} failed` : "", partial ? `${partial} partial` : "", skipped ? `${skipped} skipped` : ""].filter(Boolean).join(" · ") || "all read",
      tone: failed + partial > 0 ? "high" : "ok",
      href: "#subscriptions",
    },
    {
      label: "Subnets above safe size",
      value: insights ? `${pressed} / ${subnets.length}` : "n/a",
      sub: insights ? "integration subnets" : "insights not available",
      tone: pressed > 0 ? "high" : "ok",
      href: "#capacity",
    },
    {
      label: days > 0 ? "Days to retirement" : "Days since retirement",
      value: String(Math.abs(days)),
      sub: `${gatewayAppCount} app(s) on gateway-required integration`,
      tone: gatewayAppCount === 0 ? "ok" : retirement.tone,
      href: "#retirement",
    },
    {
      label: "Certificates due",
      value: insights ? String(soon) : "n/a",
      sub: insights ? `expired or within ${dueWithin} days, of ${certificates.length}` : "insights not available",
      tone: soon > 0 ? "high" : "ok",
      href: "#certificates",
    },
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
  return { kpis, counts, rules };
}

// ---------------------------------------------------------------------------------------------
// Subnet capacity

function capacityInput(subnet: SubnetInsight) {
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

function capacityView(insights: ReportInsights, index: FindingIndex, subscriptionName: (id: string) => string): NonNullable<ReportView["capacity"]> {
  const pressure = (s: SubnetInsight) => {
    const input = capacityInput(s);
    if (!input.known) return -1;
    return input.safe === 0 ? Number.POSITIVE_INFINITY : input.demand / input.safe;
  };
  const sorted = [...insights.subnets].sort((a, b) => pressure(b) - pressure(a) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const chart: CapacityRow[] = sorted.slice(0, MAX_CAPACITY_ROWS).map((subnet) => {
    const input = capacityInput(subnet);
    const finding = subnetFindingLabel(index, subnet.id);
    return {
      id: subnet.id,
      name: subnet.name,
      detail: `${subnet.vnetName} · ${subnet.prefixes.join(", ") || "prefix unknown"} · ${subscriptionName(subnet.subscriptionId)}`,
      usable: input.usable,
      safe: input.safe,
      demand: input.demand,
      known: input.known,
      unknownPlans: subnet.plans.filter((plan) => plan.demand === null || plan.source?.kind === "unknown").length,
      ...(finding ? { finding } : {}),
    };
  });
  const table = sorted.map((subnet) => ({
    subnet,
    subscriptionName: subscriptionName(subnet.subscriptionId),
    plans: subnet.plans.map((plan) => ({ plan, source: describeSource(plan) })),
    worst: index.worstByResource.get(subnet.id.toLowerCase()),
  }));
  return { chart, table };
}

/** Why the subnet has findings, in a few words: subnet-undersized's first reason, else the rule IDs. */
const UNDERSIZED_REASONS: Record<string, string> = {
  "prefix-longer-than-/28": "prefix longer than /28",
  "demand-exceeds-safe-instances": "demand above safe",
  "plans-share-subnet-smaller-than-/26": "shared by plans, under /26",
  "smaller-than-/26": "smaller than /26",
};

function subnetFindingLabel(index: FindingIndex, subnetId: string): { severity: Severity; label: string } | undefined {
  const findings = [...(index.findingsByResource.get(subnetId.toLowerCase()) ?? [])].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const worst = findings[0];
  if (!worst) return undefined;
  const labels = findings.map((finding) => {
    const reasons = finding.ruleId === "subnet-undersized" && Array.isArray(finding.evidence.reasons) ? (finding.evidence.reasons as unknown[]) : [];
    const first = typeof reasons[0] === "string" ? UNDERSIZED_REASONS[reasons[0]] : undefined;
    return first ?? finding.ruleId;
  });
  return { severity: worst.severity, label: labels.join("; ") };
}

// ---------------------------------------------------------------------------------------------
// Retirement of gateway-required integration

interface GatewayApp {
  siteId: string;
  name: string;
  subscriptionId: string;
  vnetIds: string[];
  earliestCertificate: string | null;
}

/** From the insights, or (without them) from the legacy findings, which name the same sites. */
function gatewayApps(result: ScanResult, insights: ReportInsights | undefined): GatewayApp[] {
  if (insights) {
    return insights.gatewayIntegratedApps.map((app) => ({
      siteId: app.siteId,
      name: app.name,
      subscriptionId: app.subscriptionId,
      vnetIds: app.vnetIds,
      earliestCertificate: app.gatewayCertificates.map((c) => c.notAfter).sort()[0] ?? null,
    }));
  }
  return result.findings
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

function retirementView(
  result: ScanResult,
  insights: ReportInsights | undefined,
  now: Date,
  index: FindingIndex,
  subscriptionName: (id: string) => string,
): ReportView["retirement"] {
  const date = insights?.retirementDate || GATEWAY_INTEGRATION_RETIREMENT_DATE;
  const days = calendarDaysUntil(date, now);
  // gateway-integration-legacy's severity on the report's day.
  const tone = retirementSeverity(days);
  const apps = gatewayApps(result, insights)
    .sort((a, b) => subscriptionName(a.subscriptionId).localeCompare(subscriptionName(b.subscriptionId)) || a.name.localeCompare(b.name))
    .map((app) => {
      const legacy = (index.findingsByResource.get(app.siteId.toLowerCase()) ?? []).filter((f) => f.ruleId.startsWith("gateway-"));
      return {
        siteId: app.siteId,
        name: app.name,
        subscriptionName: subscriptionName(app.subscriptionId),
        vnetIds: app.vnetIds,
        earliestCertificate: app.earliestCertificate ? { notAfter: app.earliestCertificate, daysLeft: wholeDaysUntil(app.earliestCertificate, now) } : null,
        worst: legacy.map((f) => f.severity).sort((a, b) => severityRank(b) - severityRank(a))[0],
        findingCount: legacy.length,
      };
    });
  return { date, days, tone, apps };
}

// ---------------------------------------------------------------------------------------------
// Certificates

function certificatesView(insights: ReportInsights, now: Date, settings: RuleSettings, index: FindingIndex, subscriptionName: (id: string) => string): NonNullable<ReportView["certificates"]> {
  const appService: CertificateRow[] = insights.certificates.flatMap((certificate) => {
    if (!certificate.expirationDate || Number.isNaN(Date.parse(certificate.expirationDate))) return [];
    const worst = index.worstByResource.get(certificate.id.toLowerCase());
    return [
      {
        id: certificate.id,
        resourceId: certificate.id,
        label: certificate.name,
        detail: certificate.hostNames.join(", ") || certificate.subjectName || "",
        expiresAt: certificate.expirationDate,
        status: worst ?? bandStatus(certificate.expirationDate, now, (days) => certificateSeverity(days, settings.certificateExpiry)),
        kind: "app-service" as const,
        subject: certificate.subjectName,
        friendlyName: certificate.friendlyName,
        hostNames: certificate.hostNames,
        bound: certificate.boundSiteIds,
        subscriptionId: certificate.subscriptionId,
        subscriptionName: subscriptionName(certificate.subscriptionId),
        daysLeft: wholeDaysUntil(certificate.expirationDate, now),
      },
    ];
  });
  // Gateway point-to-site certificates: one row per certificate, naming the apps that use it.
  const gateway = new Map<string, CertificateRow>();
  for (const app of insights.gatewayIntegratedApps) {
    const finding = (index.findingsByResource.get(app.siteId.toLowerCase()) ?? []).find((f) => f.ruleId === "gateway-certificate-expiring");
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
        status: finding?.severity ?? bandStatus(certificate.notAfter, now, gatewayCertificateSeverity),
        kind: "gateway",
        subject: certificate.subject,
        friendlyName: null,
        hostNames: [],
        bound: [app.siteId],
        subscriptionId: app.subscriptionId,
        subscriptionName: subscriptionName(app.subscriptionId),
        daysLeft: wholeDaysUntil(certificate.notAfter, now),
      });
    }
  }
  const rows = [...appService, ...gateway.values()].sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || a.label.localeCompare(b.label));
  const withoutDate = insights.certificates
    .filter((c) => !c.expirationDate || Number.isNaN(Date.parse(c.expirationDate)))
    .map((certificate) => ({ certificate, subscriptionName: subscriptionName(certificate.subscriptionId) }));
  return { rows, withoutDate };
}

/**
 * Without an active finding (suppressed, or beyond the thresholds), a certificate is coloured
 * by the severity its rule gives that many days left (certificate-expiring with the config's
 * thresholds, gateway-certificate-expiring), "ok" beyond them: never a colour of its own.
 */
function bandStatus(expiresAt: string, now: Date, ruleSeverity: (daysLeft: number) => Severity | undefined): Severity | "ok" {
  const days = wholeDaysUntil(expiresAt, now);
  return days === undefined ? "ok" : (ruleSeverity(days) ?? "ok");
}

// ---------------------------------------------------------------------------------------------
// Findings table

function findingsView(
  active: readonly Finding[],
  subscriptionName: (id: string) => string,
  row: (finding: Finding) => { finding: Finding; subscriptionName: string },
): ReportView["findings"] {
  const severityOptions = SEVERITIES.filter((s) => active.some((f) => f.severity === s)).map((severity) => ({ severity, count: active.filter((f) => f.severity === severity).length }));
  const ruleCounts = new Map<string, number>();
  for (const f of active) ruleCounts.set(f.ruleId, (ruleCounts.get(f.ruleId) ?? 0) + 1);
  const ruleOptions = [...ruleCounts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([ruleId, count]) => ({ ruleId, count }));
  const subscriptionCounts = new Map<string, number>();
  for (const f of active) subscriptionCounts.set(f.subscriptionId.toLowerCase(), (subscriptionCounts.get(f.subscriptionId.toLowerCase()) ?? 0) + 1);
  const subscriptionOptions = [...subscriptionCounts.entries()]
    .sort(([a], [b]) => subscriptionName(a).localeCompare(subscriptionName(b)))
    .map(([subscriptionId, count]) => ({ subscriptionId, name: subscriptionName(subscriptionId), count }));
  return { rows: active.map(row), severityOptions, ruleOptions, subscriptionOptions };
}

// ---------------------------------------------------------------------------------------------
// Rules and what they checked

/** Every rule of the catalog (then any other the result names), with its active findings and counts. */
function rulesView(result: ScanResult): ReportView["rules"] {
  // Results written before the engine counted checks have no `checks`: "n/a", not zero.
  const { checks } = result.summary;
  const ids = [...RULES.map((rule) => rule.meta.id)];
  for (const id of [...Object.keys(result.summary.byRule), ...Object.keys(checks ?? {})].sort()) if (!ids.includes(id)) ids.push(id);
  const rows = ids.map((ruleId) => ({
    ruleId,
    title: ruleById(ruleId)?.meta.title ?? ruleId,
    active: result.summary.byRule[ruleId] ?? 0,
    checks: checks?.[ruleId] ?? null,
  }));
  return { counted: checks !== undefined, rows };
}

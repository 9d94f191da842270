import type { Finding } from "../model/finding.js";
import { SEVERITIES, type Severity } from "../model/severity.js";
import { escapeHtml, safeHttpUrl } from "../report/escape.js";
import { COLORS, SEVERITY_COLORS } from "../report/palette.js";
import { EMAIL_STYLES, referenceLinks, severityBadge } from "../report/components.js";
import { remediationView, stepAnchor, type RemediationView } from "../report/remediation.js";
import { ownerLabel } from "../report/text.js";
import type { DigestCoverage, DigestPayload } from "./digest.js";
import { groupByRule, type RuleGroup } from "./groups.js";

/** The one HTML escaper (src/report/escape.ts), re-exported for existing callers. */
export { escapeHtml };

/** Optional context the renderers can show; the payload alone is enough to render. */
export interface DigestRenderContext {
  /** Finding id → the severity announced before (for the escalated section). */
  escalatedFrom?: Readonly<Record<string, Severity>>;
  /** When the digest was built (ISO). */
  generatedAt?: string;
  /** The run's HTML report; each new finding's first step links into it. Default: the payload's `reportUrl`. */
  reportUrl?: string;
}

/** The report anchor of a finding's first fix step (src/report/remediation.ts names it). */
export function firstStepLink(reportUrl: string | undefined, finding: Finding): string | undefined {
  if (!reportUrl || !finding.fix || finding.fix.steps.length === 0) return undefined;
  return `${reportUrl.split("#")[0]}#${stepAnchor(`fix-${finding.id}`, 1)}`;
}

/** Sections list this many findings at most; the JSON arrays always carry all of them. */
export const MAX_LISTED_PER_SECTION = 200;
/** A rule's card lists this many resources at most (the report has them all). */
export const MAX_RESOURCES_PER_CARD = 25;

type Section = { key: "new" | "escalated" | "resolved"; heading: string };
const SECTIONS: Section[] = [
  { key: "new", heading: "New findings" },
  { key: "escalated", heading: "Escalated findings" },
  { key: "resolved", heading: "Resolved findings" },
];

/** "2 of 5 subscriptions were not read completely: Contoso Sandbox (failed), …", or undefined when coverage was full. */
export function coverageSentence(coverage: DigestCoverage): string | undefined {
  const incomplete = coverage.incompleteSubscriptions;
  if (incomplete.length === 0) return undefined;
  const total = coverage.complete + coverage.partial + coverage.failed + coverage.skipped;
  const names = incomplete.map((s) => `${s.displayName || s.subscriptionId} (${s.status})`).join(", ");
  return `Incomplete scan: ${incomplete.length} of ${total} subscription(s) could not be read completely: ${names}. Findings there may be missing, and nothing there was resolved.`;
}

/** The sections' findings, grouped by rule, capped at MAX_LISTED_PER_SECTION findings. */
function sectionGroups(findings: readonly Finding[]): { groups: RuleGroup[]; omitted: number } {
  const listed = findings.slice(0, MAX_LISTED_PER_SECTION);
  return { groups: groupByRule(listed), omitted: findings.length - listed.length };
}

/** A plain-text email body. */
export function renderDigestText(payload: DigestPayload, options: DigestRenderContext = {}): string {
  const context = withReportUrl(payload, options);
  const lines: string[] = [payload.subject, "", `Scan ${payload.scanId}${context.generatedAt ? ` (${context.generatedAt})` : ""}.`];
  const coverage = coverageSentence(payload.coverage);
  if (coverage) lines.push("", `!! ${coverage}`);
  if (payload.reportUrl) lines.push("", `Full report: ${payload.reportUrl}`);
  for (const section of SECTIONS) {
    const findings = payload[section.key];
    if (findings.length === 0) continue;
    lines.push("", `${section.heading} (${findings.length})`, "-".repeat(section.heading.length + String(findings.length).length + 3));
    const { groups, omitted } = sectionGroups(findings);
    for (const group of groups) {
      lines.push("", `[${group.worst.toUpperCase()}] ${group.title} (${group.ruleId}): ${group.findings.length} resource(s)`);
      for (const finding of group.findings.slice(0, MAX_RESOURCES_PER_CARD)) {
        const from = section.key === "escalated" ? context.escalatedFrom?.[finding.id] : undefined;
        const severity = from ? `${from.toUpperCase()} -> ${finding.severity.toUpperCase()}` : finding.severity.toUpperCase();
        lines.push(`  - [${severity}] ${finding.resourceId} (owner: ${ownerLabel(finding)})`, `    ${finding.message}`);
        if (section.key === "resolved") continue;
        // Each resource's first step carries its own names (fix plans are per resource).
        const first = remediationView(finding).steps[0];
        if (first) lines.push(`    First step: ${first.description}`, ...(first.command ? [`      ${first.command}`] : []));
        const link = firstStepLink(context.reportUrl, finding);
        if (link) lines.push(`    All steps: ${link}`);
      }
      if (group.findings.length > MAX_RESOURCES_PER_CARD) lines.push(`  ...and ${group.findings.length - MAX_RESOURCES_PER_CARD} more resource(s) (see the report).`);
      if (section.key !== "resolved") lines.push(`  Fix: ${fixSummary(remediationView(group.findings[0]!))}`);
    }
    if (omitted > 0) lines.push("", `...and ${omitted} more (see the report).`);
  }
  return `${lines.join("\n")}\n`;
}

const S = EMAIL_STYLES;

/**
 * The HTML email body: the report's pieces (severity palette and badges, remediation split
 * into text and `az` command, references, escaping) in a layout mail clients keep: nested
 * tables, inline `style=""` only (Outlook and Gmail drop <style> blocks), `bgcolor` beside
 * background colours, no script, no SVG, no images. Every string that came from Azure or the
 * rules is escaped; only https references become links (the report link may be http on a
 * local Azurite). Findings of one rule share one card that lists their resources. An
 * incomplete scan says so at the top, before anything else.
 */
export function renderDigestHtml(payload: DigestPayload, options: DigestRenderContext = {}): string {
  const context = withReportUrl(payload, options);
  const raised = [...payload.new, ...payload.escalated];
  const counts = SEVERITIES.filter((severity) => raised.some((finding) => finding.severity === severity)).map(
    (severity) => `${severityBadge(severity, "email")}&nbsp;<span style="${S.font}font-size:13px;color:${COLORS.ink};">${raised.filter((f) => f.severity === severity).length}</span>`,
  );
  const sectionCounts = SECTIONS.filter((section) => payload[section.key].length > 0).map(
    (section) => `<strong>${payload[section.key].length}</strong> ${escapeHtml(section.heading.split(" ")[0]!.toLowerCase())}`,
  );
  const coverage = coverageSentence(payload.coverage);
  const reportUrl = payload.reportUrl ? safeHttpUrl(payload.reportUrl, ["https:", "http:"]) : undefined;
  const warn = SEVERITY_COLORS.high?.solid ?? COLORS.accentDark;
  const parts: string[] = [
    `<!DOCTYPE html>`,
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="x-apple-disable-message-reformatting">`,
    `<title>${escapeHtml(payload.subject)}</title></head>`,
    `<body style="margin:0;padding:0;background-color:${COLORS.page};">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="${COLORS.page}" style="background-color:${COLORS.page};border-collapse:collapse;">`,
    `<tr><td align="center" style="padding:24px 12px;">`,
    `<table role="presentation" width="680" cellpadding="0" cellspacing="0" border="0" bgcolor="${COLORS.surface}" style="width:100%;max-width:680px;background-color:${COLORS.surface};border:1px solid ${COLORS.line};border-collapse:collapse;">`,
    // Coverage first: a digest never reads as full coverage when it wasn't.
    coverage
      ? `<tr><td id="coverage" bgcolor="${warn}" style="background-color:${warn};padding:12px 24px;${S.font}font-size:14px;line-height:20px;color:#ffffff;"><strong>${escapeHtml(coverage)}</strong></td></tr>`
      : "",
    // Header band.
    `<tr><td bgcolor="${COLORS.accentDark}" style="background-color:${COLORS.accentDark};padding:18px 24px;${S.font}color:#ffffff;">`,
    `<div style="${S.font}font-size:11px;letter-spacing:0.08em;text-transform:uppercase;color:#c9daeb;">vnet-audit &middot; App Service VNet integration</div>`,
    `<h1 style="margin:4px 0 6px 0;${S.font}font-size:20px;line-height:26px;font-weight:600;color:#ffffff;">${escapeHtml(payload.subject)}</h1>`,
    `<div style="${S.font}font-size:12px;color:#dce8f4;">Scan <span style="${S.mono}">${escapeHtml(payload.scanId)}</span>${
      context.generatedAt ? ` &middot; ${escapeHtml(context.generatedAt)}` : ""
    }</div>`,
    `</td></tr>`,
    // Summary line.
    `<tr><td style="padding:14px 24px;border-bottom:1px solid ${COLORS.line};${S.font}font-size:13px;color:${COLORS.ink};">`,
    `${sectionCounts.join(" &middot; ")}${counts.length > 0 ? `&nbsp;&nbsp;&nbsp;${counts.join("&nbsp;&nbsp;")}` : ""}`,
    reportUrl
      ? `<div style="margin-top:10px;"><a id="report-link" href="${escapeHtml(reportUrl)}" style="${S.font}display:inline-block;padding:8px 14px;background-color:${COLORS.accent};color:#ffffff;text-decoration:none;font-weight:600;">Open the full report</a></div>`
      : "",
    `</td></tr>`,
  ];
  for (const section of SECTIONS) {
    const findings = payload[section.key];
    if (findings.length === 0) continue;
    parts.push(
      `<tr><td style="padding:20px 24px 6px 24px;"><h2 style="margin:0;${S.font}font-size:16px;line-height:22px;font-weight:600;color:${COLORS.ink};">${escapeHtml(section.heading)} (${findings.length})</h2></td></tr>`,
    );
    parts.push(`<tr><td style="padding:0 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">`);
    const { groups, omitted } = sectionGroups(findings);
    for (const group of groups) parts.push(renderRuleCard(group, section.key, context));
    parts.push(`</table></td></tr>`);
    if (omitted > 0) {
      parts.push(`<tr><td style="padding:8px 24px;${S.font}font-size:13px;${S.muted}">&hellip;and ${omitted} more (see the report).</td></tr>`);
    }
  }
  parts.push(
    `<tr><td style="padding:20px 24px;${S.font}font-size:12px;line-height:18px;${S.muted}border-top:1px solid ${COLORS.line};">` +
      `This digest lists what changed since the last complete scan. The run's full report (HTML and JSON) holds every finding, subnet capacity and certificate.</td></tr>`,
    `</table>`,
    `</td></tr></table>`,
    `</body></html>`,
  );
  return parts.filter(Boolean).join("\n");
}

/** One card per rule: its title and severity, every resource it found (with owner and message), then the fix once. */
function renderRuleCard(group: RuleGroup, section: Section["key"], context: DigestRenderContext): string {
  const colour = SEVERITY_COLORS[group.worst]?.solid ?? COLORS.muted;
  const fix = remediationView(group.findings[0]!);
  // No portal link: the portal differs per cloud (sovereign, Azure Stack) and the ID is what people search for.
  const references = referenceLinks(group.references, "email");
  const cell = `${S.font}font-size:14px;line-height:20px;color:${COLORS.ink};`;
  const resources = group.findings.slice(0, MAX_RESOURCES_PER_CARD).map((finding) => {
    const from = section === "escalated" ? context.escalatedFrom?.[finding.id] : undefined;
    const severity = from ? `${severityBadge(from, "email")} <span style="color:${COLORS.muted};">&rarr;</span> ${severityBadge(finding.severity, "email")}` : severityBadge(finding.severity, "email");
    return (
      `<li style="margin:0 0 8px 0;">${severity} <span style="${S.mono}font-size:12px;line-height:17px;color:${COLORS.muted};word-break:break-all;">${escapeHtml(finding.resourceId)}</span>` +
      `<div style="${S.font}font-size:12px;${S.muted}">Owner: ${escapeHtml(ownerLabel(finding))}</div>` +
      `<div>${escapeHtml(finding.message)}</div>` +
      (section === "resolved" ? "" : firstStepHtml(finding, context)) +
      `</li>`
    );
  });
  const more = group.findings.length > MAX_RESOURCES_PER_CARD ? `<li style="${S.muted}">&hellip;and ${group.findings.length - MAX_RESOURCES_PER_CARD} more resource(s) (see the report)</li>` : "";
  return [
    `<tr><td style="padding:0 0 12px 0;">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;border:1px solid ${COLORS.line};">`,
    `<tr><td width="4" bgcolor="${colour}" style="width:4px;background-color:${colour};font-size:0;line-height:0;">&nbsp;</td>`,
    `<td style="padding:10px 14px;${cell}">`,
    `<div>${severityBadge(group.worst, "email")} <strong>${escapeHtml(group.title)}</strong> <span style="${S.muted}font-size:12px;">(${escapeHtml(group.ruleId)}, ${group.findings.length} resource(s))</span></div>`,
    `<ul style="margin:8px 0 0 0;padding-left:18px;">${resources.join("")}${more}</ul>`,
    section === "resolved"
      ? ""
      : `<div style="margin-top:8px;"><strong>Fix:</strong> ${escapeHtml(fixSummary(fix))}</div>`,
    references ? `<div style="margin-top:8px;${S.font}font-size:12px;line-height:18px;">${references}</div>` : "",
    `</td></tr></table>`,
    `</td></tr>`,
  ].join("");
}

/** A resource's first fix step (its own names and command) and the link to all its steps in the report. */
function firstStepHtml(finding: Finding, context: DigestRenderContext): string {
  const view = remediationView(finding);
  const first = view.steps[0];
  if (!first) return "";
  const link = firstStepLink(context.reportUrl, finding);
  return (
    `<div style="margin-top:6px;"><strong>First step:</strong> ${escapeHtml(first.description)}</div>` +
    (first.command ? `<div style="margin-top:6px;${S.code}">${escapeHtml(first.command)}</div>` : "") +
    (link ? `<div style="margin-top:6px;"><a href="${escapeHtml(link)}" style="${S.link}">All ${view.steps.length} step(s) in the report</a></div>` : "")
  );
}

/** What a rule's card says the fix is: the rule's text (the steps under each resource carry the names). */
function fixSummary(view: RemediationView): string {
  return view.text;
}

function withReportUrl(payload: DigestPayload, context: DigestRenderContext): DigestRenderContext {
  return context.reportUrl || !payload.reportUrl ? context : { ...context, reportUrl: payload.reportUrl };
}

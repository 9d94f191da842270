import type { Finding } from "../model/finding.js";
import type { Severity } from "../model/severity.js";
import type { DigestPayload } from "./digest.js";

/** Optional context the renderers can show; the payload alone is enough to render. */
export interface DigestRenderContext {
  /** Finding id → the severity announced before (for the escalated section). */
  escalatedFrom?: Readonly<Record<string, Severity>>;
  /** When the digest was built (ISO). */
  generatedAt?: string;
}

/** Sections list this many findings at most; the JSON arrays always carry all of them. */
export const MAX_LISTED_PER_SECTION = 200;

type Section = { key: "new" | "escalated" | "resolved"; heading: string };
const SECTIONS: Section[] = [
  { key: "new", heading: "New findings" },
  { key: "escalated", heading: "Escalated findings" },
  { key: "resolved", heading: "Resolved findings" },
];

/** A plain-text email body. */
export function renderDigestText(payload: DigestPayload, context: DigestRenderContext = {}): string {
  const lines: string[] = [payload.subject, "", `Scan ${payload.scanId}${context.generatedAt ? ` (${context.generatedAt})` : ""}.`];
  for (const section of SECTIONS) {
    const findings = payload[section.key];
    if (findings.length === 0) continue;
    lines.push("", `${section.heading} (${findings.length})`, "-".repeat(section.heading.length + String(findings.length).length + 3));
    for (const finding of findings.slice(0, MAX_LISTED_PER_SECTION)) {
      const from = section.key === "escalated" ? context.escalatedFrom?.[finding.id] : undefined;
      const severity = from ? `${from.toUpperCase()} -> ${finding.severity.toUpperCase()}` : finding.severity.toUpperCase();
      lines.push("", `[${severity}] ${finding.title} (${finding.ruleId})`, `  Resource: ${finding.resourceId}`, `  ${finding.message}`);
      if (section.key !== "resolved") lines.push(`  Fix: ${finding.remediation}`);
    }
    if (findings.length > MAX_LISTED_PER_SECTION) lines.push("", `...and ${findings.length - MAX_LISTED_PER_SECTION} more (see the report).`);
  }
  return `${lines.join("\n")}\n`;
}

const SEVERITY_COLOURS: Record<Severity, string> = {
  critical: "#8b0000",
  high: "#c0392b",
  medium: "#d68910",
  low: "#2471a3",
  info: "#5d6d7e",
};

/**
 * A simple HTML email body with inline styles only (mail clients drop <style>). Every string
 * that came from Azure or the rules is escaped. Kept separate so it can be replaced wholesale.
 */
export function renderDigestHtml(payload: DigestPayload, context: DigestRenderContext = {}): string {
  const parts: string[] = [
    `<!DOCTYPE html><html><body style="margin:0;padding:16px;font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#1b1b1b;">`,
    `<h1 style="font-size:18px;margin:0 0 8px 0;">${escapeHtml(payload.subject)}</h1>`,
    `<p style="margin:0 0 16px 0;color:#555;">Scan <code>${escapeHtml(payload.scanId)}</code>${context.generatedAt ? ` &middot; ${escapeHtml(context.generatedAt)}` : ""}</p>`,
  ];
  for (const section of SECTIONS) {
    const findings = payload[section.key];
    if (findings.length === 0) continue;
    parts.push(`<h2 style="font-size:16px;margin:24px 0 8px 0;">${escapeHtml(section.heading)} (${findings.length})</h2>`);
    parts.push(`<table role="presentation" style="border-collapse:collapse;width:100%;">`);
    for (const finding of findings.slice(0, MAX_LISTED_PER_SECTION)) parts.push(renderFindingRow(finding, section.key, context));
    parts.push(`</table>`);
    if (findings.length > MAX_LISTED_PER_SECTION) {
      parts.push(`<p style="color:#555;">&hellip;and ${findings.length - MAX_LISTED_PER_SECTION} more (see the report).</p>`);
    }
  }
  parts.push(`</body></html>`);
  return parts.join("\n");
}

function renderFindingRow(finding: Finding, section: Section["key"], context: DigestRenderContext): string {
  const from = section === "escalated" ? context.escalatedFrom?.[finding.id] : undefined;
  const badge = (severity: Severity): string =>
    `<span style="display:inline-block;padding:1px 6px;border-radius:3px;color:#fff;background:${SEVERITY_COLOURS[severity] ?? "#5d6d7e"};font-size:12px;text-transform:uppercase;">${escapeHtml(severity)}</span>`;
  const severity = from ? `${badge(from)} &rarr; ${badge(finding.severity)}` : badge(finding.severity);
  // No portal link: the portal differs per cloud (sovereign, Azure Stack) and the ID is what people search for.
  const resource = escapeHtml(finding.resourceId);
  const references = finding.references
    .filter((reference) => /^https:\/\//.test(reference))
    .map((reference) => `<a href="${escapeHtml(reference)}" style="color:#0b5cad;">${escapeHtml(reference)}</a>`)
    .join("<br>");
  return [
    `<tr><td style="padding:8px;border-top:1px solid #ddd;vertical-align:top;">`,
    `<div>${severity} <strong>${escapeHtml(finding.title)}</strong> <span style="color:#777;">(${escapeHtml(finding.ruleId)})</span></div>`,
    `<div style="margin-top:4px;font-family:Consolas,monospace;font-size:12px;word-break:break-all;">${resource}</div>`,
    `<div style="margin-top:4px;">${escapeHtml(finding.message)}</div>`,
    section === "resolved" ? "" : `<div style="margin-top:4px;"><strong>Fix:</strong> ${escapeHtml(finding.remediation)}</div>`,
    references ? `<div style="margin-top:4px;font-size:12px;">${references}</div>` : "",
    `</td></tr>`,
  ].join("");
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);
}

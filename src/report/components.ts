/**
 * Markup pieces that more than one place renders: the report's sections and the alert email
 * (src/notify/email.ts). The pieces the email shares (severity badge, references) take a
 * `Skin`: `report` styles with the classes of report.css, `email` with inline `style=""`
 * that mail clients keep. Every string from Azure or the rules is escaped; only http(s)
 * references become links.
 */
import type { Severity } from "../model/severity.js";
import { resourceGroupOf } from "../util/arm-id.js";
import { isoDate } from "./charts.js";
import { attr, escapeHtml as esc, safeHttpUrl } from "./escape.js";
import { COLORS, SEVERITY_COLORS } from "./palette.js";

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
// Pieces of the report's sections

/** A resource's name with its resource group below; the full ID is the tooltip (and stays in the JSON). */
export function resourceCell(name: string, id: string): string {
  const group = resourceGroupOf(id);
  return `<span class="mono" ${attr("title", id)}>${esc(name)}</span>${group ? `<span class="full">${esc(group)}</span>` : ""}`;
}

/** Up to `max` resource names, then how many more; every ID in the tooltip. */
export function compactList(ids: readonly string[], max = 3): string {
  if (ids.length === 0) return `<span class="muted">none</span>`;
  const names = ids.map((id) => id.split("/").pop() || id);
  const shown = names.slice(0, max).map((name, i) => `<span class="mono nowrap" ${attr("title", ids[i]!)}>${esc(name)}</span>`);
  const more = ids.length > max ? ` <span class="muted" ${attr("title", names.slice(max).join(", "))}>and ${ids.length - max} more</span>` : "";
  return `${shown.join(", ")}${more}`;
}

/** What a section that needs the inventory's insights says without them. */
export function unavailable(): string {
  return `<p class="note">Not available: this report was rendered without inventory insights (only the scan result).</p>`;
}

/** "in 12 day(s)", "expires today", "expired 3 day(s) ago", "unknown". */
export function daysPhrase(days: number | undefined): string {
  if (days === undefined) return "unknown";
  if (days < 0) return `expired ${-days} day(s) ago`;
  return days === 0 ? "expires today" : `in ${days} day(s)`;
}

/** "2026-06-01 12:05 UTC" (or the text as given when it is no instant). */
export function formatInstant(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${isoDate(ms)} ${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

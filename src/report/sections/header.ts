/**
 * The report's top: the header band (scan, times, version, print button), the sections'
 * navigation, and the banner an incomplete scan shows before anything else.
 */
import { formatInstant } from "../components.js";
import { attr, escapeHtml as esc } from "../escape.js";
import type { ReportView } from "../view-model.js";

export function renderHeader({ result }: ReportView): string {
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

export function renderNav({ nav }: ReportView): string {
  return [`<nav class="toc" aria-label="Sections">`, nav.map(({ href, text }) => `<a href="${href}">${text}</a>`).join(""), `</nav>`].join("\n");
}

export function renderBanner({ incomplete }: ReportView): string {
  if (incomplete.length === 0) return "";
  return (
    `<div class="banner" role="note"><strong>Incomplete scan.</strong> ${incomplete.length} subscription(s) could not be read completely ` +
    `(${incomplete.map((s) => `${esc(s.name)}: ${esc(s.status)}`).join(", ")}); findings there may be missing. ` +
    `<a href="#subscriptions">See the collection errors</a>.</div>`
  );
}

/**
 * The report's Summary: the headline numbers (each links to its section), the severity donut
 * with a legend that filters the findings table, and the active findings by rule.
 */
import { SEVERITIES } from "../../model/severity.js";
import { ruleBars, severityDonut, SEVERITY_LABELS } from "../charts.js";
import { attr, escapeHtml as esc } from "../escape.js";
import type { Kpi, ReportView } from "../view-model.js";

function kpi({ label, value, sub, tone, href }: Kpi): string {
  return `<a ${attr("class", `kpi tone-${tone}`)} ${attr("href", href)}><span class="label">${esc(label)}</span><span class="value">${esc(value)}</span><span class="sub">${esc(sub)}</span></a>`;
}

export function renderSummary({ summary }: ReportView): string {
  const { counts } = summary;
  const legend = SEVERITIES.map(
    (severity) =>
      `<li><button type="button" class="legend-item" ${attr("data-filter-severity", severity)} ${attr("aria-label", `Show ${counts[severity]} ${severity} finding(s)`)}>` +
      `<span ${attr("class", `swatch sev-${severity}`)} aria-hidden="true"></span><span class="legend-name">${SEVERITY_LABELS[severity]}</span><span class="legend-count">${counts[severity]}</span></button></li>`,
  ).join("");
  return [
    `<section id="summary" aria-labelledby="summary-title">`,
    `<h2 id="summary-title" class="visually-hidden">Summary</h2>`,
    `<div class="kpis">${summary.kpis.map(kpi).join("")}</div>`,
    `<div class="card summary-grid">`,
    `<figure class="donut"><figcaption>By severity</figcaption>${severityDonut(counts)}<ul class="legend no-print-buttons">${legend}</ul></figure>`,
    `<figure class="by-rule"><figcaption>By rule <span class="hint">(active findings, stacked by severity)</span></figcaption>${ruleBars(summary.rules)}</figure>`,
    `</div>`,
    `</section>`,
  ].join("\n");
}

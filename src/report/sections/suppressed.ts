/** The report's suppressed findings: accepted by configuration, not counted above, never alerted. */
import { severityBadge } from "../components.js";
import { escapeHtml as esc } from "../escape.js";
import { shortResource } from "../text.js";
import type { ReportView } from "../view-model.js";

export function renderSuppressed({ suppressed }: ReportView): string {
  if (suppressed.length === 0) return "";
  const rows = suppressed.map(
    ({ finding: f, subscriptionName }) =>
      `<tr><td>${severityBadge(f.severity)}</td><td class="mono">${esc(f.ruleId)}</td><td><span class="mono">${esc(shortResource(f.resourceId))}</span><span class="full mono">${esc(f.resourceId)}</span></td>` +
      `<td>${esc(subscriptionName)}</td><td>${esc(f.suppressed!.reason)}</td><td>${esc(f.suppressed!.expiresOn ?? "never")}</td></tr>`,
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

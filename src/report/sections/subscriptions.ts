/** The report's subscriptions in scope, how each one's scan went, and every collection error. */
import { attr, escapeHtml as esc } from "../escape.js";
import type { ReportView } from "../view-model.js";

const STATUS_TONE: Record<string, string> = { complete: "ok", partial: "medium", failed: "critical", skipped: "info" };

export function renderSubscriptions({ subscriptions }: ReportView): string {
  const rows = subscriptions.rows.map(
    (s) =>
      `<tr><th scope="row">${esc(s.name)}</th><td class="mono">${esc(s.subscriptionId)}</td>` +
      `<td><span ${attr("class", `badge status tone-${STATUS_TONE[s.status] ?? "info"}`)}>${esc(s.status)}</span></td><td class="num">${s.errorCount}</td></tr>`,
  );
  const errorRows = subscriptions.errors.map(
    ({ subscriptionName, error: e }) =>
      `<tr><td>${esc(subscriptionName)}</td><td class="mono">${esc(e.operation)}</td><td class="mono wrap">${esc(e.resourceId)}</td>` +
      `<td class="num">${e.statusCode ?? ""}</td><td class="mono">${esc(e.code ?? "")}</td><td>${esc(e.message)}</td></tr>`,
  );
  return [
    `<section id="subscriptions" class="card" aria-labelledby="subscriptions-title">`,
    `<h2 id="subscriptions-title">Subscriptions</h2>`,
    `<div class="table-scroll"><table id="subscriptions-table"><caption class="visually-hidden">Subscriptions in scope and how their scan went</caption>`,
    `<thead><tr><th scope="col">Subscription</th><th scope="col">ID</th><th scope="col">Status</th><th scope="col" class="num">Errors</th></tr></thead>`,
    `<tbody>${rows.join("") || `<tr><td colspan="4" class="muted">No subscriptions in scope.</td></tr>`}</tbody></table></div>`,
    errorRows.length > 0
      ? `<h3>Collection errors (${errorRows.length})</h3><div class="table-scroll"><table id="collection-errors"><caption class="visually-hidden">Errors met while reading Azure</caption>` +
        `<thead><tr><th scope="col">Subscription</th><th scope="col">Operation</th><th scope="col">Resource</th><th scope="col" class="num">Status</th><th scope="col">Code</th><th scope="col">Message</th></tr></thead>` +
        `<tbody>${errorRows.join("")}</tbody></table></div>`
      : `<p class="ok-note">No collection errors.</p>`,
    `</section>`,
  ].join("\n");
}

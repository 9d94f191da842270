/**
 * The report's countdown to the retirement of gateway-required VNet integration: days left
 * (coloured like gateway-integration-legacy's severity today), the strip of its severity
 * windows, and every app still on it.
 */
import { retirementStrip } from "../charts.js";
import { daysPhrase, resourceCell, severityBadge } from "../components.js";
import { attr, escapeHtml as esc } from "../escape.js";
import type { GatewayAppView, ReportView } from "../view-model.js";

function appRow(app: GatewayAppView): string {
  const certificate = app.earliestCertificate
    ? `${esc(app.earliestCertificate.notAfter.slice(0, 10))}<br><span class="muted">${esc(daysPhrase(app.earliestCertificate.daysLeft))}</span>`
    : `<span class="muted">unknown</span>`;
  return (
    `<tr><th scope="row">${resourceCell(app.name, app.siteId)}</th>` +
    `<td>${esc(app.subscriptionName)}</td>` +
    `<td>${app.vnetIds.map((id) => `<span class="mono" ${attr("title", id)}>${esc(id.split("/").pop() || id)}</span>`).join("<br>") || `<span class="muted">unknown</span>`}</td>` +
    `<td class="date">${certificate}</td>` +
    `<td>${app.worst ? severityBadge(app.worst) : ""} ${app.findingCount > 1 ? `<span class="muted">${app.findingCount} findings</span>` : ""}</td></tr>`
  );
}

export function renderRetirement({ retirement, now }: ReportView): string {
  const { date, days, tone, apps } = retirement;
  const headline =
    days > 0
      ? `<span class="days">${days}</span><span class="unit">days left</span>`
      : `<span class="days">${-days}</span><span class="unit">days since retirement</span>`;
  return [
    `<section id="retirement" class="card" aria-labelledby="retirement-title">`,
    `<h2 id="retirement-title">Gateway-required integration retirement</h2>`,
    `<p class="lede">Gateway-required (legacy) VNet integration is retired on <strong>${esc(date)}</strong>. Apps still using it must move to regional VNet integration.</p>`,
    `<div class="countdown">`,
    `<div ${attr("class", `countdown-number tone-${tone}`)} role="status" ${attr("aria-label", days > 0 ? `${days} days until ${date}` : `${-days} days since ${date}`)}>${headline}</div>`,
    `<div class="countdown-apps"><span class="days-small">${apps.length}</span> app(s) and slot(s) still on gateway-required integration</div>`,
    `</div>`,
    `<figure class="chart-frame">${retirementStrip(date, now)}</figure>`,
    apps.length === 0
      ? `<p class="ok-note">No app uses gateway-required integration.</p>`
      : `<div class="table-scroll"><table id="gateway-apps"><caption class="visually-hidden">Apps on gateway-required integration</caption>` +
        `<thead><tr><th scope="col">App</th><th scope="col">Subscription</th><th scope="col">VNets</th><th scope="col">Gateway certificate</th><th scope="col">Findings</th></tr></thead>` +
        `<tbody>${apps.map(appRow).join("")}</tbody></table></div>`,
    `</section>`,
  ].join("\n");
}

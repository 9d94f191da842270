/**
 * The report's certificate expiry: App Service certificates and the point-to-site
 * certificates of gateway-required connections on one timeline, then a table of all of them.
 */
import { certificateTimeline } from "../charts.js";
import { compactList, daysPhrase, resourceCell, severityBadge, unavailable } from "../components.js";
import { attr, escapeHtml as esc } from "../escape.js";
import { MAX_TIMELINE_ITEMS, type CertificateRow, type ReportView } from "../view-model.js";

function certificateRow(row: CertificateRow): string {
  const status = row.status === "ok" ? `<span class="badge ok">ok</span>` : severityBadge(row.status);
  return (
    `<tr><th scope="row">${row.kind === "app-service" ? resourceCell(row.label, row.resourceId) : `<span class="mono">${esc(row.label)}</span>`}</th>` +
    `<td>${row.kind === "gateway" ? "Gateway P2S" : "App Service"}</td>` +
    `<td>${esc(row.subject ?? "")}</td><td>${esc(row.friendlyName ?? "")}</td>` +
    `<td>${row.hostNames.map((h) => esc(h)).join("<br>")}</td>` +
    `<td class="date"><time ${attr("datetime", row.expiresAt)}>${esc(row.expiresAt.slice(0, 10))}</time><br><span class="muted">${esc(daysPhrase(row.daysLeft))}</span></td>` +
    `<td>${status}</td><td>${compactList(row.bound)}</td><td>${esc(row.subscriptionName)}</td></tr>`
  );
}

export function renderCertificates({ certificates, now }: ReportView): string {
  const head = [
    `<section id="certificates" class="card" aria-labelledby="certificates-title">`,
    `<h2 id="certificates-title">Certificate expiry</h2>`,
    `<p class="lede">App Service certificates (circles) and the point-to-site certificates of gateway-required connections (diamonds), by expiry date. ` +
      `The shaded area is the past; certificates beyond the axis are marked at its right edge.</p>`,
  ];
  if (!certificates) return [...head, unavailable(), `</section>`].join("\n");
  const { rows, withoutDate } = certificates;
  const more = rows.length > MAX_TIMELINE_ITEMS ? `<p class="note">The chart shows the ${MAX_TIMELINE_ITEMS} earliest of ${rows.length} certificates; the table lists them all.</p>` : "";
  const tableRows = rows.map(certificateRow);
  for (const { certificate, subscriptionName } of withoutDate) {
    tableRows.push(
      `<tr><th scope="row">${resourceCell(certificate.name, certificate.id)}</th><td>App Service</td>` +
        `<td>${esc(certificate.subjectName ?? "")}</td><td>${esc(certificate.friendlyName ?? "")}</td><td>${certificate.hostNames.map((h) => esc(h)).join("<br>")}</td>` +
        `<td class="muted">unknown</td><td></td><td>${compactList(certificate.boundSiteIds)}</td><td>${esc(subscriptionName)}</td></tr>`,
    );
  }
  return [
    ...head,
    `<figure class="chart-frame">${certificateTimeline(rows, now, { maxItems: MAX_TIMELINE_ITEMS })}</figure>`,
    more,
    `<div class="table-scroll"><table id="certificates-table"><caption class="visually-hidden">Certificates by expiry</caption>`,
    `<thead><tr><th scope="col">Certificate</th><th scope="col">Type</th><th scope="col">Subject</th><th scope="col">Friendly name</th><th scope="col">Host names</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col">Used by</th><th scope="col">Subscription</th></tr></thead>`,
    `<tbody>${tableRows.join("") || `<tr><td colspan="9" class="muted">No certificates.</td></tr>`}</tbody></table></div>`,
    `</section>`,
  ].join("\n");
}

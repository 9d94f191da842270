/**
 * The report's "By owner" section: each owner (or unowned) with its active findings by
 * severity, and a button that filters the findings table to that owner. Classes only, every
 * value escaped.
 */
import type { ScanResult } from "../../engine/result.js";
import { UNOWNED } from "../../engine/owners.js";
import { SEVERITIES, type Severity } from "../../model/severity.js";
import { attr, escapeHtml as esc } from "../escape.js";
import { activeFindings, ownerLabel } from "../text.js";

export function renderOwners(result: ScanResult): string {
  const active = activeFindings(result);
  if (active.length === 0) return "";
  const byOwner = new Map<string, Record<Severity, number>>();
  for (const finding of active) {
    const owner = ownerLabel(finding);
    const counts = byOwner.get(owner) ?? (Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>);
    counts[finding.severity]++;
    byOwner.set(owner, counts);
  }
  const rows = [...byOwner.entries()]
    .sort(([a], [b]) => (a === UNOWNED ? 1 : b === UNOWNED ? -1 : a.localeCompare(b)))
    .map(([owner, counts]) => {
      const total = SEVERITIES.reduce((sum, s) => sum + counts[s], 0);
      return (
        `<tr><th scope="row">${owner === UNOWNED ? `<span class="muted">${esc(UNOWNED)}</span>` : esc(owner)}</th>` +
        SEVERITIES.map((s) => `<td class="num">${counts[s] || ""}</td>`).join("") +
        `<td class="num">${total}</td>` +
        `<td><button type="button" class="secondary" ${attr("data-filter-owner", owner)} ${attr("aria-label", `Show the ${total} finding(s) of ${owner}`)}>Show findings</button></td></tr>`
      );
    });
  return [
    `<section id="owners" class="card" aria-labelledby="owners-title">`,
    `<h2 id="owners-title">By owner</h2>`,
    `<p class="lede">Who must act: the owner tag on the resource (a subnet's VNet), else the site's plan, else the resource group.</p>`,
    `<div class="table-scroll"><table id="owners-table"><caption class="visually-hidden">Active findings by owner</caption>`,
    `<thead><tr><th scope="col">Owner</th>${SEVERITIES.map((s) => `<th scope="col" class="num">${esc(s)}</th>`).join("")}<th scope="col" class="num">Total</th><th scope="col"><span class="visually-hidden">Filter</span></th></tr></thead>`,
    `<tbody>${rows.join("")}</tbody></table></div>`,
    `</section>`,
  ].join("\n");
}

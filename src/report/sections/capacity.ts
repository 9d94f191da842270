/**
 * The report's integration subnet capacity: a bar per subnet (planned demand against the safe
 * threshold and the usable addresses), then a table of every subnet with its plans.
 */
import { capacityChart } from "../charts.js";
import { resourceCell, severityBadge, unavailable } from "../components.js";
import { escapeHtml as esc } from "../escape.js";
import { shortResource } from "../text.js";
import type { ReportView, SubnetRowView } from "../view-model.js";

function subnetRow({ subnet, subscriptionName, plans, worst }: SubnetRowView): string {
  const items = plans
    .map(
      ({ plan, source }) =>
        `<li><span class="mono">${esc(plan.name ?? shortResource(plan.id))}</span>: ${plan.demand ?? "?"} address(es) ` +
        `<span class="muted">(${esc(source)}${plan.windowsContainerApps > 0 ? `, × (1 + ${plan.windowsContainerApps} Windows container app(s))` : ""}; ${plan.siteCount} site(s))</span></li>`,
    )
    .join("");
  return (
    `<tr><th scope="row">${resourceCell(subnet.name, subnet.id)}</th>` +
    `<td>${esc(subnet.vnetName)}</td><td>${esc(subscriptionName)}</td>` +
    `<td class="mono">${esc(subnet.prefixes.join(", ") || "unknown")}</td>` +
    `<td class="num">${subnet.usableAddresses}</td><td class="num">${subnet.safeInstances}</td><td class="num">${subnet.demand}</td>` +
    `<td><ul class="plain">${items}</ul></td><td>${worst ? severityBadge(worst) : `<span class="muted">none</span>`}</td></tr>`
  );
}

export function renderCapacity({ capacity }: ReportView): string {
  const head = [
    `<section id="capacity" class="card" aria-labelledby="capacity-title">`,
    `<h2 id="capacity-title">Integration subnet capacity</h2>`,
    `<p class="lede">Each plan instance takes one address in its integration subnet, and scaling doubles that for a while, so a subnet is safe for half its usable addresses. ` +
      `Bars compare the plans' planned maximum demand with the safe threshold (dashed) and the usable addresses (grey track).</p>`,
  ];
  if (!capacity) return [...head, unavailable(), `</section>`].join("\n");
  const { chart, table } = capacity;
  const more = table.length > chart.length ? `<p class="note">Showing the ${chart.length} most pressed of ${table.length} subnets; the table lists them all.</p>` : "";
  return [
    ...head,
    `<figure class="chart-frame">${capacityChart(chart)}</figure>`,
    more,
    `<details class="subnet-details" data-print-open><summary>Subnet details (${table.length})</summary>`,
    `<div class="table-scroll"><table><caption class="visually-hidden">Integration subnets with their plans</caption>`,
    `<thead><tr><th scope="col">Subnet</th><th scope="col">VNet</th><th scope="col">Subscription</th><th scope="col">Prefixes</th><th scope="col" class="num">Usable</th><th scope="col" class="num">Safe</th><th scope="col" class="num">Demand</th><th scope="col">Plans</th><th scope="col">Finding</th></tr></thead>`,
    `<tbody>${table.map(subnetRow).join("") || `<tr><td colspan="9" class="muted">No subnet is used for regional VNet integration.</td></tr>`}</tbody></table></div>`,
    `</details>`,
    `</section>`,
  ].join("\n");
}

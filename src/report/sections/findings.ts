/**
 * The report's findings table: one `<tbody>` per active finding (severity, rule, resource,
 * subscription, owner, message), each with its remediation (the rule's text, the finding's
 * own fix steps with copy buttons, Bicep, references) and evidence under `<details>`; filters
 * and sortable columns that report.js drives.
 */
import type { Finding } from "../../model/finding.js";
import { severityRank } from "../../model/severity.js";
import { SEVERITY_LABELS } from "../charts.js";
import { referenceLinks, severityBadge } from "../components.js";
import { attr, escapeHtml as esc } from "../escape.js";
import { remediationView, renderBlockers, renderSteps, stepCommands } from "../remediation.js";
import { shortResource } from "../text.js";
import type { ReportView } from "../view-model.js";
import { changeNote, findingDataAttributes, findingFilters, ownerCell } from "./owner-change.js";

const COLUMNS: [name: string, key: string, firstDirection: "ascending" | "descending"][] = [
  ["Severity", "severity", "descending"],
  ["Rule", "rule", "ascending"],
  ["Resource", "resource", "ascending"],
  ["Subscription", "subscription", "ascending"],
  ["Owner", "owner", "ascending"],
  ["Finding", "message", "ascending"],
];

export function renderFindings({ active, findings }: ReportView): string {
  const severityOptions = findings.severityOptions.map(({ severity, count }) => `<option ${attr("value", severity)}>${SEVERITY_LABELS[severity]} (${count})</option>`);
  const ruleOptions = findings.ruleOptions.map(({ ruleId, count }) => `<option ${attr("value", ruleId)}>${esc(ruleId)} (${count})</option>`);
  const subscriptionOptions = findings.subscriptionOptions.map(({ subscriptionId, name, count }) => `<option ${attr("value", subscriptionId)}>${esc(name)} (${count})</option>`);
  const { ownerFilter, changeFilter } = findingFilters(active);
  const header = COLUMNS.map(
    ([name, key, dir], index) =>
      `<th scope="col" ${attr("data-column", key)}${index === 0 ? ` aria-sort="descending"` : ""}><button type="button" class="sort" ${attr("data-column-index", index)} ${attr("data-first-direction", dir)}>${name}<span class="sort-indicator" aria-hidden="true"></span></button></th>`,
  ).join("");
  const bodies = findings.rows.map(({ finding, subscriptionName }, index) => renderFindingBody(finding, subscriptionName, index));

  return [
    `<section id="findings" class="card" aria-labelledby="findings-title">`,
    `<h2 id="findings-title">Findings</h2>`,
    `<p class="lede">Active findings, most severe first. Filter and sort them; each one's remediation is under “Remediation”.</p>`,
    `<form class="filters no-print" role="search" aria-label="Filter findings" id="findings-filters">`,
    `<label>Severity<select id="filter-severity" name="severity"><option value="">All severities</option>${severityOptions.join("")}</select></label>`,
    `<label>Rule<select id="filter-rule" name="rule"><option value="">All rules</option>${ruleOptions.join("")}</select></label>`,
    `<label>Subscription<select id="filter-subscription" name="subscription"><option value="">All subscriptions</option>${subscriptionOptions.join("")}</select></label>`,
    ownerFilter,
    changeFilter,
    `<label class="grow">Search<input id="filter-text" name="q" type="search" placeholder="Resource, message, rule…" autocomplete="off"></label>`,
    `<button type="reset" class="secondary" id="filter-reset">Reset</button>`,
    `<button type="button" class="secondary" data-action="toggle-details" aria-pressed="false">Expand all</button>`,
    `</form>`,
    `<p id="findings-count" class="count" aria-live="polite">Showing all ${active.length} findings</p>`,
    `<div class="table-scroll"><table id="findings-table" class="findings"><caption class="visually-hidden">Active findings</caption>`,
    `<colgroup><col class="c-sev"><col class="c-rule"><col class="c-res"><col class="c-sub"><col class="c-owner"><col class="c-msg"></colgroup>`,
    `<thead><tr>${header}</tr></thead>`,
    bodies.join("\n"),
    `</table></div>`,
    `<p id="findings-empty" class="empty"${active.length === 0 ? "" : " hidden"}>${active.length === 0 ? "No active findings." : "No finding matches these filters."}</p>`,
    `</section>`,
  ].join("\n");
}

function copyButton(targetId: string, what: string): string {
  return `<button type="button" class="copy" ${attr("data-copy-target", targetId)} ${attr("aria-label", `Copy ${what}`)}>Copy</button>`;
}

function renderFindingBody(finding: Finding, subscriptionName: string, index: number): string {
  const fix = remediationView(finding);
  const n = index + 1;
  const expired = finding.evidence.expiredSuppression as { expiresOn?: unknown; reason?: unknown } | undefined;
  const evidence = JSON.stringify(finding.evidence, null, 2);
  return [
    `<tbody class="finding" ${attr("id", `finding-${finding.id}`)} ${attr("data-index", index)} ${attr("data-severity", finding.severity)} ${attr("data-rule", finding.ruleId)} ${attr("data-subscription", finding.subscriptionId.toLowerCase())} ${findingDataAttributes(finding)}>`,
    `<tr class="finding-row">`,
    `<td ${attr("data-sort", severityRank(finding.severity))}>${severityBadge(finding.severity)}</td>`,
    `<td><span class="mono rule-id">${esc(finding.ruleId)}</span><span class="rule-title">${esc(finding.title)}</span></td>`,
    `<td ${attr("data-sort", shortResource(finding.resourceId).toLowerCase())}><span class="mono res-short">${esc(shortResource(finding.resourceId))}</span><span class="full mono">${esc(finding.resourceId)}</span></td>`,
    `<td><span ${attr("title", finding.subscriptionId)}>${esc(subscriptionName)}</span></td>`,
    ownerCell(finding),
    `<td class="message">${esc(finding.message)}${changeNote(finding)}${
      expired ? ` <span class="badge expired" title="A suppression for this finding has expired">suppression expired ${esc(String(expired.expiresOn ?? ""))}</span>` : ""
    }` +
      `<details class="fix" data-print-open><summary>Remediation</summary>` +
      `<div class="fix-body">` +
      `<div class="fix-text"><p ${attr("id", `fix-${n}-text`)}>${esc(fix.text)}</p>${fix.summary ? `<p class="fix-summary">${esc(fix.summary)}</p>` : ""}</div>` +
      renderBlockers(fix.blockers) +
      renderSteps(fix.steps, `fix-${finding.id}`) +
      (fix.bicep ? `<details class="bicep"><summary>Bicep</summary><div class="code-block"><div class="code-head"><span>Bicep</span>${copyButton(`fix-${n}-bicep`, "Bicep snippet")}</div><pre class="code"><code ${attr("id", `fix-${n}-bicep`)}>${esc(fix.bicep)}</code></pre></div></details>` : "") +
      (stepCommands(fix.steps)
        ? `<div class="fix-actions"><button type="button" class="copy primary" ${attr("data-copy-target", `fix-${n}-all`)} aria-label="Copy every command of the remediation">Copy all commands</button></div>` +
          `<pre class="visually-hidden" ${attr("id", `fix-${n}-all`)}>${esc(stepCommands(fix.steps))}</pre>`
        : "") +
      referenceLinks(finding.references) +
      `<details class="evidence"><summary>Evidence</summary><pre class="code">${esc(evidence)}</pre></details>` +
      `</div></details></td>`,
    `</tr>`,
    `</tbody>`,
  ].join("");
}

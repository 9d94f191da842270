/**
 * The report's rules: each rule of the catalog with its active findings and how many
 * resources the engine checked with it ("checked N"), and how many it could not decide
 * ("undecided M": the data it needs could not be read). A result written before the engine
 * counted checks says "n/a"; a rule left out of the scan (`--rules`) says "not run".
 */
import { attr, escapeHtml as esc } from "../escape.js";
import type { ReportView, RuleRowView } from "../view-model.js";

function checkedCell({ checks }: RuleRowView, counted: boolean): string {
  if (!counted) return `<span class="muted">n/a</span>`;
  if (!checks) return `<span class="muted">not run</span>`;
  return `checked ${checks.checked}${checks.unknown > 0 ? ` · <span class="undecided">undecided ${checks.unknown}</span>` : ""}`;
}

export function renderRules({ rules }: ReportView): string {
  const rows = rules.rows.map(
    (row) =>
      `<tr ${attr("data-rule", row.ruleId)}><th scope="row"><span class="mono">${esc(row.ruleId)}</span></th><td>${esc(row.title)}</td>` +
      `<td class="num">${row.active}</td><td class="checked">${checkedCell(row, rules.counted)}</td></tr>`,
  );
  return [
    `<section id="rules" class="card" aria-labelledby="rules-title">`,
    `<h2 id="rules-title">Rules</h2>`,
    `<p class="lede">Every rule, its active findings, and the resources it judged: “checked” counts them, “undecided” those whose data could not be read (no finding there means unknown, not healthy).` +
      `${rules.counted ? "" : " This result predates those counts (n/a)."}</p>`,
    `<div class="table-scroll"><table id="rules-table"><caption class="visually-hidden">Rules and what they checked</caption>`,
    `<thead><tr><th scope="col">Rule</th><th scope="col">Title</th><th scope="col" class="num">Active findings</th><th scope="col">Checked</th></tr></thead>`,
    `<tbody>${rows.join("")}</tbody></table></div>`,
    `</section>`,
  ].join("\n");
}

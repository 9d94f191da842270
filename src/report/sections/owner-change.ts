/**
 * The HTML report's owner and change pieces of the findings table: the Owner column, the
 * owner and change filters, and each finding's change badge and first-seen date. Kept apart
 * from the findings section so the table's layout and these lifecycle facts evolve
 * separately. Classes only (the report's CSP forbids inline styles); every value is escaped.
 */
import { UNOWNED } from "../../engine/owners.js";
import type { Finding, FindingChange } from "../../model/finding.js";
import { attr, escapeHtml as esc } from "../escape.js";
import { ownerLabel } from "../text.js";

const CHANGE_LABELS: Record<FindingChange, string> = { new: "New", escalated: "Escalated", unchanged: "Unchanged" };
const CHANGE_TONE: Record<FindingChange, string> = { new: "critical", escalated: "medium", unchanged: "info" };

/** `data-owner` and `data-change` of a finding's table body (what the filters match on). */
export function findingDataAttributes(finding: Finding): string {
  return [attr("data-owner", ownerLabel(finding)), finding.change ? attr("data-change", finding.change) : ""].filter(Boolean).join(" ");
}

/** The Owner cell: the tag's value, or "unowned" in muted text. */
export function ownerCell(finding: Finding): string {
  return finding.owner ? `<td class="owner">${esc(finding.owner)}</td>` : `<td class="owner"><span class="muted">${esc(UNOWNED)}</span></td>`;
}

/** The change badge and first-seen date under a finding's message, when history is known. */
export function changeNote(finding: Finding): string {
  const parts: string[] = [];
  if (finding.change) parts.push(`<span ${attr("class", `badge status change tone-${CHANGE_TONE[finding.change]}`)}>${esc(CHANGE_LABELS[finding.change])}</span>`);
  if (finding.firstSeen) parts.push(`<span class="first-seen">first seen <time ${attr("datetime", finding.firstSeen)}>${esc(finding.firstSeen.slice(0, 10))}</time></span>`);
  return parts.length > 0 ? ` <span class="lifecycle">${parts.join(" ")}</span>` : "";
}

/** The owner filter (always) and the change filter (when the findings carry `change`). */
export function findingFilters(findings: readonly Finding[]): { ownerFilter: string; changeFilter: string } {
  const owners = new Map<string, number>();
  for (const finding of findings) owners.set(ownerLabel(finding), (owners.get(ownerLabel(finding)) ?? 0) + 1);
  const ownerOptions = [...owners.entries()]
    .sort(([a], [b]) => (a === UNOWNED ? 1 : b === UNOWNED ? -1 : a.localeCompare(b)))
    .map(([owner, n]) => `<option ${attr("value", owner)}>${esc(owner)} (${n})</option>`);
  const ownerFilter = `<label>Owner<select id="filter-owner" name="owner"><option value="">All owners</option>${ownerOptions.join("")}</select></label>`;

  const changes = (Object.keys(CHANGE_LABELS) as FindingChange[]).filter((change) => findings.some((finding) => finding.change === change));
  const changeFilter =
    changes.length === 0
      ? ""
      : `<label>Change<select id="filter-change" name="change"><option value="">Any change</option>${changes
          .map((change) => `<option ${attr("value", change)}>${esc(CHANGE_LABELS[change])} (${findings.filter((finding) => finding.change === change).length})</option>`)
          .join("")}</select></label>`;
  return { ownerFilter, changeFilter };
}

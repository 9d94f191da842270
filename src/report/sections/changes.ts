/**
 * The HTML report's opening section when history is known (`--store`, `--baseline`, the
 * function app's stored reports): what changed since the last run. New and escalated
 * findings link to their row in the findings table; resolved ones are listed here only, as
 * they are no longer in the table. Classes only (the report's CSP forbids inline styles).
 */
import type { ScanResult } from "../../engine/result.js";
import type { Finding } from "../../model/finding.js";
import { severityBadge } from "../components.js";
import { attr, escapeHtml as esc } from "../escape.js";
import { activeFindings, ownerLabel, shortResource } from "../text.js";

/** Rows listed per change kind; the findings table (filter "Change") holds all of them. */
export const MAX_CHANGES_LISTED = 50;

/** True when the result says what changed (a baseline or stored history was known). */
export function hasHistory(result: ScanResult): boolean {
  return result.resolved !== undefined || result.findings.some((finding) => finding.change !== undefined);
}

export function renderChanges(result: ScanResult): string {
  if (!hasHistory(result)) return "";
  const active = activeFindings(result);
  const fresh = active.filter((finding) => finding.change === "new");
  const escalated = active.filter((finding) => finding.change === "escalated");
  const resolved = result.resolved ?? [];
  const unchanged = active.filter((finding) => finding.change === "unchanged").length;

  const list = (title: string, findings: readonly Finding[], kind: "new" | "escalated" | "resolved") => {
    if (findings.length === 0) return "";
    const items = findings.slice(0, MAX_CHANGES_LISTED).map((finding) => {
      const label = `${esc(finding.ruleId)} · <span class="mono">${esc(shortResource(finding.resourceId))}</span>`;
      const target = kind === "resolved" ? label : `<a ${attr("href", `#finding-${finding.id}`)}>${label}</a>`;
      return `<li>${severityBadge(finding.severity)} ${target} <span class="muted">(${esc(ownerLabel(finding))})</span></li>`;
    });
    const more = findings.length > MAX_CHANGES_LISTED ? `<li class="muted">…and ${findings.length - MAX_CHANGES_LISTED} more</li>` : "";
    return `<h3>${esc(title)} (${findings.length})</h3><ul ${attr("class", `changes-list changes-${kind}`)}>${items.join("")}${more}</ul>`;
  };

  return [
    `<section id="changes" class="card" aria-labelledby="changes-title">`,
    `<h2 id="changes-title">What changed since the last run</h2>`,
    `<p class="lede" id="changes-summary"><strong>${fresh.length}</strong> new · <strong>${escalated.length}</strong> escalated · <strong>${resolved.length}</strong> resolved · ${unchanged} unchanged. ` +
      `Filter the findings table by “Change” to see them in place.</p>`,
    fresh.length + escalated.length + resolved.length === 0 ? `<p class="ok-note">Nothing changed.</p>` : "",
    list("New", fresh, "new"),
    list("Escalated", escalated, "escalated"),
    list("Resolved", resolved, "resolved"),
    `</section>`,
  ].join("\n");
}

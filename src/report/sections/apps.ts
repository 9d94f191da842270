/**
 * The report's "By app" section: one app's findings together (the site's own, then each
 * deployment slot's under it), one collapsible entry per app, most severe first. Findings on
 * subnets, plans and certificates stay in the findings table: they belong to no single app.
 *
 * No script is needed to open an app (`<details>`); classes only, every value escaped.
 */
import type { ScanResult } from "../../engine/result.js";
import type { Finding } from "../../model/finding.js";
import { SEVERITIES, severityRank, type Severity } from "../../model/severity.js";
import { armKey } from "../../util/arm-id.js";
import { severityBadge } from "../components.js";
import { attr, escapeHtml as esc } from "../escape.js";
import { activeFindings, ownerLabel, shortResource } from "../text.js";

const SITE_ID = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web\/sites\/[^/]+)(?:\/slots\/([^/]+))?$/i;

interface AppGroup {
  siteId: string;
  name: string;
  own: Finding[];
  slots: Map<string, Finding[]>;
}

/** Site and slot findings grouped by app (slots under their site), most severe app first. */
export function groupByApp(findings: readonly Finding[]): AppGroup[] {
  const apps = new Map<string, AppGroup>();
  for (const finding of findings) {
    const match = SITE_ID.exec(finding.resourceId);
    if (!match) continue;
    const siteId = match[1]!;
    const app: AppGroup = apps.get(armKey(siteId)) ?? { siteId, name: siteId.split("/").pop()!, own: [], slots: new Map<string, Finding[]>() };
    apps.set(armKey(siteId), app);
    if (match[2]) app.slots.set(match[2], [...(app.slots.get(match[2]) ?? []), finding]);
    else app.own.push(finding);
  }
  const worst = (app: AppGroup) => Math.max(...[...app.own, ...[...app.slots.values()].flat()].map((f) => severityRank(f.severity)));
  return [...apps.values()].sort((a, b) => worst(b) - worst(a) || a.name.localeCompare(b.name));
}

/** Stable element ID of an app's entry (the site ID, lower-cased, made safe). */
export function appAnchor(siteId: string): string {
  return `app-${armKey(siteId).replace(/^\/subscriptions\//, "").replace(/[^a-z0-9-]+/g, "-")}`;
}

function findingItem(finding: Finding): string {
  return `<li>${severityBadge(finding.severity)} <a ${attr("href", `#finding-${finding.id}`)}><span class="mono">${esc(finding.ruleId)}</span></a> ${esc(finding.message)}</li>`;
}

export function renderApps(result: ScanResult): string {
  const apps = groupByApp(activeFindings(result));
  if (apps.length === 0) return "";
  const entries = apps.map((app) => {
    const all = [...app.own, ...[...app.slots.values()].flat()];
    const owners = [...new Set(all.map(ownerLabel))];
    const worst = SEVERITIES.find((severity) => all.some((finding) => finding.severity === severity))!;
    const slots = [...app.slots.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([slot, findings]) => `<li class="slot"><span class="slot-name">Slot <strong>${esc(slot)}</strong></span><ul class="app-findings">${findings.map(findingItem).join("")}</ul></li>`);
    return (
      `<details class="app" ${attr("id", appAnchor(app.siteId))} ${attr("data-owner", owners.join(" "))}>` +
      `<summary>${severityBadge(worst as Severity)} <strong class="app-name">${esc(app.name)}</strong> <span class="muted">${esc(shortResource(app.siteId))} · ${esc(owners.join(", "))} · ${all.length} finding(s)</span></summary>` +
      (app.own.length > 0 ? `<ul class="app-findings">${app.own.map(findingItem).join("")}</ul>` : `<p class="muted">No finding on the site itself.</p>`) +
      (slots.length > 0 ? `<ul class="slots">${slots.join("")}</ul>` : "") +
      `</details>`
    );
  });
  return [
    `<section id="apps" class="card" aria-labelledby="apps-title">`,
    `<h2 id="apps-title">By app</h2>`,
    `<p class="lede">Each app's findings together, its deployment slots under it. Open an app to see them; each links to its row in the findings table.</p>`,
    entries.join("\n"),
    `</section>`,
  ].join("\n");
}

/**
 * The report's Migration section: one card per App Service plan still on gateway-required
 * integration, with its apps and slots, the target VNet, the proposed subnet, blockers, the
 * steps (each command with a copy button) and the countdown to the retirement. Built from the
 * findings' `fix` alone, so it renders from a saved scan result too.
 */
import type { Finding, FixPlan } from "../model/finding.js";
import { calendarDaysUntil } from "../util/time.js";
import { attr, escapeHtml as esc } from "./escape.js";
import { renderBlockers, renderSteps, stepCommands } from "./remediation.js";

export interface MigrationPlanView {
  /** Stable key: the plan's ID (lower-cased), else the fix summary. */
  key: string;
  planId: string | null;
  planName: string;
  /** The legacy findings (apps and slots) this plan covers, in resource order. */
  findings: Finding[];
  fix: FixPlan;
}

function planRef(finding: Finding): { id: string | null; name: string | null } {
  const connections = Array.isArray(finding.evidence.connections) ? (finding.evidence.connections as { plan?: { id?: unknown; name?: unknown } }[]) : [];
  const plan = connections[0]?.plan;
  return { id: typeof plan?.id === "string" ? plan.id : null, name: typeof plan?.name === "string" ? plan.name : null };
}

/** The migration plans of a scan: one per App Service plan, from its `gateway-integration-legacy` findings. */
export function migrationPlans(findings: readonly Finding[]): MigrationPlanView[] {
  const byKey = new Map<string, MigrationPlanView>();
  for (const finding of findings) {
    if (finding.ruleId !== "gateway-integration-legacy" || !finding.fix) continue;
    const ref = planRef(finding);
    const key = ref.id?.toLowerCase() ?? `fix:${finding.fix.summary}`;
    const entry = byKey.get(key);
    if (entry) entry.findings.push(finding);
    else byKey.set(key, { key, planId: ref.id, planName: ref.name ?? ref.id?.split("/").pop() ?? "unknown plan", findings: [finding], fix: finding.fix });
  }
  return [...byKey.values()]
    .map((view) => ({ ...view, findings: [...view.findings].sort((a, b) => a.resourceId.toLowerCase().localeCompare(b.resourceId.toLowerCase())) }))
    .sort((a, b) => Number(a.fix.blockers.length > 0) - Number(b.fix.blockers.length > 0) || a.planName.localeCompare(b.planName));
}

function slug(key: string): string {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash.toString(36);
}

function lastSegment(id: string): string {
  return id.split("/").pop() || id;
}

export function renderMigration(active: readonly Finding[], options: { now: Date; retirementDate: string }): string {
  const plans = migrationPlans(active);
  const days = calendarDaysUntil(options.retirementDate, options.now);
  const countdown =
    days > 0 ? `${days} day(s) left until ${options.retirementDate}` : days === 0 ? `Retired today (${options.retirementDate})` : `${-days} day(s) since the retirement on ${options.retirementDate}`;
  const blocked = plans.filter((p) => p.fix.blockers.length > 0).length;
  const cards = plans.map((plan) => renderPlanCard(plan, countdown));
  return [
    `<section id="migration" class="card" aria-labelledby="migration-title">`,
    `<h2 id="migration-title">Migration to regional integration</h2>`,
    `<p class="lede">One plan per App Service plan: all its apps and slots move together, since a plan has one regional integration. ` +
      `<strong class="migration-countdown">${esc(countdown)}</strong>. ${plans.length} plan(s), ${blocked} blocked.</p>`,
    plans.length === 0 ? `<p class="ok-note">No app needs to migrate.</p>` : cards.join("\n"),
    `</section>`,
  ].join("\n");
}

function renderPlanCard(plan: MigrationPlanView, countdown: string): string {
  const id = `migration-${slug(plan.key)}`;
  const { fix } = plan;
  const subnet = fix.proposedSubnet;
  const target = subnet
    ? `<span class="mono" ${attr("title", subnet.virtualNetworkId)}>${esc(lastSegment(subnet.virtualNetworkId))}</span>`
    : `<span class="muted">none yet</span>`;
  const proposed = subnet
    ? `<span class="mono">${esc(subnet.name)}</span> <span class="mono">${esc(subnet.addressPrefix)}</span> ${subnet.exists ? `<span class="badge ok">existing</span>` : `<span class="badge new">new</span>`}`
    : `<span class="muted">none: see the blockers</span>`;
  const apps = plan.findings.map((f) => `<li><span class="mono" ${attr("title", f.resourceId)}>${esc(appLabel(f.resourceId))}</span></li>`).join("");
  const all = stepCommands(fix.steps);
  return [
    `<article class="migration-plan${fix.blockers.length > 0 ? " blocked" : ""}" ${attr("id", id)} ${attr("data-plan", plan.planId ?? "")}>`,
    `<h3>${esc(plan.planName)} ${fix.blockers.length > 0 ? `<span class="badge sev-high">blocked</span>` : `<span class="badge ok">ready</span>`}</h3>`,
    `<p class="fix-summary">${esc(fix.summary)}</p>`,
    `<dl class="migration-facts">`,
    `<dt>Apps and slots</dt><dd><ul class="plain">${apps}</ul></dd>`,
    `<dt>Target VNet</dt><dd>${target}</dd>`,
    `<dt>Proposed subnet</dt><dd>${proposed}</dd>`,
    `<dt>Deadline</dt><dd>${esc(countdown)}</dd>`,
    `</dl>`,
    renderBlockers(fix.blockers),
    fix.steps.length > 0
      ? `<details class="plan-steps" data-print-open><summary>${fix.steps.length} step(s)${fix.blockers.length > 0 ? " to unblock" : ""}</summary>${renderSteps(fix.steps, id)}</details>`
      : "",
    all
      ? `<div class="fix-actions"><button type="button" class="copy primary" ${attr("data-copy-target", `${id}-all`)} ${attr("aria-label", `Copy every command of the ${plan.planName} plan`)}>Copy all commands</button></div>` +
        `<pre class="visually-hidden" ${attr("id", `${id}-all`)}>${esc(all)}</pre>`
      : "",
    `</article>`,
  ].join("\n");
}

/** `app` or `app/slot` from a site or slot ID. */
export function appLabel(resourceId: string): string {
  const match = /\/sites\/([^/]+)(?:\/slots\/([^/]+))?$/i.exec(resourceId);
  return match ? (match[2] ? `${match[1]}/${match[2]}` : match[1]!) : lastSegment(resourceId);
}

export const MIGRATION_STYLE = `
.migration-countdown{color:var(--accent-dark)}
.migration-plan{border:1px solid var(--line);border-left:4px solid var(--ok);border-radius:6px;padding:10px 14px;margin:12px 0;background:#fff}
.migration-plan.blocked{border-left-color:#c2410c}
.migration-plan h3{margin:0 0 4px;font-size:16px}
.migration-facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:8px 0}
.migration-facts dt{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.migration-facts dd{margin:0}
ul.plain{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 12px}
ul.blockers{margin:8px 0;padding-left:18px;color:#7c2d12}
.blocker-code{font-weight:600}
ol.fix-steps{margin:8px 0;padding-left:22px}
li.fix-step{margin:0 0 8px}
li.fix-step>p{margin:0 0 4px}
details.plan-steps>summary{cursor:pointer;color:var(--accent);font-weight:500;margin-top:6px}
.step-manual{font-size:12px;color:var(--muted);margin:0}
.fix-summary{margin:0 0 6px}
.badge.new{background:#e8f0fb;color:#1e4e8c}
@media print{.migration-plan{break-inside:avoid-page}}
`.trim();

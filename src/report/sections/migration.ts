/**
 * The report's Migration section: one card per App Service plan still on gateway-required
 * integration (migration.ts shapes them), with its apps and slots, the target VNet, the
 * proposed subnet, blockers, the steps (each command with a copy button) and the countdown to
 * the retirement.
 */
import type { Finding } from "../../model/finding.js";
import { calendarDaysUntil } from "../../util/time.js";
import { attr, escapeHtml as esc } from "../escape.js";
import { appLabel, migrationPlans, type MigrationPlanView } from "../migration.js";
import { renderBlockers, renderSteps, stepCommands } from "../remediation.js";

function slug(key: string): string {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash.toString(36);
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
    ? `<span class="mono" ${attr("title", subnet.virtualNetworkId)}>${esc(subnet.virtualNetworkId.split("/").pop() || subnet.virtualNetworkId)}</span>`
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


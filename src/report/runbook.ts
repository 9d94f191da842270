/**
 * The Markdown report's closing runbook: one section per migration plan (App Service plan)
 * and per subnet replacement, with what changes, the blockers, and numbered steps whose
 * commands sit in `sh` blocks, ready to paste into a change ticket.
 */
import type { Finding, FixPlan } from "../model/finding.js";
import { appLabel, migrationPlans } from "./migration.js";

const REPLACEMENT_RULES = new Set(["subnet-undersized", "subnet-not-dedicated"]);

function lastSegment(id: string): string {
  return id.split("/").pop() || id;
}

function steps(fix: FixPlan, md: (text: string) => string): string[] {
  const out: string[] = [];
  fix.steps.forEach((step, i) => {
    out.push(`${i + 1}. ${md(step.description)}`);
    // A fence longer than any backtick run in the command, so nothing can close it early.
    if (step.command) {
      const fence = "`".repeat(Math.max(3, ...[...step.command.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      out.push("", `   ${fence}sh`, `   ${step.command}`, `   ${fence}`, "");
    } else out.push("   (portal or manual step, no command)");
  });
  return out;
}

function facts(rows: [string, string][]): string[] {
  return ["| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`), ""];
}

export function renderRunbook(active: readonly Finding[], md: (text: string) => string): string[] {
  const plans = migrationPlans(active);
  const replacements = new Map<string, Finding>();
  for (const finding of active) {
    if (REPLACEMENT_RULES.has(finding.ruleId) && finding.fix && !replacements.has(finding.resourceId.toLowerCase())) replacements.set(finding.resourceId.toLowerCase(), finding);
  }
  if (plans.length === 0 && replacements.size === 0) return [];
  const out: string[] = ["## Runbook", "", "Each section is one change: run its steps in order. Every command names the real resource and carries `--subscription`.", ""];
  plans.forEach((plan, i) => {
    const subnet = plan.fix.proposedSubnet;
    out.push(`### ${i + 1}. Migrate plan ${md(plan.planName)} to regional integration`, "", md(plan.fix.summary), "");
    out.push(
      ...facts([
        ["Apps and slots", plan.findings.map((f) => `\`${md(appLabel(f.resourceId))}\``).join(", ")],
        ["Target VNet", subnet ? `\`${md(lastSegment(subnet.virtualNetworkId))}\`` : "none yet"],
        ["Subnet", subnet ? `\`${md(subnet.name)}\` ${md(subnet.addressPrefix)} (${subnet.exists ? "existing" : "new"})` : "none (blocked)"],
        ["Blockers", plan.fix.blockers.length > 0 ? plan.fix.blockers.map((b) => `\`${b.code}\`: ${md(b.message)}`).join("<br>") : "none"],
      ]),
    );
    out.push(...steps(plan.fix, md), "");
  });
  let n = plans.length;
  for (const finding of replacements.values()) {
    const fix = finding.fix!;
    out.push(`### ${++n}. Replace subnet ${md(lastSegment(finding.resourceId))} (\`${finding.ruleId}\`)`, "", md(fix.summary), "");
    if (fix.blockers.length > 0) out.push(...fix.blockers.map((b) => `- **Blocker** \`${b.code}\`: ${md(b.message)}`), "");
    out.push(...steps(fix, md), "");
  }
  return out;
}

/**
 * The migration plans of a scan: one per App Service plan still on gateway-required
 * integration, from its `gateway-integration-legacy` findings' `fix` alone, so they come from
 * a saved scan result too. The HTML report's Migration section (sections/migration.ts) and
 * the Markdown runbook (runbook.ts) show them.
 */
import type { Finding, FixPlan } from "../model/finding.js";

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

function lastSegment(id: string): string {
  return id.split("/").pop() || id;
}

/** `app` or `app/slot` from a site or slot ID. */
export function appLabel(resourceId: string): string {
  const match = /\/sites\/([^/]+)(?:\/slots\/([^/]+))?$/i.exec(resourceId);
  return match ? (match[2] ? `${match[1]}/${match[2]}` : match[1]!) : lastSegment(resourceId);
}

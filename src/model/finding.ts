import { createHash } from "node:crypto";
import { z } from "zod";
import { SEVERITIES, severityRank } from "./severity.js";

export interface Suppression {
  ruleId: string;
  resourceId: string;
  reason: string;
  expiresOn?: string;
}

/*
 * The finding shape of docs/ARCHITECTURE.md's scan result, declared once: these schemas read a
 * previous result back (engine/result-schema.ts) and the types below are inferred from them.
 */

/** One step of a fix plan: what to do, and the command that does it (null: a portal or manual step). */
export const fixStepSchema = z.object({ description: z.string(), command: z.string().nullable() });

/** A subnet a fix plan integrates into: an existing one (`exists: true`) or one to create. */
export const proposedSubnetSchema = z.object({ virtualNetworkId: z.string(), name: z.string(), addressPrefix: z.string(), exists: z.boolean() });

/** Why a fix plan can't be carried out as it is, and what to do about it. */
export const fixBlockerSchema = z.object({ code: z.string(), message: z.string() });

/** RULES.md "Fix plans": steps a network engineer can run as they are, with real names. */
export const fixPlanSchema = z.object({
  summary: z.string(),
  steps: z.array(fixStepSchema),
  proposedSubnet: proposedSubnetSchema.nullable(),
  blockers: z.array(fixBlockerSchema),
});

/** How a finding compares with the last complete state (docs/ARCHITECTURE.md, Scan result: `change`). */
export const findingChangeSchema = z.enum(["new", "escalated", "unchanged"]);

export const findingSchema = z.object({
  id: z.string().min(1),
  ruleId: z.string().min(1),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  resourceId: z.string().min(1),
  subscriptionId: z.string(),
  /**
   * Other subscriptions whose data decided this finding (a Linux app's DNS finding: the hub
   * holding the private zones), lower-cased, sorted, unique; absent when none. It resolves only
   * when these were scanned completely too (docs/ARCHITECTURE.md, Storage).
   */
  dependsOn: z.array(z.string()).optional(),
  message: z.string(),
  remediation: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  references: z.array(z.string()),
  /** The suppression that applies, or null. */
  suppressed: z.object({ reason: z.string(), expiresOn: z.string().nullable() }).nullable(),
  /** Who must act: the owner tag's value (RULES.md "Owners"), or null when no tag names one. */
  owner: z.string().nullable(),
  /** Since the last complete state (`--store`, `--baseline`): absent when no history is known. */
  change: findingChangeSchema.optional(),
  /** When this finding was first seen (ISO), when history is known. */
  firstSeen: z.string().optional(),
  /** The fix plan (RULES.md "Fix plans"); null only where there is nothing to run. */
  fix: fixPlanSchema.nullable(),
});

export type FixStep = z.output<typeof fixStepSchema>;
export type ProposedSubnet = z.output<typeof proposedSubnetSchema>;
export type FixBlocker = z.output<typeof fixBlockerSchema>;
export type FixPlan = z.output<typeof fixPlanSchema>;
export type FindingChange = z.output<typeof findingChangeSchema>;
export type Finding = z.output<typeof findingSchema>;

/** `dependsOn` as a finding carries it: lower-cased, unique, sorted; undefined (the field omitted) when there are none. */
export function normalizeDependsOn(subscriptionIds: readonly string[] | undefined): string[] | undefined {
  const ids = [...new Set((subscriptionIds ?? []).map((id) => id.toLowerCase()))].sort();
  return ids.length > 0 ? ids : undefined;
}

/** Where results and stored rows written before `dependsOn` was a field of its own carried it. */
const LEGACY_DEPENDS_ON = "dependsOnSubscriptions";

function legacyDependsOn(evidence: Record<string, unknown>): string[] | undefined {
  const ids = evidence[LEGACY_DEPENDS_ON];
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : undefined;
}

/** The other subscriptions a finding depends on: `dependsOn`, or what an older version put in its evidence. */
export function findingDependsOn(finding: Pick<Finding, "dependsOn" | "evidence">): string[] {
  return normalizeDependsOn(finding.dependsOn ?? legacyDependsOn(finding.evidence)) ?? [];
}

/**
 * A finding read back from something an older version wrote, in today's shape: an
 * `evidence.dependsOnSubscriptions` becomes `dependsOn`. Anything else is returned as it is.
 */
export function withDependsOnField<T extends Pick<Finding, "dependsOn" | "evidence">>(finding: T): T {
  const legacy = legacyDependsOn(finding.evidence);
  if (legacy === undefined) return finding;
  const { [LEGACY_DEPENDS_ON]: _legacy, ...evidence } = finding.evidence;
  const dependsOn = normalizeDependsOn(finding.dependsOn ?? legacy);
  const { dependsOn: _field, ...rest } = finding;
  return { ...rest, ...(dependsOn ? { dependsOn } : {}), evidence } as T;
}

/** Stable across scans: derived from the rule and the lower-cased resource ID (RULES.md). */
export function findingId(ruleId: string, resourceId: string): string {
  return createHash("sha256").update(`${ruleId}|${resourceId.toLowerCase()}`).digest("hex").slice(0, 32);
}

/** Report order: most severe first, then by rule and resource. */
export function compareFindings(a: Pick<Finding, "severity" | "ruleId" | "resourceId">, b: Pick<Finding, "severity" | "ruleId" | "resourceId">): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.ruleId.localeCompare(b.ruleId) || a.resourceId.localeCompare(b.resourceId);
}

import { createHash } from "node:crypto";
import { severityRank, type Severity } from "./severity.js";

export interface Suppression {
  ruleId: string;
  resourceId: string;
  reason: string;
  expiresOn?: string;
}

/** One step of a fix plan: what to do, and the command that does it (null: a portal or manual step). */
export interface FixStep {
  description: string;
  command: string | null;
}

/** A subnet a fix plan integrates into: an existing one (`exists: true`) or one to create. */
export interface ProposedSubnet {
  virtualNetworkId: string;
  name: string;
  addressPrefix: string;
  exists: boolean;
}

/** Why a fix plan can't be carried out as it is, and what to do about it. */
export interface FixBlocker {
  code: string;
  message: string;
}

/** RULES.md "Fix plans": steps a network engineer can run as they are, with real names. */
export interface FixPlan {
  summary: string;
  steps: FixStep[];
  proposedSubnet: ProposedSubnet | null;
  blockers: FixBlocker[];
}

/** The finding shape of docs/ARCHITECTURE.md's scan result. */
export interface Finding {
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  resourceId: string;
  subscriptionId: string;
  message: string;
  remediation: string;
  evidence: Record<string, unknown>;
  references: string[];
  /** The suppression that applies, or null. */
  suppressed: { reason: string; expiresOn: string | null } | null;
  /** Who must act: the owner tag's value (RULES.md "Owners"), or null when no tag names one. */
  owner: string | null;
  /** Since the last complete state (`--store`, `--baseline`): absent when no history is known. */
  change?: FindingChange;
  /** When this finding was first seen (ISO), when history is known. */
  firstSeen?: string;
  /** The fix plan (RULES.md "Fix plans"); null only where there is nothing to run. */
  fix: FixPlan | null;
}

/** How a finding compares with the last complete state (docs/ARCHITECTURE.md, Scan result: `change`). */
export type FindingChange = "new" | "escalated" | "unchanged";


/** Stable across scans: derived from the rule and the lower-cased resource ID (RULES.md). */
export function findingId(ruleId: string, resourceId: string): string {
  return createHash("sha256").update(`${ruleId}|${resourceId.toLowerCase()}`).digest("hex").slice(0, 32);
}

/** Report order: most severe first, then by rule and resource. */
export function compareFindings(a: Pick<Finding, "severity" | "ruleId" | "resourceId">, b: Pick<Finding, "severity" | "ruleId" | "resourceId">): number {
  return severityRank(b.severity) - severityRank(a.severity) || a.ruleId.localeCompare(b.ruleId) || a.resourceId.localeCompare(b.resourceId);
}

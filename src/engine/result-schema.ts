import { z } from "zod";
import { SEVERITIES } from "../model/severity.js";
import type { Finding } from "../model/finding.js";
import type { ScanResult } from "./result.js";

/**
 * A previous scan result read back at the boundary (`scan --baseline PREVIOUS.json`). Fields
 * added to the result since schemaVersion 1 shipped (`owner`, `fix`, `change`, `firstSeen`,
 * `summary.checks`) are optional here, so results written by older versions still diff.
 */
const finding = z.object({
  id: z.string().min(1),
  ruleId: z.string().min(1),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  resourceId: z.string().min(1),
  subscriptionId: z.string(),
  message: z.string(),
  remediation: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  references: z.array(z.string()),
  suppressed: z.object({ reason: z.string(), expiresOn: z.string().nullable() }).nullable(),
  owner: z.string().nullable().default(null),
  // The fix plan is carried through as the previous scan wrote it (resolved findings keep it).
  fix: z.custom<Finding["fix"]>((value) => value === null || (typeof value === "object" && !Array.isArray(value))).default(null),
  change: z.enum(["new", "escalated", "unchanged"]).optional(),
  firstSeen: z.string().optional(),
});

const ruleChecks = z.object({ checked: z.number().int().nonnegative(), failed: z.number().int().nonnegative(), unknown: z.number().int().nonnegative() });

export const previousResultSchema = z.object({
  schemaVersion: z.literal(1),
  scanId: z.string(),
  startedAt: z.string(),
  findings: z.array(finding),
  // `summary.checks` was added later: a result without a summary, or a summary without it, still reads.
  summary: z.object({ checks: z.record(z.string(), ruleChecks).optional() }).passthrough().optional(),
});

export type PreviousResult = Pick<ScanResult, "scanId" | "startedAt"> & { findings: Finding[] };

// Compile-time guard: what the schema reads is a usable baseline.
const schemaMatches: (value: z.infer<typeof previousResultSchema>) => PreviousResult = (value) => value;
void schemaMatches;

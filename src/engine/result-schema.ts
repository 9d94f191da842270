import { z } from "zod";
import { findingSchema, withDependsOnField, type Finding } from "../model/finding.js";
import type { ScanResult } from "./result.js";

/**
 * A previous scan result read back at the boundary (`scan --baseline PREVIOUS.json`): the
 * finding schema (model/finding.ts), where fields added to the result since schemaVersion 1
 * shipped (`owner`, `fix`, `change`, `firstSeen`, `dependsOn`) are optional, so results
 * written by older versions still diff (theirs carry `dependsOn` in the evidence); likewise
 * `summary.checks`.
 */
const finding = findingSchema
  .extend({
    owner: findingSchema.shape.owner.default(null),
    // The fix plan is carried through as the previous scan wrote it (resolved findings keep it).
    fix: z.custom<Finding["fix"]>((value) => value === null || (typeof value === "object" && !Array.isArray(value))).default(null),
  })
  .transform(withDependsOnField);

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

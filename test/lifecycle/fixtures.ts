/** Plain objects the lifecycle tests share: subscriptions, scan times and a finding builder. */
import { findingId, type Finding } from "../../src/model/finding.js";
import type { Severity } from "../../src/model/severity.js";

export const SPOKE = "aaaaaaaa-0000-0000-0000-00000000000a";
export const HUB = "bbbbbbbb-0000-0000-0000-00000000000b";
export const OTHER = "cccccccc-0000-0000-0000-00000000000c";
export const T1 = "2025-01-01T02:00:00.000Z";
export const T2 = "2025-01-02T02:00:00.000Z";
export const T3 = "2025-01-03T02:00:00.000Z";

/** A finding of `ruleId` on `resourceId`, in the resource's subscription unless `extra` says otherwise. */
export function findingOn(ruleId: string, resourceId: string, severity: Severity, extra: Partial<Finding> = {}): Finding {
  const name = resourceId.slice(resourceId.lastIndexOf("/") + 1);
  return {
    id: findingId(ruleId, resourceId),
    ruleId,
    severity,
    title: `${ruleId} test finding`,
    resourceId,
    subscriptionId: resourceId.split("/")[2]!,
    message: `${name} fails ${ruleId}.`,
    remediation: "Fix it.",
    evidence: {},
    references: [],
    suppressed: null,
    owner: null,
    fix: null,
    ...extra,
  };
}

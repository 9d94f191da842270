import type { Finding, Suppression } from "../model/finding.js";

export interface SuppressionMatch {
  suppression: Suppression;
  expired: boolean;
}

/** `*` any run of characters, `?` one; ARM IDs compare case-insensitively. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i");
}

/**
 * The suppression that covers a finding: the first live one, or else the first expired one
 * (so the report can say the finding came back because its suppression ran out).
 * `expiresOn` is a date; the suppression holds through that whole UTC day.
 */
export function matchSuppression(
  finding: Pick<Finding, "ruleId" | "resourceId">,
  suppressions: readonly Suppression[],
  now: Date,
): SuppressionMatch | undefined {
  let expiredMatch: SuppressionMatch | undefined;
  for (const suppression of suppressions) {
    if (suppression.ruleId !== "*" && suppression.ruleId !== finding.ruleId) continue;
    if (!globToRegExp(suppression.resourceId).test(finding.resourceId)) continue;
    if (!isExpired(suppression, now)) return { suppression, expired: false };
    expiredMatch ??= { suppression, expired: true };
  }
  return expiredMatch;
}

function isExpired(suppression: Suppression, now: Date): boolean {
  if (!suppression.expiresOn) return false;
  const end = new Date(`${suppression.expiresOn.slice(0, 10)}T23:59:59.999Z`);
  return now.getTime() > end.getTime();
}

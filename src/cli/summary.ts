import type { ScanResult } from "../engine/result.js";
import { SEVERITIES } from "../model/severity.js";
import { errorCauses } from "../report/text.js";

type Subscriptions = ScanResult["subscriptions"];

/** Names shown per status before "and N more": the line stays one line on a large tenant. */
const NAMES_SHOWN = 5;

/**
 * The line every scan ends with on stderr, terminal or not (docs/ARCHITECTURE.md, CLI): subscriptions by
 * status, naming those not complete (with their causes), findings by severity, and where the
 * report went.
 */
export function scanSummaryLine(result: Pick<ScanResult, "subscriptions" | "findings" | "summary">, destination: string): string {
  const suppressed = result.findings.filter((finding) => finding.suppressed).length;
  const severities = SEVERITIES.map((severity) => `${result.summary.bySeverity[severity]} ${severity}`).join(", ");
  return `vnet-audit: ${subscriptionsPart(result.subscriptions)}; findings: ${severities}${suppressed > 0 ? ` (and ${suppressed} suppressed)` : ""}; report: ${destination}`;
}

export function collectSummaryLine(subscriptions: Subscriptions, sites: number, destination: string): string {
  return `vnet-audit: ${subscriptionsPart(subscriptions)}; ${sites} site${sites === 1 ? "" : "s"}; inventory: ${destination}`;
}

function subscriptionsPart(subscriptions: Subscriptions): string {
  const total = `${subscriptions.length} subscription${subscriptions.length === 1 ? "" : "s"}`;
  // Never a pass (exit 3): say why an audit can come out empty.
  if (subscriptions.length === 0) return `${total} in scope (the identity sees none: lost its Reader role, or the wrong tenant?); nothing was audited`;
  const parts = (["complete", "partial", "failed", "skipped"] as const).flatMap((status) => {
    const matching = subscriptions.filter((subscription) => subscription.status === status);
    if (matching.length === 0) return [];
    if (status === "complete") return [`${matching.length} complete`];
    const named = matching.slice(0, NAMES_SHOWN).map((subscription) => (status === "skipped" ? subscription.displayName : errorCauses(subscription).join("; ") || subscription.displayName));
    const more = matching.length > NAMES_SHOWN ? `, and ${matching.length - NAMES_SHOWN} more` : "";
    return [`${matching.length} ${status} (${named.join(", ")}${more})`];
  });
  return `${total}: ${parts.join(", ")}`;
}

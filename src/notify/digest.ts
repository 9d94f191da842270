import type { Finding } from "../model/finding.js";
import type { SubscriptionStatus } from "../model/inventory.js";
import { SEVERITIES, atLeast, type Severity } from "../model/severity.js";
import { toFinding } from "../lifecycle/record.js";
import { renderDigestHtml, renderDigestText } from "./email.js";
import { indexByOwner, type ByOwner } from "./groups.js";

/** The digest's `coverage` (docs/ARCHITECTURE.md, Digest): how the run's subscriptions went, and by name those not complete. */
export interface DigestCoverage {
  complete: number;
  partial: number;
  failed: number;
  skipped: number;
  incompleteSubscriptions: { subscriptionId: string; displayName: string; status: "partial" | "failed" }[];
}

/** The webhook body (docs/ARCHITECTURE.md finding shape in the arrays). */
export interface DigestPayload {
  scanId: string;
  subject: string;
  text: string;
  html: string;
  new: Finding[];
  escalated: Finding[];
  resolved: Finding[];
  /** Owner (or "unowned") → the IDs of its new, escalated and resolved findings, so a flow can mail each team its part. */
  byOwner: ByOwner;
  coverage: DigestCoverage;
  /** The run's HTML report through a read-only SAS, or null (AUDIT_REPORT_LINK_DAYS=0, or storage can't sign). */
  reportUrl: string | null;
}

/** A change as `findingsToAnnounce` returns it; the extra fields are optional. */
export type DigestCandidate = Finding & { announcedSeverity?: Severity | null; state?: string };

export interface DigestChanges {
  new: readonly DigestCandidate[];
  escalated: readonly DigestCandidate[];
  resolved: readonly DigestCandidate[];
}

/** The run's coverage from its subscriptions' statuses (a subscription still pending at close never finished: failed). */
export function digestCoverage(subscriptions: readonly { subscriptionId: string; displayName: string; status: SubscriptionStatus | "pending" | "running" }[]): DigestCoverage {
  const coverage: DigestCoverage = { complete: 0, partial: 0, failed: 0, skipped: 0, incompleteSubscriptions: [] };
  for (const subscription of subscriptions) {
    const status = subscription.status === "pending" || subscription.status === "running" ? "failed" : subscription.status;
    coverage[status]++;
    if (status === "partial" || status === "failed") {
      coverage.incompleteSubscriptions.push({ subscriptionId: subscription.subscriptionId, displayName: subscription.displayName, status });
    }
  }
  return coverage;
}

/**
 * The digest for one closed run, or undefined when there is nothing to say (then nothing is
 * sent). Re-applies the alert threshold and the never-announce-suppressed rule so a caller
 * passing raw changes cannot spam.
 */
export function buildDigest(input: {
  scanId: string;
  changes: DigestChanges;
  minSeverity: Severity;
  now: Date;
  /** The run's coverage; without it the digest claims no subscription at all. */
  coverage?: DigestCoverage;
  reportUrl?: string | null;
}): DigestPayload | undefined {
  const { minSeverity } = input;
  const active = (finding: DigestCandidate): boolean => !finding.suppressed && finding.state !== "suppressed";
  const fresh = input.changes.new.filter((finding) => active(finding) && atLeast(finding.severity, minSeverity));
  const escalated = input.changes.escalated.filter((finding) => active(finding) && atLeast(finding.severity, minSeverity));
  // A resolution is news at the severity it was announced with.
  const resolved = input.changes.resolved.filter((finding) => atLeast(finding.announcedSeverity ?? finding.severity, minSeverity));
  if (fresh.length + escalated.length + resolved.length === 0) return undefined;

  const escalatedFrom: Record<string, Severity> = {};
  for (const finding of escalated) if (finding.announcedSeverity) escalatedFrom[finding.id] = finding.announcedSeverity;

  const coverage = input.coverage ?? digestCoverage([]);
  const changes = { new: fresh.map(toFinding), escalated: escalated.map(toFinding), resolved: resolved.map(toFinding) };
  const subject = digestSubject(fresh.length, escalated.length, resolved.length, [...fresh, ...escalated]);
  const payload: DigestPayload = {
    scanId: input.scanId,
    subject: coverage.incompleteSubscriptions.length > 0 ? `${subject}; incomplete scan (${coverage.incompleteSubscriptions.length} subscription(s) not read)` : subject,
    text: "",
    html: "",
    ...changes,
    byOwner: indexByOwner(changes),
    coverage,
    reportUrl: input.reportUrl ?? null,
  };
  const context = { escalatedFrom, generatedAt: input.now.toISOString(), ...(input.reportUrl ? { reportUrl: input.reportUrl } : {}) };
  payload.text = renderDigestText(payload, context);
  payload.html = renderDigestHtml(payload, context);
  return payload;
}

/** e.g. "vnet-audit: 2 new, 1 escalated, 3 resolved (1 critical)"; zero counts are left out. */
export function digestSubject(newCount: number, escalatedCount: number, resolvedCount: number, raised: readonly Finding[]): string {
  const parts = [
    newCount > 0 ? `${newCount} new` : "",
    escalatedCount > 0 ? `${escalatedCount} escalated` : "",
    resolvedCount > 0 ? `${resolvedCount} resolved` : "",
  ].filter(Boolean);
  // Name the worst severity among what got worse, so the inbox line says how urgent it is.
  const worst = SEVERITIES.find((severity) => raised.some((finding) => finding.severity === severity));
  const worstCount = worst ? raised.filter((finding) => finding.severity === worst).length : 0;
  return `vnet-audit: ${parts.join(", ")}${worst ? ` (${worstCount} ${worst})` : ""}`;
}

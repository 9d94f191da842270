/**
 * Proposals made apart, checked together. The function app evaluates each subscription on its
 * own (one queue message each), so two spokes' plans can both be given the lowest free block of
 * the same hub VNet. When a run closes, its findings are merged; a new subnet that overlaps one
 * proposed for another plan is withdrawn with blocker `overlapping-proposal`, so no two
 * proposals of one scan overlap (RULES.md "Fix plans"). Pure.
 */
import type { Finding, FixPlan } from "../model/finding.js";
import { overlaps } from "./address-space.js";
import { remediationText } from "./plan.js";

export function reconcileProposals(findings: readonly Finding[]): Finding[] {
  // Distinct proposals in a fixed order (by the first finding's resource ID), first come first served.
  const proposals = new Map<string, { fix: FixPlan; firstResource: string }>();
  for (const finding of findings) {
    const subnet = finding.fix?.proposedSubnet;
    if (!finding.fix || !subnet || subnet.exists) continue;
    const key = proposalKey(finding.fix);
    const seen = proposals.get(key);
    if (!seen || finding.resourceId.toLowerCase() < seen.firstResource) proposals.set(key, { fix: finding.fix, firstResource: finding.resourceId.toLowerCase() });
  }
  const ordered = [...proposals.entries()].sort(([, a], [, b]) => (a.firstResource < b.firstResource ? -1 : a.firstResource > b.firstResource ? 1 : 0));
  const kept: FixPlan[] = [];
  const withdrawn = new Map<string, FixPlan>();
  for (const [key, { fix }] of ordered) {
    const subnet = fix.proposedSubnet!;
    const clash = kept.find(
      (other) => other.proposedSubnet!.virtualNetworkId.toLowerCase() === subnet.virtualNetworkId.toLowerCase() && overlaps([other.proposedSubnet!.addressPrefix], [subnet.addressPrefix]),
    );
    if (!clash) {
      kept.push(fix);
      continue;
    }
    const vnet = subnet.virtualNetworkId.split("/").pop();
    withdrawn.set(key, {
      summary: `${fix.summary} Withdrawn: ${subnet.addressPrefix} in ${vnet} is also proposed for ${clash.proposedSubnet!.name}.`,
      steps: [],
      proposedSubnet: null,
      blockers: [
        ...fix.blockers,
        {
          code: "overlapping-proposal",
          message:
            `${subnet.addressPrefix} in ${vnet} is also proposed for ${clash.proposedSubnet!.name} (planned from another subscription's scan in this run): ` +
            `create ${clash.proposedSubnet!.name} first, then scan again for the next free block.`,
        },
      ],
    });
  }
  if (withdrawn.size === 0) return [...findings];
  return findings.map((finding) => {
    const replacement = finding.fix ? withdrawn.get(proposalKey(finding.fix)) : undefined;
    return replacement ? { ...finding, fix: replacement, remediation: remediationText(finding.ruleId, replacement) } : finding;
  });
}

function proposalKey(fix: FixPlan): string {
  const subnet = fix.proposedSubnet!;
  return `${subnet.virtualNetworkId.toLowerCase()}|${subnet.name.toLowerCase()}|${subnet.addressPrefix}|${fix.summary}`;
}

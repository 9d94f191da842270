/**
 * The fix plan through storage and into the alert: stored with the finding (Azurite), back out
 * of the announcement, and each new finding's first step in the email, linked into the report.
 */
import { describe, expect, it } from "vitest";
import { findingId, type Finding, type FixPlan } from "../../src/model/finding.js";
import { buildDigest } from "../../src/notify/digest.js";
import { escapeHtml, firstStepLink, renderDigestHtml, renderDigestText } from "../../src/notify/email.js";
import { findingsToAnnounce, getFinding, recordSubscriptionFindings, resolveMissing } from "../../src/store/findings.js";
import { useAzuriteStorage } from "../support/storage-fixture.js";

const SUB = "aaaaaaaa-0000-0000-0000-00000000000b";
const { freshStorage } = useAzuriteStorage();

const FIX: FixPlan = {
  summary: "Move plan asp-legacy (1 app(s) and slot(s): app-crm) to regional integration into new subnet snet-asp-legacy (10.0.0.64/26) in vnet-hub.",
  steps: [
    {
      description: "Create subnet snet-asp-legacy (10.0.0.64/26) in vnet-hub, delegated to Microsoft.Web/serverFarms.",
      command: `az network vnet subnet create --subscription ${SUB} --resource-group rg-network --vnet-name vnet-hub --name snet-asp-legacy --address-prefixes 10.0.0.64/26 --delegations Microsoft.Web/serverFarms`,
    },
    { description: "Remove the gateway-required connection.", command: null },
  ],
  proposedSubnet: { virtualNetworkId: `/subscriptions/${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-hub`, name: "snet-asp-legacy", addressPrefix: "10.0.0.64/26", exists: false },
  blockers: [],
};

function legacyFinding(fix: FixPlan | null): Finding {
  const resourceId = `/subscriptions/${SUB}/resourceGroups/rg-apps/providers/Microsoft.Web/sites/app-crm`;
  return {
    id: findingId("gateway-integration-legacy", resourceId),
    ruleId: "gateway-integration-legacy",
    severity: "high",
    title: "Site uses gateway-required (legacy) VNet integration",
    resourceId,
    subscriptionId: SUB,
    message: "Site app-crm uses gateway-required VNet integration to vnet-hub.",
    remediation: "Migrate to regional VNet integration.",
    evidence: {},
    references: [],
    suppressed: null,
    owner: null,
    fix,
  };
}

describe("fix plans in storage and alerts", () => {
  it("keeps the fix with the stored finding and announces it", async () => {
    const storage = await freshStorage();
    const finding = legacyFinding(FIX);
    await recordSubscriptionFindings(storage, "s1", SUB, [finding], "2025-01-01T02:00:00.000Z");
    await resolveMissing(storage, "s1", new Set([SUB]), "2025-01-01T02:00:00.000Z");
    expect((await getFinding(storage, SUB, finding.id))?.fix).toEqual(FIX);
    const changes = await findingsToAnnounce(storage, "s1", "high");
    const digest = buildDigest({ scanId: "s1", changes, minSeverity: "high", now: new Date("2025-01-01T03:00:00Z") })!;
    expect(digest.new[0]!.fix).toEqual(FIX);
    expect(digest.text).toContain(`First step: ${FIX.steps[0]!.description}`);
    expect(digest.text).toContain(FIX.steps[0]!.command!);
    expect(digest.html).toContain(escapeHtml(FIX.steps[0]!.command!));
  });

  it("stores a finding without a fix as null", async () => {
    const storage = await freshStorage();
    const finding = legacyFinding(null);
    await recordSubscriptionFindings(storage, "s2", SUB, [finding], "2025-01-01T02:00:00.000Z");
    expect((await getFinding(storage, SUB, finding.id))?.fix).toBeNull();
  });

  it("links each new finding's first step into the run's report when its URL is known", () => {
    const finding = legacyFinding(FIX);
    const link = firstStepLink("https://audit.blob.core.windows.net/reports/s1.html?sv=x#top", finding)!;
    expect(link).toBe(`https://audit.blob.core.windows.net/reports/s1.html?sv=x#fix-${finding.id}-step-1`);
    const payload = {
      scanId: "s1",
      subject: "vnet-audit: 1 new",
      text: "",
      html: "",
      new: [finding],
      escalated: [],
      resolved: [],
      byOwner: {},
      coverage: { complete: 1, partial: 0, failed: 0, skipped: 0, incompleteSubscriptions: [] },
      reportUrl: null,
    };
    expect(renderDigestHtml(payload, { reportUrl: "https://audit.blob.core.windows.net/reports/s1.html?sv=x" })).toContain(`href="${escapeHtml(link)}"`);
    expect(renderDigestText(payload, { reportUrl: "https://audit.blob.core.windows.net/reports/s1.html?sv=x" })).toContain(`All steps: ${link}`);
    expect(firstStepLink(undefined, finding)).toBeUndefined();
    expect(firstStepLink("https://x/report.html", legacyFinding(null))).toBeUndefined();
  });
});

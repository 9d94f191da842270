import { describe, expect, it } from "vitest";
import { findingId, type Finding } from "../../src/model/finding.js";
import type { Severity } from "../../src/model/severity.js";
import { buildDigest, digestCoverage, type DigestPayload } from "../../src/notify/digest.js";
import { escapeHtml, renderDigestHtml } from "../../src/notify/email.js";
import type { AuditStorage } from "../../src/store/connection.js";
import { findingsToAnnounce, markAnnounced, recordSubscriptionFindings, resolveMissing } from "../../src/store/findings.js";
import { useAzuriteStorage } from "../support/storage-fixture.js";

const SUB = "aaaaaaaa-0000-0000-0000-00000000000a";
const NOW = new Date("2025-01-01T03:00:00Z");

const { freshStorage } = useAzuriteStorage();

function makeFinding(name: string, severity: Severity, extra: Partial<Finding> = {}): Finding {
  const resourceId = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/${name}`;
  return {
    id: findingId("subnet-undersized", resourceId),
    ruleId: "subnet-undersized",
    severity,
    title: "Integration subnet too small",
    resourceId,
    subscriptionId: SUB,
    message: `Site ${name} has a /28 subnet.`,
    remediation: "Use a /26 or larger subnet.",
    evidence: { prefixLength: 28 },
    references: ["https://learn.microsoft.com/azure/app-service/overview-vnet-integration"],
    suppressed: null,
    owner: null,
    fix: null,
    ...extra,
  };
}

/** One run's close: the same steps the orchestration performs. */
async function closeRun(storage: AuditStorage, scanId: string, findings: Finding[], at: string): Promise<DigestPayload | undefined> {
  await recordSubscriptionFindings(storage, scanId, SUB, findings, at);
  await resolveMissing(storage, scanId, new Set([SUB]), at);
  const changes = await findingsToAnnounce(storage, scanId, "high");
  const digest = buildDigest({ scanId, changes, minSeverity: "high", now: new Date(at) });
  if (digest) await markAnnounced(storage, digest, scanId);
  return digest;
}

const ids = (findings: Finding[]): string[] => findings.map((finding) => finding.id).sort();

describe("digest of what changed", () => {
  it("announces new, escalated and resolved findings once each", async () => {
    const storage = await freshStorage();
    const a = makeFinding("a", "critical");
    const b = makeFinding("b", "high");
    const c = makeFinding("c", "medium");
    const d = makeFinding("d", "high", { suppressed: { reason: "accepted", expiresOn: null } });

    const first = await closeRun(storage, "s1", [a, b, c, d], "2025-01-01T02:00:00.000Z");
    expect(first).toBeDefined();
    expect(ids(first!.new)).toEqual(ids([a, b]));
    expect(first!.escalated).toEqual([]);
    expect(first!.resolved).toEqual([]);
    expect(first!.subject).toBe("vnet-audit: 2 new (1 critical)");
    expect(first!.new[0]).toEqual(a); // the docs/ARCHITECTURE.md finding shape, nothing more
    expect(first!.text).toContain("[CRITICAL] Integration subnet too small (subnet-undersized)");
    expect(first!.html).toContain("Integration subnet too small");

    // Re-running the same scan's close (a closer crashed after markAnnounced) rebuilds the same digest.
    const rebuilt = await findingsToAnnounce(storage, "s1", "high");
    expect(ids(rebuilt.new)).toEqual(ids([a, b]));

    // Nothing changed: nothing to send.
    expect(await closeRun(storage, "s2", [a, b, c, d], "2025-01-02T02:00:00.000Z")).toBeUndefined();

    // b escalates, c rises into range (new), a disappears (resolved).
    const third = await closeRun(
      storage,
      "s3",
      [makeFinding("b", "critical"), makeFinding("c", "high"), d],
      "2025-01-03T02:00:00.000Z",
    );
    expect(ids(third!.new)).toEqual([c.id]);
    expect(ids(third!.escalated)).toEqual([b.id]);
    expect(ids(third!.resolved)).toEqual([a.id]);
    expect(third!.subject).toBe("vnet-audit: 1 new, 1 escalated, 1 resolved (1 critical)");
    expect(third!.text).toContain("[HIGH -> CRITICAL]");

    // b drops back (no news), and nothing else moved.
    expect(await closeRun(storage, "s4", [makeFinding("b", "high"), makeFinding("c", "high"), d], "2025-01-04T02:00:00.000Z")).toBeUndefined();
    // b back to critical: it was announced as critical already, so no news either.
    expect(await closeRun(storage, "s5", [makeFinding("b", "critical"), makeFinding("c", "high"), d], "2025-01-05T02:00:00.000Z")).toBeUndefined();

    // a comes back: announced as new again.
    const sixth = await closeRun(storage, "s6", [a, makeFinding("b", "critical"), makeFinding("c", "high"), d], "2025-01-06T02:00:00.000Z");
    expect(ids(sixth!.new)).toEqual([a.id]);
  });

  it("never lists findings below the threshold or suppressed ones, and resolution of unannounced findings is silent", async () => {
    const storage = await freshStorage();
    const low = makeFinding("low", "low");
    const hidden = makeFinding("hidden", "critical", { suppressed: { reason: "known", expiresOn: null } });
    expect(await closeRun(storage, "s1", [low, hidden], "2025-01-01T02:00:00.000Z")).toBeUndefined();
    expect(await closeRun(storage, "s2", [], "2025-01-02T02:00:00.000Z")).toBeUndefined();
  });

  it("buildDigest re-applies the rules to whatever it is given", () => {
    const digest = buildDigest({
      scanId: "s",
      changes: {
        new: [makeFinding("x", "low"), makeFinding("y", "high", { suppressed: { reason: "r", expiresOn: null } })],
        escalated: [],
        resolved: [{ ...makeFinding("z", "low"), announcedSeverity: "high" }],
      },
      minSeverity: "high",
      now: NOW,
    });
    expect(digest!.new).toEqual([]);
    expect(digest!.resolved.map((finding) => finding.severity)).toEqual(["low"]);
    expect(digest!.subject).toBe("vnet-audit: 1 resolved");
    expect(buildDigest({ scanId: "s", changes: { new: [], escalated: [], resolved: [] }, minSeverity: "info", now: NOW })).toBeUndefined();
  });

  it("escapes every string from Azure in the HTML", () => {
    const evil = makeFinding("evil", "critical", {
      message: `<script>alert("x")</script>`,
      resourceId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/<img src=x onerror=alert(1)>`,
      title: "A & B",
      references: ["javascript:alert(1)", "https://example.com/?a=1&b=\"2\""],
    });
    const digest = buildDigest({ scanId: "<scan>", changes: { new: [evil], escalated: [], resolved: [] }, minSeverity: "high", now: NOW })!;
    const html = renderDigestHtml(digest);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("javascript:");
    expect(html).toContain(escapeHtml(`<script>alert("x")</script>`));
    expect(html).toContain("A &amp; B");
    expect(html).toContain("&lt;scan&gt;");
    expect(html).toContain('href="https://example.com/?a=1&amp;b=&quot;2&quot;"');
  });
});

describe("digest coverage, owners and grouping", () => {
  const SANDBOX = "bbbbbbbb-0000-4000-8000-00000000000b";
  const coverage = digestCoverage([
    { subscriptionId: SUB, displayName: "Contoso Apps Prod", status: "complete" },
    { subscriptionId: SANDBOX, displayName: "Contoso Sandbox", status: "failed" },
    { subscriptionId: "cccccccc-0000-4000-8000-00000000000c", displayName: "Contoso Data", status: "partial" },
    { subscriptionId: "dddddddd-0000-4000-8000-00000000000d", displayName: "Contoso Legacy", status: "skipped" },
    // Still pending when the run closed (a straggler): it never finished, so it counts as failed.
    { subscriptionId: "eeeeeeee-0000-4000-8000-00000000000e", displayName: "Contoso Stuck", status: "pending" },
  ]);

  it("counts subscriptions by status and names the incomplete ones", () => {
    expect(coverage).toEqual({
      complete: 1,
      partial: 1,
      failed: 2,
      skipped: 1,
      incompleteSubscriptions: [
        { subscriptionId: SANDBOX, displayName: "Contoso Sandbox", status: "failed" },
        { subscriptionId: "cccccccc-0000-4000-8000-00000000000c", displayName: "Contoso Data", status: "partial" },
        { subscriptionId: "eeeeeeee-0000-4000-8000-00000000000e", displayName: "Contoso Stuck", status: "failed" },
      ],
    });
  });

  it("says at the top of the email, the text and the subject that the scan was incomplete", () => {
    const digest = buildDigest({ scanId: "s", changes: { new: [makeFinding("a", "high")], escalated: [], resolved: [] }, minSeverity: "high", now: NOW, coverage, reportUrl: null })!;
    expect(digest.coverage).toEqual(coverage);
    expect(digest.subject).toBe("vnet-audit: 1 new (1 high); incomplete scan (3 subscription(s) not read)");
    const bodyStart = digest.html.indexOf("<body");
    const warning = digest.html.indexOf('id="coverage"');
    expect(warning).toBeGreaterThan(bodyStart);
    expect(warning).toBeLessThan(digest.html.indexOf("<h1"));
    expect(digest.html).toContain("Contoso Sandbox (failed), Contoso Data (partial), Contoso Stuck (failed)");
    expect(digest.text.split("\n").slice(0, 5).join("\n")).toContain("!! Incomplete scan: 3 of 5 subscription(s) could not be read completely");
    // A complete scan says nothing of the kind.
    const complete = buildDigest({ scanId: "s", changes: { new: [makeFinding("a", "high")], escalated: [], resolved: [] }, minSeverity: "high", now: NOW, coverage: digestCoverage([{ subscriptionId: SUB, displayName: "P", status: "complete" }]) })!;
    expect(complete.html).not.toContain('id="coverage"');
    expect(complete.subject).toBe("vnet-audit: 1 new (1 high)");
    expect(complete.reportUrl).toBeNull();
  });

  it("indexes new, escalated and resolved IDs by owner, unowned last", () => {
    const a = makeFinding("a", "high", { owner: "web@contoso.com" });
    const b = makeFinding("b", "critical", { owner: "data@contoso.com" });
    const c = makeFinding("c", "high");
    const gone = { ...makeFinding("gone", "high", { owner: "web@contoso.com" }), announcedSeverity: "high" as const };
    const digest = buildDigest({ scanId: "s", changes: { new: [a, c], escalated: [b], resolved: [gone] }, minSeverity: "high", now: NOW, coverage })!;
    expect(digest.byOwner).toEqual({
      "data@contoso.com": { new: [], escalated: [b.id], resolved: [] },
      "web@contoso.com": { new: [a.id], escalated: [], resolved: [gone.id] },
      unowned: { new: [c.id], escalated: [], resolved: [] },
    });
    expect(Object.keys(digest.byOwner).at(-1)).toBe("unowned");
  });

  it("groups findings of one rule into one card that lists its resources and gives the fix once", () => {
    const findings = ["one", "two", "three"].map((name) => makeFinding(name, "high", { owner: `${name}@contoso.com` }));
    const digest = buildDigest({ scanId: "s", changes: { new: findings, escalated: [], resolved: [] }, minSeverity: "high", now: NOW, coverage, reportUrl: "https://example.blob.core.windows.net/reports/r.html?sp=r&sig=abc" })!;
    expect(digest.html.match(/Integration subnet too small<\/strong>/g)).toHaveLength(1);
    expect(digest.html.match(/<strong>Fix:<\/strong>/g)).toHaveLength(1);
    for (const finding of findings) expect(digest.html).toContain(escapeHtml(finding.resourceId));
    expect(digest.html).toContain("(subnet-undersized, 3 resource(s))");
    expect(digest.html).toContain("Owner: two@contoso.com");
    expect(digest.html).toContain('id="report-link" href="https://example.blob.core.windows.net/reports/r.html?sp=r&amp;sig=abc"');
    expect(digest.text.match(/^\[HIGH\] Integration subnet too small \(subnet-undersized\): 3 resource\(s\)$/m)).not.toBeNull();
    expect(digest.text).toContain("Full report: https://example.blob.core.windows.net/reports/r.html?sp=r&sig=abc");
  });
});

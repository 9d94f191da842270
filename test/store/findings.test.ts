import { describe, expect, it } from "vitest";
import { findingId, type Finding } from "../../src/model/finding.js";
import type { Severity } from "../../src/model/severity.js";
import {
  InvalidContinuationTokenError,
  getFinding,
  listFindings,
  recordSubscriptionFindings,
  resolveMissing,
} from "../../src/store/findings.js";
import { useAzuriteStorage } from "../support/storage-fixture.js";

const SPOKE = "aaaaaaaa-0000-0000-0000-00000000000a";
const HUB = "BBBBBBBB-0000-0000-0000-00000000000B";
const OTHER = "cccccccc-0000-0000-0000-00000000000c";

const { freshStorage } = useAzuriteStorage();

function makeFinding(options: { rule?: string; name: string; subscriptionId?: string; severity?: Severity; evidence?: Record<string, unknown>; suppressed?: Finding["suppressed"]; owner?: string | null }): Finding {
  const subscriptionId = options.subscriptionId ?? SPOKE;
  const ruleId = options.rule ?? "subnet-undersized";
  const resourceId = `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.Web/sites/${options.name}`;
  return {
    id: findingId(ruleId, resourceId),
    ruleId,
    severity: options.severity ?? "high",
    title: "Integration subnet too small",
    resourceId,
    subscriptionId,
    message: `Site ${options.name} has a /28 subnet.`,
    remediation: "Use a /26 or larger subnet.",
    evidence: options.evidence ?? { prefixLength: 28 },
    references: ["https://learn.microsoft.com/azure/app-service/overview-vnet-integration"],
    suppressed: options.suppressed ?? null,
    owner: options.owner ?? null,
    fix: null,
  };
}

const T1 = "2025-01-01T02:00:00.000Z";
const T2 = "2025-01-02T02:00:00.000Z";
const T3 = "2025-01-03T02:00:00.000Z";
const T4 = "2025-01-04T02:00:00.000Z";
const T5 = "2025-01-05T02:00:00.000Z";

describe("finding lifecycle", () => {
  it("keeps each finding's owner, and the new one when the tag changes", async () => {
    const storage = await freshStorage();
    const owned = makeFinding({ name: "app-owned", owner: "team-a@contoso.com" });
    const unowned = makeFinding({ name: "app-unowned" });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [owned, unowned], T1);
    expect((await getFinding(storage, SPOKE, owned.id))!.owner).toBe("team-a@contoso.com");
    expect((await getFinding(storage, SPOKE, unowned.id))!.owner).toBeNull();
    await recordSubscriptionFindings(storage, "s2", SPOKE, [{ ...owned, owner: "team-b@contoso.com" }, unowned], T2);
    expect((await getFinding(storage, SPOKE, owned.id))!.owner).toBe("team-b@contoso.com");
  });

  it("new → unchanged → escalated → resolved → reopened", async () => {
    const storage = await freshStorage();
    const app = makeFinding({ name: "app1", severity: "medium" });
    const complete = new Set([SPOKE]);

    // Scan 1: new.
    expect(await recordSubscriptionFindings(storage, "s1", SPOKE, [app], T1)).toMatchObject({ created: 1 });
    expect(await resolveMissing(storage, "s1", complete, T1)).toEqual([]);
    let stored = await getFinding(storage, SPOKE, app.id);
    expect(stored).toMatchObject({ state: "open", firstSeen: T1, lastSeen: T1, resolvedAt: null, severity: "medium" });
    expect(stored!.severityHistory).toEqual([{ severity: "medium", at: T1, scanId: "s1", event: "opened" }]);
    expect(stored!.evidence).toEqual({ prefixLength: 28 });
    expect(stored!.references).toEqual(app.references);

    // Scan 2: seen again, unchanged: lastSeen moves, history does not.
    await recordSubscriptionFindings(storage, "s2", SPOKE, [app], T2);
    stored = await getFinding(storage, SPOKE, app.id);
    expect(stored).toMatchObject({ firstSeen: T1, lastSeen: T2 });
    expect(stored!.severityHistory).toHaveLength(1);

    // Scan 3: severity rises; redelivered twice; history appended once.
    const worse = { ...app, severity: "critical" as const };
    await recordSubscriptionFindings(storage, "s3", SPOKE, [worse], T3);
    expect(await recordSubscriptionFindings(storage, "s3", SPOKE, [worse], T3)).toEqual({ created: 0, updated: 0, unchanged: 1, reopened: 0 });
    await recordSubscriptionFindings(storage, "s3", SPOKE, [worse], "2025-01-03T02:10:00.000Z");
    stored = await getFinding(storage, SPOKE, app.id);
    expect(stored!.severity).toBe("critical");
    expect(stored!.lastSeen).toBe(T3);
    expect(stored!.severityHistory).toEqual([
      { severity: "medium", at: T1, scanId: "s1", event: "opened" },
      { severity: "critical", at: T3, scanId: "s3" },
    ]);

    // Scan 4: gone, and the spoke scan was complete: resolved (once).
    await recordSubscriptionFindings(storage, "s4", SPOKE, [], T4);
    const resolved = await resolveMissing(storage, "s4", complete, T4);
    expect(resolved.map((finding) => finding.id)).toEqual([app.id]);
    expect(resolved[0]).toMatchObject({ state: "resolved", resolvedAt: T4 });
    expect(await resolveMissing(storage, "s4", complete, T4)).toEqual([]);

    // Scan 5: back: reopened, resolvedAt cleared, history notes it.
    expect(await recordSubscriptionFindings(storage, "s5", SPOKE, [worse], T5)).toMatchObject({ reopened: 1 });
    stored = await getFinding(storage, SPOKE, app.id);
    expect(stored).toMatchObject({ state: "open", resolvedAt: null, firstSeen: T1, lastSeen: T5 });
    expect(stored!.severityHistory.slice(-2)).toEqual([
      { severity: "critical", at: T4, scanId: "s4", event: "resolved" },
      { severity: "critical", at: T5, scanId: "s5", event: "reopened" },
    ]);
  });

  it("a run does not resolve what an overlapping run saw after it started", async () => {
    const storage = await freshStorage();
    const app = makeFinding({ name: "overlap" });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [app], T1);
    // Timer run s2 starts at T2; an HTTP audit h3 sees the finding at T3; s2 closes at T4 not having seen it.
    await recordSubscriptionFindings(storage, "h3", SPOKE, [app], T3);
    expect(await resolveMissing(storage, "s2", new Set([SPOKE]), T4, { runStartedAt: T2 })).toEqual([]);
    expect((await getFinding(storage, SPOKE, app.id))?.state).toBe("open");
    // A run that started after the last sighting and didn't see it does resolve it.
    expect((await resolveMissing(storage, "s5", new Set([SPOKE]), T5, { runStartedAt: T4 })).map((f) => f.id)).toEqual([app.id]);
  });

  it("a run does not resolve a finding it could not decide (its app settings were unreadable)", async () => {
    const storage = await freshStorage();
    const app = makeFinding({ rule: "route-all-legacy-app-setting", name: "gap" });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [app], T1);
    expect(await resolveMissing(storage, "s2", new Set([SPOKE]), T3, { runStartedAt: T2, undecided: new Set([app.id]) })).toEqual([]);
    expect((await getFinding(storage, SPOKE, app.id))?.state).toBe("open");
  });

  it("a partial or failed scan resolves nothing", async () => {
    const storage = await freshStorage();
    const app = makeFinding({ name: "app1" });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [app], T1);
    // Scan 2: the spoke was partial, so it is not in the complete set.
    expect(await resolveMissing(storage, "s2", new Set([OTHER]), T2)).toEqual([]);
    expect((await getFinding(storage, SPOKE, app.id))!.state).toBe("open");
  });

  it("a DNS finding stays open while the hub holding the zones was not scanned completely", async () => {
    const storage = await freshStorage();
    const dns = makeFinding({ rule: "linux-private-dns-without-route-all", name: "app2", evidence: { dependsOnSubscriptions: [HUB.toLowerCase()] } });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [dns], T1);
    // Scan 2: the spoke is complete, the hub failed.
    expect(await resolveMissing(storage, "s2", new Set([SPOKE]), T2)).toEqual([]);
    expect((await getFinding(storage, SPOKE, dns.id))!.state).toBe("open");
    // Scan 3: both complete (IDs in any case): resolved.
    expect((await resolveMissing(storage, "s3", new Set([SPOKE.toUpperCase(), HUB]), T3)).map((f) => f.id)).toEqual([dns.id]);
  });

  it("a hub finding produced by scanning a spoke needs both scans complete, and lives in the hub partition", async () => {
    const storage = await freshStorage();
    const subnet = makeFinding({ name: "hubsubnet", subscriptionId: HUB });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [subnet], T1);
    expect((await listFindings(storage, { subscriptionId: HUB })).items.map((f) => f.id)).toEqual([subnet.id]);
    // Hub complete but the spoke (which produced it) failed: stays open.
    expect(await resolveMissing(storage, "s2", new Set([HUB]), T2)).toEqual([]);
    // Spoke complete but the hub failed: its partition is never read, stays open.
    expect(await resolveMissing(storage, "s2", new Set([SPOKE]), T2)).toEqual([]);
    expect(await resolveMissing(storage, "s3", new Set([SPOKE, HUB]), T3)).toHaveLength(1);
  });

  it("sightings of one finding from two subscriptions in one scan merge: worst severity, union of dependencies", async () => {
    const storage = await freshStorage();
    const subnet = makeFinding({ name: "shared", subscriptionId: HUB, severity: "medium" });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [subnet], T1);
    await recordSubscriptionFindings(storage, "s1", OTHER, [{ ...subnet, severity: "high" }], T1);
    await recordSubscriptionFindings(storage, "s1", SPOKE, [subnet], T1); // redelivery of the first
    let stored = await getFinding(storage, HUB, subnet.id);
    expect(stored!.severity).toBe("high");
    expect(stored!.severityHistory).toEqual([{ severity: "high", at: T1, scanId: "s1", event: "opened" }]);

    // Next scan the spoke and hub are complete but OTHER (also a source) is not: stays open.
    expect(await resolveMissing(storage, "s2", new Set([SPOKE, HUB]), T2)).toEqual([]);

    // Scan 2: one spoke says medium, the other high: no severity change recorded.
    await recordSubscriptionFindings(storage, "s2", SPOKE, [subnet], T2);
    await recordSubscriptionFindings(storage, "s2", OTHER, [{ ...subnet, severity: "high" }], T2);
    stored = await getFinding(storage, HUB, subnet.id);
    expect(stored!.severity).toBe("high");
    expect(stored!.severityHistory).toHaveLength(1);
  });

  it("concurrent handlers writing the same hub finding lose nothing", async () => {
    const storage = await freshStorage();
    const subnet = makeFinding({ name: "shared", subscriptionId: HUB, severity: "low" });
    await recordSubscriptionFindings(storage, "s1", HUB, [subnet], T1);
    await Promise.all([
      recordSubscriptionFindings(storage, "s2", SPOKE, [{ ...subnet, severity: "medium" }], T2),
      recordSubscriptionFindings(storage, "s2", OTHER, [{ ...subnet, severity: "high" }], T2),
      recordSubscriptionFindings(storage, "s2", HUB, [{ ...subnet, severity: "medium" }], T2),
    ]);
    const stored = await getFinding(storage, HUB, subnet.id);
    expect(stored!.severity).toBe("high");
    expect(stored!.severityHistory.map((entry) => entry.severity)).toEqual(["low", "high"]);
    // Every source is a dependency: resolving needs all three complete.
    expect(await resolveMissing(storage, "s3", new Set([HUB, SPOKE]), T3)).toEqual([]);
    expect(await resolveMissing(storage, "s3", new Set([HUB, SPOKE, OTHER]), T3)).toHaveLength(1);
  });

  it("suppression follows the finding; a vanished suppressed finding resolves too", async () => {
    const storage = await freshStorage();
    const app = makeFinding({ name: "app3", suppressed: { reason: "accepted risk", expiresOn: null } });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [app], T1);
    expect((await getFinding(storage, SPOKE, app.id))!).toMatchObject({ state: "suppressed", suppressed: { reason: "accepted risk" } });
    await recordSubscriptionFindings(storage, "s2", SPOKE, [{ ...app, suppressed: null }], T2);
    expect((await getFinding(storage, SPOKE, app.id))!.state).toBe("open");
    await recordSubscriptionFindings(storage, "s3", SPOKE, [app], T3);
    expect((await getFinding(storage, SPOKE, app.id))!.state).toBe("suppressed");
    expect(await resolveMissing(storage, "s4", new Set([SPOKE]), T4)).toHaveLength(1);
  });

  it("truncates huge evidence to fit a table property and says so", async () => {
    const storage = await freshStorage();
    const app = makeFinding({ name: "big", evidence: { small: 1, huge: "x".repeat(100_000), dependsOnSubscriptions: [HUB.toLowerCase()] } });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [app], T1);
    const stored = await getFinding(storage, SPOKE, app.id);
    expect(stored!.evidence.small).toBe(1);
    expect(stored!.evidence.huge).toMatch(/characters omitted/);
    expect(stored!.evidence._truncated).toMatchObject({ originalLength: expect.any(Number) });
    // The dependency still counts.
    expect(await resolveMissing(storage, "s2", new Set([SPOKE]), T2)).toEqual([]);
  });
  it("writes hundreds of findings in batched transactions, and a replay writes nothing", async () => {
    const storage = await freshStorage();
    const many = Array.from({ length: 250 }, (_, index) => makeFinding({ name: `bulk${index}` }));
    expect(await recordSubscriptionFindings(storage, "s1", SPOKE, many, T1)).toMatchObject({ created: 250 });
    expect(await recordSubscriptionFindings(storage, "s1", SPOKE, many, T1)).toMatchObject({ unchanged: 250 });
    expect(await recordSubscriptionFindings(storage, "s2", SPOKE, many.slice(0, 200), T2)).toMatchObject({ updated: 200 });
    expect(await resolveMissing(storage, "s2", new Set([SPOKE]), T2)).toHaveLength(50);
    expect((await listFindings(storage, { state: "open", top: 1000 })).items).toHaveLength(200);
  });
});

describe("listFindings", () => {
  it("filters, escapes quotes, and pages with opaque continuation tokens", async () => {
    const storage = await freshStorage();
    const many = Array.from({ length: 45 }, (_, index) =>
      makeFinding({ name: `app${String(index).padStart(2, "0")}`, severity: index % 3 === 0 ? "critical" : "low" }),
    );
    const quoted = { ...makeFinding({ rule: "o'brien-rule", name: "quoted", subscriptionId: OTHER }), ruleId: "o'brien-rule" };
    await recordSubscriptionFindings(storage, "s1", SPOKE, many, T1);
    await recordSubscriptionFindings(storage, "s1", OTHER, [quoted], T1);
    await resolveMissing(storage, "s2", new Set([OTHER]), T2);

    // Paging over everything in the spoke.
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await listFindings(storage, { subscriptionId: SPOKE.toUpperCase(), top: 10, ...(token ? { continuationToken: token } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items.map((finding) => finding.id));
      token = page.continuationToken;
      pages++;
    } while (token);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(45);

    // A filter on a non-key column still yields full pages.
    const critical = await listFindings(storage, { severity: "critical", top: 7 });
    expect(critical.items).toHaveLength(7);
    expect(critical.items.every((finding) => finding.severity === "critical")).toBe(true);
    const rest = await listFindings(storage, { severity: "critical", top: 100, continuationToken: critical.continuationToken! });
    expect(critical.items.length + rest.items.length).toBe(15);
    expect(rest.continuationToken).toBeUndefined();

    expect((await listFindings(storage, { minSeverity: "high", top: 100 })).items).toHaveLength(16); // 15 critical + the high one
    const byRule = await listFindings(storage, { ruleId: "o'brien-rule" });
    expect(byRule.items.map((finding) => finding.id)).toEqual([quoted.id]);
    expect(byRule.items[0]).toMatchObject({ state: "resolved", resolvedAt: T2 });
    expect((await listFindings(storage, { state: "resolved" })).items).toHaveLength(1);
    expect((await listFindings(storage, { state: "open", ruleId: "o'brien-rule" })).items).toHaveLength(0);
    // A hostile value is a literal, not filter syntax.
    expect((await listFindings(storage, { ruleId: "x' or PartitionKey ne '" })).items).toHaveLength(0);

    await expect(listFindings(storage, { continuationToken: "garbage" })).rejects.toBeInstanceOf(InvalidContinuationTokenError);
  });
});

describe("resolution outside the allow-list (reads the finding needed, not a subscription's status)", () => {
  it("a hub finding produced by a spoke resolves when the hub is outside the scope and the spoke was complete", async () => {
    const storage = await freshStorage();
    const subnet = makeFinding({ name: "hubsubnet-out", subscriptionId: HUB });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [subnet], T1);
    // The allow-list is the spoke alone: the hub is never scanned, yet the spoke read its VNet.
    const scope = new Set([SPOKE]);
    expect((await resolveMissing(storage, "s2", new Set([SPOKE]), T2, { scope })).map((f) => f.id)).toEqual([subnet.id]);
  });

  it("still needs the producer complete, and dropping a subscription from the allow-list resolves none of its own findings", async () => {
    const storage = await freshStorage();
    const hubOwn = makeFinding({ name: "hub-own", subscriptionId: HUB });
    await recordSubscriptionFindings(storage, "s1", HUB, [hubOwn], T1);
    const fromSpoke = makeFinding({ name: "hubsubnet-partial", subscriptionId: HUB });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [fromSpoke], T1);
    // Spoke partial this time: nothing resolves.
    expect(await resolveMissing(storage, "s2", new Set([OTHER]), T2, { scope: new Set([SPOKE, OTHER]) })).toEqual([]);
    // The hub's own finding depends on the hub's own scan, which no longer runs.
    expect((await resolveMissing(storage, "s3", new Set([SPOKE]), T3, { scope: new Set([SPOKE]) })).map((f) => f.id)).toEqual([fromSpoke.id]);
    expect((await getFinding(storage, HUB, hubOwn.id))!.state).toBe("open");
  });

  it("a dependency on zones of a subscription outside the scope (never read) keeps the finding open", async () => {
    const storage = await freshStorage();
    const dns = makeFinding({ rule: "linux-private-dns-without-route-all", name: "app-dns-out", evidence: { dependsOnSubscriptions: [HUB.toLowerCase()] } });
    await recordSubscriptionFindings(storage, "s1", SPOKE, [dns], T1);
    expect(await resolveMissing(storage, "s2", new Set([SPOKE]), T2, { scope: new Set([SPOKE]) })).toEqual([]);
  });
});

describe("listing findings behind an allow-list", () => {
  it("without subscriptionId returns only the allow-list's findings", async () => {
    const storage = await freshStorage();
    await recordSubscriptionFindings(storage, "s1", SPOKE, [makeFinding({ name: "in" })], T1);
    await recordSubscriptionFindings(storage, "s1", OTHER, [makeFinding({ name: "out", subscriptionId: OTHER })], T1);
    const page = await listFindings(storage, { subscriptionIds: [SPOKE.toUpperCase()] });
    expect(page.items.map((f) => f.subscriptionId)).toEqual([SPOKE]);
  });

  it("a well-formed outer token around a bad inner one is an InvalidContinuationTokenError (400), not a 500", async () => {
    const storage = await freshStorage();
    const outer = (inner: string) => Buffer.from(JSON.stringify({ v: 1, t: inner }), "utf8").toString("base64url");
    for (const inner of ["not-base64-json!!", Buffer.from("[1,2]").toString("base64"), Buffer.from('{"nextPartitionKey":5}').toString("base64"), Buffer.from('{"x":"y"}').toString("base64")]) {
      await expect(listFindings(storage, { continuationToken: outer(inner) })).rejects.toBeInstanceOf(InvalidContinuationTokenError);
    }
  });
});

describe("dependsOn, a field of its own", () => {
  it("is kept with the finding and holds a DNS finding open while the hub was not scanned completely", async () => {
    const storage = await freshStorage();
    const dns = { ...makeFinding({ rule: "linux-private-dns-without-route-all", name: "app-dns-field" }), dependsOn: [HUB.toLowerCase()] };
    await recordSubscriptionFindings(storage, "s1", SPOKE, [dns], T1);
    const stored = await getFinding(storage, SPOKE, dns.id);
    expect(stored).toMatchObject({ dependsOn: [HUB.toLowerCase()], evidence: { prefixLength: 28 } });
    expect(await recordSubscriptionFindings(storage, "s1", SPOKE, [dns], T1)).toMatchObject({ unchanged: 1 });
    expect(await resolveMissing(storage, "s2", new Set([SPOKE]), T2)).toEqual([]);
    const resolved = await resolveMissing(storage, "s3", new Set([SPOKE, HUB]), T3);
    expect(resolved.map((f) => [f.id, f.dependsOn])).toEqual([[dns.id, [HUB.toLowerCase()]]]);
    // A finding without one has none stored.
    const plain = makeFinding({ name: "app-plain" });
    await recordSubscriptionFindings(storage, "s4", SPOKE, [plain], T4);
    expect(await getFinding(storage, SPOKE, plain.id)).not.toHaveProperty("dependsOn");
  });

  it("a row an older version wrote (the dependency only in its evidence) reads in today's shape and still resolves by it", async () => {
    const storage = await freshStorage();
    const dns = makeFinding({ rule: "linux-private-dns-without-route-all", name: "app-dns-old" });
    // The columns as the version before dependsOn wrote them: no findingDependsOn column.
    await storage.findings.createEntity({
      partitionKey: SPOKE,
      rowKey: dns.id,
      ruleId: dns.ruleId,
      severity: "high",
      title: dns.title,
      resourceId: dns.resourceId,
      subscriptionId: SPOKE,
      message: dns.message,
      remediation: dns.remediation,
      evidence: JSON.stringify({ prefixLength: 28, dependsOnSubscriptions: [HUB.toLowerCase()] }),
      evidenceTruncated: false,
      fix: "null",
      references: JSON.stringify(dns.references),
      suppressed: "null",
      owner: "",
      state: "open",
      firstSeen: T1,
      lastSeen: T1,
      lastScanId: "s1",
      severityHistory: JSON.stringify([{ severity: "high", at: T1, scanId: "s1", event: "opened" }]),
      dependsOn: JSON.stringify([SPOKE, HUB.toLowerCase()].sort()),
    });
    const stored = await getFinding(storage, SPOKE, dns.id);
    expect(stored).toMatchObject({ dependsOn: [HUB.toLowerCase()], evidence: { prefixLength: 28 }, state: "open", firstSeen: T1 });
    expect(stored!.evidence).not.toHaveProperty("dependsOnSubscriptions");
    expect(await resolveMissing(storage, "s2", new Set([SPOKE]), T2)).toEqual([]);

    // Seen again by today's version: rewritten in today's shape, history kept.
    await recordSubscriptionFindings(storage, "s3", SPOKE, [{ ...dns, dependsOn: [HUB.toLowerCase()] }], T3);
    const rewritten = await storage.findings.getEntity<Record<string, unknown>>(SPOKE, dns.id);
    expect(JSON.parse(rewritten.evidence as string)).toEqual({ prefixLength: 28 });
    expect(JSON.parse(rewritten.findingDependsOn as string)).toEqual([HUB.toLowerCase()]);
    expect((await getFinding(storage, SPOKE, dns.id))).toMatchObject({ dependsOn: [HUB.toLowerCase()], firstSeen: T1, lastSeen: T3 });
  });
});

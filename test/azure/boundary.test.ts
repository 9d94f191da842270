/**
 * The boundary between vnet-audit and Resource Manager, through the real SDK clients of every
 * kind (modular appservice and privatedns, classic network, monitor and subscriptions) against
 * the HTTPS emulator's fault injection: a nextLink to another host never receives the token
 * and is a recorded error; a self-referencing nextLink, a stalled answer and a
 * `Retry-After: 86400` are bounded gaps; a malformed 200 list page is a gap, never an empty list.
 */
import https from "node:https";
import type { AddressInfo } from "node:net";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAzureClients, type AzureClientOptions } from "../../src/azure/clients.js";
import { isCollectionPath, listPageProblem, MAX_PAGES_PER_LIST } from "../../src/azure/boundary.js";
import { resolveScope } from "../../src/collect/scope.js";
import { collectSubscription } from "../../src/collect/subscription.js";
import { collectScopeZones } from "../../src/collect/tenant.js";
import type { SubscriptionRecord } from "../../src/model/inventory.js";
import { startArmEmulator, type ArmEmulator } from "../../emulator/index.js";
import * as b from "../../emulator/tenant/index.js";
import { issueServerCertificate, testCaFromEnv } from "../../emulator/ca.js";

const SUB = "b0da0000-0000-4000-8000-000000000001";
const record: SubscriptionRecord = { subscriptionId: SUB, displayName: "Boundary", state: "Enabled", status: "complete", errors: [] };

let emulator: ArmEmulator;
let restoreEnv: () => void;
let attacker: https.Server;
let attackerOrigin: string;
const attackerSaw: { url: string; authorization: string | undefined }[] = [];

beforeAll(async () => {
  const plan = b.plan({ subscriptionId: SUB, resourceGroup: "rg", name: "plan", sku: { name: "P1v3" } });
  const app = b.site({ subscriptionId: SUB, resourceGroup: "rg", name: "app", serverFarmId: plan.id });
  const zone = b.privateDnsZone({ subscriptionId: SUB, resourceGroup: "rg", name: "privatelink.database.windows.net" });
  emulator = await startArmEmulator({
    tenant: b.tenant({
      subscriptions: [b.subscription(SUB, "Boundary")],
      resources: [plan, app, zone, b.vnet({ subscriptionId: SUB, resourceGroup: "rg", name: "vnet", addressPrefixes: ["10.1.0.0/16"], subnets: [] })],
    }),
  });
  restoreEnv = emulator.applyEnv();
  // A second HTTPS host the test CA vouches for: what a hostile nextLink would point to.
  const cert = await issueServerCertificate(testCaFromEnv()!);
  attacker = https.createServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    attackerSaw.push({ url: req.url ?? "", authorization: req.headers.authorization });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ value: [] }));
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerOrigin = `https://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

afterEach(() => {
  emulator.clearFaults();
  attackerSaw.length = 0;
});

afterAll(async () => {
  restoreEnv?.();
  await new Promise<void>((resolve) => attacker?.close(() => resolve()));
  await emulator?.close();
});

const clients = (options: Partial<AzureClientOptions> = {}) =>
  createAzureClients({ endpoint: emulator.url, credential: new ManagedIdentityCredential(), ...options });

const collect = (options: Partial<AzureClientOptions> = {}) =>
  collectSubscription(clients(options), record, { concurrency: 4, privateDnsZones: [] }).then((inventory) => inventory.subscriptions[0]!);

const LISTS = [
  { kind: "modular (appservice)", operation: "webApps.list", path: `/subscriptions/${SUB}/providers/Microsoft.Web/sites` },
  { kind: "classic (network)", operation: "virtualNetworks.listAll", path: `/subscriptions/${SUB}/providers/Microsoft.Network/virtualNetworks` },
  { kind: "classic (monitor)", operation: "autoscaleSettings.listBySubscription", path: `/subscriptions/${SUB}/providers/Microsoft.Insights/autoscalesettings` },
];

describe("a nextLink to another host", () => {
  it.each(LISTS)("$kind: the token never leaves for it and the list is a recorded error", async ({ operation, path }) => {
    emulator.injectPageFault({ path, page: "foreignNextLink", foreignOrigin: attackerOrigin });
    const collected = await collect();
    expect(attackerSaw).toEqual([]);
    expect(collected.status).toBe("partial");
    expect(collected.errors).toContainEqual(expect.objectContaining({ operation, code: "ForeignNextLink" }));
  });

  it("modular (privatedns): the zone list is a recorded error", async () => {
    emulator.injectPageFault({ path: `/subscriptions/${SUB}/providers/Microsoft.Network/privateDnsZones`, page: "foreignNextLink", foreignOrigin: attackerOrigin });
    const zones = await collectScopeZones(clients(), [record], 1);
    expect(attackerSaw).toEqual([]);
    expect(zones.errorsBySubscription.get(SUB.toLowerCase())).toContainEqual(expect.objectContaining({ code: "ForeignNextLink" }));
  });

  it("classic (subscriptions): the scope is refused, not read from the other host", async () => {
    emulator.injectPageFault({ path: "/subscriptions", page: "foreignNextLink", foreignOrigin: attackerOrigin });
    await expect(resolveScope(clients(), [])).rejects.toMatchObject({ code: "ForeignNextLink" });
    expect(attackerSaw).toEqual([]);
  });
});

describe("bounds", () => {
  it("a nextLink pointing to itself stops after the page limit as a recorded gap", async () => {
    const path = `/subscriptions/${SUB}/providers/Microsoft.Web/sites`;
    emulator.resetCounters();
    emulator.injectPageFault({ path, page: "selfNextLink" });
    const collected = await collect();
    expect(collected.status).toBe("partial");
    expect(collected.errors).toContainEqual(expect.objectContaining({ operation: "webApps.list", code: "TooManyPages" }));
    const pages = emulator.requests.filter((request) => request.path.toLowerCase() === path.toLowerCase()).length;
    expect(pages).toBeGreaterThanOrEqual(MAX_PAGES_PER_LIST);
    expect(pages).toBeLessThanOrEqual(MAX_PAGES_PER_LIST + 1);
  }, 60_000);

  it("a stalled answer times out as a recorded gap and the other lists are still read", async () => {
    emulator.injectPageFault({ path: `/subscriptions/${SUB}/providers/Microsoft.Web/certificates`, stallMs: 5_000 });
    const started = Date.now();
    const collected = await collect({ requestTimeoutMs: 400 });
    expect(Date.now() - started).toBeLessThan(4_500);
    expect(collected.errors).toContainEqual(expect.objectContaining({ operation: "certificates.list", code: "RequestTimeout" }));
    expect(collected.errors.filter((error) => error.operation !== "certificates.list")).toEqual([]);
  }, 30_000);

  it("Retry-After: 86400 is refused at once as a recorded gap instead of holding the scan for a day", async () => {
    emulator.injectFault({ path: `/subscriptions/${SUB}/providers/Microsoft.Web/sites`, status: 429, retryAfterSeconds: 86_400 });
    const started = Date.now();
    const collected = await collect();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(collected.status).toBe("partial");
    expect(collected.errors).toContainEqual(expect.objectContaining({ operation: "webApps.list", code: "RetryAfterTooLong", statusCode: 429 }));
  }, 30_000);

  it("short Retry-Afters within the budget are still waited out", async () => {
    emulator.injectFault({ path: `/subscriptions/${SUB}/providers/Microsoft.Web/sites`, status: 429, retryAfterSeconds: 1, times: 1 });
    const collected = await collect();
    expect(collected.errors).toEqual([]);
    expect(collected.status).toBe("complete");
  }, 30_000);

  it("waits add up per subscription: past the budget the next one is refused", async () => {
    emulator.injectFault({ path: `/subscriptions/${SUB}/providers/Microsoft.Web/sites`, status: 429, retryAfterSeconds: 1 });
    const collected = await collect({ throttling: { maxWaitPerSubscriptionMs: 2_500 } });
    expect(collected.errors).toContainEqual(expect.objectContaining({ operation: "webApps.list", code: "RetryAfterTooLong" }));
  }, 30_000);
});

describe("malformed 200 list pages (classic clients deserialize them as empty lists)", () => {
  it.each([
    { page: "emptyBody" as const, ...LISTS[2]! },
    { page: "nullValue" as const, ...LISTS[2]! },
    { page: "emptyBody" as const, ...LISTS[1]! },
    { page: "nullValue" as const, ...LISTS[1]! },
    { page: "nullValue" as const, ...LISTS[0]! },
  ])("$page on $kind is a recorded gap", async ({ page, operation, path }) => {
    emulator.injectPageFault({ path, page });
    const collected = await collect();
    expect(collected.status).toBe("partial");
    expect(collected.errors).toContainEqual(expect.objectContaining({ operation, code: "MalformedListPage" }));
  });
});

describe("list page shape", () => {
  it("tells collections from resources by ARM's type/name alternation", () => {
    expect(isCollectionPath("/subscriptions")).toBe(true);
    expect(isCollectionPath(`/subscriptions/${SUB}`)).toBe(false);
    expect(isCollectionPath(`/subscriptions/${SUB}/resourceGroups`)).toBe(true);
    expect(isCollectionPath(`/subscriptions/${SUB}/providers/Microsoft.Web/sites`)).toBe(true);
    expect(isCollectionPath(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/app`)).toBe(false);
    expect(isCollectionPath(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots`)).toBe(true);
    expect(isCollectionPath(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/app/config/web`)).toBe(false);
    expect(isCollectionPath(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/serverfarms/p/virtualNetworkConnections`)).toBe(true);
  });

  it("accepts value arrays and bare arrays, refuses the rest", () => {
    expect(listPageProblem('{"value":[],"nextLink":null}')).toBeUndefined();
    expect(listPageProblem("[]")).toBeUndefined();
    expect(listPageProblem("")).toBe("empty body");
    expect(listPageProblem('{"value":null}')).toBe("value is null");
    expect(listPageProblem("{}")).toBe("no value array");
    expect(listPageProblem("<html>")).toBe("not JSON");
  });
});

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SEVERITIES, type Severity } from "../../src/model/severity.js";
import { updateCatalog } from "../../src/docs/catalog.js";
import { learnCitation } from "../../src/docs/learn.js";
import { RULES, ruleById } from "../../src/rules/index.js";
import type { Rule, RuleCategory } from "../../src/rules/rule.js";
import {
  NOW,
  daysAfterNow,
  healthyTenant,
  ids,
  integrate,
  legacyTenant,
  makeCertificate,
  makeGatewayConnection,
  makePlan,
  makeSite,
  makeSubnet,
  makeVnet,
  makeVpnGateway,
  run,
} from "./fixtures.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const RULES_DIR = join(ROOT, "src", "rules");
/**
 * The catalog is the spec: docs/RULES.md, whose rule tables are generated from the rules'
 * metadata and whose sections, terms and conditions are written by hand.
 */
const RULES_MD = join(ROOT, "docs", "RULES.md");
/** The rule contract, the catalog and what the rules share; every other file in src/rules is one rule. */
const NOT_RULE_FILES = new Set(["rule.ts", "index.ts", "terms.ts", "selectors.ts", "inventory-index.ts", "evidence.ts", "reads.ts"]);

const SECTION_CATEGORY: Record<string, RuleCategory> = {
  "Regional integration subnet": "subnet",
  "Gateway-required integration (legacy)": "gateway",
  "Routing and DNS": "routing-dns",
  Certificates: "certificates",
  Inbound: "inbound",
};

interface CatalogRow {
  id: string;
  severities: Severity[];
  section: string;
}

/** The rule rows of RULES.md's tables: `| \`id\` | severity text | ... |` (the ID may link to its doc), under their `##` section. */
function readCatalog(): CatalogRow[] {
  const rows: CatalogRow[] = [];
  let section = "";
  for (const line of readFileSync(RULES_MD, "utf8").split("\n")) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) section = heading[1]!.trim();
    const row = /^\|\s*\[?`([a-z0-9-]+)`(?:\]\([^)]*\))?\s*\|([^|]*)\|/.exec(line);
    if (!row) continue;
    const words = new Set(row[2]!.toLowerCase().match(/\b(critical|high|medium|low|info)\b/g) ?? []);
    rows.push({ id: row[1]!, section, severities: SEVERITIES.filter((severity) => words.has(severity)) });
  }
  return rows;
}

const ruleFiles = () => readdirSync(RULES_DIR).filter((file) => file.endsWith(".ts") && !NOT_RULE_FILES.has(file));

describe("rule catalog", () => {
  const catalog = existsSync(RULES_MD) ? readCatalog() : [];

  it("reads the catalog from RULES.md", () => {
    expect(existsSync(RULES_MD), `${RULES_MD} not found`).toBe(true);
    expect(catalog.length).toBeGreaterThanOrEqual(16);
  });

  it("has its generated rule tables up to date with the rules' metadata (run `npm run docs`)", () => {
    const text = readFileSync(RULES_MD, "utf8");
    expect(text).toBe(updateCatalog(text));
  });

  it("links each catalog row to the rule's doc and cites every reference by its Learn title", () => {
    const text = readFileSync(RULES_MD, "utf8");
    for (const { meta } of RULES) {
      expect(text).toContain(`[\`${meta.id}\`](rules/${meta.id}.md)`);
      for (const url of meta.references) expect(text).toContain(`[${learnCitation(url).title}](${url})`);
    }
  });

  it("has exactly one rule file per catalog ID, and RULES lists them in catalog order", () => {
    expect(ruleFiles().map((file) => basename(file, ".ts")).sort()).toEqual(catalog.map((row) => row.id).sort());
    expect(RULES.map((rule) => rule.meta.id)).toEqual(catalog.map((row) => row.id));
  });

  it("exports from each rule file the rule its name promises", async () => {
    for (const file of ruleFiles()) {
      const exported = Object.values(await import(join(RULES_DIR, file))).filter(
        (value): value is Rule => typeof value === "object" && value !== null && "meta" in value && "verdicts" in value,
      );
      expect(exported.map((rule) => rule.meta.id), file).toEqual([basename(file, ".ts")]);
      expect(RULES).toContain(exported[0]);
    }
  });

  it("has a hand-written doc per rule under docs/rules", () => {
    for (const { id } of catalog) {
      const doc = join(ROOT, "docs", "rules", `${id}.md`);
      expect(existsSync(doc), doc).toBe(true);
      expect(readFileSync(doc, "utf8")).toContain(`\`${id}\``);
    }
  });

  it.each(RULES.map((rule) => [rule.meta.id, rule] as const))("%s has complete metadata matching its catalog row", (id, rule) => {
    const { meta } = rule;
    const row = catalog.find((entry) => entry.id === id);
    expect(row, `${id} is not in RULES.md`).toBeDefined();
    expect(meta.title.length).toBeGreaterThan(10);
    expect(meta.rationale.length).toBeGreaterThan(40);
    expect(meta.remediation.text.length).toBeGreaterThan(20);
    if (meta.remediation.az !== undefined) expect(meta.remediation.az).toMatch(/^az /);
    // Metadata names commands; the runnable ones with real names are each finding's fix.
    expect(JSON.stringify(meta.remediation)).not.toMatch(/<[a-z][a-z0-9.-]*>/i);
    expect(meta.references.length).toBeGreaterThan(0);
    for (const url of meta.references) expect(url).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\//);
    // The severities a rule can emit are the catalog's, highest first.
    expect(meta.severities).toEqual(row!.severities);
    expect(meta.category).toBe(SECTION_CATEGORY[row!.section]);
  });

  it("finds rules by ID", () => {
    expect(ruleById("subnet-undersized")?.meta.id).toBe("subnet-undersized");
    expect(ruleById("no-such-rule")).toBeUndefined();
  });
});

/**
 * One tenant with a healthy hub-and-spoke core (healthyTenant) and, beside it, one resource
 * per problem. Every rule runs over it; the findings must be exactly the expected ones.
 */
function fixtureTenant() {
  const healthy = healthyTenant();
  const legacy = legacyTenant();
  const inventory = healthy.inventory;
  const { vnet } = healthy;
  const add = {
    plan: (name: string, overrides: Parameters<typeof makePlan>[1] = {}) => {
      const plan = makePlan(name, overrides);
      inventory.plans.push(plan);
      return plan;
    },
    subnet: (name: string, prefix: string, overrides: Parameters<typeof makeSubnet>[3] = {}) => {
      const subnet = makeSubnet(vnet.id, name, [prefix], overrides);
      vnet.subnets.push(subnet);
      return subnet;
    },
    site: (name: string, overrides: Parameters<typeof makeSite>[1] = {}) => {
      const site = makeSite(name, overrides);
      inventory.sites.push(site);
      return site;
    },
  };
  inventory.sites.push(...legacy.inventory.sites);
  inventory.plans.push(...legacy.inventory.plans);
  inventory.virtualNetworks.push(...legacy.inventory.virtualNetworks);
  inventory.gateways.push(...legacy.inventory.gateways);

  // subnet-undersized (8 instances on a /28) and subnet-not-dedicated (a private endpoint in it).
  const smallPlan = add.plan("plan-small", { sku: { name: "P1v3", tier: "PremiumV3", capacity: 8 } });
  const smallSubnet = add.subnet("snet-small", "10.1.2.0/28", { privateEndpointIds: [ids.privateEndpoint("pe-small")] });
  integrate(add.site("small", { serverFarmId: smallPlan.id }), smallSubnet);

  // integration-vnet-ipv6 and subnet-service-endpoint-policy, on a dual-stack VNet.
  const dualVnet = makeVnet("vnet-dual", { addressPrefixes: ["10.30.0.0/16", "fd00:30::/48"] });
  const dualSubnet = makeSubnet(dualVnet.id, "snet-dual", ["10.30.0.0/26"], {
    serviceEndpointPolicyIds: [`/subscriptions/${dualVnet.subscriptionId}/resourceGroups/rg-network/providers/Microsoft.Network/serviceEndpointPolicies/sep`],
  });
  dualVnet.subnets = [dualSubnet];
  inventory.virtualNetworks.push(dualVnet);
  integrate(add.site("dual", { serverFarmId: add.plan("plan-dual").id }), dualSubnet);

  // plan-tier-unsupported: a Free plan whose site names a subnet outside the inventory.
  const freePlan = add.plan("plan-free", { sku: { name: "F1", tier: "Free" } });
  add.site("free-app", { serverFarmId: freePlan.id, virtualNetworkSubnetId: `${ids.vnet("vnet-elsewhere")}/subnets/s` });

  // gateway-integration-unsupported: gateway-required integration from a Linux site.
  const linuxPlan = add.plan("plan-linux-legacy", { kind: "linux", reserved: true });
  add.site("linux-legacy", { kind: "app,linux", reserved: true, serverFarmId: linuxPlan.id, vnetConnections: [makeGatewayConnection(legacy.vnet.id)] });

  // gateway-p2s-misconfigured: a policy-based gateway.
  const p2sVnet = makeVnet("vnet-p2s", { addressPrefixes: ["10.40.0.0/16"] });
  inventory.virtualNetworks.push(p2sVnet);
  inventory.gateways.push(makeVpnGateway(p2sVnet, "vgw-policy", { vpnType: "PolicyBased" }));
  add.site("p2s-bad", { serverFarmId: legacy.plan.id, vnetConnections: [makeGatewayConnection(p2sVnet.id)] });

  // gateway-resync-required and gateway-certificate-expiring (100 days left).
  add.site("resync", { serverFarmId: legacy.plan.id, vnetConnections: [makeGatewayConnection(legacy.vnet.id, { resyncRequired: true })] });
  const expiringConnection = makeGatewayConnection(legacy.vnet.id);
  expiringConnection.certificate.notAfter = daysAfterNow(100);
  add.site("cert-gw", { serverFarmId: legacy.plan.id, vnetConnections: [expiringConnection] });

  // gateway-plan-vnet-limit: six VNets on one plan (VNets outside the inventory).
  const manyPlan = add.plan("plan-many", { sku: { name: "S1", tier: "Standard", capacity: 1 } });
  const manySites = [1, 2, 3, 4, 5, 6].map((i) =>
    add.site(`many-${i}`, { serverFarmId: manyPlan.id, vnetConnections: [makeGatewayConnection(ids.vnet(`vnet-remote-${i}`))] }),
  );

  // linux-private-dns-without-route-all: Linux, Azure DNS, the hub zone linked, Route All off.
  const dnsPlan = add.plan("plan-dns", { kind: "linux", reserved: true });
  const dnsSite = integrate(add.site("dns-app", { kind: "app,linux", reserved: true, serverFarmId: dnsPlan.id }), add.subnet("snet-dns", "10.1.3.0/26"));

  // route-all-legacy-app-setting: Route All only through WEBSITE_VNET_ROUTE_ALL.
  const routeAllPlan = add.plan("plan-routeall");
  const routeAllSite = integrate(
    add.site("legacy-setting", { serverFarmId: routeAllPlan.id, appSettings: { WEBSITE_VNET_ROUTE_ALL: "1" } }),
    add.subnet("snet-routeall", "10.1.4.0/26"),
  );

  // route-all-windows-container: Route All on a Hyper-V site.
  const hyperVPlan = add.plan("plan-hyperv", { hyperV: true });
  const containerSite = integrate(
    add.site("wincontainer", { kind: "app,container,windows", hyperV: true, serverFarmId: hyperVPlan.id, outboundVnetRouting: { allTraffic: true } }),
    add.subnet("snet-containers", "10.1.5.0/26"),
  );

  // certificate-expiring: one within 14 days, one expired.
  const expiring = makeCertificate("expiring", 10);
  const expired = makeCertificate("expired", -1, { thumbprint: "EXPIRED" });
  inventory.certificates.push(expiring, expired);

  // https-only-disabled.
  const plainSite = add.site("plain-http", { httpsOnly: false });

  // Out of integration scope: an ASE site with gateway-required integration from Linux, Free... nothing fires.
  add.site("in-ase", {
    kind: "app,linux",
    hostingEnvironmentId: ids.ase("ase"),
    serverFarmId: freePlan.id,
    vnetConnections: [makeGatewayConnection(p2sVnet.id, { resyncRequired: true })],
  });

  const expected: [string, string, Severity][] = [
    ["subnet-undersized", smallSubnet.id, "high"],
    ["subnet-not-dedicated", smallSubnet.id, "medium"],
    ["integration-vnet-ipv6", dualVnet.id, "medium"],
    ["subnet-service-endpoint-policy", dualSubnet.id, "medium"],
    ["plan-tier-unsupported", ids.site("free-app"), "high"],
    ...["legacy", "linux-legacy", "p2s-bad", "resync", "cert-gw", ...manySites.map((site) => site.name)].map(
      (name): [string, string, Severity] => ["gateway-integration-legacy", ids.site(name), "medium"],
    ),
    ["gateway-integration-unsupported", ids.site("linux-legacy"), "high"],
    ["gateway-p2s-misconfigured", ids.site("p2s-bad"), "high"],
    ["gateway-resync-required", ids.site("resync"), "medium"],
    ["gateway-plan-vnet-limit", manyPlan.id, "high"],
    ["gateway-certificate-expiring", ids.site("cert-gw"), "high"],
    ["linux-private-dns-without-route-all", dnsSite.id, "high"],
    ["route-all-legacy-app-setting", routeAllSite.id, "low"],
    ["route-all-windows-container", containerSite.id, "low"],
    ["certificate-expiring", expiring.id, "high"],
    ["certificate-expiring", expired.id, "critical"],
    ["https-only-disabled", plainSite.id, "medium"],
  ];
  return { inventory, healthy, expected };
}

describe("the fixture tenant", () => {
  const { inventory, healthy, expected } = fixtureTenant();
  const findings = RULES.flatMap((rule) => run(rule, inventory, NOW).map((result) => ({ ruleId: rule.meta.id, ...result })));
  const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = (triples: [string, string, Severity][]) => [...triples].sort((a, b) => ordinal(a.join("|"), b.join("|")));

  it("finds exactly the expected (ruleId, resourceId, severity) set", () => {
    expect(sorted(findings.map((finding) => [finding.ruleId, finding.resourceId, finding.severity]))).toEqual(sorted(expected));
  });

  it("finds nothing on the healthy resources", () => {
    const healthyIds = [healthy.plan, healthy.site, healthy.slot, healthy.vnet, healthy.subnet, healthy.endpointSubnet, healthy.zone, healthy.certificate].map(
      (resource) => resource.id,
    );
    expect(findings.filter((finding) => healthyIds.includes(finding.resourceId))).toEqual([]);
  });

  it("names resources of the type each rule's metadata declares (sites include slots)", () => {
    // `/subscriptions/s/resourceGroups/g/providers/Ns/type/name/subtype/name` → `ns/type/subtype`.
    const typeOf = (id: string) => {
      const [namespace, ...rest] = id.split("/providers/").pop()!.split("/");
      return [namespace, ...rest.filter((_, i) => i % 2 === 0)].join("/").toLowerCase();
    };
    expect(new Set(findings.map((finding) => finding.ruleId)).size).toBe(RULES.length);
    for (const finding of findings) {
      const declared = ruleById(finding.ruleId)!.meta.resourceType.toLowerCase();
      const allowed = declared === "microsoft.web/sites" ? [declared, "microsoft.web/sites/slots"] : [declared];
      expect(allowed, `${finding.ruleId} ${finding.resourceId}`).toContain(typeOf(finding.resourceId));
    }
  });

  it("gives every result a one-sentence message, a subscription and sorted output per rule", () => {
    for (const rule of RULES) {
      const results = run(rule, inventory, NOW);
      const resourceIds = results.map((result) => result.resourceId.toLowerCase());
      expect(resourceIds).toEqual([...resourceIds].sort(ordinal));
      for (const result of results) {
        expect(result.message).toMatch(/^[A-Z][^\n]*[.]$/);
        expect(result.subscriptionId).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
  });
});

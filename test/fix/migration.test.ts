import { describe, expect, it } from "vitest";
import { evaluateInventory } from "../../src/engine/evaluate.js";
import { within, overlaps } from "../../src/fix/address-space.js";
import type { Finding, FixPlan } from "../../src/model/finding.js";
import type { Inventory } from "../../src/model/inventory.js";
import {
  ids,
  integrate,
  makeExpressRouteGateway,
  makeGatewayConnection,
  makeInventory,
  makePlan,
  makeSite,
  makeSlot,
  makeSubnet,
  makeVnet,
  makeVpnGateway,
  NOW,
} from "../rules/fixtures.js";

const PLACEHOLDER = /<[a-z][a-z0-9 ._/-]*>/i;

function fixesOf(inventory: Inventory, ruleId = "gateway-integration-legacy"): Map<string, FixPlan | null> {
  const findings = evaluateInventory(inventory, { now: NOW });
  return new Map(findings.filter((f) => f.ruleId === ruleId).map((f) => [f.resourceId, f.fix]));
}

function commands(fix: FixPlan | null | undefined): string[] {
  return (fix?.steps ?? []).flatMap((step) => (step.command ? [step.command] : []));
}

/** A hub VNet with a VPN gateway, a plan with two Windows apps (one with a slot) on gateway-required integration into it. */
function hubTenant(options: { hubPrefixes?: string[]; hubLocation?: string; hubSubnets?: (vnetId: string) => ReturnType<typeof makeSubnet>[] } = {}) {
  const hub = makeVnet("vnet-hub", { addressPrefixes: options.hubPrefixes ?? ["10.0.0.0/24"], location: options.hubLocation ?? "westeurope" });
  hub.subnets = options.hubSubnets?.(hub.id) ?? [makeSubnet(hub.id, "GatewaySubnet", ["10.0.0.0/27"], { delegations: [] })];
  const gateway = makeVpnGateway(hub, "vgw-hub");
  const plan = makePlan("asp-legacy", { sku: { name: "S1", tier: "Standard", capacity: 3 } });
  const crm = makeSite("app-crm", { serverFarmId: plan.id, outboundVnetRouting: { applicationTraffic: true }, vnetConnections: [makeGatewayConnection(hub.id)] });
  const crmSlot = makeSlot(crm, "staging");
  const billing = makeSite("app-billing", { serverFarmId: plan.id, outboundVnetRouting: { applicationTraffic: true }, vnetConnections: [makeGatewayConnection(hub.id)] });
  const inventory = makeInventory({ sites: [crm, crmSlot, billing], plans: [plan], virtualNetworks: [hub], gateways: [gateway] });
  return { inventory, hub, gateway, plan, crm, crmSlot, billing };
}

describe("migration planner: a new subnet in the reached VNet", () => {
  const { inventory, hub, crm, crmSlot, billing } = hubTenant();
  const fixes = fixesOf(inventory);
  const fix = fixes.get(crm.id)!;

  it("gives every app and slot of the plan the same plan", () => {
    expect(fixes.size).toBe(3);
    expect(fixes.get(crmSlot.id)).toEqual(fix);
    expect(fixes.get(billing.id)).toEqual(fix);
    expect(fix.blockers).toEqual([]);
  });

  it("proposes a free, aligned /26 inside the VNet, named for the plan", () => {
    expect(fix.proposedSubnet).toEqual({ virtualNetworkId: hub.id, name: "snet-asp-legacy", addressPrefix: "10.0.0.64/26", exists: false });
    expect(within(fix.proposedSubnet!.addressPrefix, hub.addressPrefixes)).toBe(true);
    expect(overlaps([fix.proposedSubnet!.addressPrefix], hub.subnets.flatMap((s) => s.addressPrefixes))).toBe(false);
  });

  it("orders the steps: create, integrate each app and slot, verify, then remove the gateway connections", () => {
    const cmds = commands(fix);
    expect(cmds[0]).toBe(
      "az network vnet subnet create --subscription 11111111-1111-1111-1111-111111111111 --resource-group rg-network --vnet-name vnet-hub --name snet-asp-legacy --address-prefixes 10.0.0.64/26 --delegations Microsoft.Web/serverFarms",
    );
    const kinds = cmds.map((c) => (c.includes("subnet create") ? "create" : c.includes("vnet-integration add") ? "add" : c.includes("vnet-integration list") ? "verify" : c.startsWith("az rest --method delete") ? "remove" : "other"));
    expect(kinds).toEqual(["create", "add", "add", "add", "verify", "verify", "verify", "remove", "remove", "remove"]);
    expect(cmds).toContain(
      `az webapp vnet-integration add --subscription 11111111-1111-1111-1111-111111111111 --resource-group rg-apps --name app-crm --slot staging --vnet ${hub.id} --subnet snet-asp-legacy`,
    );
    // --slot only for the slot.
    expect(cmds.filter((c) => c.includes("--slot staging"))).toHaveLength(2); // add and verify; removal names the slot in its URL
    expect(cmds.find((c) => c.includes("--name app-billing") && c.includes("vnet-integration add"))).not.toContain("--slot");
    expect(cmds).toContain(`az rest --method delete --url '${crmSlot.id}/virtualNetworkConnections/vnet-hub?api-version=2023-12-01'`);
  });

  it("keeps the gateway and its point-to-site configuration", () => {
    expect(cmds(fix).some((c) => c.includes("vnet-gateway"))).toBe(false);
    expect(fix.steps.at(-1)!.description).toContain("point-to-site configuration stay");
  });

  it("holds no placeholder anywhere", () => {
    expect(JSON.stringify(fix)).not.toMatch(PLACEHOLDER);
  });
});

function cmds(fix: FixPlan) {
  return commands(fix);
}

describe("migration planner: Route All", () => {
  it("turns on Route All where the app reached a peered network, and only where it is off", () => {
    const tenant = hubTenant();
    tenant.hub.peerings = [{ name: "to-onprem-hub", remoteVirtualNetworkId: ids.vnet("vnet-other"), remoteAddressPrefixes: ["10.90.0.0/16"], peeringState: "Connected" }];
    tenant.billing.outboundVnetRouting = { allTraffic: false, applicationTraffic: false };
    const fix = fixesOf(tenant.inventory).get(tenant.crm.id)!;
    const routeAll = commands(fix).filter((c) => c.includes("--vnet-route-all-enabled"));
    expect(routeAll).toEqual(["az webapp config set --subscription 11111111-1111-1111-1111-111111111111 --resource-group rg-apps --name app-billing --vnet-route-all-enabled true"]);
  });

  it("does not turn it on when the app reached only the target VNet's own private space", () => {
    const tenant = hubTenant();
    tenant.billing.outboundVnetRouting = { allTraffic: false, applicationTraffic: false };
    expect(commands(fixesOf(tenant.inventory).get(tenant.crm.id)).some((c) => c.includes("route-all"))).toBe(false);
  });

  it("gives a manual step, not a command, for a Windows container app (Route All unsupported there)", () => {
    const tenant = hubTenant();
    tenant.inventory.gateways.push(makeExpressRouteGateway(tenant.hub, "ergw-hub"));
    Object.assign(tenant.billing, { hyperV: true, kind: "app,container,windows", outboundVnetRouting: { allTraffic: false, applicationTraffic: false } });
    const fix = fixesOf(tenant.inventory).get(tenant.crm.id)!;
    const step = fix.steps.find((s) => s.description.includes("Route All is not supported on Windows containers"));
    expect(step).toMatchObject({ command: null });
  });

  it("uses az functionapp for function apps", () => {
    const tenant = hubTenant();
    tenant.billing.kind = "functionapp";
    expect(commands(fixesOf(tenant.inventory).get(tenant.crm.id)).some((c) => c.startsWith("az functionapp vnet-integration add") && c.includes("--name app-billing"))).toBe(true);
  });
});

describe("migration planner: the plan already integrates regionally", () => {
  it("reuses that subnet (exists: true) and peers the reached VNet that isn't peered", () => {
    const tenant = hubTenant();
    const spoke = makeVnet("vnet-spoke", { addressPrefixes: ["10.1.0.0/16"] });
    const subnet = makeSubnet(spoke.id, "snet-apps", ["10.1.0.0/26"]);
    spoke.subnets = [subnet];
    tenant.inventory.virtualNetworks.push(spoke);
    const other = integrate(makeSite("app-new", { serverFarmId: tenant.plan.id }), subnet);
    tenant.inventory.sites.push(other);
    const fix = fixesOf(tenant.inventory).get(tenant.crm.id)!;
    expect(fix.proposedSubnet).toEqual({ virtualNetworkId: spoke.id, name: "snet-apps", addressPrefix: "10.1.0.0/26", exists: true });
    const cmds = commands(fix);
    expect(cmds.some((c) => c.includes("subnet create"))).toBe(false);
    // Hub offers its gateway for transit; the spoke (no gateway of its own) uses it.
    expect(cmds[0]).toBe(`az network vnet peering create --subscription 11111111-1111-1111-1111-111111111111 --resource-group rg-network --vnet-name vnet-hub --name peer-vnet-hub-to-vnet-spoke --remote-vnet ${spoke.id} --allow-vnet-access --allow-forwarded-traffic --allow-gateway-transit`);
    expect(cmds[1]).toBe(`az network vnet peering create --subscription 11111111-1111-1111-1111-111111111111 --resource-group rg-network --vnet-name vnet-spoke --name peer-vnet-spoke-to-vnet-hub --remote-vnet ${tenant.hub.id} --allow-vnet-access --allow-forwarded-traffic --use-remote-gateways`);
    expect(cmds.filter((c) => c.includes("vnet-integration add")).every((c) => c.includes("--subnet snet-apps"))).toBe(true);
  });

  it("has no peering steps when the VNets are already peered", () => {
    const tenant = hubTenant();
    const spoke = makeVnet("vnet-spoke", { addressPrefixes: ["10.1.0.0/16"], peerings: [{ name: "to-hub", remoteVirtualNetworkId: tenant.hub.id, remoteAddressPrefixes: ["10.0.0.0/24"] }] });
    const subnet = makeSubnet(spoke.id, "snet-apps", ["10.1.0.0/26"]);
    spoke.subnets = [subnet];
    tenant.inventory.virtualNetworks.push(spoke);
    tenant.plan.virtualNetworkSubnetId = subnet.id;
    const fix = fixesOf(tenant.inventory).get(tenant.crm.id)!;
    expect(fix.proposedSubnet?.exists).toBe(true);
    expect(commands(fix).some((c) => c.includes("peering create"))).toBe(false);
  });
});

describe("migration planner: blockers", () => {
  it("vnet-other-region: the reached VNet is in another region", () => {
    const fix = fixesOf(hubTenant({ hubLocation: "northeurope" }).inventory).values().next().value!;
    expect(fix.blockers.map((b) => b.code)).toEqual(["vnet-other-region"]);
    expect(fix.blockers[0]!.message).toContain("westeurope");
    expect(fix.blockers[0]!.message).toContain("vnet-hub (northeurope)");
    expect(fix.proposedSubnet).toBeNull();
    // The way out, as commands: a VNet in the plan's region that overlaps nothing known, delegated, peered both ways.
    const cmds = commands(fix);
    expect(cmds[0]).toBe(
      "az network vnet create --subscription 11111111-1111-1111-1111-111111111111 --resource-group rg-apps --name vnet-asp-legacy-westeurope --location westeurope --address-prefixes 10.0.1.0/24 --subnet-name snet-asp-legacy --subnet-prefixes 10.0.1.0/26",
    );
    expect(cmds[1]).toContain("az network vnet subnet update --subscription 11111111-1111-1111-1111-111111111111 --resource-group rg-apps --vnet-name vnet-asp-legacy-westeurope --name snet-asp-legacy --delegations Microsoft.Web/serverFarms");
    expect(cmds.filter((c) => c.startsWith("az network vnet peering create"))).toHaveLength(2);
    expect(overlaps(["10.0.1.0/24"], ["10.0.0.0/24", "172.16.200.0/24"])).toBe(false);
  });

  it("classic-vnet: a connection to a classic VNet", () => {
    const tenant = hubTenant();
    const classic = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-classic/providers/Microsoft.ClassicNetwork/virtualNetworks/vnet-classic";
    tenant.billing.vnetConnections = [makeGatewayConnection(classic)];
    const fix = fixesOf(tenant.inventory).get(tenant.crm.id)!;
    expect(fix.blockers.map((b) => b.code)).toEqual(["classic-vnet"]);
    expect(fix.blockers[0]!.message).toContain("vnet-classic");
  });

  it("no-free-address-space: says how much to add and a prefix that overlaps nothing known, with the command", () => {
    const tenant = hubTenant({ hubSubnets: (id) => [makeSubnet(id, "GatewaySubnet", ["10.0.0.0/27"], { delegations: [] }), makeSubnet(id, "snet-vms", ["10.0.0.32/27", "10.0.0.64/27", "10.0.0.128/25"])] });
    tenant.hub.peerings = [{ name: "to-spoke", remoteVirtualNetworkId: ids.vnet("vnet-x"), remoteAddressPrefixes: ["10.1.0.0/16"] }];
    const fix = fixesOf(tenant.inventory).get(tenant.crm.id)!;
    expect(fix.blockers.map((b) => b.code)).toEqual(["no-free-address-space"]);
    expect(fix.blockers[0]!.message).toContain("add at least a /26");
    expect(fix.blockers[0]!.message).toContain("32 address(es) are free");
    expect(fix.blockers[0]!.message).toContain("e.g. 10.0.1.0/26");
    expect(commands(fix)).toEqual([
      "az network vnet update --subscription 11111111-1111-1111-1111-111111111111 --resource-group rg-network --name vnet-hub --address-prefixes 10.0.0.0/24 10.0.1.0/26",
    ]);
    expect(fix.proposedSubnet).toBeNull();
  });

  it("plan-tier-unsupported: a plan scaled to Free", () => {
    const tenant = hubTenant();
    tenant.plan.sku = { name: "F1", tier: "Free", capacity: 1 };
    expect(fixesOf(tenant.inventory).get(tenant.crm.id)!.blockers.map((b) => b.code)).toContain("plan-tier-unsupported");
  });

  it("vnet-not-collected: the reached VNet was not read", () => {
    const tenant = hubTenant();
    tenant.inventory.virtualNetworks = [];
    expect(fixesOf(tenant.inventory).get(tenant.crm.id)!.blockers.map((b) => b.code)).toEqual(["vnet-not-collected"]);
  });
});

describe("migration planner: several plans in one VNet", () => {
  it("proposes non-overlapping subnets, in turn, sized for each plan's demand", () => {
    const tenant = hubTenant();
    const big = makePlan("asp-big", { sku: { name: "P1v3", tier: "PremiumV3", capacity: 40 } });
    const bigSite = makeSite("app-big", { serverFarmId: big.id, vnetConnections: [makeGatewayConnection(tenant.hub.id)] });
    tenant.hub.addressPrefixes = ["10.0.0.0/23"];
    tenant.inventory.plans.push(big);
    tenant.inventory.sites.push(bigSite);
    const fixes = fixesOf(tenant.inventory);
    const a = fixes.get(tenant.crm.id)!.proposedSubnet!;
    const b = fixes.get(bigSite.id)!.proposedSubnet!;
    expect(b.addressPrefix).toBe("10.0.0.128/25"); // 40 instances need 80 addresses: a /25 (61 safe)... sized 40 <= 61
    expect(a.addressPrefix).toBe("10.0.0.64/26");
    expect(overlaps([a.addressPrefix], [b.addressPrefix])).toBe(false);
  });
});

describe("subnet-undersized replacement", () => {
  it("proposes a subnet in the same VNet sized for the plans in it, and the steps to move each plan", () => {
    const vnet = makeVnet("vnet-spoke", { addressPrefixes: ["10.1.0.0/24"] });
    const small = makeSubnet(vnet.id, "snet-api", ["10.1.0.0/28"]);
    vnet.subnets = [small, makeSubnet(vnet.id, "snet-other", ["10.1.0.64/26"])];
    const plan = makePlan("asp-api", { sku: { name: "P1v3", tier: "PremiumV3", capacity: 8 } });
    const site = integrate(makeSite("app-api", { serverFarmId: plan.id }), small);
    const slot = makeSlot(site, "staging");
    const inventory = makeInventory({ sites: [site, slot], plans: [plan], virtualNetworks: [vnet] });
    const findings: Finding[] = evaluateInventory(inventory, { now: NOW });
    const fix = findings.find((f) => f.ruleId === "subnet-undersized")!.fix!;
    expect(fix.proposedSubnet).toEqual({ virtualNetworkId: vnet.id, name: "snet-api-v2", addressPrefix: "10.1.0.128/26", exists: false });
    const cmds = commands(fix);
    expect(cmds[0]).toContain("az network vnet subnet create");
    expect(cmds.filter((c) => c.includes("vnet-integration remove"))).toHaveLength(2);
    expect(cmds.filter((c) => c.includes("vnet-integration add --subscription") && c.includes("--subnet snet-api-v2"))).toHaveLength(2);
    expect(cmds.at(-1)).toBe("az network vnet subnet delete --subscription 11111111-1111-1111-1111-111111111111 --resource-group rg-network --vnet-name vnet-spoke --name snet-api");
  });

  it("blocks with no-free-address-space when the VNet is full", () => {
    const vnet = makeVnet("vnet-full", { addressPrefixes: ["10.1.0.0/26"] });
    const small = makeSubnet(vnet.id, "snet-api", ["10.1.0.0/28"]);
    vnet.subnets = [small, makeSubnet(vnet.id, "snet-rest", ["10.1.0.16/28", "10.1.0.32/27"])];
    const plan = makePlan("asp-api", { sku: { name: "P1v3", tier: "PremiumV3", capacity: 8 } });
    const inventory = makeInventory({ sites: [integrate(makeSite("app-api", { serverFarmId: plan.id }), small)], plans: [plan], virtualNetworks: [vnet] });
    const fix = evaluateInventory(inventory, { now: NOW }).find((f) => f.ruleId === "subnet-undersized")!.fix!;
    expect(fix.blockers).toHaveLength(1);
    expect(fix.blockers[0]!.code).toBe("no-free-address-space");
    expect(fix.blockers[0]!.message).toMatch(/add at least a \/26/);
  });
});

describe("every rule's fix", () => {
  it("names real resources: the remediation string carries the fix's commands", () => {
    const tenant = hubTenant();
    tenant.billing.httpsOnly = false;
    const findings = evaluateInventory(tenant.inventory, { now: NOW });
    const https = findings.find((f) => f.ruleId === "https-only-disabled")!;
    expect(https.fix!.steps[0]!.command).toBe("az webapp update --subscription 11111111-1111-1111-1111-111111111111 --resource-group rg-apps --name app-billing --https-only true");
    expect(https.remediation).toContain(https.fix!.steps[0]!.command!);
    for (const finding of findings) expect(JSON.stringify(finding)).not.toMatch(PLACEHOLDER);
  });
});

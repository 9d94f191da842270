import { describe, expect, it } from "vitest";
import { configFromSetting, withOwnerTag } from "../../src/config/file.js";
import { readSettings } from "../../src/config/settings.js";
import { evaluateInventory } from "../../src/engine/evaluate.js";
import { ownerResolver, ownersNeedResourceGroups, tagValue } from "../../src/engine/owners.js";
import type { ResourceGroup } from "../../src/model/inventory.js";
import { HUB, SPOKE, ids, makeCertificate, makeInventory, makePlan, makeSite, makeSlot, makeSubnet, makeVnet, NOW } from "../rules/fixtures.js";

const group = (name: string, tags?: Record<string, string>): ResourceGroup => ({
  id: `/subscriptions/${SPOKE}/resourceGroups/${name}`,
  name,
  subscriptionId: SPOKE,
  ...(tags ? { tags } : {}),
});

describe("owner lookup order (RULES.md Owners)", () => {
  const plan = makePlan("asp-web", { tags: { owner: "plan-team@contoso.com" } });
  const untaggedPlan = makePlan("asp-bare");
  const tagged = makeSite("app-tagged", { serverFarmId: plan.id, tags: { owner: "site-team@contoso.com" } });
  const onPlan = makeSite("app-on-plan", { serverFarmId: plan.id });
  const onGroup = makeSite("app-on-group", { serverFarmId: untaggedPlan.id });
  const slot = makeSlot(onPlan, "staging", { serverFarmId: undefined });
  const vnet = makeVnet("vnet-spoke", { tags: { Owner: "network@contoso.com" }, subnets: [] });
  const subnet = makeSubnet(vnet.id, "snet-apps", ["10.0.0.0/26"]);
  vnet.subnets.push(subnet);
  const bareVnet = makeVnet("vnet-bare", { subnets: [] });
  const bareSubnet = makeSubnet(bareVnet.id, "snet-x", ["10.1.0.0/26"]);
  const certificate = makeCertificate("cert-shop", 10, { tags: { owner: "pki@contoso.com" } });
  const inventory = makeInventory({
    sites: [tagged, onPlan, onGroup, slot],
    plans: [plan, untaggedPlan],
    virtualNetworks: [vnet, bareVnet],
    certificates: [certificate],
    resourceGroups: [group("rg-apps", { owner: "apps-rg@contoso.com" }), group("rg-network", { owner: "netops@contoso.com" })],
  });
  const ownerOf = ownerResolver(inventory, "owner");

  it("takes the resource's own tag first", () => {
    expect(ownerOf(tagged.id)).toBe("site-team@contoso.com");
    expect(ownerOf(certificate.id)).toBe("pki@contoso.com");
  });

  it("then the site's plan, for sites and slots (a slot runs on its parent's plan)", () => {
    expect(ownerOf(onPlan.id)).toBe("plan-team@contoso.com");
    expect(ownerOf(slot.id)).toBe("plan-team@contoso.com");
  });

  it("then the resource group", () => {
    expect(ownerOf(onGroup.id)).toBe("apps-rg@contoso.com");
    expect(ownerOf(untaggedPlan.id)).toBe("apps-rg@contoso.com");
  });

  it("for a subnet, its VNet's tag, then the VNet's resource group", () => {
    expect(ownerOf(subnet.id)).toBe("network@contoso.com");
    expect(ownerOf(bareSubnet.id)).toBe("netops@contoso.com");
  });

  it("is null when nothing is tagged, including a resource group the inventory did not list", () => {
    const none = ownerResolver(makeInventory({ sites: [onGroup], plans: [untaggedPlan] }), "owner");
    expect(none(onGroup.id)).toBeNull();
    expect(ownerOf(`/subscriptions/${SPOKE}/resourceGroups/rg-elsewhere/providers/Microsoft.Web/sites/app-x`)).toBeNull();
  });
});

describe("tag names", () => {
  it("match case-insensitively, on the tag name and the resource ID", () => {
    expect(tagValue({ OWNER: "a@contoso.com" }, "owner")).toBe("a@contoso.com");
    expect(tagValue({ "Cost-Owner": "b" }, "cost-OWNER")).toBe("b");
    const site = makeSite("app-case", { tags: { TeamOwner: "team-x" } });
    expect(ownerResolver(makeInventory({ sites: [site] }), "teamowner")(site.id.toUpperCase())).toBe("team-x");
  });

  it("skip a blank value and fall through to the next level", () => {
    const plan = makePlan("asp-blank", { tags: { owner: "plan@contoso.com" } });
    const site = makeSite("app-blank", { serverFarmId: plan.id, tags: { owner: "   " } });
    expect(ownerResolver(makeInventory({ sites: [site], plans: [plan] }), "owner")(site.id)).toBe("plan@contoso.com");
  });

  it("use the configured name: a tag under another name is not an owner", () => {
    const site = makeSite("app-named", { tags: { owner: "default@contoso.com", "app-owner": "named@contoso.com" } });
    const inventory = makeInventory({ sites: [site] });
    expect(ownerResolver(inventory, "App-Owner")(site.id)).toBe("named@contoso.com");
    expect(ownerResolver(inventory, "contact")(site.id)).toBeNull();
  });

  it("come from the config file's owners.tag, over AUDIT_OWNER_TAG, over the default", () => {
    expect(readSettings({}).AUDIT_OWNER_TAG).toBe("owner");
    expect(withOwnerTag(configFromSetting(""), readSettings({ AUDIT_OWNER_TAG: "contact" }).AUDIT_OWNER_TAG).ownerTag).toBe("contact");
    expect(withOwnerTag(configFromSetting(JSON.stringify({ owners: { tag: "team" } })), "contact").ownerTag).toBe("team");
    expect(() => configFromSetting(JSON.stringify({ owners: { tag: "" } }))).toThrow(/owners\.tag/);
    expect(() => readSettings({ AUDIT_OWNER_TAG: "a/b" })).toThrow(/AUDIT_OWNER_TAG/);
  });
});

describe("owner on every finding", () => {
  it("is set by evaluation, null where no tag applies", () => {
    const plan = makePlan("asp-http", { tags: { owner: "web@contoso.com" } });
    const owned = makeSite("app-http", { serverFarmId: plan.id, httpsOnly: false });
    const orphan = makeSite("app-orphan", { serverFarmId: ids.plan("asp-gone"), httpsOnly: false });
    const findings = evaluateInventory(makeInventory({ sites: [owned, orphan], plans: [plan] }), { now: NOW });
    const byResource = Object.fromEntries(findings.map((finding) => [finding.resourceId, finding.owner]));
    expect(byResource[owned.id]).toBe("web@contoso.com");
    expect(byResource[orphan.id]).toBeNull();
    expect(findings.every((finding) => "owner" in finding)).toBe(true);
  });
});

describe("when a resource group's tags can name an owner (collection reads the list only then)", () => {
  const plan = makePlan("asp-tagged", { tags: { owner: "plan-team@contoso.com" } });
  const onPlan = makeSite("app-on-plan", { serverFarmId: plan.id });
  const slot = makeSlot(onPlan, "staging", { serverFarmId: undefined });
  const vnet = makeVnet("vnet-tagged", { tags: { Owner: "network@contoso.com" }, subnets: [] });
  const certificate = makeCertificate("cert-tagged", 10, { tags: { owner: "pki@contoso.com" } });
  const tagged = { sites: [onPlan, slot], plans: [plan], virtualNetworks: [vnet], certificates: [certificate] };
  const needs = (inventory: Partial<typeof tagged>, tagName = "owner") => ownersNeedResourceGroups(makeInventory(inventory), tagName, SPOKE);

  it("never, when every site, slot, plan, VNet and certificate has the tag on itself or its plan", () => {
    expect(needs(tagged)).toBe(false);
  });

  it("when one of them lacks it on itself and its plan", () => {
    const bare = makePlan("asp-bare");
    expect(needs({ ...tagged, plans: [plan, bare] })).toBe(true);
    expect(needs({ ...tagged, sites: [onPlan, slot, makeSite("app-bare", { serverFarmId: bare.id })], plans: [plan, bare] })).toBe(true);
    expect(needs({ ...tagged, virtualNetworks: [vnet, makeVnet("vnet-bare", { subnets: [] })] })).toBe(true);
    expect(needs({ ...tagged, certificates: [certificate, makeCertificate("cert-bare", 10)] })).toBe(true);
  });

  it("when a site's plan is not in the inventory (a finding can name that plan)", () => {
    expect(needs({ sites: [makeSite("app-own", { serverFarmId: ids.plan("asp-unlisted"), tags: { owner: "site@contoso.com" } })] })).toBe(true);
  });

  it("with the configured tag name only, and a blank value counts as none", () => {
    expect(needs(tagged, "team")).toBe(true);
    expect(needs({ ...tagged, certificates: [makeCertificate("cert-blank", 10, { tags: { owner: " " } })] })).toBe(true);
  });

  it("not for resources of another subscription: their groups are not this subscription's", () => {
    const hubVnet = makeVnet("vnet-hub", { subscriptionId: HUB, subnets: [] });
    expect(needs({ ...tagged, virtualNetworks: [vnet, hubVnet] })).toBe(false);
  });

  it("agrees with the lookup: without the list, every owner is what it is with it", () => {
    const groups = [group("rg-apps", { owner: "apps-rg@contoso.com" }), group("rg-network", { owner: "netops@contoso.com" })];
    const withGroups = ownerResolver(makeInventory({ ...tagged, resourceGroups: groups }), "owner");
    const without = ownerResolver(makeInventory(tagged), "owner");
    for (const id of [onPlan.id, slot.id, plan.id, vnet.id, `${vnet.id}/subnets/snet-x`, certificate.id]) expect(without(id)).toBe(withGroups(id));
  });
});

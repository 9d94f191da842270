import type { Plan } from "../model/inventory.js";
import { armKey, subscriptionOf } from "../util/arm-id.js";
import { defineRule, fail, pass } from "./rule.js";
import { gatewayIntegratedSites, type GatewayIntegratedSite } from "./selectors.js";
import { resourceRef, vpnGatewayRef } from "./evidence.js";

/** "Enables up to five virtual networks to be integrated within an App Service plan" ("Configure gateway-required virtual network integration"). */
export const MAX_GATEWAY_VNETS_PER_PLAN = 5;

interface PlanUsage {
  planId: string;
  /** Undefined when the plan is not in the inventory: its sites still say which VNets it uses. */
  plan: Plan | undefined;
  /** VNet key -> the VNet ID as first spelled and the sites (and slots) using it. */
  vnets: Map<string, { id: string; siteIds: string[] }>;
}

export const gatewayPlanVnetLimit = defineRule({
  meta: {
    id: "gateway-plan-vnet-limit",
    title: "Plan's sites use more than five VNets through gateway-required integration",
    category: "gateway",
    resourceType: "Microsoft.Web/serverFarms",
    severities: ["high"],
    thresholds: { maxVirtualNetworksPerPlan: MAX_GATEWAY_VNETS_PER_PLAN },
    reads: ["vnetConnections"],
    rationale:
      "An App Service plan supports at most five virtual networks through gateway-required integration (apps sharing a " +
      "VNet count once); connections beyond the limit fail.",
    remediation: {
      text:
        "Consolidate the plan's apps onto at most five VNets (peer the others to them), move some apps to another plan, " +
        "or migrate to regional VNet integration.",
      az: "az appservice vnet-integration list",
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration",
      "https://learn.microsoft.com/azure/app-service/overview-vnet-integration",
    ],
  },

  // One item per plan hosting gateway-integrated sites: the limit is the plan's.
  select: (index) => usageByPlan(gatewayIntegratedSites(index)),
  target: ({ planId, plan }: PlanUsage) => ({ resourceId: plan?.id ?? planId, subscriptionId: plan?.subscriptionId ?? subscriptionOf(planId) ?? "" }),
  judge({ planId, plan, vnets }, { index }) {
    if (vnets.size <= MAX_GATEWAY_VNETS_PER_PLAN) return pass();
    return fail({
      severity: "high",
      message: `Plan ${plan?.name ?? planId.split("/").pop()}'s sites use ${vnets.size} distinct VNets through gateway-required integration, more than the limit of ${MAX_GATEWAY_VNETS_PER_PLAN}.`,
      evidence: {
        plan: resourceRef(planId, plan),
        virtualNetworkCount: vnets.size,
        limit: MAX_GATEWAY_VNETS_PER_PLAN,
        virtualNetworks: [...vnets.values()].map(({ id, siteIds }) => ({
          virtualNetwork: resourceRef(id, index.virtualNetwork(id)),
          gateway: vpnGatewayRef(index, id),
          siteIds,
        })),
      },
    });
  },
});

function usageByPlan(entries: GatewayIntegratedSite[]): PlanUsage[] {
  const byPlan = new Map<string, PlanUsage>();
  for (const { site, plan, planId, connections } of entries) {
    if (planId === undefined) continue;
    const usage = byPlan.get(armKey(planId)) ?? { planId, plan, vnets: new Map() };
    byPlan.set(armKey(planId), usage);
    for (const { vnetResourceId } of connections) {
      if (vnetResourceId === undefined) continue; // an unnamed VNet can't be counted
      const vnet = usage.vnets.get(armKey(vnetResourceId)) ?? { id: vnetResourceId, siteIds: [] };
      if (!vnet.siteIds.includes(site.id)) vnet.siteIds.push(site.id);
      usage.vnets.set(armKey(vnetResourceId), vnet);
    }
  }
  return [...byPlan.values()];
}

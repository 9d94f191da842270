import { defineRule, fail, pass } from "./rule.js";
import { gatewayConnections, isLinuxSite, planTier, regionalIntegrationSubnetId } from "./terms.js";
import { siteTarget, vnetIntegratedSitesOnKnownPlans } from "./selectors.js";

/** Tiers without VNet integration (lower-cased `sku.tier`). Consumption (`Dynamic`) only on Windows. */
const UNSUPPORTED_TIERS = new Set(["free", "shared"]);
const CONSUMPTION_TIER = "dynamic";

export const planTierUnsupported = defineRule({
  meta: {
    id: "plan-tier-unsupported",
    title: "VNet integration configured on a plan tier that does not support it",
    category: "subnet",
    resourceType: "Microsoft.Web/sites",
    severities: ["high"],
    thresholds: {},
    reads: ["vnetConnections"],
    rationale:
      "VNet integration needs a dedicated (Basic or higher) App Service plan or an Elastic Premium plan; when a plan is " +
      "scaled to Free, Shared or Windows Consumption, its apps lose their connections to the virtual network.",
    remediation: {
      text: "Scale the plan to a tier that supports VNet integration (Basic, Standard, Premium v3; Elastic Premium for Functions).",
      az: "az appservice plan update --sku",
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/overview-vnet-integration",
      "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration#pricing-details",
      "https://learn.microsoft.com/azure/azure-functions/functions-networking-options#virtual-network-integration",
    ],
  },

  // A plan outside the inventory has an unknown tier: its sites are not selected.
  select: vnetIntegratedSitesOnKnownPlans,
  target: siteTarget,
  judge({ site, plan }) {
    const tier = planTier(plan);
    const key = tier?.toLowerCase() ?? "";
    const unsupported = UNSUPPORTED_TIERS.has(key) || (key === CONSUMPTION_TIER && !isLinuxSite(site, plan));
    if (!unsupported) return pass();

    return fail({
      severity: "high",
      message: `Site ${site.name} has VNet integration configured but its plan ${plan.name} is on the ${tier} tier (${plan.sku.name ?? "unknown SKU"}), which does not support it.`,
      evidence: {
        plan: { id: plan.id, name: plan.name, skuName: plan.sku.name ?? null, tier: tier ?? null },
        regionalIntegrationSubnetId: regionalIntegrationSubnetId(site, plan) ?? null,
        gatewayVirtualNetworkIds: gatewayConnections(site).map((connection) => connection.vnetResourceId ?? null),
      },
    });
  },
});

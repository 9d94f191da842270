import type { Severity } from "../model/severity.js";
import { defineRule, fail, pass } from "./rule.js";
import type { InventoryIndex } from "./inventory-index.js";
import { parseIPv4Cidr, usableAddresses } from "../util/ipv4.js";
import { planAddressDemand, safeInstances, type PlannedMaximumSource } from "./terms.js";
import { integrationSubnets, subnetTarget } from "./selectors.js";

/** Azure's minimum and recommended integration subnet sizes ("Integrate your app with an Azure virtual network", "Subnet requirements"). */
export const LONGEST_ALLOWED_PREFIX = 28;
export const RECOMMENDED_PREFIX = 26;
export const RECOMMENDED_USABLE = usableAddresses([`0.0.0.0/${RECOMMENDED_PREFIX}`]); // 59

type Reason = "prefix-longer-than-/28" | "demand-exceeds-safe-instances" | "plans-share-subnet-smaller-than-/26" | "smaller-than-/26";

/** The end of the message, from the first (weightiest) reason. */
const EXPLANATION: Record<Reason, string> = {
  "prefix-longer-than-/28": "integration needs a /28 or larger",
  "demand-exceeds-safe-instances": "that is more than it can hold while scaling",
  "plans-share-subnet-smaller-than-/26": "plans sharing a subnet need at least a /26",
  "smaller-than-/26": `the recommended size is a /26 (${RECOMMENDED_USABLE} usable)`,
};

interface PlanDemandEvidence {
  id: string;
  name: string | null;
  inInventory: boolean;
  plannedMaximumInstances: number | null;
  source: PlannedMaximumSource | null;
  windowsContainerApps: number;
  demand: number | null;
}

export const subnetUndersized = defineRule({
  meta: {
    id: "subnet-undersized",
    title: "Regional integration subnet is too small for the plans that use it",
    category: "subnet",
    resourceType: "Microsoft.Network/virtualNetworks/subnets",
    severities: ["high", "medium"],
    thresholds: { longestAllowedPrefix: LONGEST_ALLOWED_PREFIX, recommendedPrefix: RECOMMENDED_PREFIX },
    // Regional integration shows in the sites' VNet connection lists too (a swift connection).
    reads: ["vnetConnections"],
    rationale:
      "Each plan instance takes one address in the integration subnet, and scaling up or down doubles that for a while; " +
      "a subnet's size can't change while it is in use, so an undersized subnet blocks scale-out when it is needed most.",
    remediation: {
      text:
        "Create a dedicated /26 (or larger) subnet delegated to Microsoft.Web/serverFarms and move the integration to it; " +
        "give each plan its own subnet.",
      az: "az network vnet subnet create --delegations Microsoft.Web/serverFarms; az webapp vnet-integration add",
      bicep: [
        "resource subnet 'Microsoft.Network/virtualNetworks/subnets@2023-11-01' = {",
        "  name: '${vnetName}/snet-appservice'",
        "  properties: {",
        "    addressPrefix: addressPrefix // the finding's fix.proposedSubnet.addressPrefix",
        "    delegations: [ { name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } } ]",
        "  }",
        "}",
      ].join("\n"),
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#subnet-requirements",
      "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#limitations",
    ],
  },

  select: integrationSubnets,
  target: subnetTarget,
  judge({ subnet, vnet, planIds }, { index, now }) {
    // A subnet without IPv4 prefixes: nothing known to size.
    const prefixLengths = subnet.addressPrefixes.flatMap((prefix) => parseIPv4Cidr(prefix)?.length ?? []);
    if (prefixLengths.length === 0) return pass();

    const usable = usableAddresses(subnet.addressPrefixes);
    const safe = safeInstances(usable);
    const plans = planIds.map((planId) => planDemand(index, planId, now));
    const demand = plans.reduce((sum, plan) => sum + (plan.demand ?? 0), 0);
    const belowRecommended = usable < RECOMMENDED_USABLE;

    const reasons: Reason[] = [];
    if (prefixLengths.some((length) => length > LONGEST_ALLOWED_PREFIX)) reasons.push("prefix-longer-than-/28");
    if (demand > safe) reasons.push("demand-exceeds-safe-instances");
    if (plans.length >= 2 && belowRecommended) reasons.push("plans-share-subnet-smaller-than-/26");
    const severity: Severity | undefined = reasons.length > 0 ? "high" : belowRecommended ? "medium" : undefined;
    if (severity === undefined) return pass();
    if (severity === "medium") reasons.push("smaller-than-/26");

    return fail({
      severity,
      message:
        `Subnet ${subnet.name} (${subnet.addressPrefixes.join(", ")}) has ${usable} usable addresses, safe for ${safe} instances, ` +
        `and its ${plans.length} plan(s) may need ${demand}: ${EXPLANATION[reasons[0]!]}.`,
      evidence: {
        virtualNetworkId: vnet.id,
        addressPrefixes: subnet.addressPrefixes,
        usableAddresses: usable,
        safeInstances: safe,
        demand,
        reasons,
        plans,
      },
    });
  },
});

/** A plan's planned demand; a plan missing from the inventory is listed with what is unknown. */
function planDemand(index: InventoryIndex, planId: string, now: Date): PlanDemandEvidence {
  const plan = index.plan(planId);
  if (!plan) {
    return { id: planId, name: null, inInventory: false, plannedMaximumInstances: null, source: null, windowsContainerApps: 0, demand: null };
  }
  const planned = planAddressDemand(plan, index.sitesOnPlan(plan.id), index.autoscaleSettingsFor(plan.id), now);
  return {
    id: plan.id,
    name: plan.name,
    inInventory: true,
    plannedMaximumInstances: planned.maximum,
    source: planned.source,
    windowsContainerApps: planned.windowsContainerApps,
    demand: planned.demand,
  };
}

/**
 * A replacement integration subnet in the same VNet (RULES.md "Fix plans", `subnet-undersized`;
 * also `subnet-not-dedicated`): sized for the summed planned demand of the plans in it (never
 * under /26), then each plan's apps and slots move to it. A subnet's size can't change while
 * it is in use, and a plan has one regional subnet, so each app leaves the old subnet and joins
 * the new one (a short outage for its VNet traffic; plan it in a change window).
 */
import type { FixPlan, FixStep } from "../model/finding.js";
import type { Site, Subnet, VirtualNetwork } from "../model/inventory.js";
import { planAddressDemand, regionalIntegrationSubnetId } from "../rules/terms.js";
import type { InventoryIndex } from "../rules/inventory-index.js";
import { armKey, sameArmId } from "../util/arm-id.js";
import { neededPrefixLength } from "./address-space.js";
import type { AddressAllocator } from "./allocator.js";
import {
  addRegionalIntegration,
  command,
  createDelegatedSubnet,
  listVnetIntegrations,
  removeRegionalIntegration,
  resourceName,
  siteTarget,
  vnetArgs,
} from "./commands.js";
import { addressSpaceBlocker, sizeFor } from "./shared.js";

export interface ReplacementInput {
  index: InventoryIndex;
  subnet: Subnet;
  vnet: VirtualNetwork;
  planIds: readonly string[];
  allocator: AddressAllocator;
  /** Why the subnet is replaced, for the summary. */
  reason: string;
  /** Delete the old subnet once empty (only when nothing else lives in it). */
  deleteOld: boolean;
  /** The evaluation clock (a finished autoscale campaign no longer counts toward demand). */
  now: Date;
}

export function planSubnetReplacement({ index, subnet, vnet, planIds, allocator, reason, deleteOld, now }: ReplacementInput): FixPlan {
  const plans = planIds.map((id) => ({ id, plan: index.plan(id) }));
  const demand = plans.reduce((sum, { plan }) => sum + (plan ? planAddressDemand(plan, index.sitesOnPlan(plan.id), index.autoscaleSettingsFor(plan.id), now).demand : 0), 0);
  const length = neededPrefixLength(demand) ?? sizeFor(demand);
  const name = resourceName(`${subnet.name}-v2`, vnet.subnets.map((s) => s.name));
  const allocation = allocator.allocate(vnet, length);
  if (!("prefix" in allocation)) {
    const { blocker, step } = addressSpaceBlocker(vnet, length, allocation.shortfall);
    return {
      summary: `Replace ${subnet.name} (${reason}) with a /${length} in ${vnet.name}: blocked, no free address space.`,
      steps: step ? [step] : [],
      proposedSubnet: null,
      blockers: [blocker],
    };
  }

  const steps: FixStep[] = [
    {
      description: `Create subnet ${name} (${allocation.prefix}: ${demand} address(es) of planned demand, doubled while scaling) in ${vnet.name}, delegated to Microsoft.Web/serverFarms.`,
      command: createDelegatedSubnet(vnet, name, allocation.prefix),
    },
  ];
  for (const { id, plan } of plans) {
    const sites = integratedSites(index, id, subnet.id);
    const planName = plan?.name ?? id.split("/").pop();
    for (const site of sites) {
      steps.push({
        description: `Plan ${planName}: disconnect ${site.name} from ${subnet.name} (its VNet traffic pauses until the next step).`,
        command: removeRegionalIntegration(siteTarget(site)),
      });
    }
    for (const site of sites) {
      steps.push({ description: `Plan ${planName}: connect ${site.name} to ${name}.`, command: addRegionalIntegration(siteTarget(site), vnet.id, name) });
    }
    for (const site of sites) {
      steps.push({ description: `Plan ${planName}: verify ${site.name} integrates into ${name}.`, command: listVnetIntegrations(siteTarget(site)) });
    }
    if (sites.length === 0) {
      steps.push({
        description: `Plan ${planName} integrates at plan level: in the portal, open the plan > Networking > VNet integration, disconnect ${subnet.name} and connect ${name}.`,
        command: null,
      });
    }
  }
  if (deleteOld) {
    steps.push({
      description: `Once no app uses it, delete the old subnet ${subnet.name} to return its addresses.`,
      command: command("az network vnet subnet delete", ...vnetArgs(vnet), ["--name", subnet.name]),
    });
  }
  return {
    summary: `Replace ${subnet.name} (${reason}) with new subnet ${name} (${allocation.prefix}) in ${vnet.name} and move ${plans.length} plan(s) to it.`,
    steps,
    proposedSubnet: { virtualNetworkId: vnet.id, name, addressPrefix: allocation.prefix, exists: false },
    blockers: [],
  };
}

/** The plan's sites and slots integrating into the subnet, in order of ID. */
function integratedSites(index: InventoryIndex, planId: string, subnetId: string): Site[] {
  const plan = index.plan(planId);
  return index
    .sitesOnPlan(planId)
    .filter((site) => sameArmId(regionalIntegrationSubnetId(site, plan), subnetId))
    .sort((a, b) => armKey(a.id).localeCompare(armKey(b.id)));
}

/**
 * The retirement migration planner (RULES.md "Fix plans", `gateway-integration-legacy`): one
 * plan per App Service plan, since a plan has one regional integration and all its apps and
 * slots move together ("Integrate your app with an Azure virtual network", Limitations:
 * https://learn.microsoft.com/azure/app-service/overview-vnet-integration#limitations).
 *
 * Target, in order: the subnet the plan already integrates into (`exists: true`); otherwise a
 * new delegated subnet in the VNet its apps reach through the gateway, when that VNet is in the
 * plan's region. Every other reached VNet that is neither the target nor peered with it gets
 * peering steps. Then, per app and slot: add regional integration, keep the routes it had
 * (Route All where it reached more than the target VNet itself), verify, and remove the
 * gateway-required connection. The gateway and its point-to-site configuration stay.
 */
import type { FixBlocker, FixPlan, FixStep, ProposedSubnet } from "../model/finding.js";
import type { Plan, Site, VirtualNetwork, VnetConnection } from "../model/inventory.js";
import {
  connectionVnetName,
  effectiveRouteAll,
  isExpressRouteGateway,
  isWindowsContainerSite,
  namesSubnet,
  planAddressDemand,
  planTier,
  regionalIntegrationSubnetId,
} from "../rules/terms.js";
import { isWithinRfc1918 } from "../util/ipv4.js";
import type { GatewayIntegratedSite } from "../rules/selectors.js";
import type { InventoryIndex } from "../rules/inventory-index.js";
import { armKey, parentVirtualNetworkId, sameArmId } from "../util/arm-id.js";
import { neededPrefixLength } from "./address-space.js";
import type { AddressAllocator } from "./allocator.js";
import {
  addRegionalIntegration,
  createDelegatedSubnet,
  deleteGatewayConnection,
  listVnetIntegrations,
  peeringCreate,
  resourceName,
  setRouteAll,
  siteTarget,
  vnetArgs,
  command,
} from "./commands.js";
import { addressSpaceBlocker, normalizeRegion, peeredWith, sizeFor } from "./shared.js";

/** Tiers without VNet integration of any kind (App Service plans "Pricing details"). */
const TIERS_WITHOUT_INTEGRATION = new Set(["free", "shared", "dynamic"]);

interface ReachedVnet {
  id: string;
  vnet: VirtualNetwork | undefined;
  sites: Site[];
}

/** The gateway-reached VNets of a plan's sites, most-reached first (ties by ID). */
function reachedVnets(index: InventoryIndex, sites: readonly GatewayIntegratedSite[]): ReachedVnet[] {
  const byId = new Map<string, ReachedVnet>();
  for (const { site, connections } of sites) {
    for (const connection of connections) {
      const id = connection.vnetResourceId ?? connection.name;
      const entry = byId.get(armKey(id)) ?? { id, vnet: index.virtualNetwork(id), sites: [] };
      if (!entry.sites.includes(site)) entry.sites.push(site);
      byId.set(armKey(id), entry);
    }
  }
  return [...byId.values()].sort((a, b) => b.sites.length - a.sites.length || armKey(a.id).localeCompare(armKey(b.id)));
}

export function isClassicVnetId(id: string): boolean {
  return /\/providers\/Microsoft\.ClassicNetwork\//i.test(id);
}

/** The subnet the plan already uses for regional integration, from the plan or any of its sites. */
function existingRegionalSubnet(index: InventoryIndex, plan: Plan | undefined, planId: string | undefined): string | undefined {
  if (namesSubnet(plan?.virtualNetworkSubnetId)) return plan.virtualNetworkSubnetId;
  if (planId === undefined) return undefined;
  for (const site of index.sitesOnPlan(planId)) {
    const subnetId = regionalIntegrationSubnetId(site, plan);
    if (subnetId) return subnetId;
  }
  return undefined;
}

/**
 * Route All keeps what the gateway connection reached when that was more than the target
 * VNet's own private space: another VNet (now through peering), the reached VNet's own
 * peerings, on-premises through ExpressRoute, or public-range prefixes. Regional integration
 * routes only RFC 1918 traffic into the VNet without it.
 */
function needsRouteAll(index: InventoryIndex, reached: readonly ReachedVnet[], target: VirtualNetwork): string | undefined {
  for (const { id, vnet } of reached) {
    if (!vnet) continue;
    if (!sameArmId(vnet.id, target.id)) return `it reached ${vnet.name}, now through peering`;
    if ((vnet.peerings ?? []).length > 0) return `${vnet.name} is peered with other networks`;
    if (index.gatewaysOf(id).some(isExpressRouteGateway)) return `${vnet.name} reaches on-premises through ExpressRoute`;
    if (vnet.addressPrefixes.some((prefix) => !prefix.includes(":") && !isWithinRfc1918(prefix))) {
      return `${vnet.name} has address space outside RFC 1918`;
    }
  }
  return undefined;
}

export interface MigrationInput {
  index: InventoryIndex;
  planId: string | undefined;
  /** The plan's sites and slots on gateway-required integration; never empty. */
  sites: readonly GatewayIntegratedSite[];
  allocator: AddressAllocator;
  /** The evaluation clock (a finished autoscale campaign no longer counts toward demand). */
  now: Date;
}

export function planMigration({ index, planId, sites, allocator, now }: MigrationInput): FixPlan {
  const plan = index.plan(planId);
  const planName = plan?.name ?? planId?.split("/").pop() ?? sites[0]!.site.name;
  const region = normalizeRegion(plan?.location ?? sites[0]!.site.location);
  const ordered = [...sites].sort((a, b) => armKey(a.site.id).localeCompare(armKey(b.site.id)));
  const reached = reachedVnets(index, ordered);
  const blockers: FixBlocker[] = [];
  const steps: FixStep[] = [];
  const appCount = `${ordered.length} app(s) and slot(s)`;

  const tier = plan ? planTier(plan) : undefined;
  if (tier && TIERS_WITHOUT_INTEGRATION.has(tier.toLowerCase())) {
    blockers.push({
      code: "plan-tier-unsupported",
      message: `Plan ${planName} is on the ${tier} tier, which has no regional VNet integration: scale it to Basic or higher (Premium v3 recommended) first.`,
    });
  }
  for (const { id } of reached) {
    if (isClassicVnetId(id)) {
      blockers.push({
        code: "classic-vnet",
        message: `${id.split("/").pop()} is a classic VNet: regional integration needs a Resource Manager VNet in ${region}. Migrate the classic VNet to Resource Manager (or move its workloads to one), then plan again.`,
      });
    }
  }
  for (const { id, vnet } of reached) {
    if (!vnet && !isClassicVnetId(id)) {
      blockers.push({
        code: "vnet-not-collected",
        message: `VNet ${id.split("/").pop()} was not read in this scan (outside the audited subscriptions or not readable): audit its subscription to plan the move.`,
      });
    }
  }

  // The target subnet: the plan's own regional subnet, else a new one in a reached VNet of its region.
  let proposedSubnet: ProposedSubnet | null = null;
  let target: VirtualNetwork | undefined;
  const existingId = existingRegionalSubnet(index, plan, planId);
  if (existingId) {
    const found = index.subnet(existingId);
    target = found?.vnet;
    if (found) {
      proposedSubnet = { virtualNetworkId: found.vnet.id, name: found.subnet.name, addressPrefix: found.subnet.addressPrefixes[0] ?? "", exists: true };
    } else {
      blockers.push({
        code: "vnet-not-collected",
        message: `The plan's regional subnet ${existingId.split("/").pop()} is in VNet ${parentVirtualNetworkId(existingId)?.split("/").pop()}, which was not read in this scan.`,
      });
    }
  } else if (blockers.length === 0) {
    const candidates = reached.filter((entry) => entry.vnet);
    target = candidates.find((entry) => normalizeRegion(entry.vnet!.location) === region)?.vnet;
    if (!target) {
      const elsewhere = candidates.map((entry) => `${entry.vnet!.name} (${entry.vnet!.location})`).join(", ");
      blockers.push({
        code: "vnet-other-region",
        message:
          `Regional integration needs a VNet in the plan's region (${region}); the apps reach ${elsewhere}. ` +
          `Create a VNet in ${region} with a /26 subnet delegated to Microsoft.Web/serverFarms, peer it with ${candidates.map((c) => c.vnet!.name).join(", ")}, then plan again.`,
      });
      if (plan) steps.push(...newRegionalVnetSteps(plan, region, candidates.map((c) => c.vnet!), allocator));
    } else {
      const demand = plan ? planAddressDemand(plan, index.sitesOnPlan(plan.id), index.autoscaleSettingsFor(plan.id), now).demand : 0;
      const length = neededPrefixLength(demand) ?? sizeFor(demand);
      const name = resourceName(`snet-${planName}`, target.subnets.map((subnet) => subnet.name));
      const allocation = allocator.allocate(target, length);
      if ("prefix" in allocation) {
        proposedSubnet = { virtualNetworkId: target.id, name, addressPrefix: allocation.prefix, exists: false };
        steps.push({
          description: `Create subnet ${name} (${allocation.prefix}: the plan's planned demand of ${demand} address(es), doubled while scaling, in at least a /26) in ${target.name}, delegated to Microsoft.Web/serverFarms.`,
          command: createDelegatedSubnet(target, name, allocation.prefix),
        });
      } else {
        const { blocker, step } = addressSpaceBlocker(target, length, allocation.shortfall);
        blockers.push(blocker);
        if (step) steps.push(step);
      }
    }
  }

  if (blockers.length > 0 || !target || !proposedSubnet) {
    return {
      summary: `Plan ${planName} (${appCount}) can't move to regional integration yet: ${blockers.map((b) => b.code).join(", ")}.`,
      steps,
      proposedSubnet: null,
      blockers,
    };
  }

  const peered = peeringSteps(index, target, reached);
  steps.push(...peered.steps);
  const subnetName = proposedSubnet.name;
  for (const { site } of ordered) {
    steps.push({
      description: `Add regional VNet integration to ${site.name} with subnet ${subnetName} of ${target.name}.`,
      command: addRegionalIntegration(siteTarget(site), target.id, subnetName),
    });
  }
  for (const entry of ordered) {
    const why = needsRouteAll(index, reached.filter((r) => r.sites.includes(entry.site)), target);
    if (!why || effectiveRouteAll(entry.site).enabled) continue;
    steps.push(
      isWindowsContainerSite(entry.site)
        ? {
            description: `Keep ${entry.site.name}'s routes: ${why}, but Route All is not supported on Windows containers; add routes to reach those networks privately or call them on RFC 1918 addresses.`,
            command: null,
          }
        : { description: `Turn on Route All for ${entry.site.name} so that its traffic keeps reaching what it did (${why}).`, command: setRouteAll(siteTarget(entry.site), true) },
    );
  }
  for (const { site } of ordered) {
    steps.push({
      description: `Verify ${site.name}: the list shows the regional integration (${subnetName}) beside the gateway-required connection; test a call to a private endpoint or VM it uses.`,
      command: listVnetIntegrations(siteTarget(site)),
    });
  }
  for (const { site, connections } of ordered) {
    for (const connection of connections) steps.push(removalStep(index, site, connection));
  }

  const where = proposedSubnet.exists
    ? `its regional subnet ${subnetName} (${proposedSubnet.addressPrefix}) in ${target.name}`
    : `new subnet ${subnetName} (${proposedSubnet.addressPrefix}) in ${target.name}`;
  return {
    summary:
      `Move plan ${planName} (${appCount}: ${ordered.map((s) => s.site.name).join(", ")}) to regional integration into ${where}` +
      `${peered.peers.length > 0 ? `, peered with ${peered.peers.join(", ")}` : ""}, then remove the gateway-required connections.`,
    steps,
    proposedSubnet,
    blockers: [],
  };
}

/**
 * The way out of `vnet-other-region`: a VNet in the plan's region (in the plan's resource
 * group) with an address space that overlaps nothing this audit read, its delegated /26, and
 * global peering with each VNet the apps reached. After a scan, the plan targets it.
 */
function newRegionalVnetSteps(plan: Plan, region: string, remotes: readonly VirtualNetwork[], allocator: AddressAllocator): FixStep[] {
  const space = allocator.freshSpace(remotes.flatMap((vnet) => vnet.addressPrefixes), 24);
  if (!space) return [];
  const name = resourceName(`vnet-${plan.name}-${region}`, []);
  const subnetName = resourceName(`snet-${plan.name}`, []);
  const subnetPrefix = space.replace(/\/24$/, "/26");
  const vnet: VirtualNetwork = {
    id: `/subscriptions/${plan.subscriptionId}/resourceGroups/${plan.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${name}`,
    name,
    subscriptionId: plan.subscriptionId,
    resourceGroup: plan.resourceGroup,
    location: region,
    addressPrefixes: [space],
    dnsServers: [],
    subnets: [],
  };
  const steps: FixStep[] = [
    {
      description: `Create VNet ${name} in ${region} (${space}, which overlaps no network this audit read; check your IP address plan) with subnet ${subnetName} (${subnetPrefix}).`,
      command: command(
        "az network vnet create",
        ["--subscription", plan.subscriptionId],
        ["--resource-group", plan.resourceGroup],
        ["--name", name],
        ["--location", region],
        ["--address-prefixes", space],
        ["--subnet-name", subnetName],
        ["--subnet-prefixes", subnetPrefix],
      ),
    },
    {
      description: `Delegate ${subnetName} to Microsoft.Web/serverFarms.`,
      command: command("az network vnet subnet update", ...vnetArgs(vnet), ["--name", subnetName], ["--delegations", "Microsoft.Web/serverFarms"]),
    },
  ];
  for (const remote of remotes) {
    steps.push(
      { description: `Peer ${name} with ${remote.name} (global peering).`, command: peeringCreate(vnet, remote.id, resourceName(`peer-${name}-to-${remote.name}`, []), {}) },
      { description: `Peer ${remote.name} with ${name}.`, command: peeringCreate(remote, vnet.id, resourceName(`peer-${remote.name}-to-${name}`, []), {}) },
    );
  }
  steps.push({ description: `Scan again: the plan then moves into ${subnetName} of ${name}.`, command: null });
  return steps;
}

function removalStep(index: InventoryIndex, site: Site, connection: VnetConnection): FixStep {
  const gateway = index.gatewaysOf(connection.vnetResourceId).find((g) => g.vpnClientConfiguration);
  return {
    description:
      `Remove ${site.name}'s gateway-required connection to ${connectionVnetName(connection)} (no CLI command: the REST call Web Apps - Delete Vnet Connection). ` +
      `${gateway ? `Gateway ${gateway.name} and its point-to-site configuration stay: other apps or clients may use them.` : "The VPN gateway and its point-to-site configuration stay."}`,
    command: deleteGatewayConnection(site, connection.name),
  };
}

/**
 * Peering both ways between the target VNet and each reached VNet not already peered with it.
 * A reached VNet with a gateway (it may lead on-premises) offers gateway transit, and the
 * target uses it, unless the target has a gateway of its own or already uses a remote one.
 */
function peeringSteps(index: InventoryIndex, target: VirtualNetwork, reached: readonly ReachedVnet[]): { steps: FixStep[]; peers: string[] } {
  const steps: FixStep[] = [];
  const peers: string[] = [];
  let usesRemoteGateway = (target.peerings ?? []).some((peering) => peering.useRemoteGateways) || index.gatewaysOf(target.id).length > 0;
  for (const { vnet } of reached) {
    if (!vnet || sameArmId(vnet.id, target.id) || peeredWith(target, vnet)) continue;
    const transit = !usesRemoteGateway && index.gatewaysOf(vnet.id).length > 0;
    if (transit) usesRemoteGateway = true;
    const there = resourceName(`peer-${vnet.name}-to-${target.name}`, (vnet.peerings ?? []).map((p) => p.name));
    const here = resourceName(`peer-${target.name}-to-${vnet.name}`, (target.peerings ?? []).map((p) => p.name));
    steps.push(
      {
        description: `Peer ${vnet.name} with ${target.name}${transit ? ", offering its gateway for transit" : ""} (first half of the peering).`,
        command: peeringCreate(vnet, target.id, there, { allowGatewayTransit: transit }),
      },
      {
        description: `Peer ${target.name} with ${vnet.name}${transit ? ", using its gateway to reach on-premises" : ""} (second half).`,
        command: peeringCreate(target, vnet.id, here, { useRemoteGateways: transit }),
      },
    );
    peers.push(vnet.name);
  }
  return { steps, peers };
}

/** A plan's key for grouping: its ID, or the site's own ID when the plan is unknown. */
export function migrationKey(index: InventoryIndex, site: Site): string {
  return armKey(index.planIdOf(site) ?? site.id);
}

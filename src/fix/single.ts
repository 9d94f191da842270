/**
 * Fix plans of the rules fixed by one command on the resource the finding names (RULES.md
 * "Fix plans", other rules), with its real resource group, name and slot; `command: null`
 * with a portal step where the CLI has no command for it.
 */
import type { Finding, FixPlan, FixStep } from "../model/finding.js";
import type { Certificate, Site, VirtualNetworkGateway } from "../model/inventory.js";
import { effectiveRouteAll, gatewayConnections, isRouteAllAppSettingOn, planTier } from "../rules/terms.js";
import { isWithinRfc1918 } from "../util/ipv4.js";
import type { InventoryIndex } from "../rules/inventory-index.js";
import { armKey, resourceGroupOf } from "../util/arm-id.js";
import { formatCidr, additionalAddressSpace } from "./address-space.js";
import { command, deleteAppSetting, setRouteAll, siteArgs, siteTarget, vnetArgs } from "./commands.js";

const plan = (summary: string, steps: FixStep[]): FixPlan => ({ summary, steps, proposedSubnet: null, blockers: [] });

export function httpsOnlyFix(site: Site): FixPlan {
  const target = siteTarget(site);
  const cmd =
    target.group === "functionapp"
      ? command("az functionapp update", ...siteArgs(target), ["--set", "httpsOnly=true"])
      : command("az webapp update", ...siteArgs(target), ["--https-only", "true"]);
  return plan(`Turn on HTTPS Only for ${site.name}.`, [{ description: `Redirect ${site.name}'s HTTP requests to HTTPS.`, command: cmd }]);
}

export function routeAllFix(site: Site): FixPlan {
  return plan(`Turn on Route All for ${site.name}.`, [
    { description: `Route all of ${site.name}'s outbound traffic through its integration subnet, so private DNS zones linked to the VNet apply.`, command: setRouteAll(siteTarget(site), true) },
    { description: `Check that the integration subnet's NSG and route table allow ${site.name}'s internet-bound traffic (portal: the subnet > Network security group, Route table).`, command: null },
  ]);
}

export function legacyRouteAllSettingFix(site: Site): FixPlan {
  const target = siteTarget(site);
  return plan(`Move ${site.name}'s Route All from the WEBSITE_VNET_ROUTE_ALL app setting to the site setting.`, [
    { description: `Turn on the Route All site setting for ${site.name}.`, command: setRouteAll(target, true) },
    { description: `Remove the legacy WEBSITE_VNET_ROUTE_ALL app setting from ${site.name} (the app restarts).`, command: deleteAppSetting(target, "WEBSITE_VNET_ROUTE_ALL") },
  ]);
}

export function windowsContainerRouteAllFix(site: Site): FixPlan {
  const target = siteTarget(site);
  const routeAll = effectiveRouteAll(site);
  const steps: FixStep[] = [];
  if (routeAll.enabledBy.includes("siteConfig.vnetRouteAllEnabled")) {
    steps.push({ description: `Turn off the Route All site setting on ${site.name}.`, command: setRouteAll(target, false) });
  }
  if (routeAll.enabledBy.some((source) => source.startsWith("outboundVnetRouting."))) {
    steps.push({
      description: `Turn off outbound VNet routing (outboundVnetRouting) on ${site.name}.`,
      command: command(
        "az resource update",
        ["--ids", site.id],
        "--set",
        "properties.outboundVnetRouting.allTraffic=false",
        "properties.outboundVnetRouting.applicationTraffic=false",
      ),
    });
  }
  if (routeAll.enabledBy.includes("WEBSITE_VNET_ROUTE_ALL") || isRouteAllAppSettingOn(site.appSettings?.WEBSITE_VNET_ROUTE_ALL)) {
    steps.push({ description: `Remove the WEBSITE_VNET_ROUTE_ALL app setting from ${site.name}.`, command: deleteAppSetting(target, "WEBSITE_VNET_ROUTE_ALL") });
  }
  steps.push({ description: `Control ${site.name}'s outbound traffic at its destinations instead (firewall rules, private endpoints).`, command: null });
  return plan(`Stop relying on Route All for Windows container app ${site.name}.`, steps);
}

export function planTierFix(index: InventoryIndex, site: Site): FixPlan | null {
  const appPlan = index.planOf(site);
  if (!appPlan) return null;
  const tier = planTier(appPlan)?.toLowerCase();
  const args: [string, string][] = [["--subscription", appPlan.subscriptionId], ["--resource-group", appPlan.resourceGroup || resourceGroupOf(appPlan.id) || ""]];
  if (tier === "dynamic") {
    const premium = `${appPlan.name}-ep`;
    return plan(`Move function app ${site.name} from the Consumption plan ${appPlan.name} to an Elastic Premium plan, which supports VNet integration.`, [
      {
        description: `Create Elastic Premium plan ${premium} in ${appPlan.location}.`,
        command: command("az functionapp plan create", ...args, ["--name", premium], ["--location", appPlan.location], ["--sku", "EP1"]),
      },
      { description: `Move ${site.name} to ${premium}.`, command: command("az functionapp update", ...siteArgs(siteTarget(site)), ["--plan", premium]) },
    ]);
  }
  return plan(`Scale plan ${appPlan.name} to a tier with VNet integration (Premium v3 P0v3 shown; Basic B1 is the cheapest that has it).`, [
    { description: `Scale ${appPlan.name} from ${planTier(appPlan) ?? "its tier"} to P0v3.`, command: command("az appservice plan update", ...args, ["--name", appPlan.name], ["--sku", "P0V3"]) },
  ]);
}

export function resyncFix(index: InventoryIndex, site: Site, migration: FixPlan | null): FixPlan {
  const appPlan = index.planOf(site);
  const vnets = gatewayConnections(site).filter((c) => c.resyncRequired).map((c) => c.vnetResourceId?.split("/").pop() ?? c.name);
  return plan(`Run Sync Network for ${site.name}'s VNet connection(s) to ${vnets.join(", ")}${migration ? ", or better, migrate the plan to regional integration" : ""}.`, [
    {
      description:
        `No CLI command exists: in the portal, open plan ${appPlan?.name ?? "of the app"} > Networking > VNet integration, select ${vnets.join(", ")} and run Sync Network ` +
        `(a brief outage; the plan's apps using that VNet restart). Across subscriptions it doesn't work: disconnect and reconnect instead.`,
      command: null,
    },
    ...(migration ? [{ description: `Better, migrate to regional integration: ${migration.summary}`, command: null }] : []),
  ]);
}

export function p2sFix(index: InventoryIndex, site: Site, knownPrefixes: readonly string[]): FixPlan | null {
  const gateway = gatewayConnections(site)
    .flatMap((connection) => index.gatewaysOf(connection.vnetResourceId))
    .find((g) => g.gatewayType?.toLowerCase() === "vpn");
  if (!gateway) return null;
  return plan(`Set up gateway ${gateway.name}'s point-to-site configuration for App Service (SSTP, certificate, RFC 1918 pool), then run Sync Network.`, gatewaySteps(index, gateway, knownPrefixes));
}

function gatewaySteps(index: InventoryIndex, gateway: VirtualNetworkGateway, knownPrefixes: readonly string[]): FixStep[] {
  if (gateway.vpnType?.toLowerCase() === "policybased") {
    return [{ description: `Gateway ${gateway.name} is policy-based, which has no point-to-site: it must be recreated as route-based (portal: Virtual network gateways > Create, VPN type Route-based).`, command: null }];
  }
  const current = gateway.vpnClientConfiguration?.addressPrefixes ?? [];
  let pool = current.filter((p) => isWithinRfc1918(p));
  if (pool.length === 0) {
    const vnet = index.virtualNetwork(gateway.virtualNetworkId);
    const free = additionalAddressSpace(vnet?.addressPrefixes ?? [], (vnet?.peerings ?? []).flatMap((p) => p.remoteAddressPrefixes), knownPrefixes, 24);
    if (free) pool = [formatCidr(free)];
  }
  const rg = resourceGroupOf(gateway.id) ?? "";
  return [
    {
      description: `Offer SSTP with certificate authentication${pool.length ? ` and the RFC 1918 pool ${pool.join(", ")}` : ""} on ${gateway.name}.`,
      command: command(
        "az network vnet-gateway update",
        ["--subscription", gateway.subscriptionId],
        ["--resource-group", rg],
        ["--name", gateway.name],
        ["--client-protocol", "SSTP"],
        ["--vpn-auth-type", "Certificate"],
        ...(pool.length ? ["--address-prefixes", ...pool] : []),
      ),
    },
    { description: `Then run Sync Network on the plan (portal: plan > Networking > VNet integration > Sync Network); better, migrate the plan to regional integration.`, command: null },
  ];
}

export function certificateFix(index: InventoryIndex, certificate: Certificate): FixPlan {
  const rg = certificate.resourceGroup || resourceGroupOf(certificate.id) || "";
  const bound = certificate.thumbprint ? index.sitesBinding(certificate.thumbprint) : [];
  const steps: FixStep[] = [
    {
      description: `Renew certificate ${certificate.name} (${certificate.hostNames.join(", ") || certificate.subjectName || "no host names"}): App Service managed and App Service Certificate resources renew in the portal (Certificates > select > Renew); for your own certificate, upload the renewed PFX (Certificates > Bring your own certificates > Add).`,
      command: null,
    },
  ];
  if (certificate.thumbprint) {
    steps.push({
      description: `List the bindings still on the old thumbprint ${certificate.thumbprint}.`,
      command: command("az webapp config ssl list", ["--subscription", certificate.subscriptionId], ["--resource-group", rg], ["--query", `[?thumbprint=='${certificate.thumbprint}']`]),
    });
  }
  for (const site of [...bound].sort((a, b) => armKey(a.id).localeCompare(armKey(b.id)))) {
    const hosts = site.hostNameSslStates.filter((h) => h.thumbprint?.toLowerCase() === certificate.thumbprint?.toLowerCase()).map((h) => h.name);
    steps.push({
      description: `Bind ${hosts.join(", ")} on ${site.name} to the renewed certificate's thumbprint (az webapp config ssl bind --certificate-thumbprint with the new thumbprint, or portal: the app > Custom domains > Add binding).`,
      command: null,
    });
  }
  return plan(`Renew certificate ${certificate.name} and rebind ${bound.length} app(s) to it.`, steps);
}

export function ipv6Fix(index: InventoryIndex, vnetId: string): FixPlan | null {
  const vnet = index.virtualNetwork(vnetId);
  if (!vnet) return null;
  const ipv4 = vnet.addressPrefixes.filter((p) => !p.includes(":"));
  const steps: FixStep[] = [];
  for (const subnet of vnet.subnets) {
    if (!subnet.addressPrefixes.some((p) => p.includes(":"))) continue;
    steps.push({
      description: `Drop the IPv6 prefix of subnet ${subnet.name} (keep its IPv4 prefixes).`,
      command: command("az network vnet subnet update", ...vnetArgs(vnet), ["--name", subnet.name], "--address-prefixes", ...subnet.addressPrefixes.filter((p) => !p.includes(":"))),
    });
  }
  steps.push({
    description: `Remove the IPv6 address space from ${vnet.name}, keeping ${ipv4.join(", ")}; or integrate the apps with an IPv4-only VNet peered with this one.`,
    command: command("az network vnet update", ["--subscription", vnet.subscriptionId], ["--resource-group", vnet.resourceGroup], ["--name", vnet.name], "--address-prefixes", ...ipv4),
  });
  return plan(`Make ${vnet.name} IPv4-only for regional integration.`, steps);
}

export function serviceEndpointPolicyFix(index: InventoryIndex, subnetId: string): FixPlan | null {
  const found = index.subnet(subnetId);
  if (!found) return null;
  return plan(`Remove the service endpoint policies from integration subnet ${found.subnet.name}.`, [
    {
      description: `Remove ${found.subnet.serviceEndpointPolicyIds.map((id) => id.split("/").pop()).join(", ")} from ${found.subnet.name}; restrict access at the target service instead (firewall rules or private endpoints).`,
      command: command("az network vnet subnet update", ...vnetArgs(found.vnet), ["--name", found.subnet.name], ["--remove", "serviceEndpointPolicies"]),
    },
  ]);
}

export function planVnetListStep(index: InventoryIndex, planId: string): FixStep | undefined {
  const appPlan = index.plan(planId);
  if (!appPlan) return undefined;
  return {
    description: `List the VNets plan ${appPlan.name}'s apps use through gateway-required integration.`,
    command: command("az appservice vnet-integration list", ["--subscription", appPlan.subscriptionId], ["--resource-group", appPlan.resourceGroup], ["--plan", appPlan.name]),
  };
}

export type { Finding };

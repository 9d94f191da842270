/**
 * `az` command lines with real names, for fix plans. Every command carries `--subscription`,
 * so it runs whatever subscription the engineer's `az account` points at, and `--slot` only
 * for slots. Syntax follows the Azure CLI reference (learn.microsoft.com/cli/azure):
 * "az webapp vnet-integration", "az functionapp vnet-integration", "az webapp config",
 * "az network vnet subnet", "az network vnet peering", "az rest".
 */
import type { Site, VirtualNetwork } from "../model/inventory.js";
import { kindTokens } from "../rules/terms.js";
import { resourceGroupOf, subscriptionOf } from "../util/arm-id.js";

/** Quotes a shell argument when it holds anything beyond a safe set (POSIX single quotes). */
export function shellArg(value: string): string {
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function command(...parts: (string | [flag: string, value: string] | undefined | false)[]): string {
  return parts
    .flatMap((part) => (part === undefined || part === false ? [] : typeof part === "string" ? [part] : [part[0], shellArg(part[1])]))
    .join(" ");
}

/** How a site is named on the command line: its app, and its slot when it is one. */
export interface SiteTarget {
  /** `webapp` or `functionapp` (az groups them apart; both work on Microsoft.Web/sites). */
  group: "webapp" | "functionapp";
  resourceGroup: string;
  subscriptionId: string;
  app: string;
  slot?: string;
  /** `app` or `app/slot`, for messages. */
  label: string;
}

export function siteTarget(site: Site): SiteTarget {
  const [app, slot] = site.slotOf ? (site.name.split("/") as [string, string]) : [site.name, undefined];
  return {
    group: kindTokens(site.kind).includes("functionapp") ? "functionapp" : "webapp",
    resourceGroup: site.resourceGroup || resourceGroupOf(site.id) || "",
    subscriptionId: site.subscriptionId,
    app,
    ...(slot ? { slot } : {}),
    label: site.name,
  };
}

/** `--subscription S --resource-group G --name APP [--slot SLOT]`. */
export function siteArgs(target: SiteTarget): [string, string][] {
  return [
    ["--subscription", target.subscriptionId],
    ["--resource-group", target.resourceGroup],
    ["--name", target.app],
    ...(target.slot ? [["--slot", target.slot] as [string, string]] : []),
  ];
}

export function vnetArgs(vnet: Pick<VirtualNetwork, "id" | "name" | "resourceGroup" | "subscriptionId">): [string, string][] {
  return [
    ["--subscription", vnet.subscriptionId || subscriptionOf(vnet.id) || ""],
    ["--resource-group", vnet.resourceGroup || resourceGroupOf(vnet.id) || ""],
    ["--vnet-name", vnet.name],
  ];
}

export function createDelegatedSubnet(vnet: VirtualNetwork, name: string, addressPrefix: string): string {
  return command(
    "az network vnet subnet create",
    ...vnetArgs(vnet),
    ["--name", name],
    ["--address-prefixes", addressPrefix],
    ["--delegations", "Microsoft.Web/serverFarms"],
  );
}

/** Regional integration; `--vnet` takes the VNet's resource ID, so another resource group or subscription works. */
export function addRegionalIntegration(target: SiteTarget, vnetId: string, subnetName: string): string {
  return command(`az ${target.group} vnet-integration add`, ...siteArgs(target), ["--vnet", vnetId], ["--subnet", subnetName]);
}

/** `az webapp vnet-integration remove` removes the *regional* integration (not a gateway-required connection). */
export function removeRegionalIntegration(target: SiteTarget): string {
  return command(`az ${target.group} vnet-integration remove`, ...siteArgs(target));
}

export function listVnetIntegrations(target: SiteTarget): string {
  return command(`az ${target.group} vnet-integration list`, ...siteArgs(target), ["--output", "table"]);
}

/** Route All through the site config (`vnetRouteAllEnabled`), which the CLI sets on apps and slots. */
export function setRouteAll(target: SiteTarget, enabled: boolean): string {
  return command(`az ${target.group} config set`, ...siteArgs(target), ["--vnet-route-all-enabled", String(enabled)]);
}

export function deleteAppSetting(target: SiteTarget, setting: string): string {
  return command(`az ${target.group} config appsettings delete`, ...siteArgs(target), ["--setting-names", setting]);
}

/** The API version of the App Service REST calls below (Web Apps - Delete Vnet Connection [Slot]). */
export const WEB_API_VERSION = "2023-12-01";

/**
 * Removes a gateway-required VNet connection. The CLI has no command for it (`vnet-integration
 * remove` removes the regional one), so this is the REST call "Web Apps - Delete Vnet
 * Connection (Slot)" through `az rest`, which prefixes a relative URL with the cloud's ARM endpoint.
 */
export function deleteGatewayConnection(site: Site, connectionName: string): string {
  const url = `${site.id}/virtualNetworkConnections/${encodeURIComponent(connectionName)}?api-version=${WEB_API_VERSION}`;
  return command("az rest", ["--method", "delete"], ["--url", url]);
}

export function peeringCreate(
  local: VirtualNetwork,
  remoteId: string,
  name: string,
  options: { allowGatewayTransit?: boolean; useRemoteGateways?: boolean },
): string {
  return command(
    "az network vnet peering create",
    ...vnetArgs(local),
    ["--name", name],
    ["--remote-vnet", remoteId],
    "--allow-vnet-access",
    "--allow-forwarded-traffic",
    options.allowGatewayTransit ? "--allow-gateway-transit" : undefined,
    options.useRemoteGateways ? "--use-remote-gateways" : undefined,
  );
}

/** Azure resource names for subnets and peerings: up to 80 characters, letters, digits, `-`, `_`, `.`. */
export function resourceName(base: string, taken: readonly string[]): string {
  const clean = base.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 76).replace(/[-.]+$/, "");
  const lower = new Set(taken.map((name) => name.toLowerCase()));
  if (!lower.has(clean.toLowerCase())) return clean;
  for (let n = 2; ; n++) if (!lower.has(`${clean}-${n}`.toLowerCase())) return `${clean}-${n}`;
}

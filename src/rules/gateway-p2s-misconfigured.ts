import type { VirtualNetworkGateway } from "../model/inventory.js";
import { defineRule, fail, pass } from "./rule.js";
import { gatewayConnectionEvidence } from "./evidence.js";
import { gatewayIntegratedSites, siteTarget } from "./selectors.js";
import { isVpnGateway } from "./terms.js";
import { isWithinRfc1918 } from "../util/ipv4.js";

type Problem =
  | "not-route-based"
  | "no-point-to-site"
  | "no-address-pool"
  | "ikev2-enabled"
  | "sstp-not-enabled"
  | "no-certificate-authentication"
  | "address-pool-outside-rfc1918";

const DESCRIPTION: Record<Problem, string> = {
  "not-route-based": "is not route-based",
  "no-point-to-site": "has no point-to-site configuration",
  "no-address-pool": "has a point-to-site configuration without an address pool",
  "ikev2-enabled": "offers IKEv2 on a non-Basic SKU",
  "sstp-not-enabled": "does not offer SSTP",
  "no-certificate-authentication": "does not offer certificate authentication for point-to-site",
  "address-pool-outside-rfc1918": "has a point-to-site address pool outside RFC 1918",
};

/**
 * What "Configure gateway-required virtual network integration", "Set up a gateway in your Azure virtual network", requires of the gateway: route-based; a point-to-site
 * configuration with an address pool; on a non-Basic SKU IKEv2 disabled and SSTP selected (SSTP
 * is required on any SKU: "configured with an SSTP point-to-site VPN"); certificate
 * authentication, since App Service connects with SSTP and a certificate it generates (a
 * RADIUS- or Entra-only point-to-site can't serve it); a pool inside 10/8, 172.16/12, 192.168/16.
 * Unknown values (no vpnType, no SKU, an empty protocol or authentication list) are not held
 * against the gateway.
 */
function gatewayProblems(gateway: VirtualNetworkGateway): Problem[] {
  const problems: Problem[] = [];
  if (gateway.vpnType !== undefined && gateway.vpnType.toLowerCase() !== "routebased") problems.push("not-route-based");
  const p2s = gateway.vpnClientConfiguration;
  if (!p2s) return [...problems, "no-point-to-site"];

  if (p2s.addressPrefixes.length === 0) problems.push("no-address-pool");
  const protocols = p2s.protocols.map((protocol) => protocol.toLowerCase());
  const isBasic = gateway.sku?.toLowerCase() === "basic";
  if (gateway.sku !== undefined && !isBasic && protocols.includes("ikev2")) problems.push("ikev2-enabled");
  if (protocols.length > 0 && !protocols.includes("sstp")) problems.push("sstp-not-enabled");
  const authentication = (p2s.authenticationTypes ?? []).map((type) => type.toLowerCase());
  if (authentication.length > 0 && !authentication.includes("certificate")) problems.push("no-certificate-authentication");
  if (p2s.addressPrefixes.some((prefix) => !isWithinRfc1918(prefix))) problems.push("address-pool-outside-rfc1918");
  return problems;
}

export const gatewayP2sMisconfigured = defineRule({
  meta: {
    id: "gateway-p2s-misconfigured",
    title: "VPN gateway used for gateway-required integration is not set up for it",
    category: "gateway",
    resourceType: "Microsoft.Web/sites",
    severities: ["high"],
    thresholds: {},
    reads: ["vnetConnections"],
    rationale:
      "Gateway-required integration needs a route-based VPN gateway with an SSTP point-to-site configuration (IKEv2 " +
      "disabled on non-Basic SKUs) whose address pool is in RFC 1918 space; otherwise the app cannot connect.",
    remediation: {
      text:
        "Make the gateway route-based with a point-to-site configuration that offers only SSTP and uses an RFC 1918 " +
        "address pool, then run Sync Network on the plan; better, migrate the app to regional VNet integration.",
      az: "az network vnet-gateway update --client-protocol SSTP --vpn-auth-type Certificate",
      bicep: [
        "resource gateway 'Microsoft.Network/virtualNetworkGateways@2023-11-01' = {",
        "  name: gatewayName",
        "  location: location",
        "  properties: {",
        "    gatewayType: 'Vpn'",
        "    vpnType: 'RouteBased'",
        "    sku: { name: 'VpnGw1', tier: 'VpnGw1' }",
        "    vpnClientConfiguration: {",
        "      vpnClientAddressPool: { addressPrefixes: [ '172.16.200.0/24' ] }",
        "      vpnClientProtocols: [ 'SSTP' ]",
        "    }",
        "    ipConfigurations: [ /* GatewaySubnet and public IP */ ]",
        "  }",
        "}",
      ].join("\n"),
    },
    references: [
      "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration#set-up-a-gateway-in-your-azure-virtual-network",
      "https://learn.microsoft.com/azure/vpn-gateway/point-to-site-certificate-gateway",
    ],
  },

  select: gatewayIntegratedSites,
  target: siteTarget,
  judge(entry, { index }) {
    const { site, connections } = entry;
    // A connection whose VNet has no VPN gateway in the inventory can't be judged here.
    const judged = connections.flatMap((connection) => {
      const gateway = index.gatewaysOf(connection.vnetResourceId).find(isVpnGateway);
      return gateway ? [{ connection, gateway, problems: gatewayProblems(gateway) }] : [];
    });
    const faulty = judged.filter(({ problems }) => problems.length > 0);
    if (faulty.length === 0) return pass();

    const summary = faulty
      .map(({ gateway, problems }) => `${gateway.name}, which ${problems.map((problem) => DESCRIPTION[problem]).join(" and ")}`)
      .join("; ");
    return fail({
      severity: "high",
      message: `Site ${site.name} uses gateway-required integration through VPN gateway ${summary}.`,
      evidence: {
        connections: faulty.map(({ connection, gateway, problems }) => ({
          ...gatewayConnectionEvidence(index, entry, connection),
          problems,
          vpnType: gateway.vpnType ?? null,
          pointToSite: gateway.vpnClientConfiguration ?? null,
          addressPrefixesOutsideRfc1918: (gateway.vpnClientConfiguration?.addressPrefixes ?? []).filter(
            (prefix) => !isWithinRfc1918(prefix),
          ),
        })),
      },
    });
  },
});

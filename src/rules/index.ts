import type { Rule } from "./rule.js";
import { certificateExpiring } from "./certificate-expiring.js";
import { gatewayCertificateExpiring } from "./gateway-certificate-expiring.js";
import { gatewayIntegrationLegacy } from "./gateway-integration-legacy.js";
import { gatewayIntegrationUnsupported } from "./gateway-integration-unsupported.js";
import { gatewayP2sMisconfigured } from "./gateway-p2s-misconfigured.js";
import { gatewayPlanVnetLimit } from "./gateway-plan-vnet-limit.js";
import { gatewayResyncRequired } from "./gateway-resync-required.js";
import { httpsOnlyDisabled } from "./https-only-disabled.js";
import { integrationVnetIpv6 } from "./integration-vnet-ipv6.js";
import { linuxPrivateDnsWithoutRouteAll } from "./linux-private-dns-without-route-all.js";
import { planTierUnsupported } from "./plan-tier-unsupported.js";
import { routeAllLegacyAppSetting } from "./route-all-legacy-app-setting.js";
import { routeAllWindowsContainer } from "./route-all-windows-container.js";
import { subnetNotDedicated } from "./subnet-not-dedicated.js";
import { subnetServiceEndpointPolicy } from "./subnet-service-endpoint-policy.js";
import { subnetUndersized } from "./subnet-undersized.js";

/** The catalog, in RULES.md order. */
export const RULES: readonly Rule[] = [
  subnetUndersized,
  subnetNotDedicated,
  integrationVnetIpv6,
  subnetServiceEndpointPolicy,
  planTierUnsupported,
  gatewayIntegrationLegacy,
  gatewayIntegrationUnsupported,
  gatewayP2sMisconfigured,
  gatewayResyncRequired,
  gatewayPlanVnetLimit,
  gatewayCertificateExpiring,
  linuxPrivateDnsWithoutRouteAll,
  routeAllLegacyAppSetting,
  routeAllWindowsContainer,
  certificateExpiring,
  httpsOnlyDisabled,
];

const RULES_BY_ID = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return RULES_BY_ID.get(id);
}

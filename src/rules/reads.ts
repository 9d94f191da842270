/**
 * When collection makes each per-site read, derived from the rules' metadata: a read is made
 * for a site only when some rule declares it in `meta.reads` and the site is one that rule's
 * selector can pick, and only when the site's list payload does not already settle it. The
 * conditions are the selectors' own predicates (selectors.ts), so what collection skips is
 * exactly what no rule can judge by.
 */
import type { Plan, Site } from "../model/inventory.js";
import { RULES } from "./index.js";
import type { Rule, SiteRead } from "./rule.js";
import { isRegionallyIntegrated, mayHoldGatewayConnections } from "./selectors.js";
import { effectiveRouteAll, SITE_LEVEL_ROUTE_ALL_SOURCES } from "./terms.js";

export interface SiteReadNeed {
  /** The sites the selectors of the rules that declare the read can pick (decided from what is known before the read). */
  selects(site: Site, plan: Plan | undefined): boolean;
  /** True when what is already known (the list payload, earlier reads) settles every verdict the read could change. */
  settled?(site: Site): boolean;
}

/** Route All turned on at site level: no app setting can turn it further on, and every rule declaring app settings is then decided. */
function siteLevelRouteAll(site: Site): boolean {
  return effectiveRouteAll(site).enabledBy.some((source) => SITE_LEVEL_ROUTE_ALL_SOURCES.includes(source));
}

export const SITE_READ_NEEDS: Readonly<Record<SiteRead, SiteReadNeed>> = {
  // Gateway-required connections show only in this list; regional ones show in the payload too.
  vnetConnections: { selects: mayHoldGatewayConnections },
  // The 2025 API reports Route All as outboundVnetRouting ("previously called VnetRouteAllEnabled"):
  // a payload carrying it answers what site config would.
  config: { selects: isRegionallyIntegrated, settled: (site) => site.outboundVnetRouting !== undefined },
  appSettings: { selects: isRegionallyIntegrated, settled: siteLevelRouteAll },
};

/** Whether collection reads `read` for the site: a rule needs it, can select the site, and nothing known settles it yet. */
export function siteNeedsRead(read: SiteRead, site: Site, plan: Plan | undefined, rules: readonly Rule[] = RULES): boolean {
  const need = SITE_READ_NEEDS[read];
  return rules.some((rule) => rule.meta.reads.includes(read)) && need.selects(site, plan) && !need.settled?.(site);
}

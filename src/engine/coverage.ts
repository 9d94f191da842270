import { findingId } from "../model/finding.js";
import type { Inventory, ReadStatus } from "../model/inventory.js";

/** Rules whose verdict on a site depends on its app settings or site config (Route All, custom DNS). */
const ROUTE_ALL_RULES = ["linux-private-dns-without-route-all", "route-all-legacy-app-setting", "route-all-windows-container"];

const unread = (status: ReadStatus) => status === "forbidden" || status === "failed" || status === "notFound";

/**
 * The findings an inventory could not decide either way: a rule that needed a site's app
 * settings or config, where the read was refused or missing, or a gateway certificate that
 * could not be parsed. Such a finding's absence proves nothing, so the run that collected
 * this inventory must not resolve it (docs/ARCHITECTURE.md, Storage: a scan that could not read a resource never
 * resolves anything that depends on it). Returns finding IDs.
 */
export function undecidedFindingIds(inventory: Inventory): string[] {
  const ids: string[] = [];
  for (const site of inventory.sites) {
    if (unread(site.reads.appSettings) || unread(site.reads.config)) {
      for (const ruleId of ROUTE_ALL_RULES) ids.push(findingId(ruleId, site.id));
    }
    if ((site.vnetConnections ?? []).some((connection) => !connection.isSwift && connection.certificate.unreadable)) {
      ids.push(findingId("gateway-certificate-expiring", site.id));
    }
  }
  return ids;
}

/**
 * Typed builders for ARM resources in wire format (what Resource Manager
 * returns, nested `properties` and all), for the ARM emulator's tenants,
 * tests and sample data.
 *
 * Builders are deliberately small: each emits the properties the audit reads
 * plus the few that make a resource look like the real thing, and nothing the
 * real API does not return. Anything else can be added with `extra`
 * (shallow-merged into `properties`).
 *
 * Locations follow ARM's own inconsistency: Microsoft.Web returns display
 * names ("West Europe"), Microsoft.Network returns short names ("westeurope").
 *
 * One module per kind of resource; import them all as `import * as b from ".../emulator/tenant/index.js"`.
 */
export {
  DEFAULT_NETWORK_LOCATION,
  DEFAULT_WEB_LOCATION,
  parseResourceId,
  resourceGroupId,
  resourceId,
  stableGuid,
  subnetId,
  subscriptionResourceId,
  type ParsedResourceId,
} from "./ids.js";
export * from "./tenant.js";
export * from "./sites.js";
export * from "./plans.js";
export * from "./network.js";
export * from "./dns.js";
export * from "./monitor.js";

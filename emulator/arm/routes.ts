/**
 * Routing: (method, path, query) -> ARM result, generic over resource IDs (GET an ID, GET a
 * collection, POST `.../list`), with each provider's quirks in its own module. Pure apart
 * from the store.
 */
import type { ArmResource } from "./types.js";
import type { ResourceStore } from "./store.js";
import { implicitChildren, implicitSubnet, servedNetwork } from "./network.js";
import { managementGroupDescendants, resourceGroupBody, subscriptionBody } from "./resources.js";
import { asListedSite, BARE_ARRAY_TYPES, implicitSiteConfig, LIST_ONLY_CONFIG, SITE_CONFIG_TYPES, SITE_TYPES } from "./web.js";
import { armError, lower, methodNotAllowed, notFound, paged, parseArmPath, providerPath, segmentsOf, type ArmRequest, type ArmResult, type RouteContext } from "./wire.js";

/**
 * Resources ARM serves without the tenant having to spell them out:
 * - `config/web` of an existing site or slot (every app has one);
 * - `config/{appsettings,...}` read through POST list (empty dictionary);
 * - subnets of a VNet, which ARM keeps inline in properties.subnets.
 */
function implicitResource(store: ResourceStore, id: string, type: string): ArmResource | undefined {
  const t = lower(type);
  if (SITE_CONFIG_TYPES.has(t)) return implicitSiteConfig(store, id);
  if (t === "microsoft.network/virtualnetworks/subnets") return implicitSubnet(store, id);
  return undefined;
}

export function routeArm(ctx: RouteContext, req: ArmRequest): ArmResult {
  const { store } = ctx;
  const segs = segmentsOf(req.path);
  const method = req.method;
  // The emulator is read-only: ARM's reads are GETs plus POST list actions.
  if (method !== "GET" && method !== "POST") return methodNotAllowed(method, "GET, POST");

  if (segs.length === 1 && lower(segs[0]!) === "subscriptions") {
    if (method !== "GET") return methodNotAllowed(method, "GET");
    const subs = store.listSubscriptions().map((s) => subscriptionBody(store, s));
    return paged(ctx, req, subs, { count: { type: "Total", value: subs.length } });
  }
  const groupRoute = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\/descendants$/i.exec(req.path);
  if (groupRoute) {
    if (method !== "GET") return methodNotAllowed(method, "GET");
    return managementGroupDescendants(ctx, req, groupRoute[1]!);
  }
  const parsed = parseArmPath(segs);
  if (!parsed) return armError(404, "NotFound", `The emulator does not serve '${req.path}'.`);
  const subscription = store.subscription(parsed.subscriptionId);
  if (!subscription) return armError(404, "SubscriptionNotFound", `The subscription '${parsed.subscriptionId}' could not be found.`);

  if (segs.length === 2) {
    if (method !== "GET") return methodNotAllowed(method, "GET");
    return { status: 200, body: subscriptionBody(store, subscription) };
  }
  if (segs.length === 3 && lower(segs[2]!) === "resourcegroups") {
    if (method !== "GET") return methodNotAllowed(method, "GET");
    return paged(ctx, req, store.resourceGroups(subscription.subscriptionId).map(resourceGroupBody));
  }
  if (parsed.resourceGroup) {
    const group = store.resourceGroup(subscription.subscriptionId, parsed.resourceGroup);
    if (!group) return armError(404, "ResourceGroupNotFound", `Resource group '${parsed.resourceGroup}' could not be found.`);
    if (parsed.rest.length === 0) {
      if (method !== "GET") return methodNotAllowed(method, "GET");
      return { status: 200, body: resourceGroupBody(group) };
    }
  }

  const pp = providerPath(parsed.rest);
  if (!pp) return armError(404, "NotFound", `The emulator does not serve '${req.path}'.`);

  // POST {config resource}/list: the only action the product needs (app settings).
  if (lower(segs[segs.length - 1]!) === "list" && pp.isCollection) {
    const targetId = "/" + segs.slice(0, -1).join("/");
    const targetType = pp.type.split("/").slice(0, -1).join("/");
    const target = SITE_CONFIG_TYPES.has(lower(targetType)) ? (store.get(targetId) ?? implicitResource(store, targetId, targetType)) : undefined;
    if (!target) return notFound(parsed, parsed.rest.slice(0, -1));
    if (method !== "POST") return methodNotAllowed(method, "POST");
    return { status: 200, body: target };
  }

  if (!pp.isCollection) {
    const resource = store.get(req.path) ?? implicitResource(store, req.path, pp.type);
    if (!resource) return notFound(parsed, parsed.rest);
    if (method !== "GET") return methodNotAllowed(method, "GET");
    if (SITE_CONFIG_TYPES.has(lower(pp.type)) && LIST_ONLY_CONFIG.has(lower(resource.name))) {
      return methodNotAllowed(method, "POST (use .../list)");
    }
    return { status: 200, body: servedNetwork(store, resource) };
  }

  // Collections.
  if (!store.knowsType(pp.type)) {
    return armError(404, "InvalidResourceType", `The resource type '${pp.type.split("/").slice(1).join("/")}' could not be found in the namespace '${pp.type.split("/")[0]}'.`);
  }
  const isChild = pp.type.split("/").length > 2;
  let items: ArmResource[];
  if (isChild) {
    const parentId = "/" + segs.slice(0, -1).join("/");
    const parent = store.get(parentId);
    if (!parent) return notFound(parsed, parsed.rest.slice(0, -1));
    items = store.inCollection(req.path);
    if (items.length === 0) items = implicitChildren(parent, pp.type);
    if (SITE_CONFIG_TYPES.has(lower(pp.type))) {
      // GET .../config lists only the site config document ("web").
      const web = items.find((r) => lower(r.name) === "web") ?? implicitResource(store, `${parent.id}/config/web`, pp.type);
      items = web ? [web] : [];
    }
  } else if (parsed.resourceGroup) {
    items = store.inScope(parsed.scope, pp.type);
    if (lower(pp.type) === "microsoft.web/sites" && lower(req.query.get("includeSlots") ?? "") === "true") {
      items = [...items, ...store.inScope(parsed.scope, "Microsoft.Web/sites/slots")];
    }
  } else {
    items = store.inScope(parsed.scope, pp.type);
  }
  if (method !== "GET") return methodNotAllowed(method, "GET");
  if (BARE_ARRAY_TYPES.has(lower(pp.type))) return { status: 200, body: items };
  const type = lower(pp.type);
  if (SITE_TYPES.has(type)) items = items.map(asListedSite);
  else if (type.startsWith("microsoft.network/virtualnetworks")) items = items.map((item) => servedNetwork(store, item));
  return paged(ctx, req, items, {}, type.startsWith("microsoft.web/"));
}

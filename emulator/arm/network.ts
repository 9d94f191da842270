/**
 * Microsoft.Network as Resource Manager serves it: subnets kept inline in their VNet (and
 * readable on their own), and the service association link Azure adds to a subnet used for
 * regional integration.
 */
import { createHash } from "node:crypto";
import type { ArmResource } from "./types.js";
import type { ResourceStore } from "./store.js";
import { lower, props, segmentsOf } from "./wire.js";

/** A subnet read on its own: ARM keeps subnets inline in the VNet's `properties.subnets`. */
export function implicitSubnet(store: ResourceStore, id: string): ArmResource | undefined {
  const segs = segmentsOf(id);
  const vnet = store.get("/" + segs.slice(0, -2).join("/"));
  const name = segs[segs.length - 1]!;
  const subnets = (props(vnet).subnets ?? []) as ArmResource[];
  return subnets.find((s) => lower(s.name) === lower(name));
}
/**
 * A subnet used for regional integration carries a service association link to App Service
 * (swagger ServiceAssociationLink, network 2025-05-01 virtualNetwork.json), which Azure adds
 * when the integration is made. The emulator derives it from the sites and plans that name the
 * subnet, so tenants don't spell it out; a subnet that already has links keeps them.
 */
export function withServiceAssociationLinks(store: ResourceStore, subnet: ArmResource): ArmResource {
  const p = props(subnet);
  const planId = store.integratingPlan(subnet.id);
  if (!planId || Array.isArray(p.serviceAssociationLinks)) return subnet;
  const id = `${subnet.id}/serviceAssociationLinks/AppServiceLink`;
  const link = {
    name: "AppServiceLink",
    id,
    etag: `W/"${createHash("sha1").update(lower(id)).digest("hex").slice(0, 32)}"`,
    type: "Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks",
    properties: { provisioningState: "Succeeded", linkedResourceType: "Microsoft.Web/serverFarms", link: planId, allowDelete: false, locations: [] },
  };
  return { ...subnet, properties: { ...p, serviceAssociationLinks: [link] } };
}

/** A VNet as Azure serves it: its subnets with their service association links. */
export function servedNetwork(store: ResourceStore, resource: ArmResource): ArmResource {
  if (lower(resource.type) === "microsoft.network/virtualnetworks/subnets") return withServiceAssociationLinks(store, resource);
  if (lower(resource.type) !== "microsoft.network/virtualnetworks") return resource;
  const subnets = (props(resource).subnets ?? []) as ArmResource[];
  return { ...resource, properties: { ...props(resource), subnets: subnets.map((subnet) => withServiceAssociationLinks(store, subnet)) } };
}

export function implicitChildren(parent: ArmResource, childType: string): ArmResource[] {
  if (lower(childType) === "microsoft.network/virtualnetworks/subnets") return (props(parent).subnets ?? []) as ArmResource[];
  return [];
}

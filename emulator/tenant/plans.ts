/** App Service plans and certificates as Microsoft.Web serves them (web 2025-05-01). */
import type { ArmResource } from "../index.js";
import { DEFAULT_WEB_LOCATION, lastSegment, resourceId, withOptional, type Props } from "./ids.js";

export interface PlanSku {
  /** e.g. B1, S1, P1v3, EP1, Y1, I1v2, FC1 */
  name: string;
  tier?: string;
  size?: string;
  family?: string;
  capacity?: number;
}

const SKU_TIERS: Array<[RegExp, string]> = [
  [/^FC/i, "FlexConsumption"],
  [/^F/i, "Free"],
  [/^D/i, "Shared"],
  [/^B/i, "Basic"],
  [/^S/i, "Standard"],
  [/^P\d+mv3$/i, "PremiumMV3"],
  [/^P\d+v3$/i, "PremiumV3"],
  [/^P\d+v2$/i, "PremiumV2"],
  [/^P\d+v4$/i, "PremiumV4"],
  [/^P/i, "Premium"],
  [/^EP/i, "ElasticPremium"],
  [/^Y/i, "Dynamic"],
  [/^I\d+v2$/i, "IsolatedV2"],
  [/^I/i, "Isolated"],
  [/^WS/i, "WorkflowStandard"],
];

function skuWire(sku: PlanSku): Props {
  const tier = sku.tier ?? SKU_TIERS.find(([re]) => re.test(sku.name))?.[1] ?? "Standard";
  return {
    name: sku.name,
    tier,
    size: sku.size ?? sku.name,
    family: sku.family ?? sku.name.replace(/\d+/, ""),
    capacity: sku.capacity ?? (tier === "Dynamic" || tier === "FlexConsumption" ? 0 : 1),
  };
}

export interface PlanOptions {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  /** Default S1. */
  sku?: PlanSku;
  /** Default "app" (Windows), "linux" when reserved, "elastic" for EP, "functionapp" for Y1. */
  kind?: string;
  reserved?: boolean;
  hyperV?: boolean;
  isXenon?: boolean;
  maximumElasticWorkerCount?: number;
  elasticScaleEnabled?: boolean;
  perSiteScaling?: boolean;
  zoneRedundant?: boolean;
  numberOfSites?: number;
  maximumNumberOfWorkers?: number;
  /** Plan-level VNet integration (ServerFarmNetworkSettings). */
  network?: { virtualNetworkSubnetId: string };
  hostingEnvironmentId?: string;
  tags?: Record<string, string>;
  extra?: Props;
}

/** A Microsoft.Web/serverfarms resource (App Service plan). */
export function plan(options: PlanOptions): ArmResource {
  const sku = skuWire(options.sku ?? { name: "S1" });
  const reserved = options.reserved ?? false;
  const tier = String(sku.tier);
  const kind = options.kind ?? (tier === "ElasticPremium" ? "elastic" : tier === "Dynamic" ? "functionapp" : reserved ? "linux" : "app");
  const location = options.location ?? DEFAULT_WEB_LOCATION;
  const p: Props = {
    status: "Ready",
    maximumNumberOfWorkers: options.maximumNumberOfWorkers ?? (tier === "ElasticPremium" ? 100 : 30),
    numberOfWorkers: sku.capacity,
    geoRegion: location,
    numberOfSites: options.numberOfSites ?? 0,
    isSpot: false,
    reserved,
    isXenon: options.isXenon ?? false,
    hyperV: options.hyperV ?? false,
    perSiteScaling: options.perSiteScaling ?? false,
    elasticScaleEnabled: options.elasticScaleEnabled ?? tier === "ElasticPremium",
    maximumElasticWorkerCount: options.maximumElasticWorkerCount ?? (tier === "ElasticPremium" ? 20 : 1),
    zoneRedundant: options.zoneRedundant ?? false,
    resourceGroup: options.resourceGroup,
    provisioningState: "Succeeded",
  };
  withOptional(p, {
    network: options.network ? { virtualNetworkSubnetId: options.network.virtualNetworkSubnetId } : undefined,
    hostingEnvironmentProfile: options.hostingEnvironmentId
      ? { id: options.hostingEnvironmentId, name: lastSegment(options.hostingEnvironmentId), type: "Microsoft.Web/hostingEnvironments" }
      : undefined,
  });
  if (options.extra) Object.assign(p, options.extra);
  return withOptional(
    { id: resourceId(options.subscriptionId, options.resourceGroup, "Microsoft.Web/serverfarms", options.name), name: options.name, type: "Microsoft.Web/serverfarms", kind, location, sku, properties: p },
    { tags: options.tags },
  );
}

export interface CertificateOptions {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  thumbprint: string;
  expirationDate: Date | string;
  issueDate?: Date | string;
  hostNames: string[];
  subjectName: string;
  friendlyName?: string;
  issuer: string;
  serverFarmId?: string;
  keyVaultId?: string;
  keyVaultSecretName?: string;
  /** App Service managed certificate: the domain it was issued for. */
  canonicalName?: string;
  tags?: Record<string, string>;
}

/**
 * Dates as Microsoft.Web writes them: `2039-12-31T23:59:59+00:00`, seconds and a numeric
 * offset, no milliseconds (ListCertificates example, web 2025-05-01).
 */
function isoDate(d: Date | string): string {
  return typeof d === "string" ? d : d.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** A Microsoft.Web/certificates resource (certificates.list items). */
export function certificate(options: CertificateOptions): ArmResource {
  const expiration = isoDate(options.expirationDate);
  const p: Props = {
    friendlyName: options.friendlyName ?? "",
    subjectName: options.subjectName,
    hostNames: options.hostNames,
    issuer: options.issuer,
    issueDate: isoDate(options.issueDate ?? new Date(new Date(expiration).getTime() - 365 * 24 * 3600 * 1000)),
    expirationDate: expiration,
    thumbprint: options.thumbprint,
  };
  withOptional(p, {
    serverFarmId: options.serverFarmId,
    keyVaultId: options.keyVaultId,
    keyVaultSecretName: options.keyVaultSecretName,
    keyVaultSecretStatus: options.keyVaultId ? "Succeeded" : undefined,
    canonicalName: options.canonicalName,
  });
  return withOptional(
    { id: resourceId(options.subscriptionId, options.resourceGroup, "Microsoft.Web/certificates", options.name), name: options.name, type: "Microsoft.Web/certificates", location: options.location ?? DEFAULT_WEB_LOCATION, properties: p },
    { tags: options.tags },
  );
}

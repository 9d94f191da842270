/**
 * The sample tenant's data spoke: function apps on Elastic Premium (an elastic flag off that
 * the tier overrides), Flex Consumption and Consumption plans, Linux analytics apps behind
 * custom DNS, an IPv6 address space, and an app in an App Service Environment. Each resource
 * sits beside the findings it must produce.
 */
import * as b from "../tenant/index.js";
import type { MigrationCaseContext } from "./migration.js";

export interface DataSpokeContext extends Pick<MigrationCaseContext, "add" | "expect"> {
  /** Named resources tests refer to. */
  ids: Record<string, string>;
  /** The data subscription. */
  data: string;
}

export function addDataSpoke(ctx: DataSpokeContext) {
  const { add, expect, ids, data } = ctx;
  const dataNetRg = "rg-data-network";
  const dataRg = "rg-data-functions";
  const dataVnet = add(
    b.vnet({
      subscriptionId: data,
      resourceGroup: dataNetRg,
      name: "vnet-data-weu",
      addressPrefixes: ["10.2.0.0/16", "fd00:db8:2::/48"],
      subnets: [
        { name: "snet-functions", addressPrefix: "10.2.0.0/26", delegations: ["Microsoft.Web/serverFarms"] },
        { name: "snet-flex", addressPrefix: "10.2.1.0/26", delegations: ["Microsoft.App/environments"] },
      ],
    }),
  );
  const dataHealthyVnet = add(
    b.vnet({
      subscriptionId: data,
      resourceGroup: dataNetRg,
      name: "vnet-analytics-weu",
      addressPrefixes: ["10.3.0.0/16"],
      // Azure DNS's address beside a custom resolver is custom DNS: no private-zone finding.
      dnsServers: ["168.63.129.16", "10.0.1.4"],
      subnets: [{ name: "snet-analytics", addressPrefix: "10.3.0.0/25", delegations: ["Microsoft.Web/serverFarms"] }],
    }),
  );
  // integration-vnet-ipv6: the data VNet has an IPv6 space.
  expect("integration-vnet-ipv6", dataVnet.id, "medium");

  // Elastic Premium function apps whose plan says elasticScaleEnabled: false: the tier decides,
  // the burst maximum of 30 counts and exceeds the /26's 29 safe instances (subnet-undersized high).
  const planEp = add(
    b.plan({
      subscriptionId: data,
      resourceGroup: dataRg,
      name: "asp-functions-ep",
      sku: { name: "EP1", capacity: 1 },
      maximumElasticWorkerCount: 30,
      elasticScaleEnabled: false,
      kind: "elastic",
      reserved: true,
    }),
  );
  expect("subnet-undersized", b.subnetId(dataVnet.id, "snet-functions"), "high");
  const functionNames = ["func-ingest", "func-transform", "func-export"];
  for (const name of functionNames) {
    add(
      b.site({
        subscriptionId: data,
        resourceGroup: dataRg,
        name,
        kind: "functionapp,linux",
        reserved: true,
        serverFarmId: planEp.id,
        httpsOnly: true,
        virtualNetworkSubnetId: b.subnetId(dataVnet.id, "snet-functions"),
        outboundVnetRouting: { allTraffic: true },
      }),
    );
  }

  // A Linux function app on the same plan whose Route All is off: the hub's database zone is
  // linked to this VNet, so its private endpoints resolve only if traffic goes through it.
  const qualityFunction = add(
    b.site({
      subscriptionId: data,
      resourceGroup: dataRg,
      name: "func-quality",
      kind: "functionapp,linux",
      reserved: true,
      serverFarmId: planEp.id,
      httpsOnly: true,
      virtualNetworkSubnetId: b.subnetId(dataVnet.id, "snet-functions"),
      outboundVnetRouting: { allTraffic: false, applicationTraffic: false },
    }),
  );
  expect("linux-private-dns-without-route-all", qualityFunction.id, "high");
  ids.dataDnsFindingSite = qualityFunction.id;

  // Flex Consumption (delegated to Microsoft.App/environments), Linux, Route All on.
  const planFlex = add(b.plan({ subscriptionId: data, resourceGroup: dataRg, name: "asp-functions-flex", sku: { name: "FC1" }, reserved: true, kind: "functionapp" }));
  add(
    b.site({
      subscriptionId: data,
      resourceGroup: dataRg,
      name: "func-events",
      kind: "functionapp,linux",
      reserved: true,
      serverFarmId: planFlex.id,
      httpsOnly: true,
      virtualNetworkSubnetId: b.subnetId(dataVnet.id, "snet-flex"),
      outboundVnetRouting: { allTraffic: true },
    }),
  );

  // Analytics: Linux apps on a VNet with custom DNS servers (no private-zone finding).
  const planAnalytics = add(b.plan({ subscriptionId: data, resourceGroup: dataRg, name: "asp-analytics", sku: { name: "P0v3", capacity: 2 }, reserved: true, kind: "linux" }));
  for (const name of ["app-dashboards", "app-notebooks"]) {
    const analyticsSite = add(
      b.site({
        subscriptionId: data,
        resourceGroup: dataRg,
        name,
        kind: "app,linux",
        reserved: true,
        serverFarmId: planAnalytics.id,
        httpsOnly: true,
        virtualNetworkSubnetId: b.subnetId(dataHealthyVnet.id, "snet-analytics"),
        outboundVnetRouting: { allTraffic: false, applicationTraffic: false },
      }),
    );
    add(b.appSettings(analyticsSite.id, { WEBSITE_RUN_FROM_PACKAGE: "1" }));
  }

  // Consumption functions without integration, Windows, HTTPS on.
  const planConsumption = add(b.plan({ subscriptionId: data, resourceGroup: dataRg, name: "asp-functions-y1", sku: { name: "Y1" }, kind: "functionapp" }));
  for (const name of ["func-cleanup", "func-reminders"]) {
    add(b.site({ subscriptionId: data, resourceGroup: dataRg, name, kind: "functionapp", serverFarmId: planConsumption.id, httpsOnly: true }));
  }

  // An app in an App Service Environment: out of scope for integration rules.
  const ase = b.resourceId(data, dataRg, "Microsoft.Web/hostingEnvironments", "ase-data");
  const planAse = add(b.plan({ subscriptionId: data, resourceGroup: dataRg, name: "asp-ase", sku: { name: "I1v2", capacity: 1 }, hostingEnvironmentId: ase }));
  add(b.site({ subscriptionId: data, resourceGroup: dataRg, name: "app-ase-internal", serverFarmId: planAse.id, hostingEnvironmentId: ase, httpsOnly: true }));

  return { dataRg, dataVnet, dataHealthyVnet };
}

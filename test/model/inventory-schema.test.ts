import { describe, expect, it } from "vitest";
import { inventorySchema } from "../../src/model/inventory-schema.js";
import type { Inventory } from "../../src/model/inventory.js";
import type { Complete } from "../support/complete.js";


const SUB = "1a2b3c4d-0000-4000-8000-000000000002";
const RG = `/subscriptions/${SUB}/resourceGroups/rg-apps`;
const VNET = `${RG}/providers/Microsoft.Network/virtualNetworks/vnet-apps`;
const SUBNET = `${VNET}/subnets/snet-apps`;
const PLAN = `${RG}/providers/Microsoft.Web/serverfarms/plan-apps`;
const SITE = `${RG}/providers/Microsoft.Web/sites/app-orders`;

/** Every field of the inventory set: saving and reading it back (`collect`, then `scan --from`) must keep each one. */
const everyField: Complete<Inventory> = {
  schemaVersion: 1,
  collectedAt: "2026-11-22T08:00:00.000Z",
  subscriptions: [
    {
      subscriptionId: SUB,
      displayName: "Contoso Apps Prod",
      state: "Enabled",
      status: "partial",
      errors: [{ operation: "resourceGroups.list", impact: "owners", resourceId: `/subscriptions/${SUB}`, statusCode: 403, code: "AuthorizationFailed", message: "denied" }],
    },
  ],
  sites: [
    {
      id: `${SITE}/slots/staging`,
      name: "app-orders/staging",
      subscriptionId: SUB,
      resourceGroup: "rg-apps",
      location: "westeurope",
      kind: "app,linux",
      slotOf: SITE,
      reserved: true,
      hyperV: false,
      serverFarmId: PLAN,
      httpsOnly: true,
      virtualNetworkSubnetId: SUBNET,
      outboundVnetRouting: { allTraffic: false, applicationTraffic: true },
      dnsServers: ["10.0.0.4"],
      hostingEnvironmentId: `${RG}/providers/Microsoft.Web/hostingEnvironments/ase`,
      managedEnvironmentId: `${RG}/providers/Microsoft.App/managedEnvironments/env`,
      hostNameSslStates: [{ name: "orders.contoso.com", sslState: "SniEnabled", thumbprint: "AB12" }],
      vnetRouteAllEnabled: true,
      appSettings: { WEBSITE_VNET_ROUTE_ALL: "1", WEBSITE_DNS_SERVER: "168.63.129.16" },
      vnetConnections: [
        {
          id: `${SITE}/virtualNetworkConnections/vnet-legacy`,
          name: "vnet-legacy",
          vnetResourceId: VNET,
          isSwift: false,
          resyncRequired: true,
          certThumbprint: "CD34",
          certificate: { notAfter: "2027-06-01T00:00:00.000Z", subject: "CN=legacy", thumbprint: "CD34", unreadable: "malformed" },
        },
      ],
      reads: { config: "read", appSettings: "forbidden", vnetConnections: "notFound" },
      tags: { owner: "apps@contoso.com" },
    },
  ],
  plans: [
    {
      id: PLAN,
      name: "plan-apps",
      subscriptionId: SUB,
      resourceGroup: "rg-apps",
      location: "westeurope",
      kind: "elastic",
      sku: { name: "EP1", tier: "ElasticPremium", capacity: 3 },
      reserved: true,
      hyperV: false,
      maximumElasticWorkerCount: 20,
      elasticScaleEnabled: true,
      hostingEnvironmentId: `${RG}/providers/Microsoft.Web/hostingEnvironments/ase`,
      virtualNetworkSubnetId: SUBNET,
      tags: { owner: "platform@contoso.com" },
    },
  ],
  autoscaleSettings: [
    {
      id: `${RG}/providers/Microsoft.Insights/autoscalesettings/scale`,
      subscriptionId: SUB,
      enabled: true,
      targetResourceUri: PLAN,
      profiles: [{ name: "black-friday", maximum: 30, fixedDate: { start: "2026-11-27T00:00:00Z", end: "2026-11-30T00:00:00Z", timeZone: "W. Europe Standard Time" } }],
    },
  ],
  virtualNetworks: [
    {
      id: VNET,
      name: "vnet-apps",
      subscriptionId: SUB,
      resourceGroup: "rg-apps",
      location: "westeurope",
      addressPrefixes: ["10.1.0.0/16"],
      dnsServers: ["10.0.0.4"],
      subnets: [
        {
          id: SUBNET,
          name: "snet-apps",
          addressPrefixes: ["10.1.1.0/26"],
          delegations: ["Microsoft.Web/serverFarms"],
          ipConfigurationIds: [`${RG}/providers/Microsoft.Network/networkInterfaces/nic/ipConfigurations/ip`],
          privateEndpointIds: [`${RG}/providers/Microsoft.Network/privateEndpoints/pe`],
          serviceEndpointPolicyIds: [`${RG}/providers/Microsoft.Network/serviceEndpointPolicies/sep`],
        },
      ],
      tags: { owner: "netops@contoso.com" },
      peerings: [
        {
          name: "to-hub",
          remoteVirtualNetworkId: "/subscriptions/hub/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub",
          remoteAddressPrefixes: ["10.0.0.0/16"],
          peeringState: "Connected",
          allowGatewayTransit: false,
          useRemoteGateways: true,
        },
      ],
    },
  ],
  gateways: [
    {
      id: `${RG}/providers/Microsoft.Network/virtualNetworkGateways/gw`,
      name: "gw",
      subscriptionId: SUB,
      virtualNetworkId: VNET,
      gatewayType: "Vpn",
      vpnType: "RouteBased",
      sku: "VpnGw1",
      vpnClientConfiguration: { addressPrefixes: ["172.16.0.0/24"], protocols: ["SSTP"], authenticationTypes: ["Certificate"] },
    },
  ],
  privateDnsZones: [
    {
      id: `${RG}/providers/Microsoft.Network/privateDnsZones/privatelink.database.windows.net`,
      name: "privatelink.database.windows.net",
      subscriptionId: SUB,
      virtualNetworkLinks: [{ id: `${RG}/providers/Microsoft.Network/privateDnsZones/z/virtualNetworkLinks/l`, name: "l", virtualNetworkId: VNET, registrationEnabled: false }],
    },
  ],
  certificates: [
    {
      id: `${RG}/providers/Microsoft.Web/certificates/orders`,
      name: "orders",
      subscriptionId: SUB,
      resourceGroup: "rg-apps",
      thumbprint: "AB12",
      expirationDate: "2027-01-01T00:00:00.000Z",
      hostNames: ["orders.contoso.com"],
      subjectName: "orders.contoso.com",
      friendlyName: "orders",
      issuer: "Contoso CA",
      tags: { owner: "apps@contoso.com" },
    },
  ],
  resourceGroups: [{ id: RG, name: "rg-apps", subscriptionId: SUB, tags: { owner: "apps@contoso.com" } }],
};

describe("the inventory schema", () => {
  it("reads back an inventory with every field set exactly as it was saved: no field is stripped", () => {
    const saved = JSON.parse(JSON.stringify(everyField)) as unknown;
    expect(inventorySchema.parse(saved)).toStrictEqual(everyField);
  });

  it("types are the schema's output: an inventory the schema reads is an Inventory without a cast", () => {
    const inventory: Inventory = inventorySchema.parse(JSON.parse(JSON.stringify(everyField)));
    expect(inventory.sites[0]?.appSettings).toEqual({ WEBSITE_VNET_ROUTE_ALL: "1", WEBSITE_DNS_SERVER: "168.63.129.16" });
  });
});

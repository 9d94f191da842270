import { describe, expect, it } from "vitest";
import { subnetNotDedicated as rule } from "../../src/rules/subnet-not-dedicated.js";
import { healthyTenant, hits, ids, run } from "./fixtures.js";

describe("subnet-not-dedicated", () => {
  it("does not fire on a subnet delegated only to Microsoft.Web/serverFarms", () => {
    expect(run(rule, healthyTenant().inventory)).toEqual([]);
  });

  it("does not fire when the App Service delegation is spelled in another case", () => {
    const tenant = healthyTenant();
    tenant.subnet.delegations = ["microsoft.web/serverfarms"];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("fires medium when the integration subnet also holds a private endpoint", () => {
    const tenant = healthyTenant();
    tenant.subnet.privateEndpointIds = [ids.privateEndpoint("pe-sql")];
    const results = run(rule, tenant.inventory);
    expect(hits(results)).toEqual([[tenant.subnet.id, "medium"]]);
    expect(results[0]?.evidence).toMatchObject({ privateEndpointIds: [ids.privateEndpoint("pe-sql")], integratedSiteIds: [tenant.site.id, tenant.slot.id] });
  });

  it("fires medium when the integration subnet also holds a NIC's IP configuration", () => {
    const tenant = healthyTenant();
    tenant.subnet.ipConfigurationIds = [ids.nicIpConfiguration("vm-nic")];
    expect(run(rule, tenant.inventory)[0]?.message).toContain("1 IP configuration(s), 0 private endpoint(s) and 0 other delegation(s)");
  });

  // Azure lists a private endpoint twice in its subnet: in privateEndpoints and as its NIC's IP
  // configuration (upper-cased, as ARM returns it).
  const endpointNicIpConfiguration = (endpoint: string) =>
    `/subscriptions/${tenantSubscription()}/resourceGroups/RG-NETWORK/providers/Microsoft.Network/networkInterfaces/${endpoint.toUpperCase()}.NIC.1294E2CA-69F0-4D09-B54E-F560670BE495/ipConfigurations/PRIVATEENDPOINTIPCONFIG.A67D8E7E-347A-47BF-9F65-D3E9ADFD8AE1`;
  const tenantSubscription = () => healthyTenant().vnet.subscriptionId;

  it("counts a private endpoint once, though the subnet lists it and its NIC's IP configuration", () => {
    const tenant = healthyTenant();
    tenant.subnet.privateEndpointIds = [ids.privateEndpoint("pe-sql")];
    tenant.subnet.ipConfigurationIds = [endpointNicIpConfiguration("pe-sql")];
    const [result] = run(rule, tenant.inventory);
    expect(result?.message).toBe("Integration subnet snet-integration also holds 0 IP configuration(s), 1 private endpoint(s) and 0 other delegation(s).");
    expect(result?.evidence).toMatchObject({ ipConfigurationIds: [], privateEndpointIds: [ids.privateEndpoint("pe-sql")] });
  });

  it("counts a private endpoint and a VM's NIC as one of each", () => {
    const tenant = healthyTenant();
    tenant.subnet.privateEndpointIds = [ids.privateEndpoint("pe-sql")];
    tenant.subnet.ipConfigurationIds = [endpointNicIpConfiguration("pe-sql"), ids.nicIpConfiguration("vm-nic")];
    expect(run(rule, tenant.inventory)[0]?.message).toContain("1 IP configuration(s), 1 private endpoint(s)");
  });

  it("still fires on a private endpoint's IP configuration whose endpoint the subnet doesn't list", () => {
    const tenant = healthyTenant();
    tenant.subnet.ipConfigurationIds = [endpointNicIpConfiguration("pe-sql")];
    expect(run(rule, tenant.inventory)[0]?.message).toContain("0 IP configuration(s), 1 private endpoint(s)");
  });

  it("fires medium when the integration subnet is delegated to another service", () => {
    const tenant = healthyTenant();
    tenant.subnet.delegations = ["Microsoft.Web/serverFarms", "Microsoft.ContainerInstance/containerGroups"];
    expect(run(rule, tenant.inventory)[0]?.evidence.otherDelegations).toEqual(["Microsoft.ContainerInstance/containerGroups"]);
  });

  it("does not fire on shared subnets that no site integrates into", () => {
    const tenant = healthyTenant();
    expect(tenant.endpointSubnet.privateEndpointIds).not.toEqual([]);
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("does not fire on a Flex Consumption plan's subnet delegated to Microsoft.App/environments", () => {
    const tenant = healthyTenant();
    tenant.plan.sku = { name: "FC1", tier: "FlexConsumption" };
    tenant.subnet.delegations = ["Microsoft.App/environments"];
    expect(run(rule, tenant.inventory)).toEqual([]);
  });

  it("fires when a Flex Consumption subnet is delegated to Microsoft.Web/serverFarms instead", () => {
    const tenant = healthyTenant();
    tenant.plan.sku = { name: "FC1", tier: "FlexConsumption" };
    expect(hits(run(rule, tenant.inventory))).toEqual([[tenant.subnet.id, "medium"]]);
  });

  it("fires when a dedicated plan's subnet is delegated to Microsoft.App/environments", () => {
    const tenant = healthyTenant();
    tenant.subnet.delegations = ["Microsoft.App/environments"];
    expect(run(rule, tenant.inventory)[0]?.evidence.otherDelegations).toEqual(["Microsoft.App/environments"]);
  });
});

// Every role the audit identity can be granted, in one place. The other templates import these
// names instead of spelling GUIDs, and test/infra/infra.test.ts fails if any other role
// definition ID appears anywhere under infra/.

@export()
@description('Built-in role definition IDs (GUIDs) granted to the function app\'s system-assigned identity, and nothing else.')
var roleIds = {
  // Read-only view of the audited tenant (sites, plans, VNets, DNS zones, certificates).
  // Assigned at a management group or at each audited subscription.
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'

  // Functions host storage and the Flex Consumption deployment package, on the audit's own storage
  // account only. The Functions documentation names Blob Data *Owner* as the minimum for host storage
  // (the host creates its containers and takes blob leases for timer and singleton locks); Owner adds
  // to Contributor only the ADLS Gen2 ACL/ownership actions, which have nothing to act on in this
  // account (no hierarchical namespace).
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'

  // The scan-requests queue: scheduledScan enqueues, scanSubscription dequeues and deletes.
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

  // The findings, scanruns and outbox tables (and the host's diagnostic events).
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

  // Resolve the Key Vault references for the webhook URL and secret (get secret values, nothing else).
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'

  // Application Insights has local (instrumentation key) authentication disabled, so telemetry is
  // accepted only with an Entra ID token whose identity holds this role on the component.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

@export()
@description('The only permission of the optional custom role: read a site\'s app settings (POST .../config/appsettings/list). Reader cannot, because app settings can hold secrets.')
var appSettingsReaderActions = [
  'Microsoft.Web/sites/config/list/action'
]

@export()
@description('Description shared by the custom role definitions.')
var appSettingsReaderDescription = 'vnet-audit: read App Service app settings (WEBSITE_VNET_ROUTE_ALL, WEBSITE_DNS_SERVER, ...) for the checks that need them. Nothing else.'

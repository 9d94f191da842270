// vnet-audit: the Functions app that audits App Service VNet integration across a tenant, deployed
// with least privilege and no keys. Deploy with `azd up` or `az deployment sub create`
// (docs/deploy.md). Subscription scope: creates the resource group, the app, and, when readerScope is
// 'subscriptions', the Reader assignments in the audited subscriptions.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd: AZURE_ENV_NAME). Names the resource group rg-<name> and seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Region for all resources; it must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('''Where the app's identity gets Reader:
- managementGroup: at managementGroupId, through infra/modules/reader-management-group.bicep deployed at
  management-group scope (azd runs it from the postprovision hook; see docs/deploy.md);
- subscriptions: in each subscription of auditSubscriptionIds (or this subscription when the list is empty);
- none: not by this deployment; an administrator grants it (docs/deploy.md).''')
@allowed([
  'managementGroup'
  'subscriptions'
  'none'
])
param readerScope string = 'subscriptions'

@description('Management group ID (not display name) for readerScope managementGroup.')
param managementGroupId string = ''

@description('Subscription IDs to audit: the AUDIT_SUBSCRIPTIONS allow-list, and where Reader is assigned when readerScope is subscriptions. Empty: every subscription the identity can read.')
param auditSubscriptionIds array = []

@description('NCRONTAB schedule of the tenant scan (AUDIT_SCHEDULE), UTC. Default 02:00 daily.')
param auditSchedule string = '0 0 2 * * *'

@description('Lowest severity listed in an alert digest (AUDIT_MIN_ALERT_SEVERITY).')
@allowed([
  'critical'
  'high'
  'medium'
  'low'
  'info'
])
param minAlertSeverity string = 'high'

@description('Also grant a custom role with only Microsoft.Web/sites/config/list/action at the audit scope, for the checks that read app settings.')
param enableAppSettingsRole bool = false

@secure()
@description('Alert digest webhook URL (https). Stored in Key Vault. Empty: no digest is sent.')
param webhookUrl string = ''

@secure()
@description('HMAC-SHA256 key for the X-Audit-Signature header. Stored in Key Vault. Empty: digests are unsigned.')
param webhookSecret string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'vnet-audit'
}
var readerSubscriptionIds = empty(auditSubscriptionIds) ? [subscription().subscriptionId] : auditSubscriptionIds

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module app 'modules/app.bicep' = {
  name: 'vnet-audit-app'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    auditSchedule: auditSchedule
    minAlertSeverity: minAlertSeverity
    auditSubscriptionIds: auditSubscriptionIds
    webhookUrl: webhookUrl
    webhookSecret: webhookSecret
  }
}

// readerScope 'subscriptions': the optional custom role is defined once, in the first audited
// subscription, assignable in all of them.
module appSettingsRole 'modules/app-settings-reader-role.bicep' = if (readerScope == 'subscriptions' && enableAppSettingsRole) {
  name: 'vnet-audit-app-settings-role-${resourceToken}'
  scope: subscription(readerSubscriptionIds[0])
  params: {
    enableAppSettingsRole: enableAppSettingsRole
    environmentName: environmentName
    subscriptionIds: readerSubscriptionIds
  }
}

module readerSubscriptions 'modules/reader-subscription.bicep' = [
  for subscriptionId in readerSubscriptionIds: if (readerScope == 'subscriptions') {
    name: 'vnet-audit-reader-${uniqueString(subscriptionId, resourceToken)}'
    scope: subscription(subscriptionId)
    params: {
      principalId: app.outputs.principalId
      appSettingsRoleGuid: enableAppSettingsRole ? appSettingsRole.outputs.roleGuid : ''
    }
  }
]

// readerScope 'managementGroup' is handled by infra/modules/reader-management-group.bicep, deployed at
// management-group scope with the outputs below (see the comment at the top of that file for why it
// is not a module here).

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the function app.')
output AUDIT_FUNCTION_APP_NAME string = app.outputs.functionAppName

@description('Base URL of the HTTP API: POST <url>/audit, GET <url>/scans/{id}, GET <url>/findings (function key required).')
output AUDIT_FUNCTION_BASE_URL string = app.outputs.baseUrl

@description('Object ID of the app\'s system-assigned identity: the principal to grant Reader (and the optional custom role) to.')
output AUDIT_PRINCIPAL_ID string = app.outputs.principalId

@description('Key Vault holding the webhook URL and secret.')
output AUDIT_KEY_VAULT_NAME string = app.outputs.keyVaultName

// Echoed for the azd postprovision hook, which grants Reader at the management group.
output AUDIT_READER_SCOPE string = readerScope
output AUDIT_MANAGEMENT_GROUP_ID string = managementGroupId
output AUDIT_ENABLE_APP_SETTINGS_ROLE bool = enableAppSettingsRole

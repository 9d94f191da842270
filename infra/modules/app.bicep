// The audit's own resources, in one resource group: storage, monitoring, Key Vault, the Flex
// Consumption function app, and the data-plane roles its system-assigned identity needs on them.
// No keys anywhere: storage is reached with the identity (shared key disabled), Application Insights
// with Entra ID (local auth disabled), the webhook URL and secret through Key Vault references.

import { roleIds } from 'roles.bicep'

@description('Region for every resource.')
param location string

@description('Tags for every resource.')
param tags object

@description('Suffix that makes global names unique (uniqueString of subscription, environment, location).')
param resourceToken string

@description('NCRONTAB schedule of the tenant scan (AUDIT_SCHEDULE).')
param auditSchedule string

@description('Lowest severity listed in a digest (AUDIT_MIN_ALERT_SEVERITY).')
param minAlertSeverity string

@description('Subscription allow-list (AUDIT_SUBSCRIPTIONS); empty means every subscription the identity can see.')
param auditSubscriptionIds array

@secure()
@description('Alert webhook URL. Stored in Key Vault; the app setting is a Key Vault reference. Empty: no digest.')
param webhookUrl string

@secure()
@description('HMAC-SHA256 key for the digest signature. Stored in Key Vault; the app setting is a Key Vault reference.')
param webhookSecret string

@description('Flex Consumption scale-out ceiling. Resource Manager read limits are per principal, so more instances do not scan faster once throttled.')
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Flex Consumption instance memory size.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var functionAppName = 'func-vnet-audit-${resourceToken}'

// Names the app code uses (src/store): keep in step with it.
var scanQueueName = 'scan-requests'
var tableNames = ['findings', 'scanruns', 'outbox']
var reportsContainerName = 'reports'
// Flex Consumption reads the deployment package from this container with the app's identity.
var deploymentContainerName = 'app-package'

var webhookUrlSecretName = 'audit-webhook-url'
var webhookSecretSecretName = 'audit-webhook-secret'

// ---------------------------------------------------------------------------------------------
// Storage: findings, scan runs, outbox (tables), reports (blobs), fan-out (queue), host storage,
// deployment package. Entra ID only.
// ---------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: 'st${resourceToken}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false // no account keys and no key-signed SAS: every request carries an Entra ID token
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    accessTier: 'Hot'
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource reportsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: reportsContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource scanQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = {
  parent: queueService
  name: scanQueueName
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

// ---------------------------------------------------------------------------------------------
// Monitoring: workspace-based Application Insights that accepts Entra ID tokens only.
// ---------------------------------------------------------------------------------------------

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
    features: {
      disableLocalAuth: true // no workspace shared keys
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true // the instrumentation key alone cannot ingest; see Monitoring Metrics Publisher below
  }
}

// ---------------------------------------------------------------------------------------------
// Key Vault: the webhook URL and secret. RBAC authorization (no access policies). Public network
// access stays on: Flex Consumption documents that it cannot resolve Key Vault references against a
// network-restricted vault, and this app has no VNet integration of its own.
// ---------------------------------------------------------------------------------------------

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${resourceToken}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // Purge protection is left off so `azd down --purge` can remove the vault; turn it on for
    // production vaults you never want purged.
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// Written only when a value is passed, so a redeploy without the parameters never blanks a secret
// someone set directly in the vault. The values never appear in outputs or app settings.
resource webhookUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookUrl)) {
  parent: vault
  name: webhookUrlSecretName
  properties: {
    value: webhookUrl
    contentType: 'text/plain'
  }
}

resource webhookSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookSecret)) {
  parent: vault
  name: webhookSecretSecretName
  properties: {
    value: webhookSecret
    contentType: 'text/plain'
  }
}

// ---------------------------------------------------------------------------------------------
// Function app: Flex Consumption, Linux, Node 22, system-assigned identity.
// ---------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: 'plan-${resourceToken}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    publicNetworkAccess: 'Enabled' // HTTP functions use function keys; see docs/deploy.md
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity' // no connection string for the package either
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
  dependsOn: [
    deploymentContainer
  ]
}

// FTP and SCM basic-auth publishing off: deployments authenticate with Entra ID (azd, Core Tools).
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

// ---------------------------------------------------------------------------------------------
// Data-plane roles for the app's identity, each on the one resource it is for. Names are
// deterministic (guid of scope, app, role) so redeploys are idempotent.
// ---------------------------------------------------------------------------------------------

resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionApp.id, roleIds.storageBlobDataOwner)
  scope: storage
  properties: {
    // Owner, not Contributor: the documented minimum for Functions host storage and the Flex
    // deployment container (see roles.bicep).
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageBlobDataOwner)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'vnet-audit: Functions host storage, deployment package, reports container.'
  }
}

resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionApp.id, roleIds.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageQueueDataContributor)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'vnet-audit: scan-requests queue (enqueue and process).'
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionApp.id, roleIds.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageTableDataContributor)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'vnet-audit: findings, scanruns and outbox tables.'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, functionApp.id, roleIds.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'vnet-audit: resolve the webhook Key Vault references.'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, functionApp.id, roleIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    // Required for Entra ID ingestion: with DisableLocalAuth the component rejects telemetry from
    // any identity without this role.
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
    description: 'vnet-audit: send telemetry with Entra ID authentication.'
  }
}

// ---------------------------------------------------------------------------------------------
// App settings. Every setting src/config/settings.ts reads is either here or listed as optional
// in docs/deploy.md (test/infra/infra.test.ts checks it).
// ---------------------------------------------------------------------------------------------

var armEndpoint = environment().resourceManager

// Identity-based host storage (no AzureWebJobsStorage connection string). The service URIs come from
// the account, so they are right in sovereign clouds too; the app code uses the same settings for its
// own store when neither AUDIT_STORAGE nor AzureWebJobsStorage holds a connection string.
var hostSettings = {
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  AzureWebJobsStorage__credential: 'managedidentity'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD' // system-assigned identity, no ClientId
}

var auditSettings = {
  AUDIT_ARM_ENDPOINT: endsWith(armEndpoint, '/') ? substring(armEndpoint, 0, length(armEndpoint) - 1) : armEndpoint
  AUDIT_SCHEDULE: auditSchedule
  AUDIT_MIN_ALERT_SEVERITY: minAlertSeverity
  AUDIT_SUBSCRIPTIONS: join(auditSubscriptionIds, ',')
}

// Present only when the secret exists: an unresolvable reference would reach the app as the literal
// "@Microsoft.KeyVault(...)" string and fail its URL validation.
var webhookUrlSettings = empty(webhookUrl) ? {} : {
  AUDIT_WEBHOOK_URL: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${webhookUrlSecretName})'
}

var webhookSecretSettings = empty(webhookSecret) ? {} : {
  AUDIT_WEBHOOK_SECRET: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${webhookSecretSecretName})'
}

resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(hostSettings, auditSettings, webhookUrlSettings, webhookSecretSettings)
  // Roles first, so the host starts with working storage, telemetry and Key Vault references.
  dependsOn: [
    blobDataOwner
    queueDataContributor
    tableDataContributor
    secretsUser
    metricsPublisher
    webhookUrlSecret
    webhookSecretSecret
    scanQueue
    tables
    reportsContainer
  ]
}

@description('Name of the function app.')
output functionAppName string = functionApp.name

@description('Base URL of the HTTP functions (POST /audit, GET /scans/{id}, GET /findings).')
output baseUrl string = 'https://${functionApp.properties.defaultHostName}/api'

@description('Object (principal) ID of the function app\'s system-assigned identity.')
output principalId string = functionApp.identity.principalId

@description('Name of the storage account.')
output storageAccountName string = storage.name

@description('Name of the Key Vault holding the webhook URL and secret.')
output keyVaultName string = vault.name

// Audit scope, a management group: Reader for the function app's identity on everything below it, and
// the optional custom app-settings role (defined and assigned at the same management group).
//
// Deployed on its own, at management-group scope, after main.bicep:
//   az deployment mg create --management-group-id <id> --location <region> \
//     --template-file infra/modules/reader-management-group.bicep \
//     --parameters principalId=<AUDIT_PRINCIPAL_ID> environmentName=<env> [enableAppSettingsRole=true]
// (azd runs this from the postprovision hook in azure.yaml when readerScope is managementGroup.)
// main.bicep cannot call it as a module: Resource Manager does not let a subscription deployment
// nest a management-group deployment except through a tenant-scope deployment, which would need
// deployment rights at the tenant root ("/") - far more than this role assignment is worth.
targetScope = 'managementGroup'

import { roleIds, appSettingsReaderActions, appSettingsReaderDescription } from 'roles.bicep'

@description('Object (principal) ID of the function app\'s system-assigned identity (main.bicep output AUDIT_PRINCIPAL_ID).')
param principalId string

@description('azd environment name; keeps the custom role name unique per deployment.')
param environmentName string

@description('Also define and assign the custom role with only Microsoft.Web/sites/config/list/action.')
param enableAppSettingsRole bool = false

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, roleIds.reader)
  properties: {
    roleDefinitionId: tenantResourceId('Microsoft.Authorization/roleDefinitions', roleIds.reader)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'vnet-audit: read the App Service, network and DNS inventory under this management group.'
  }
}

resource appSettingsReaderRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (enableAppSettingsRole) {
  name: guid(managementGroup().id, 'vnet-audit-app-settings-reader', environmentName)
  properties: {
    roleName: 'vnet-audit app settings reader (${environmentName})'
    description: appSettingsReaderDescription
    type: 'CustomRole'
    permissions: [
      {
        actions: appSettingsReaderActions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [
      managementGroup().id // a custom role can name only one management group
    ]
  }
}

resource appSettingsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (enableAppSettingsRole) {
  name: guid(managementGroup().id, principalId, 'vnet-audit-app-settings-reader')
  properties: {
    roleDefinitionId: appSettingsReaderRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'vnet-audit: read app settings for the checks that need them (optional).'
  }
}

@description('Resource ID of the custom role definition; empty when enableAppSettingsRole is off.')
output appSettingsRoleDefinitionId string = enableAppSettingsRole ? appSettingsReaderRole.id : ''

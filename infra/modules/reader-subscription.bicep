// Audit scope, one subscription: Reader for the function app's identity, and the optional custom
// app-settings role when enableAppSettingsRole is on (its definition comes from
// app-settings-reader-role.bicep, whose assignable scopes include this subscription).
targetScope = 'subscription'

import { roleIds } from 'roles.bicep'

@description('Object (principal) ID of the function app\'s system-assigned identity.')
param principalId string

@description('Name (GUID) of the custom app settings reader role definition; empty when enableAppSettingsRole is off.')
param appSettingsRoleGuid string = ''

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleIds.reader)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.reader)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'vnet-audit: read the App Service, network and DNS inventory of this subscription.'
  }
}

resource appSettingsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(appSettingsRoleGuid)) {
  name: guid(subscription().id, principalId, 'vnet-audit-app-settings-reader')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', appSettingsRoleGuid)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'vnet-audit: read app settings for the checks that need them (optional).'
  }
}

// Optional custom role for the subscriptions audit scope: Microsoft.Web/sites/config/list/action only,
// assignable in every audited subscription. Deployed into the first audited subscription (a custom
// role definition lives in one place; its assignable scopes say where it can be assigned).
// The management-group variant is defined in reader-management-group.bicep.
targetScope = 'subscription'

import { appSettingsReaderActions, appSettingsReaderDescription } from 'roles.bicep'

@description('Create the role. Off by default: without it the identity cannot read app settings, so the checks that inspect them have nothing to inspect.')
param enableAppSettingsRole bool = false

@description('azd environment name; keeps the role name unique per deployment.')
param environmentName string

@description('Subscriptions the role can be assigned in (the audited subscriptions).')
param subscriptionIds array

resource appSettingsReaderRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (enableAppSettingsRole) {
  name: guid(tenant().tenantId, 'vnet-audit-app-settings-reader', environmentName)
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
    assignableScopes: [for subscriptionId in subscriptionIds: '/subscriptions/${subscriptionId}']
  }
}

@description('Name (GUID) of the role definition, for the assignments in reader-subscription.bicep.')
output roleGuid string = enableAppSettingsRole ? appSettingsReaderRole.name : ''

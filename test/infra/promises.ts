/**
 * The deployment's promises, as data: the roles the templates may grant, what must never appear,
 * the API versions, app settings and secrets the checks (checks.ts) hold the templates to.
 */
/** Every role definition the templates may grant (roles.bicep key -> built-in GUID). */
export const ALLOWED_ROLES: Record<string, string> = {
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  storageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  storageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  // Needed because Application Insights has local auth disabled: Entra ID ingestion requires it.
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
};
export const ALLOWED_GUIDS = new Set(Object.values(ALLOWED_ROLES));

/** Well-known roles that must never appear, named in the failure message. */
export const KNOWN_FORBIDDEN: Record<string, string> = {
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
  "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
  "17d1049b-9a84-46fb-8f53-869881c3d3ab": "Storage Account Contributor",
  "81a9662b-bebf-436f-a333-f67b29880f12": "Storage Account Key Operator Service Role",
  "de139f84-1756-47ae-9be6-808fbbe84772": "Website Contributor",
  "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
};

export const CUSTOM_ROLE_ACTIONS = ["Microsoft.Web/sites/config/list/action"];

/** Lowest acceptable API version per resource type prefix (longest prefix wins). No previews. */
export const MIN_API_VERSIONS: Record<string, string> = {
  "Microsoft.Resources/resourceGroups": "2022-09-01",
  "Microsoft.Storage/": "2023-05-01",
  "Microsoft.OperationalInsights/workspaces": "2022-10-01",
  "Microsoft.Insights/components": "2020-02-02",
  "Microsoft.KeyVault/": "2023-07-01",
  "Microsoft.Web/": "2024-04-01",
  "Microsoft.Authorization/roleAssignments": "2022-04-01",
  "Microsoft.Authorization/roleDefinitions": "2022-04-01",
};

/** App settings Flex Consumption rejects, or that would reintroduce keys. */
export const FORBIDDEN_SETTINGS = [
  "FUNCTIONS_WORKER_RUNTIME",
  "FUNCTIONS_EXTENSION_VERSION",
  "FUNCTIONS_WORKER_RUNTIME_VERSION",
  "WEBSITE_RUN_FROM_PACKAGE",
  "WEBSITE_NODE_DEFAULT_VERSION",
  "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
  "WEBSITE_CONTENTSHARE",
  "AzureWebJobsDashboard",
  "APPINSIGHTS_INSTRUMENTATIONKEY",
  "AzureWebJobsStorage", // the connection-string form; only AzureWebJobsStorage__* is allowed
  "AUDIT_STORAGE", // a connection string by definition
];

/** Settings the template must set (beyond SETTINGS coverage): identity storage and Entra telemetry. */
export const REQUIRED_TEMPLATE_SETTINGS = [
  "AzureWebJobsStorage__accountName",
  "AzureWebJobsStorage__blobServiceUri",
  "AzureWebJobsStorage__queueServiceUri",
  "AzureWebJobsStorage__tableServiceUri",
  "AzureWebJobsStorage__credential",
  "APPLICATIONINSIGHTS_CONNECTION_STRING",
  "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
  "AUDIT_ARM_ENDPOINT",
  "AUDIT_SCHEDULE",
  "AUDIT_MIN_ALERT_SEVERITY",
  "AUDIT_SUBSCRIPTIONS",
  "AUDIT_WEBHOOK_URL",
  "AUDIT_WEBHOOK_SECRET",
];

/** SETTINGS names satisfied by the identity-based AzureWebJobsStorage__* settings (documented mapping). */
export const STORAGE_MAPPED_SETTINGS = ["AzureWebJobsStorage", "AUDIT_STORAGE"];

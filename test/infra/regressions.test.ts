/**
 * Self-tests of the infra checks: each fails on the regression it exists for, on a small bad
 * snippet or on a mutation of the real files, and is caught by the right check.
 */
import { describe, expect, it } from "vitest";
import { loadFiles, stripBicepComments } from "./bicep.js";
import { allProblems, checkGuidLiterals, checkNoKeys, checkRoleAssignments } from "./checks.js";

const FILES = loadFiles();

describe("infra checks catch regressions", () => {
  const CONTRIBUTOR_SNIPPET = `
resource bad 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, 'b24988ac-6180-42a0-ab88-20f7382dd24c')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
`;

  it("rejects a small snippet that assigns Contributor", () => {
    const files = { "infra/modules/bad.bicep": CONTRIBUTOR_SNIPPET };
    expect(checkGuidLiterals(files).join("\n")).toMatch(/Contributor/);
    expect(checkRoleAssignments(files).join("\n")).toMatch(/bad: roleDefinitionId/);
  });

  it("rejects a snippet with a storage key", () => {
    const files = {
      "infra/modules/bad.bicep": "var cs = 'DefaultEndpointsProtocol=https;AccountName=${st.name};AccountKey=${st.listKeys().keys[0].value}'",
    };
    expect(checkNoKeys(files).length).toBeGreaterThanOrEqual(3);
  });

  it("does not mistake comments or strings for code", () => {
    const text = "// listKeys() here is a comment\nvar url = 'https://example.com/x' // trailing\n/* AccountKey= */ var s = '${a('b')}//not a comment'";
    const stripped = stripBicepComments(text);
    expect(stripped).not.toMatch(/listKeys|AccountKey/);
    expect(stripped).toContain("'https://example.com/x'");
    expect(stripped).toContain("//not a comment'");
    const code = stripBicepComments("var a = 'allow-list (x)'\nvar b = '${st.listKeys().keys[0].value}'", { strings: true });
    expect(code).not.toContain("allow-list");
    expect(code).toContain("st.listKeys()");
  });

  /** [description, file, from, to, expected problem]: each mutation of the real files must be caught, by the right check. */
  const MUTATIONS: [string, string, string | RegExp, string, RegExp][] = [
    ["Contributor role assignment appended to app.bicep", "infra/modules/app.bicep", /$/, CONTRIBUTOR_SNIPPET.replace("principalId: principalId", "principalId: functionApp.identity.principalId"), /Contributor\) is not an allowed role[\s\S]*bad: roleDefinitionId/],
    ["Contributor slipped into the role catalog", "infra/modules/roles.bicep", "reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'", "reader: 'b24988ac-6180-42a0-ab88-20f7382dd24c'", /roleIds\.reader = b24988ac/],
    ["extra role in the catalog", "infra/modules/roles.bicep", "  reader: 'acdd72a7", "  websiteContributor: 'de139f84-1756-47ae-9be6-808fbbe84772'\n  reader: 'acdd72a7", /roleIds\.websiteContributor/],
    ["Reader granted to another principal", "infra/modules/reader-subscription.bicep", "    principalId: principalId\n", "    principalId: deployer().objectId\n", /reader: principalId `deployer\(\)\.objectId`/],
    ["principalType dropped", "infra/modules/app.bicep", "    principalType: 'ServicePrincipal'\n", "\n", /principalType must be 'ServicePrincipal'/],
    ["shared key access enabled", "infra/modules/app.bicep", "allowSharedKeyAccess: false", "allowSharedKeyAccess: true", /allowSharedKeyAccess: false \(found true\)/],
    ["listKeys connection string", "infra/modules/app.bicep", "  AzureWebJobsStorage__credential: 'managedidentity'", "  AzureWebJobsStorage__credential: 'managedidentity'\n  AzureWebJobsStorage: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value}'", /list\*\(\) call[\s\S]*AzureWebJobsStorage must not be set/],
    ["deployment storage by connection string", "infra/modules/app.bicep", "type: 'SystemAssignedIdentity'", "type: 'StorageAccountConnectionString'", /type: 'SystemAssignedIdentity' \(found 'StorageAccountConnectionString'\)/],
    ["HTTP allowed", "infra/modules/app.bicep", "httpsOnly: true", "httpsOnly: false", /httpsOnly: true \(found false\)/],
    ["TLS 1.0", "infra/modules/app.bicep", "      minTlsVersion: '1.2'", "      minTlsVersion: '1.0'", /minTlsVersion: '1\.2' \(found '1\.0'\)/],
    ["FTPS allowed", "infra/modules/app.bicep", "ftpsState: 'Disabled'", "ftpsState: 'FtpsOnly'", /ftpsState: 'Disabled' \(found 'FtpsOnly'\)/],
    ["SCM basic auth on", "infra/modules/app.bicep", "  name: 'scm'\n  properties: {\n    allow: false", "  name: 'scm'\n  properties: {\n    allow: true", /scmPublishing must set allow: false \(found true\)/],
    ["FTP policy removed", "infra/modules/app.bicep", "name: 'ftp'", "name: 'ftx'", /no basicPublishingCredentialsPolicies 'ftp'/],
    ["Node 20", "infra/modules/app.bicep", "version: '22'", "version: '20'", /version: '22' \(found '20'\)/],
    ["App Insights local auth on", "infra/modules/app.bicep", "DisableLocalAuth: true", "DisableLocalAuth: false", /DisableLocalAuth: true \(found false\)/],
    ["Key Vault access policies", "infra/modules/app.bicep", "enableRbacAuthorization: true", "enableRbacAuthorization: false", /enableRbacAuthorization: true \(found false\)/],
    ["preview API version", "infra/modules/app.bicep", "Microsoft.KeyVault/vaults@2023-07-01'", "Microsoft.KeyVault/vaults@2024-04-01-preview'", /preview API version/],
    ["old Web API version", "infra/modules/app.bicep", "Microsoft.Web/sites@2024-11-01'", "Microsoft.Web/sites@2022-09-01'", /older than 2024-04-01/],
    ["custom role gets a wildcard", "infra/modules/roles.bicep", "  'Microsoft.Web/sites/config/list/action'\n", "  'Microsoft.Web/sites/config/list/action'\n  'Microsoft.Web/sites/*'\n", /appSettingsReaderActions is/],
    ["custom role unconditional", "infra/modules/reader-management-group.bicep", "'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (enableAppSettingsRole) {", "'Microsoft.Authorization/roleDefinitions@2022-04-01' = {", /must be declared `= if \(enableAppSettingsRole\)`/],
    ["custom role with data actions", "infra/modules/app-settings-reader-role.bicep", "dataActions: []", "dataActions: ['Microsoft.Storage/*']", /dataActions must be \[\]/],
    ["custom role on by default", "infra/main.bicep", "param enableAppSettingsRole bool = false", "param enableAppSettingsRole bool = true", /enableAppSettingsRole must default to false/],
    ["custom role module unconditional", "infra/main.bicep", "= if (readerScope == 'subscriptions' && enableAppSettingsRole) {", "= {", /module appSettingsRole defines the custom role but is not conditional/],
    ["AUDIT_SCHEDULE not set", "infra/modules/app.bicep", "  AUDIT_SCHEDULE: auditSchedule\n", "", /setting AUDIT_SCHEDULE \(src\/config\/settings\.ts\) is neither set/],
    ["webhook secret as plain app setting", "infra/modules/app.bicep", "AUDIT_WEBHOOK_SECRET: '@Microsoft.KeyVault(", "AUDIT_WEBHOOK_SECRET: webhookSecret //'@Microsoft.KeyVault(", /AUDIT_WEBHOOK_SECRET must be a Key Vault reference/],
    ["webhook secret output", "infra/modules/app.bicep", /$/, "\noutput leaked string = webhookSecret\n", /webhookSecret in an output/],
    ["webhook secret not @secure", "infra/main.bicep", "@secure()\n@description('HMAC", "@description('HMAC", /param webhookSecret must be @secure\(\)/],
    ["Flex-incompatible worker runtime setting", "infra/modules/app.bicep", "  AUDIT_SCHEDULE: auditSchedule\n", "  AUDIT_SCHEDULE: auditSchedule\n  FUNCTIONS_WORKER_RUNTIME: 'node'\n", /FUNCTIONS_WORKER_RUNTIME must not be set/],
    ["optional setting undocumented", "docs/deploy.md", "| `AUDIT_STORAGE` |", "| `AUDIT_STORAGEX` |", /setting AUDIT_STORAGE .* is neither set/],
    ["registry module", "infra/main.bicep", "module app 'modules/app.bicep'", "module app 'br/public:avm/res/web/site:0.15.1'", /registry modules hide resources/],
    ["parameter from a literal", "infra/main.parameters.json", '"${AUDIT_WEBHOOK_SECRET}"', '"hunter2"', /webhookSecret must come from an azd environment variable/],
    ["severity enum drift", "infra/main.bicep", "  'info'\n])\nparam minAlertSeverity", "])\nparam minAlertSeverity", /minAlertSeverity allowed/],
    ["README loses what-if", "docs/deploy.md", /az deployment sub what-if/g, "az deployment sub whatif", /must mention `az deployment sub what-if`/],
  ];

  it.each(MUTATIONS)("fails on: %s", (_description, file, from, to, expected) => {
    const original = FILES[file];
    expect(original, file).toBeDefined();
    const mutated = original!.replace(from, to);
    expect(mutated, "the mutation must change the file").not.toBe(original);
    expect(allProblems({ ...FILES, [file]: mutated }).join("\n")).toMatch(expected);
  });

  it("the real files produce no problems at all", () => expect(allProblems(FILES)).toEqual([]));
});

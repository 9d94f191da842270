/**
 * The checks: each is a pure function from the file set to the problems it found, so the real
 * files must produce none (infra.test.ts) and each mutation of them must be caught by the right
 * one (regressions.test.ts).
 */
import { SETTINGS } from "../../src/config/settings.js";
import { SEVERITIES } from "../../src/model/severity.js";
import { allDeclarations, bicepFiles, declarations, fileNamed, objectKeys, propertyBlock, propertyLine, stripBicepComments, varText, type Declaration, type Files } from "./bicep.js";
import { ALLOWED_GUIDS, ALLOWED_ROLES, CUSTOM_ROLE_ACTIONS, FORBIDDEN_SETTINGS, KNOWN_FORBIDDEN, MIN_API_VERSIONS, REQUIRED_TEMPLATE_SETTINGS, STORAGE_MAPPED_SETTINGS } from "./promises.js";

/** Any GUID literal anywhere under infra/ (or azure.yaml) must be one of the allowed role IDs. */
export function checkGuidLiterals(files: Files): string[] {
  const problems: string[] = [];
  for (const [path, raw] of Object.entries(files)) {
    if (path.endsWith(".md")) continue;
    const text = path.endsWith(".bicep") ? stripBicepComments(raw) : raw;
    for (const match of text.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi)) {
      const guid = match[0].toLowerCase();
      if (!ALLOWED_GUIDS.has(guid)) {
        problems.push(`${path}: GUID ${guid}${KNOWN_FORBIDDEN[guid] ? ` (${KNOWN_FORBIDDEN[guid]})` : ""} is not an allowed role definition`);
      }
    }
  }
  return problems;
}

/** roles.bicep's roleIds catalog is exactly the allowed set. */
export function checkRoleCatalog(files: Files): string[] {
  const roles = fileNamed(files, "infra/modules/roles.bicep");
  if (!roles) return ["infra/modules/roles.bicep is missing"];
  const body = varText(roles[1], "roleIds");
  if (!body) return ["roles.bicep: no `var roleIds`"];
  const entries = Object.fromEntries(
    [...body.matchAll(/^\s*(\w+)\s*:\s*'([^']*)'/gm)].map((m) => [m[1]!, m[2]!.toLowerCase()]),
  );
  const problems: string[] = [];
  for (const [key, guid] of Object.entries(entries)) {
    if (ALLOWED_ROLES[key] !== guid) problems.push(`roles.bicep: roleIds.${key} = ${guid} is not allowed`);
  }
  for (const key of Object.keys(ALLOWED_ROLES)) {
    if (!(key in entries)) problems.push(`roles.bicep: roleIds.${key} is missing`);
  }
  if (!/^@export\(\)/m.test(roles[1])) problems.push("roles.bicep: roleIds must be @export()ed");
  return problems;
}

const ROLE_ID_FORM =
  /^(subscriptionResourceId|tenantResourceId|managementGroupResourceId)\('Microsoft\.Authorization\/roleDefinitions', (roleIds\.(\w+)|appSettingsRoleGuid)\)$/;

/** Every role assignment: an allowed role, to the app's identity, as a ServicePrincipal, guid() name. */
export function checkRoleAssignments(files: Files): string[] {
  const problems: string[] = [];
  const assignments = allDeclarations(files, "resource").filter((d) => d.target === "Microsoft.Authorization/roleAssignments");
  let declared = 0;
  for (const [, text] of bicepFiles(files)) declared += text.match(/Microsoft\.Authorization\/roleAssignments@/g)?.length ?? 0;
  if (declared !== assignments.length) {
    problems.push(`found ${declared} roleAssignments type references but parsed ${assignments.length} resource declarations: every assignment must be a plain resource declaration`);
  }
  for (const a of assignments) {
    const where = `${a.file}: ${a.symbol}`;
    if (a.existing) continue;
    const roleDefinitionId = propertyLine(a.body, "roleDefinitionId");
    const custom = roleDefinitionId === "appSettingsReaderRole.id" || roleDefinitionId?.includes("appSettingsRoleGuid");
    const form = roleDefinitionId === undefined ? null : ROLE_ID_FORM.exec(roleDefinitionId);
    if (roleDefinitionId === "appSettingsReaderRole.id") {
      const definition = declarations(a.file, stripBicepComments(files[a.file]!), "resource").find(
        (d) => d.symbol === "appSettingsReaderRole" && d.target === "Microsoft.Authorization/roleDefinitions",
      );
      if (!definition) problems.push(`${where}: appSettingsReaderRole is not a role definition in the same file`);
    } else if (!form) {
      problems.push(`${where}: roleDefinitionId \`${roleDefinitionId}\` is not roleIds.<allowed role> or the custom role`);
    } else if (form[3] && !(form[3] in ALLOWED_ROLES)) {
      problems.push(`${where}: roleIds.${form[3]} is not an allowed role`);
    }
    if (custom && !/enableAppSettingsRole|!empty\(appSettingsRoleGuid\)/.test(a.condition)) {
      problems.push(`${where}: the custom role assignment must be conditional on enableAppSettingsRole`);
    }
    if (propertyLine(a.body, "principalType") !== "'ServicePrincipal'") problems.push(`${where}: principalType must be 'ServicePrincipal'`);
    const principalId = propertyLine(a.body, "principalId");
    if (principalId !== "principalId" && principalId !== "functionApp.identity.principalId") {
      problems.push(`${where}: principalId \`${principalId}\` is not the function app's identity`);
    }
    if (!propertyLine(a.body, "name")?.startsWith("guid(")) problems.push(`${where}: name must be a deterministic guid(...)`);
  }
  // Modules that take a principalId get the app's identity, never another principal.
  for (const m of allDeclarations(files, "module")) {
    const principalId = propertyLine(m.body, "principalId");
    if (principalId !== undefined && principalId !== "app.outputs.principalId") {
      problems.push(`${m.file}: module ${m.symbol} gets principalId \`${principalId}\`, not app.outputs.principalId`);
    }
    const guidParam = propertyLine(m.body, "appSettingsRoleGuid");
    if (guidParam !== undefined && !/^enableAppSettingsRole \? \w+\.outputs\.roleGuid : ''$/.test(guidParam)) {
      problems.push(`${m.file}: module ${m.symbol} passes appSettingsRoleGuid \`${guidParam}\` not guarded by enableAppSettingsRole`);
    }
  }
  // No registry modules (their role assignments would be invisible here) and no name-based roles.
  for (const [path, text] of bicepFiles(files)) {
    if (/'br[:/]/.test(text) || /'ts:/.test(text)) problems.push(`${path}: registry modules hide resources from this check; use local files`);
    if (/roleDefinitionIdOrName/.test(text)) problems.push(`${path}: roleDefinitionIdOrName (role by name) is not allowed`);
  }
  return problems;
}

/** The optional custom role: exactly sites/config/list/action, only behind enableAppSettingsRole. */
export function checkCustomRole(files: Files): string[] {
  const problems: string[] = [];
  const roles = fileNamed(files, "infra/modules/roles.bicep");
  const actionsText = roles && varText(roles[1], "appSettingsReaderActions");
  const actions = actionsText ? [...actionsText.matchAll(/'([^']*)'/g)].map((m) => m[1]) : [];
  if (JSON.stringify(actions) !== JSON.stringify(CUSTOM_ROLE_ACTIONS)) {
    problems.push(`roles.bicep: appSettingsReaderActions is ${JSON.stringify(actions)}, expected ${JSON.stringify(CUSTOM_ROLE_ACTIONS)}`);
  }
  const definitions = allDeclarations(files, "resource").filter((d) => d.target === "Microsoft.Authorization/roleDefinitions");
  let declared = 0;
  for (const [, text] of bicepFiles(files)) declared += text.match(/Microsoft\.Authorization\/roleDefinitions@/g)?.length ?? 0;
  if (declared !== definitions.length) problems.push("every roleDefinitions use must be a plain resource declaration");
  if (definitions.length === 0) problems.push("no custom role definition found");
  for (const d of definitions) {
    const where = `${d.file}: ${d.symbol}`;
    if (!/^if \(enableAppSettingsRole\)$/.test(d.condition)) problems.push(`${where}: must be declared \`= if (enableAppSettingsRole)\``);
    const permissions = d.body.slice(d.body.indexOf("permissions"));
    if (propertyLine(permissions, "actions") !== "appSettingsReaderActions") problems.push(`${where}: actions must be appSettingsReaderActions`);
    for (const key of ["notActions", "dataActions", "notDataActions"]) {
      if (propertyLine(permissions, key) !== "[]") problems.push(`${where}: ${key} must be []`);
    }
    if (propertyLine(d.body, "type") !== "'CustomRole'") problems.push(`${where}: type must be 'CustomRole'`);
  }
  // The modules that contain a role definition are only called when the role is enabled, and the
  // main template's switch defaults to off.
  const defining = new Set(definitions.map((d) => d.file.split("/").pop()));
  for (const m of allDeclarations(files, "module")) {
    if (defining.has(m.target.split("/").pop()) && !/enableAppSettingsRole/.test(m.condition)) {
      problems.push(`${m.file}: module ${m.symbol} defines the custom role but is not conditional on enableAppSettingsRole`);
    }
  }
  const main = fileNamed(files, "infra/main.bicep");
  if (!main || !/^param enableAppSettingsRole bool = false$/m.test(main[1])) problems.push("main.bicep: enableAppSettingsRole must default to false");
  return problems;
}

/** Matched against code only (comments and string text blanked, interpolations kept). */
const KEY_CALL_PATTERN = /\blist\w*\s*\(/i;

const KEY_PATTERNS: [RegExp, string][] = [
  [/\.listKeys\b/i, "listKeys"],
  [/AccountKey\s*=/i, "an AccountKey= connection string"],
  [/DefaultEndpointsProtocol/i, "a storage connection string"],
  [/SharedAccess(Key|Signature)/i, "a shared access key or signature"],
  [/\b(primary|secondary)(Shared)?Key\b/i, "a primary/secondary key"],
  [/\b(account|service)SasProperties\b|\bsasToken\b/i, "a SAS"],
  [/allowSharedKeyAccess\s*:\s*true/, "allowSharedKeyAccess: true"],
  [/StorageAccountConnectionString/i, "connection-string authentication for deployment storage"],
  [/InstrumentationKey\s*=/i, "an instrumentation-key connection string literal"],
  [/UseDevelopmentStorage/i, "development storage"],
];

/** No key, connection string with a key, or SAS anywhere in the templates or azd files. */
export function checkNoKeys(files: Files): string[] {
  const problems: string[] = [];
  for (const [path, raw] of Object.entries(files)) {
    if (path.endsWith(".md")) continue;
    const text = path.endsWith(".bicep") ? stripBicepComments(raw) : raw;
    for (const [pattern, what] of KEY_PATTERNS) {
      if (pattern.test(text)) problems.push(`${path}: ${what}`);
    }
    if (path.endsWith(".bicep") && KEY_CALL_PATTERN.test(stripBicepComments(raw, { strings: true }))) {
      problems.push(`${path}: a list*() call (listKeys, listSecrets, listConnectionStrings...) reads credentials`);
    }
  }
  return problems;
}

function single(files: Files, type: string, problems: string[]): Declaration | undefined {
  const found = allDeclarations(files, "resource").filter((d) => d.target === type && !d.existing);
  if (found.length !== 1) problems.push(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

function requireLine(d: Declaration | undefined, body: string | undefined, key: string, value: string, problems: string[], flags = "") {
  if (!d) return;
  const line = body === undefined ? undefined : propertyLine(body, key);
  const ok = line !== undefined && new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, flags).test(line);
  if (!ok) problems.push(`${d.file}: ${d.symbol} must set ${key}: ${value} (found ${line ?? "nothing"})`);
}

/** HTTPS, TLS 1.2, FTP and basic publishing off, Node 22, identity everywhere, no local auth. */
export function checkHardening(files: Files): string[] {
  const problems: string[] = [];

  const storage = single(files, "Microsoft.Storage/storageAccounts", problems);
  requireLine(storage, storage?.body, "allowSharedKeyAccess", "false", problems);
  requireLine(storage, storage?.body, "minimumTlsVersion", "'TLS1_2'", problems);
  requireLine(storage, storage?.body, "supportsHttpsTrafficOnly", "true", problems);
  requireLine(storage, storage?.body, "allowBlobPublicAccess", "false", problems);

  const site = single(files, "Microsoft.Web/sites", problems);
  requireLine(site, site?.body, "kind", "'functionapp,linux'", problems);
  requireLine(site, site?.body, "httpsOnly", "true", problems);
  const siteConfig = site && propertyBlock(site.body, "siteConfig");
  requireLine(site, siteConfig, "minTlsVersion", "'1.2'", problems);
  requireLine(site, siteConfig, "scmMinTlsVersion", "'1.2'", problems);
  requireLine(site, siteConfig, "ftpsState", "'Disabled'", problems);
  requireLine(site, site && propertyBlock(site.body, "identity"), "type", "'SystemAssigned'", problems);
  const functionAppConfig = site && propertyBlock(site.body, "functionAppConfig");
  const runtime = functionAppConfig && propertyBlock(functionAppConfig, "runtime");
  requireLine(site, runtime, "name", "'node'", problems);
  requireLine(site, runtime, "version", "'22'", problems);
  const authentication = functionAppConfig && propertyBlock(functionAppConfig, "authentication");
  requireLine(site, authentication, "type", "'SystemAssignedIdentity'", problems);

  const policies = allDeclarations(files, "resource").filter((d) => d.target === "Microsoft.Web/sites/basicPublishingCredentialsPolicies");
  for (const name of ["ftp", "scm"]) {
    const policy = policies.find((p) => propertyLine(p.body, "name") === `'${name}'`);
    if (!policy) problems.push(`no basicPublishingCredentialsPolicies '${name}'`);
    else {
      requireLine(policy, policy.body, "allow", "false", problems);
      if (policy.condition !== "") problems.push(`${policy.file}: ${policy.symbol} must not be conditional`);
      if (site && propertyLine(policy.body, "parent") !== site.symbol) problems.push(`${policy.file}: ${policy.symbol} must have parent: ${site.symbol}`);
    }
  }

  const plan = single(files, "Microsoft.Web/serverfarms", problems);
  const sku = plan && propertyBlock(plan.body, "sku");
  requireLine(plan, sku, "name", "'FC1'", problems);
  requireLine(plan, sku, "tier", "'FlexConsumption'", problems);

  const insights = single(files, "Microsoft.Insights/components", problems);
  requireLine(insights, insights?.body, "DisableLocalAuth", "true", problems, "i");
  const workspace = single(files, "Microsoft.OperationalInsights/workspaces", problems);
  requireLine(workspace, workspace && propertyBlock(workspace.body, "features"), "disableLocalAuth", "true", problems);

  const vault = single(files, "Microsoft.KeyVault/vaults", problems);
  requireLine(vault, vault?.body, "enableRbacAuthorization", "true", problems);
  if (vault && /accessPolicies\s*:/.test(vault.body)) problems.push(`${vault.file}: Key Vault must not use access policies`);

  for (const d of allDeclarations(files, "resource")) {
    if (/minTlsVersion\s*:\s*'1\.[01]'|TLS1_[01]'/.test(d.body)) problems.push(`${d.file}: ${d.symbol} allows TLS below 1.2`);
    if (/httpsOnly\s*:\s*false/.test(d.body)) problems.push(`${d.file}: ${d.symbol} allows HTTP`);
  }
  return problems;
}

/** Current GA API versions only. Unknown resource types must be added to MIN_API_VERSIONS deliberately. */
export function checkApiVersions(files: Files): string[] {
  const problems: string[] = [];
  for (const d of allDeclarations(files, "resource")) {
    const where = `${d.file}: ${d.symbol} (${d.target}@${d.apiVersion})`;
    if (/preview/i.test(d.apiVersion)) problems.push(`${where}: preview API version`);
    const prefix = Object.keys(MIN_API_VERSIONS)
      .filter((p) => d.target.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    if (!prefix) problems.push(`${where}: resource type not reviewed (add it to MIN_API_VERSIONS)`);
    else if (d.apiVersion < MIN_API_VERSIONS[prefix]!) problems.push(`${where}: older than ${MIN_API_VERSIONS[prefix]}`);
  }
  return problems;
}

/** App settings the template sets: keys of the vars merged into the appsettings config resource. */
function templateSettings(files: Files): { names: Map<string, string>; problems: string[] } {
  const names = new Map<string, string>();
  const problems: string[] = [];
  const configs = allDeclarations(files, "resource").filter(
    (d) => d.target === "Microsoft.Web/sites/config" && propertyLine(d.body, "name") === "'appsettings'",
  );
  if (configs.length !== 1) return { names, problems: [`expected one sites/config 'appsettings' resource, found ${configs.length}`] };
  const config = configs[0]!;
  const text = stripBicepComments(files[config.file]!);
  const properties = propertyLine(config.body, "properties") ?? "";
  const union = /^union\(([\w\s,]+)\)$/.exec(properties);
  const varNames = union ? union[1]!.split(",").map((s) => s.trim()) : /^\w+$/.test(properties) ? [properties] : [];
  if (varNames.length === 0) problems.push(`${config.file}: appsettings properties must be a var or union(var, ...), found \`${properties}\``);
  if (/siteConfig[\s\S]*appSettings\s*:/.test(text)) problems.push(`${config.file}: app settings must live in the appsettings config resource only`);
  for (const name of varNames) {
    const body = varText(text, name);
    if (!body) {
      problems.push(`${config.file}: var ${name} not found`);
      continue;
    }
    for (const line of body.split("\n")) {
      const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.+?)\s*$/.exec(line);
      if (match) names.set(match[1]!, match[2]!);
    }
    for (const key of objectKeys(body)) if (!names.has(key)) names.set(key, "");
  }
  return { names, problems };
}

/** The optional-settings table of docs/deploy.md: setting name -> row text. */
function optionalSettingsTable(docs: string): Map<string, string> {
  const rows = new Map<string, string>();
  const start = docs.search(/^#+\s*Optional settings\s*$/im);
  if (start < 0) return rows;
  const section = docs.slice(start).split("\n").slice(1);
  const end = section.findIndex((line) => /^#/.test(line));
  for (const line of end < 0 ? section : section.slice(0, end)) {
    const match = /^\|\s*`([^`]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  return rows;
}

/** Every setting the code reads (SETTINGS) is set by the template or documented as optional. */
export function checkAppSettings(files: Files, settingNames: readonly string[]): string[] {
  const { names, problems } = templateSettings(files);
  const docs = files["docs/deploy.md"] ?? "";
  const optional = optionalSettingsTable(docs);
  for (const name of REQUIRED_TEMPLATE_SETTINGS) if (!names.has(name)) problems.push(`app setting ${name} is not set by the template`);
  for (const name of FORBIDDEN_SETTINGS) if (names.has(name)) problems.push(`app setting ${name} must not be set`);
  for (const name of settingNames) {
    if (names.has(name) || optional.has(name)) {
      if (STORAGE_MAPPED_SETTINGS.includes(name) && !optional.get(name)?.includes("AzureWebJobsStorage__")) {
        problems.push(`docs/deploy.md: the optional-settings row for ${name} must explain the AzureWebJobsStorage__* mapping`);
      }
      continue;
    }
    problems.push(`setting ${name} (src/config/settings.ts) is neither set by the template nor in docs/deploy.md's optional settings table`);
  }
  for (const name of ["AUDIT_WEBHOOK_URL", "AUDIT_WEBHOOK_SECRET"]) {
    const value = names.get(name);
    if (value !== undefined && !value.startsWith("'@Microsoft.KeyVault(")) problems.push(`app setting ${name} must be a Key Vault reference, found \`${value}\``);
  }
  const expected: Record<string, RegExp> = {
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: /^'Authorization=AAD'$/,
    AzureWebJobsStorage__credential: /^'managedidentity'$/,
    AUDIT_SCHEDULE: /^auditSchedule$/,
    AUDIT_MIN_ALERT_SEVERITY: /^minAlertSeverity$/,
    AUDIT_SUBSCRIPTIONS: /^join\(auditSubscriptionIds, ','\)$/,
    AUDIT_ARM_ENDPOINT: /armEndpoint/,
  };
  for (const [name, pattern] of Object.entries(expected)) {
    const value = names.get(name);
    if (value !== undefined && !pattern.test(value)) problems.push(`app setting ${name} = \`${value}\` does not match ${pattern}`);
  }
  const app = fileNamed(files, "infra/modules/app.bicep");
  if (app && !/^var armEndpoint = environment\(\)\.resourceManager$/m.test(app[1])) problems.push("app.bicep: AUDIT_ARM_ENDPOINT must come from environment().resourceManager");
  return problems;
}

/** The webhook values are @secure, go only into Key Vault secrets, and are never output. */
export function checkSecrets(files: Files): string[] {
  const problems: string[] = [];
  for (const [path, text] of bicepFiles(files)) {
    for (const name of ["webhookUrl", "webhookSecret"]) {
      const param = new RegExp(`^param ${name}\\b.*$`, "m").exec(text);
      if (!param) continue;
      const before = text.slice(0, param.index).split("\n").slice(-4).join("\n");
      if (!/@secure\(\)/.test(before)) problems.push(`${path}: param ${name} must be @secure()`);
      if (!new RegExp(`^param ${name} string( = '')?$`, "m").test(text)) problems.push(`${path}: param ${name} must be a string with no default but ''`);
      for (const line of text.split("\n")) {
        if (!new RegExp(`\\b${name}\\b`).test(line) || /^param /.test(line)) continue;
        const allowed =
          new RegExp(`^\\s*(value|${name}): ${name}$`).test(line) || // the secret value, or passing it to the module
          new RegExp(`empty\\(${name}\\)`).test(line);
        if (!allowed) problems.push(`${path}: ${name} used outside a Key Vault secret value: \`${line.trim()}\``);
        if (/^output /.test(line)) problems.push(`${path}: ${name} in an output`);
      }
    }
    for (const line of text.split("\n")) {
      if (/^output /.test(line) && /secret|webhook|key\b|password|connectionString/i.test(line) && !/keyVaultName|KEY_VAULT_NAME/.test(line)) {
        problems.push(`${path}: output may expose a secret: \`${line.trim()}\``);
      }
    }
  }
  const secrets = allDeclarations(files, "resource").filter((d) => d.target === "Microsoft.KeyVault/vaults/secrets");
  if (secrets.length !== 2) problems.push(`expected the two webhook secrets, found ${secrets.length}`);
  return problems;
}

/** main.parameters.json feeds only real parameters, from azd environment variables. */
export function checkParametersFile(files: Files): string[] {
  const problems: string[] = [];
  const main = fileNamed(files, "infra/main.bicep");
  const raw = files["infra/main.parameters.json"];
  if (!main || raw === undefined) return ["infra/main.bicep or infra/main.parameters.json missing"];
  const params = new Map([...main[1].matchAll(/^param (\w+) (\w+)( = .*)?$/gm)].map((m) => [m[1]!, Boolean(m[3])]));
  let parsed: { parameters?: Record<string, { value?: unknown }> };
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    return [`infra/main.parameters.json is not JSON: ${String(error)}`];
  }
  const entries = parsed.parameters ?? {};
  for (const [name, entry] of Object.entries(entries)) {
    if (!params.has(name)) problems.push(`main.parameters.json: ${name} is not a parameter of main.bicep`);
    if (typeof entry.value !== "string" || !/^\$\{[A-Z_]+(=[^}]*)?\}$/.test(entry.value)) {
      problems.push(`main.parameters.json: ${name} must come from an azd environment variable, found ${JSON.stringify(entry.value)}`);
    }
  }
  for (const [name, hasDefault] of params) if (!hasDefault && !(name in entries)) problems.push(`main.parameters.json: required parameter ${name} missing`);
  if (entries.environmentName?.value !== "${AZURE_ENV_NAME}") problems.push("main.parameters.json: environmentName must be ${AZURE_ENV_NAME}");
  if (entries.location?.value !== "${AZURE_LOCATION}") problems.push("main.parameters.json: location must be ${AZURE_LOCATION}");
  return problems;
}

/** main.bicep's parameters match the code's own defaults and enum. */
export function checkMainParameters(files: Files): string[] {
  const problems: string[] = [];
  const main = fileNamed(files, "infra/main.bicep");
  if (!main) return ["infra/main.bicep missing"];
  const text = main[1];
  if (!/^targetScope = 'subscription'$/m.test(text)) problems.push("main.bicep: targetScope must be 'subscription'");
  const severity = /@allowed\(\[([^\]]*)\]\)\s*param minAlertSeverity string = '(\w+)'/.exec(text);
  const allowed = severity ? [...severity[1]!.matchAll(/'(\w+)'/g)].map((m) => m[1]) : [];
  if (JSON.stringify(allowed) !== JSON.stringify(SEVERITIES)) problems.push(`main.bicep: minAlertSeverity allowed ${JSON.stringify(allowed)} != SEVERITIES`);
  if (severity?.[2] !== SETTINGS.AUDIT_MIN_ALERT_SEVERITY.default) problems.push("main.bicep: minAlertSeverity default differs from the code's");
  if (!text.includes(`param auditSchedule string = '${SETTINGS.AUDIT_SCHEDULE.default}'`)) problems.push("main.bicep: auditSchedule default differs from the code's");
  const scope = /@allowed\(\[([^\]]*)\]\)\s*param readerScope string = '(\w+)'/.exec(text);
  const scopes = scope ? [...scope[1]!.matchAll(/'(\w+)'/g)].map((m) => m[1]) : [];
  for (const s of ["managementGroup", "subscriptions"]) if (!scopes.includes(s)) problems.push(`main.bicep: readerScope must allow '${s}'`);
  if (!/^param auditSubscriptionIds array = \[\]$/m.test(text)) problems.push("main.bicep: auditSubscriptionIds must be an array defaulting to []");
  for (const output of ["AUDIT_FUNCTION_APP_NAME", "AUDIT_FUNCTION_BASE_URL", "AUDIT_PRINCIPAL_ID"]) {
    if (!new RegExp(`^output ${output} string = `, "m").test(text)) problems.push(`main.bicep: output ${output} missing`);
  }
  const app = fileNamed(files, "infra/modules/app.bicep");
  if (!app || !/^output baseUrl string = 'https:\/\/\$\{functionApp\.properties\.defaultHostName\}\/api'$/m.test(app[1])) {
    problems.push("app.bicep: baseUrl must be https://<defaultHostName>/api");
  }
  return problems;
}

/** azure.yaml: the api service is the function app built from this project. */
export function checkAzureYaml(files: Files): string[] {
  const text = files["azure.yaml"];
  if (text === undefined) return ["azure.yaml missing"];
  const problems: string[] = [];
  const service = /^services:\s*\n\s+api:\s*\n((?:\s{4,}.*\n)+)/m.exec(text);
  const body = service?.[1] ?? "";
  if (!service) problems.push("azure.yaml: services.api missing");
  if (!/^\s+project:\s*\.\s*$/m.test(body)) problems.push("azure.yaml: api.project must be .");
  if (!/^\s+language:\s*(ts|js)\b/m.test(body)) problems.push("azure.yaml: api.language must be ts or js");
  if (!/^\s+host:\s*function\b/m.test(body)) problems.push("azure.yaml: api.host must be function");
  if (!/^\s+path:\s*infra\s*$/m.test(text)) problems.push("azure.yaml: infra.path must be infra");
  if (!/infra\/modules\/reader-management-group\.bicep/.test(text)) problems.push("azure.yaml: the postprovision hook must deploy reader-management-group.bicep");
  return problems;
}

/** docs/deploy.md: azd and az paths, validation, every parameter, the grant commands. */
export function checkDocs(files: Files): string[] {
  const docs = files["docs/deploy.md"];
  if (docs === undefined) return ["docs/deploy.md missing"];
  const problems: string[] = [];
  const required = [
    "azd up",
    "azd env set",
    "az deployment sub create",
    "az deployment mg create",
    "az bicep build --file infra/main.bicep",
    "az deployment sub what-if",
    "az role assignment create",
    "--assignee-object-id",
    "--assignee-principal-type ServicePrincipal",
    "--role Reader",
    "--scope /providers/Microsoft.Management/managementGroups/",
    "az role definition create",
    "Microsoft.Web/sites/config/list/action",
    "Monitoring Metrics Publisher",
    "Storage Blob Data Owner",
  ];
  for (const needle of required) if (!docs.includes(needle)) problems.push(`docs/deploy.md must mention \`${needle}\``);
  const main = fileNamed(files, "infra/main.bicep");
  for (const m of main?.[1].matchAll(/^param (\w+)/gm) ?? []) {
    if (!new RegExp(`^\\|\\s*\`${m[1]}\`\\s*\\|`, "m").test(docs)) problems.push(`docs/deploy.md: parameter ${m[1]} is not in the parameters table`);
  }
  for (const guid of ALLOWED_GUIDS) if (!docs.includes(guid)) problems.push(`docs/deploy.md: role ${guid} is not explained`);
  return problems;
}

export function allProblems(files: Files): string[] {
  return [
    ...checkGuidLiterals(files),
    ...checkRoleCatalog(files),
    ...checkRoleAssignments(files),
    ...checkCustomRole(files),
    ...checkNoKeys(files),
    ...checkHardening(files),
    ...checkApiVersions(files),
    ...checkAppSettings(files, Object.keys(SETTINGS)),
    ...checkSecrets(files),
    ...checkParametersFile(files),
    ...checkMainParameters(files),
    ...checkAzureYaml(files),
    ...checkDocs(files),
  ];
}

// ---------------------------------------------------------------------------------------------

/**
 * The deployment's promises, checked by reading infra/ as text (the Bicep compiler is not available
 * here). Each check is a pure function from the file set to a list of problems; the real files must
 * produce none, and the self-tests at the bottom mutate the real files (or use small bad snippets)
 * to prove each check fails on the regression it is there to catch.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../src/config/settings.js";
import { SEVERITIES } from "../../src/model/severity.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// ---------------------------------------------------------------------------------------------
// The promises, as data
// ---------------------------------------------------------------------------------------------

/** Every role definition the templates may grant (roles.bicep key -> built-in GUID). */
const ALLOWED_ROLES: Record<string, string> = {
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  storageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  storageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  // Needed because Application Insights has local auth disabled: Entra ID ingestion requires it.
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
};
const ALLOWED_GUIDS = new Set(Object.values(ALLOWED_ROLES));

/** Well-known roles that must never appear, named in the failure message. */
const KNOWN_FORBIDDEN: Record<string, string> = {
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

const CUSTOM_ROLE_ACTIONS = ["Microsoft.Web/sites/config/list/action"];

/** Lowest acceptable API version per resource type prefix (longest prefix wins). No previews. */
const MIN_API_VERSIONS: Record<string, string> = {
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
const FORBIDDEN_SETTINGS = [
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
const REQUIRED_TEMPLATE_SETTINGS = [
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
const STORAGE_MAPPED_SETTINGS = ["AzureWebJobsStorage", "AUDIT_STORAGE"];

// ---------------------------------------------------------------------------------------------
// Reading Bicep as text
// ---------------------------------------------------------------------------------------------

type Files = Record<string, string>; // path relative to the repo root -> content

/**
 * Replaces // and /* *\/ comments with spaces (newlines kept), leaving strings intact (or, with
 * `strings`, blanking string contents too but keeping ${...} interpolations, which are code). Understands
 * single-quoted strings with \ escapes and ${...} interpolation (which may nest strings), and
 * '''multi-line''' strings.
 */
export function stripBicepComments(text: string, options: { strings?: boolean } = {}): string {
  const out = text.split("");
  type Mode = { kind: "code"; depth: number } | { kind: "string" };
  const stack: Mode[] = [{ kind: "code", depth: 0 }];
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  while (i < text.length) {
    const mode = stack[stack.length - 1]!;
    const c = text[i]!;
    if (mode.kind === "code") {
      if (text.startsWith("'''", i)) {
        const end = text.indexOf("'''", i + 3);
        const stop = end < 0 ? text.length : end + 3;
        if (options.strings) blank(i + 3, stop - 3);
        i = stop;
      } else if (c === "'") {
        stack.push({ kind: "string" });
        i++;
      } else if (text.startsWith("//", i)) {
        const end = text.indexOf("\n", i);
        const stop = end < 0 ? text.length : end;
        blank(i, stop);
        i = stop;
      } else if (text.startsWith("/*", i)) {
        const end = text.indexOf("*/", i + 2);
        const stop = end < 0 ? text.length : end + 2;
        blank(i, stop);
        i = stop;
      } else if (c === "{") {
        mode.depth++;
        i++;
      } else if (c === "}") {
        if (mode.depth === 0 && stack.length > 1) stack.pop(); // end of ${...}
        else mode.depth--;
        i++;
      } else i++;
    } else {
      if (c === "\\") {
        if (options.strings) blank(i, i + 2);
        i += 2;
      } else if (c === "'") {
        stack.pop();
        i++;
      } else if (text.startsWith("${", i)) {
        stack.push({ kind: "code", depth: 0 });
        i += 2;
      } else {
        if (options.strings) blank(i, i + 1);
        i++;
      }
    }
  }
  return out.join("");
}

/** Index just past the brace/bracket that closes the one at `open`, skipping strings. */
function matchClose(text: string, open: number): number {
  const pairs: Record<string, string> = { "{": "}", "[": "]", "(": ")" };
  const closers = new Set(Object.values(pairs));
  const stack: string[] = [];
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === "'") inString = false;
      continue;
    }
    if (c === "'") inString = true;
    else if (pairs[c]) stack.push(pairs[c]!);
    else if (closers.has(c)) {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

interface Declaration {
  file: string;
  symbol: string;
  /** resource type without version, or module path */
  target: string;
  apiVersion: string;
  existing: boolean;
  /** text between `=` and the body's opening brace: `if (...)`, `[for x in y: if (...)`, or '' */
  condition: string;
  body: string;
}

function declarations(file: string, text: string, keyword: "resource" | "module"): Declaration[] {
  const found: Declaration[] = [];
  const pattern =
    keyword === "resource"
      ? /^[ \t]*resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s*(existing\s*)?=/gm
      : /^[ \t]*module\s+(\w+)\s+'([^']+)'\s*=/gm;
  for (const match of text.matchAll(pattern)) {
    const after = match.index! + match[0].length;
    const open = text.indexOf("{", after);
    const close = open < 0 ? -1 : matchClose(text, open);
    found.push({
      file,
      symbol: match[1]!,
      target: match[2]!,
      apiVersion: keyword === "resource" ? match[3]! : "",
      existing: keyword === "resource" && Boolean(match[4]),
      condition: open < 0 ? "" : text.slice(after, open).trim(),
      body: close < 0 ? "" : text.slice(open, close),
    });
  }
  return found;
}

/** Value text of `key:` on one line inside `body` (first occurrence), or undefined. */
function propertyLine(body: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|[\\s{,])${key}\\s*:\\s*(.+?)\\s*$`, "m").exec(body);
  return match?.[1];
}

/** The `{...}` object that follows `key:` inside body, or undefined. */
function propertyBlock(body: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|[\\s{,])${key}\\s*:\\s*\\{`, "m").exec(body);
  if (!match) return undefined;
  const open = match.index + match[0].length - 1;
  const close = matchClose(body, open);
  return close < 0 ? undefined : body.slice(open, close);
}

/** Text of `var name = ...` up to the next top-level declaration. */
function varText(text: string, name: string): string | undefined {
  const match = new RegExp(`^var\\s+${name}\\s*=`, "m").exec(text);
  if (!match) return undefined;
  const rest = text.slice(match.index + match[0].length);
  const next = /^(?:@|var |param |resource |module |output |import |type |func |targetScope)/m.exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

/** Object keys written as `key:` at the start of a line or after `{` / `,`. */
function objectKeys(text: string): string[] {
  return [...text.matchAll(/(?:^|[{,])\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/gm)].map((m) => m[1]!);
}

function bicepFiles(files: Files): [string, string][] {
  return Object.entries(files)
    .filter(([path]) => path.endsWith(".bicep"))
    .map(([path, text]) => [path, stripBicepComments(text)]);
}

function allDeclarations(files: Files, keyword: "resource" | "module"): Declaration[] {
  return bicepFiles(files).flatMap(([path, text]) => declarations(path, text, keyword));
}

function fileNamed(files: Files, suffix: string): [string, string] | undefined {
  const entry = Object.entries(files).find(([path]) => path.endsWith(suffix));
  return entry && (entry[0].endsWith(".bicep") ? [entry[0], stripBicepComments(entry[1])] : entry);
}

// ---------------------------------------------------------------------------------------------
// Checks: each returns the problems it found
// ---------------------------------------------------------------------------------------------

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

function allProblems(files: Files): string[] {
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
// The real files
// ---------------------------------------------------------------------------------------------

function loadFiles(): Files {
  const files: Files = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(ROOT, path).split("\\").join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(join(ROOT, "infra"));
  for (const file of ["azure.yaml", "docs/deploy.md"]) {
    const path = join(ROOT, file);
    if (existsSync(path)) files[file] = readFileSync(path, "utf8");
  }
  return files;
}

const FILES = loadFiles();

describe("infra: the deployment's promises", () => {
  it("has the expected files", () => {
    for (const file of [
      "infra/main.bicep",
      "infra/main.parameters.json",
      "infra/modules/app.bicep",
      "infra/modules/roles.bicep",
      "infra/modules/reader-subscription.bicep",
      "infra/modules/reader-management-group.bicep",
      "infra/modules/app-settings-reader-role.bicep",
      "azure.yaml",
      "docs/deploy.md",
    ]) {
      expect(Object.keys(FILES), file).toContain(file);
    }
  });

  it("uses no role definition IDs but the allowed ones", () => expect(checkGuidLiterals(FILES)).toEqual([]));
  it("keeps the role catalog to Reader, storage data roles, Key Vault Secrets User, Monitoring Metrics Publisher", () =>
    expect(checkRoleCatalog(FILES)).toEqual([]));
  it("assigns roles only from the catalog, only to the app's identity", () => expect(checkRoleAssignments(FILES)).toEqual([]));
  it("limits the optional custom role to sites/config/list/action behind enableAppSettingsRole", () =>
    expect(checkCustomRole(FILES)).toEqual([]));
  it("contains no storage key, SAS or connection string with a key", () => expect(checkNoKeys(FILES)).toEqual([]));
  it("sets HTTPS only, TLS 1.2, FTP and basic publishing off, Node 22, identity auth, no local auth", () =>
    expect(checkHardening(FILES)).toEqual([]));
  it("uses current GA API versions", () => expect(checkApiVersions(FILES)).toEqual([]));
  it("sets or documents every app setting the code reads", () => expect(checkAppSettings(FILES, Object.keys(SETTINGS))).toEqual([]));
  it("keeps the webhook values secure, in Key Vault only", () => expect(checkSecrets(FILES)).toEqual([]));
  it("maps azd environment variables to real parameters", () => expect(checkParametersFile(FILES)).toEqual([]));
  it("keeps main.bicep's parameters in step with the code", () => expect(checkMainParameters(FILES)).toEqual([]));
  it("declares the azd service and the management-group hook", () => expect(checkAzureYaml(FILES)).toEqual([]));
  it("documents deployment, validation, parameters and role grants", () => expect(checkDocs(FILES)).toEqual([]));
});

// ---------------------------------------------------------------------------------------------
// Self-tests: the checks fail on the regressions they exist for
// ---------------------------------------------------------------------------------------------

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

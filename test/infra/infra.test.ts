/**
 * The deployment's promises, checked by reading infra/ as text (the Bicep compiler is not available
 * here). Each check (checks.ts) is a pure function from the file set to a list of problems; the
 * real files must produce none. regressions.test.ts mutates the real files (or uses small bad
 * snippets) to prove each check fails on the regression it is there to catch.
 */
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../../src/config/settings.js";
import { loadFiles } from "./bicep.js";
import {
  checkApiVersions,
  checkAppSettings,
  checkAzureYaml,
  checkCustomRole,
  checkDocs,
  checkGuidLiterals,
  checkHardening,
  checkMainParameters,
  checkNoKeys,
  checkParametersFile,
  checkRoleAssignments,
  checkRoleCatalog,
  checkSecrets,
} from "./checks.js";

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

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_FILE_FIELDS, configFileSchema } from "../../src/config/file.js";
import { SETTINGS, settingsSchema } from "../../src/config/settings.js";
import { generatedSections, updateReadme } from "../../src/docs/readme.js";
import { RULES } from "../../src/rules/index.js";
import { REPO_ROOT } from "../support/cli.js";

const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");

describe("README", () => {
  it("has its generated sections up to date (run `npm run docs`)", () => {
    expect(readme).toBe(updateReadme(readme, generatedSections(REPO_ROOT)));
  });

  it("lists every rule of the catalog with a link to its doc", () => {
    for (const { meta } of RULES) expect(readme).toContain(`[\`${meta.id}\`](docs/rules/${meta.id}.md)`);
  });

  it("documents every setting the code reads, and only those", () => {
    expect(Object.keys(SETTINGS).sort()).toEqual(Object.keys(settingsSchema.shape).sort());
    for (const name of Object.keys(SETTINGS)) expect(readme).toContain(`| \`${name}\` |`);
  });

  it("documents every config-file field, and only those", () => {
    expect(Object.keys(CONFIG_FILE_FIELDS).sort()).toEqual(Object.keys(configFileSchema([]).shape).sort());
  });

  it("keeps the quick start's two commands", () => {
    expect(readme).toContain("npm ci && npm run demo");
    expect(readme).toMatch(/^npm test\b/m);
  });
});

import { existsSync, readFileSync } from "node:fs";
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

  it("opens the quick start with its two commands, then the prerequisites", () => {
    const quickStart = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("## Run it on your tenant"));
    expect(quickStart).toMatch(/^## Quick start\n\n```sh\nnpm ci && npm run demo .*\nnpm test .*\n```\n/);
    expect(quickStart).toMatch(/\*\*Prerequisites:\*\* Node\.js 20\.19 or later with npm/);
  });

  it("has a table of contents whose links reach headings, and the report's screenshot", () => {
    const anchors = new Set(
      [...readme.matchAll(/^#{2,4} (.+)$/gm)].map(([, heading]) => heading!.toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-")),
    );
    const contents = readme.slice(readme.indexOf("## Contents"), readme.indexOf("## Quick start"));
    const links = [...contents.matchAll(/\]\(#([^)]+)\)/g)].map(([, anchor]) => anchor!);
    expect(links.length).toBeGreaterThan(8);
    expect(links.filter((anchor) => !anchors.has(anchor))).toEqual([]);
    expect(readme).toContain("![The HTML report of the bundled sample tenant");
    expect(existsSync(join(REPO_ROOT, "docs", "report.png"))).toBe(true);
  });

  it("never points npx at the unpublished package name, and says how to install it", () => {
    expect(readme).not.toMatch(/^\s*(\S+=\S+\s+)*npx vnet-audit/m);
    expect(readme).toContain("npm install -g ./vnet-audit-0.1.0.tgz");
  });
});

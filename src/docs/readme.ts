/**
 * The README's reference sections are generated from the code that defines them (rule
 * metadata, the settings and config schemas) or included from their own docs, between
 * `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->` markers.
 * `npm run docs` rewrites them, docs/RULES.md's rule tables (catalog.ts) and each rule doc's
 * header, remediation and references (rule-docs.ts); a test fails when any of them drifts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { COMMANDS } from "../cli/commands.js";
import { CONFIG_FILE_FIELDS } from "../config/file.js";
import { SETTINGS } from "../config/settings.js";
import { RULES } from "../rules/index.js";
import { updateCatalog } from "./catalog.js";
import { updateRuleDoc } from "./rule-docs.js";
import { cell, updateGenerated } from "./generated.js";

export function rulesTable(): string {
  const rows = RULES.map(({ meta }) => `| [\`${meta.id}\`](docs/rules/${meta.id}.md) | ${meta.severities.join(", ")} | ${cell(meta.title)} | ${cell(meta.rationale)} |`);
  return ["| Rule | Severity | What it finds | Why it matters |", "|---|---|---|---|", ...rows].join("\n");
}

export function settingsTable(): string {
  const rows = Object.entries(SETTINGS).map(([name, setting]) => `| \`${name}\` | ${setting.default === "" ? "(empty)" : `\`${setting.default}\``} | ${cell(setting.description)} |`);
  return ["| Setting | Default | Meaning |", "|---|---|---|", ...rows].join("\n");
}

export function configFileTable(): string {
  const rows = Object.entries(CONFIG_FILE_FIELDS).map(([field, description]) => `| \`${field}\` | ${cell(description)} |`);
  return ["| Field | Meaning |", "|---|---|", ...rows].join("\n");
}

/** The CLI reference, from the same command table the parser and `vnet-audit help` read. */
export function cliReference(): string {
  return COMMANDS.map((command) => {
    const rows = command.flags.map((flag) => {
      const names = `${flag.short ? `\`-${flag.short}\`, ` : ""}\`--${flag.name}${flag.value ? ` ${flag.value}` : ""}\`${flag.multiple ? " (repeatable)" : ""}`;
      const allowed = flag.choices ? ` One of ${flag.choices.map((choice) => `\`${choice}\``).join(", ")} (any case).` : "";
      return `| ${names} | ${cell(flag.description)}${allowed} | ${flag.default ? cell(flag.default) : ""} |`;
    });
    const examples = command.examples.flatMap(([line, what]) => [`# ${what}`, line]);
    return [
      `#### \`vnet-audit ${command.name}\``,
      "",
      `${command.summary}`,
      "",
      "```",
      command.synopsis,
      "```",
      "",
      "| Flag | Meaning | Default |",
      "|---|---|---|",
      ...rows,
      "",
      "```sh",
      ...examples,
      "```",
    ].join("\n");
  }).join("\n\n");
}

/** Includes a doc, shifting its headings one level down so it nests under the README's section. */
function include(root: string, path: string): string {
  return readFileSync(join(root, path), "utf8")
    .trim()
    .replace(/^(#{1,5}) /gm, "#$1 ");
}

export function generatedSections(root: string): Record<string, string> {
  return {
    rules: rulesTable(),
    cli: cliReference(),
    settings: settingsTable(),
    "config-file": configFileTable(),
    deploy: include(root, "docs/deploy.md"),
    performance: include(root, "docs/performance.md"),
  };
}

export function updateReadme(readme: string, sections: Record<string, string>): string {
  return updateGenerated(readme, sections, "README");
}

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = join(REPO_ROOT, "README.md");
  writeFileSync(path, updateReadme(readFileSync(path, "utf8"), generatedSections(REPO_ROOT)));
  const catalog = join(REPO_ROOT, "docs", "RULES.md");
  writeFileSync(catalog, updateCatalog(readFileSync(catalog, "utf8")));
  for (const rule of RULES) {
    const doc = join(REPO_ROOT, "docs", "rules", `${rule.meta.id}.md`);
    writeFileSync(doc, updateRuleDoc(readFileSync(doc, "utf8"), rule));
  }
  console.log("README.md, docs/RULES.md and docs/rules/*.md generated sections updated");
}

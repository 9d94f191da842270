#!/usr/bin/env node
/**
 * `npm run build`'s second step: copy the non-TypeScript files the compiled code reads at run
 * time (every `assets/` folder under src/, today src/report/assets/: the report's stylesheet
 * and script) to the same place under dist/, beside the JavaScript that reads them. `tsc`
 * compiles only .ts. The old copies are replaced, so a deleted asset does not linger.
 *
 * Plain JavaScript on purpose: it runs right after `tsc`, with nothing else built.
 */
import { cpSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = join(ROOT, "src");
const TARGET = join(ROOT, "dist", "src");

/** Every folder named `assets` under `dir`. */
function assetFolders(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory()) return [];
    const path = join(dir, entry.name);
    return entry.name === "assets" ? [path] : assetFolders(path);
  });
}

for (const folder of assetFolders(SOURCE)) {
  const target = join(TARGET, relative(SOURCE, folder));
  rmSync(target, { recursive: true, force: true });
  cpSync(folder, target, { recursive: true });
}

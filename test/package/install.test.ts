/**
 * The CLI installs outside the clone (`npm pack`, then `npm install -g ./vnet-audit-0.1.0.tgz`):
 * the tarball carries the entry and the compiled engine, and everything the engine imports at
 * run time is a declared dependency (a global install gets no devDependencies).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/cli.js";

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? jsFiles(join(dir, entry.name)) : entry.name.endsWith(".js") ? [join(dir, entry.name)] : [],
  );
}

describe("the npm package", () => {
  it("packs the bin and the compiled engine, and no tests, sources or emulator", () => {
    const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO_ROOT, encoding: "utf8" })) as [{ files: { path: string }[] }];
    const paths = packed.files.map((file) => file.path);
    expect(paths).toContain(manifest.bin["vnet-audit"]);
    expect(paths).toContain("dist/src/cli/main.js");
    expect(paths.filter((path) => /^(test|src|emulator|bench|demo)\/|^dist\/(test|emulator|bench|demo)\/|\.ts$/.test(path))).toEqual([]);
  });

  it("imports at run time only Node built-ins and declared dependencies", () => {
    const builtins = new Set(builtinModules);
    const external = new Set<string>();
    for (const file of [join(REPO_ROOT, manifest.bin["vnet-audit"]!), ...jsFiles(join(REPO_ROOT, "dist", "src"))]) {
      for (const [, specifier] of readFileSync(file, "utf8").matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/g)) {
        if (specifier!.startsWith(".") || specifier!.startsWith("node:") || builtins.has(specifier!)) continue;
        external.add(specifier!.startsWith("@") ? specifier!.split("/").slice(0, 2).join("/") : specifier!.split("/")[0]!);
      }
    }
    expect(external.size).toBeGreaterThan(3);
    expect([...external].filter((name) => !(name in manifest.dependencies))).toEqual([]);
  });

  it("builds when packed, and has no install script for a global install to warn about", () => {
    expect(manifest.scripts.prepack).toBe("npm run build");
    expect(Object.keys(manifest.scripts).filter((name) => ["preinstall", "install", "postinstall", "prepare"].includes(name))).toEqual([]);
  });
});

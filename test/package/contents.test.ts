/**
 * The function app package holds the app and nothing of the tools around it: no emulator,
 * bench, demo or test code, as sources or compiled (`npm run build` compiles them all into
 * dist/). What the package holds is decided by .funcignore, which two packagers read
 * differently:
 * - the Azure Functions Core Tools (`func azure functionapp publish`) match each pattern from
 *   the start of the path, and any `!` pattern that matches re-includes a path, whatever the
 *   order of the lines;
 * - azd reads it as git reads a .gitignore: the last matching line wins, and a path under an
 *   excluded folder stays excluded. `git check-ignore` is that reading.
 * The package must be the same under both. The npm package's contents are checked in
 * install.test.ts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/cli.js";

const FUNCIGNORE = readFileSync(join(REPO_ROOT, ".funcignore"), "utf8");
/** The folders of the tools that must never ship, as sources and as dist/ output. */
const TOOLS = ["emulator", "bench", "demo", "test"];

/** Files below `dir` (relative to the repo, `/`-separated), skipping dependencies, git and outputs. */
function filesBelow(dir: string): string[] {
  const absolute = join(REPO_ROOT, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return ["node_modules", ".git", "test-output", "coverage", "out"].includes(entry.name) ? [] : filesBelow(path);
    return [path];
  });
}

/** What the build writes for the TypeScript under `dir` (rootDir "."): dist/<dir>/**.js. */
const compiled = (dir: string) => filesBelow(dir).filter((path) => path.endsWith(".ts")).map((path) => `dist/${path.replace(/\.ts$/, ".js")}`);

/**
 * Every path the package could hold: the working tree as it is (with dist/ when built), plus
 * what a build writes, so the check doesn't depend on whether dist/ is there.
 */
const CANDIDATES = [...new Set([...filesBelow(""), ...["src", "functions", ...TOOLS].flatMap(compiled)])].sort();

/** The Core Tools' reading: a path ships unless a pattern matches it and no `!` pattern does. */
function shippedByCoreTools(funcignore: string): (path: string) => boolean {
  const lines = funcignore.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
  const toRegex = (patterns: string[]) => {
    const bodies = patterns.map((pattern) =>
      pattern
        .replace(/^\//, "")
        .replace(/[-[\]/{}()+?.\\^$|]/g, "\\$&")
        .replace(/\*\*/g, "(.+)")
        .replace(/\*/g, "([^\\/]+)"),
    );
    return bodies.length > 0 ? new RegExp(`^((${bodies.join(")|(")}))\\b`) : /$^/;
  };
  const excluded = toRegex(lines.filter((line) => !line.startsWith("!")));
  const included = toRegex(lines.filter((line) => line.startsWith("!")).map((line) => line.slice(1)));
  return (path) => included.test(path) || !excluded.test(path);
}

const scratch = mkdtempSync(join(tmpdir(), "vnet-audit-funcignore-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The git reading (azd): `git check-ignore` in an empty repository whose .gitignore is `funcignore`. */
function shippedByGit(funcignore: string, paths: string[]): (path: string) => boolean {
  const repo = mkdtempSync(join(scratch, "repo-"));
  execFileSync("git", ["init", "-q"], { cwd: repo });
  writeFileSync(join(repo, ".gitignore"), funcignore);
  let ignored = "";
  try {
    ignored = execFileSync("git", ["check-ignore", "--no-index", "--stdin"], { cwd: repo, input: paths.join("\n"), encoding: "utf8" });
  } catch (error) {
    // Exit status 1: none of the paths is ignored.
    if ((error as { status?: number }).status !== 1) throw error;
  }
  const out = new Set(ignored.split("\n").filter(Boolean));
  return (path) => !out.has(path);
}

const readings = {
  "Functions Core Tools": shippedByCoreTools(FUNCIGNORE),
  "azd (git's reading)": shippedByGit(FUNCIGNORE, CANDIDATES),
};

describe.each(Object.entries(readings))("the function app package, as %s read .funcignore", (_name, shipped) => {
  const packaged = CANDIDATES.filter(shipped);

  it("holds the host configuration and the compiled app: every function and every module of src", () => {
    expect(packaged).toEqual(expect.arrayContaining(["host.json", "package.json"]));
    const app = [...compiled("functions"), ...compiled("src")];
    expect(app.length).toBeGreaterThan(50);
    expect(app.filter((path) => !shipped(path))).toEqual([]);
  });

  it("holds every file under src/ that isn't TypeScript (the report's assets)", () => {
    expect(filesBelow("src").filter((path) => !path.endsWith(".ts") && !shipped(path))).toEqual([]);
  });

  it("holds no emulator, bench, demo or test code, as sources or compiled", () => {
    const tools = new RegExp(`^(dist/)?(${TOOLS.join("|")})/`);
    expect(CANDIDATES.filter((path) => tools.test(path)).length).toBeGreaterThan(50);
    expect(packaged.filter((path) => tools.test(path))).toEqual([]);
  });

  it("holds no docs, infrastructure template or build and test configuration", () => {
    expect(packaged.filter((path) => /^(docs|infra)\/|^(tsconfig[^/]*\.json|vitest\.config\.ts|local\.settings[^/]*)$/.test(path))).toEqual([]);
  });
});

describe("the two readings", () => {
  it("differ on a `!` line: the Core Tools let it re-include what a later line excludes, git does not", () => {
    const withNegation = "!dist/**\ndist/emulator\n";
    const path = "dist/emulator/arm/server.js";
    expect(shippedByCoreTools(withNegation)(path)).toBe(true);
    expect(shippedByGit(withNegation, [path])(path)).toBe(false);
    expect(FUNCIGNORE.split("\n").filter((line) => line.trim().startsWith("!"))).toEqual([]);
  });
});

describe("the app and the CLI stand without the tools", () => {
  it("no module of src/ or functions/ imports the emulator, bench, demo or tests", () => {
    const imports = (path: string) => [...readFileSync(join(REPO_ROOT, path), "utf8").matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)].map((match) => match[1] ?? match[2]!);
    const offenders = [...filesBelow("src"), ...filesBelow("functions")]
      .filter((path) => path.endsWith(".ts"))
      .flatMap((path) =>
        imports(path)
          .filter((specifier) => specifier.startsWith("."))
          .map((specifier) => relative(REPO_ROOT, join(REPO_ROOT, path, "..", specifier)))
          .filter((target) => TOOLS.some((tool) => target === tool || target.startsWith(`${tool}/`)))
          .map((target) => `${path} -> ${target}`),
      );
    expect(offenders).toEqual([]);
  });
});

/**
 * The finding lifecycle is pure: src/lifecycle, and everything it imports, reads no storage
 * and does no I/O, so its decisions are tested on plain objects (the other files here) and
 * src/store is left with encoding rows and talking to Azure Storage.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/cli.js";

const LIFECYCLE = join(REPO_ROOT, "src", "lifecycle");
/** Packages and modules that do I/O: Azure SDKs, the network, the file system, processes. */
const IO_MODULES = [/^@azure\//, /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|dgram|dns|tls|worker_threads)$/];

/** Module specifiers of a file's static imports and re-exports, and of its dynamic `import()`s. */
function importsOf(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/g), ...source.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)];
  return specifiers.map((match) => match[1]!);
}

/** Every file the lifecycle reaches through relative imports, each with the package and module specifiers it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = readdirSync(LIFECYCLE).filter((name) => name.endsWith(".ts")).map((name) => join(LIFECYCLE, name));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const specifiers = importsOf(readFileSync(file, "utf8"));
    graph.set(file, specifiers);
    for (const specifier of specifiers.filter((s) => s.startsWith("."))) {
      const target = resolve(dirname(file), specifier.replace(/\.js$/, ".ts"));
      expect(existsSync(target), `${relative(REPO_ROOT, file)} imports ${specifier}`).toBe(true);
      pending.push(target);
    }
  }
  return graph;
}

describe("src/lifecycle", () => {
  const graph = importGraph();
  const reached = [...graph.keys()].map((file) => relative(REPO_ROOT, file));

  it("reads every file it reaches (the walk works)", () => {
    expect(reached).toEqual(expect.arrayContaining(["src/lifecycle/sightings.ts", "src/lifecycle/resolution.ts", "src/lifecycle/announcements.ts", "src/model/finding.ts"]));
    expect(importsOf('import { a } from "./a.js";\nimport type {\n  B,\n} from "../b.js";\nexport { c } from "./c.js";\nconst d = await import("node:fs");')).toEqual(["./a.js", "../b.js", "./c.js", "node:fs"]);
  });

  it("reaches nothing in src/store, directly or through another module", () => {
    expect(reached.filter((file) => file.startsWith("src/store/") || !file.startsWith("src/"))).toEqual([]);
  });

  it("imports no Azure SDK and no I/O module, directly or through another module", () => {
    const io = [...graph].flatMap(([file, specifiers]) =>
      specifiers.filter((specifier) => IO_MODULES.some((pattern) => pattern.test(specifier))).map((specifier) => `${relative(REPO_ROOT, file)}: ${specifier}`),
    );
    expect(io).toEqual([]);
  });
});

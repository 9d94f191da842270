/**
 * A newcomer reads the code top-down: no source file (code, styles, scripts, tests) grows past
 * 600 lines. A file that does is doing more than one thing; split it by subject.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/cli.js";

const MAX_LINES = 600;
const ROOTS = ["src", "functions", "emulator", "test", "bench", "demo", "scripts"];
const SOURCE = /\.(ts|mts|mjs|js|css)$/;

function sources(path: string): string[] {
  if (statSync(path).isFile()) return SOURCE.test(path) ? [path] : [];
  return readdirSync(path).flatMap((name) => (name === "node_modules" || name === "dist" || name.startsWith(".") ? [] : sources(join(path, name))));
}

describe("source files stay small", () => {
  it(`no source file is over ${MAX_LINES} lines`, () => {
    const files = ROOTS.flatMap((root) => sources(join(REPO_ROOT, root)));
    expect(files.length).toBeGreaterThan(100);
    const oversized = files
      .map((path) => ({ path: relative(REPO_ROOT, path), lines: readFileSync(path, "utf8").split("\n").length }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(oversized).toEqual([]);
  });
});

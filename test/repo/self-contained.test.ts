/**
 * The repository stands on its own: no file cites or reads anything outside it. Sources are
 * Microsoft Learn articles by title and URL; the design is docs/ARCHITECTURE.md. A citation of
 * the team's former shared files (their folder, their seed files by number, the design
 * document they had) would leave a reader of a clone with a reference they can't follow.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/cli.js";

const ROOTS = ["src", "functions", "emulator", "test", "docs", "bench", "demo", "README.md"];
const SELF = relative(REPO_ROOT, import.meta.filename);

/** What an outside citation looks like. Assembled from parts so this file does not match itself. */
const OUTSIDE = [
  ["seeds", "/"].join(""),
  ["..", "/shared"].join(""),
  ["DESIGN", ".md"].join(""),
].map((text) => new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")));
/** A seed file cited by number: `000 "Subnet requirements"`, `(002)`, `000/002`, `000 and 002`. */
const SEED_NUMBER = [/\b00[0-4] "/, /\(00[0-4](\/00[0-4])?\)/, /\b00[0-4]\/00[0-4]\b/, /\b00[0-4] and 00[0-4]\b/];
const PATTERNS = [...OUTSIDE, ...SEED_NUMBER];

function files(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) => (name === "node_modules" || name === "dist" || name.startsWith(".") ? [] : files(join(path, name))));
}

function offenders(): string[] {
  return ROOTS.flatMap((root) => files(join(REPO_ROOT, root)))
    .filter((path) => relative(REPO_ROOT, path) !== SELF)
    .flatMap((path) =>
      readFileSync(path, "utf8")
        .split("\n")
        .flatMap((line, i) => (PATTERNS.some((pattern) => pattern.test(line)) ? [`${relative(REPO_ROOT, path)}:${i + 1}: ${line.trim()}`] : [])),
    );
}

describe("the repository stands on its own", () => {
  it("no file under src, functions, emulator, test, docs, bench, demo or the README cites anything outside the repo", () => {
    expect(offenders()).toEqual([]);
  });

  it("the patterns catch the citations they are meant to, and not ordinary numbers", () => {
    const seed = (n: number) => String(n).padStart(3, "0");
    const caught = [
      `see ${["seeds", "README.md"].join("/")}`,
      `reads ${["..", "shared", "RULES.md"].join("/")}`,
      `the shape of ${["DESIGN", "md"].join(".")}`,
      `${seed(0)} "Subnet requirements"`,
      `(${seed(2)} "Certificate renewal")`,
      `plan (${seed(0)}/${seed(2)}).`,
      `What ${seed(0)}/${seed(2)} require`,
      `Source: ${seed(0)} and ${seed(2)}, ...`,
      `feature" (${seed(0)}), so`,
    ];
    for (const line of caught) expect(PATTERNS.some((pattern) => pattern.test(line)), line).toBe(true);
    for (const line of ["0.352 requests per site", "00000000-0000-0000-0000-000000000002", "at 10,000 sites (12.7× at 2,000)", "| 2,000 (+217) | 41 |", "HTTP 200 (OK)"]) {
      expect(PATTERNS.some((pattern) => pattern.test(line)), line).toBe(false);
    }
  });
});

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** The `<app>`, `<vnet-rg>`, `<a.b.c.d/26>` kind of template a user can't run as it is. */
const PLACEHOLDER = /<(app|rg|vnet|subnet|slot|plan|gateway|name|id|password|[a-z]+-rg|[a-z-]+-(id|name|subnet|thumbprint|prefix)|renewed\.pfx|a\.b\.c\.d\/\d+|\d+\.\d+\.\d+\.\d+\/\d+)>/i;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("no placeholder in src", () => {
  it("no source file holds a command placeholder", () => {
    const offenders = files(join(import.meta.dirname, "..", "..", "src")).filter((path) => PLACEHOLDER.test(readFileSync(path, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("the pattern catches the templates it is meant to", () => {
    for (const sample of ["--name <app>", "--resource-group <app-rg>", "--vnet <vnet-id>", "<a.b.c.d/26>", "<172.16.200.0/24>", "<legacy-vnet-name>"]) {
      expect(PLACEHOLDER.test(sample), sample).toBe(true);
    }
    expect(PLACEHOLDER.test("<title>x</title>")).toBe(false);
  });
});

/**
 * Hostile input files are usage errors (exit 2) with one line, never a crash (exit 3 from a
 * stack overflow, or a renderer's RangeError): a config nested absurdly deep, an inventory
 * nested so, an inventory whose dates don't parse, an expiresOn time that isn't one.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { ConfigError, parseConfig } from "../../src/config/file.js";
import { emptyInventory } from "../../src/model/inventory.js";
import { RULES } from "../../src/rules/index.js";

const ruleIds = RULES.map((rule) => rule.meta.id);

function sink() {
  let text = "";
  const stream = new Writable({ write(chunk, _encoding, done) { text += String(chunk); done(); } });
  return { stream, get text() { return text; } };
}

async function cli(args: string[]) {
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const deep = (depth: number) => `{"suppressions":${"[".repeat(depth)}${"]".repeat(depth)}}`;

describe("input bounds", () => {
  it("a config nested 100 000 deep exits 2 with one line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bounds-"));
    await writeFile(join(dir, "deep.json"), deep(100_000));
    await writeFile(join(dir, "inv.json"), JSON.stringify(emptyInventory("2026-12-01T00:00:00Z")));
    const run = await cli(["scan", "--from", join(dir, "inv.json"), "--config", join(dir, "deep.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/nested deeper than 64 levels/);
  });

  it("parseConfig refuses deep nesting as a ConfigError", () => {
    expect(() => parseConfig(JSON.parse(deep(500)), ruleIds)).toThrow(ConfigError);
  });

  it("an inventory nested absurdly deep exits 2", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bounds-"));
    await writeFile(join(dir, "inv.json"), `{"schemaVersion":1,"sites":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    const run = await cli(["scan", "--from", join(dir, "inv.json")]);
    expect(run.code).toBe(2);
  });

  it("an inventory with an invalid date exits 2 naming the field, for every format (html rendered dates)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bounds-"));
    const inventory = { ...emptyInventory("2026-12-01T00:00:00Z"), collectedAt: "yesterday-ish" };
    await writeFile(join(dir, "inv.json"), JSON.stringify(inventory));
    const run = await cli(["scan", "--from", join(dir, "inv.json"), "--format", "html"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/collectedAt is not valid: .*date-time/);
  });

  it("expiresOn accepts a UTC time and refuses a malformed one", () => {
    const suppression = (expiresOn: string) => ({ suppressions: [{ ruleId: "*", resourceId: "*", reason: "r", expiresOn }] });
    expect(parseConfig(suppression("2027-01-31T18:30:00Z"), ruleIds).suppressions[0]!.expiresOn).toBe("2027-01-31T18:30:00Z");
    expect(() => parseConfig(suppression("2027-01-31T99:99Z"), ruleIds)).toThrow(/expiresOn/);
    expect(() => parseConfig(suppression("2027-01-31T12:00:00"), ruleIds)).toThrow(/expiresOn/);
  });
});

import { describe, expect, it } from "vitest";
import { parseCommand, UsageError } from "../../src/cli/args.js";

const SUB = "00000000-0000-0000-0000-000000000001";

describe("parseCommand", () => {
  it("parses a full scan command", () => {
    expect(parseCommand(["scan", "--subscription", SUB, "--subscription", SUB.replace(/1$/, "2"), "--format", "json", "--output", "r.json", "--config", "c.json", "--fail-on", "high"])).toEqual({
      name: "scan",
      subscriptions: [SUB, SUB.replace(/1$/, "2")],
      format: "json",
      output: "r.json",
      config: "c.json",
      failOn: "high",
      store: false,
    });
  });

  it("defaults to the table format and every visible subscription", () => {
    expect(parseCommand(["scan"])).toEqual({ name: "scan", subscriptions: [], format: "table", store: false });
    expect(parseCommand(["scan", "--store"])).toMatchObject({ store: true });
  });

  it("parses collect and scan --from", () => {
    expect(parseCommand(["collect", "--output", "inv.json"])).toEqual({ name: "collect", subscriptions: [], output: "inv.json" });
    expect(parseCommand(["scan", "--from", "inv.json"])).toMatchObject({ name: "scan", from: "inv.json" });
  });

  it.each([
    [["scan", "--format", "xml"], /--format "xml" is not valid: expected one of json, table, csv, markdown, html$/],
    [["scan", "--fail-on", "severe"], /--fail-on "severe" is not valid: expected one of critical, high, medium, low, info/],
    [["scan", "--subscription", "prod"], /--subscription "prod" is not valid: expected a subscription ID/],
    [["scan", "--colour"], /Unknown option '--colour'/],
    [["audit"], /unknown command "audit"/],
    [[], /missing command/],
    [["collect"], /collect needs --output/],
    [["collect", "--output", "x", "--fail-on", "high"], /--fail-on does not apply to collect/],
    [["scan", "--from", "x.json", "--subscription", SUB], /can't be combined/],
    [["scan", "extra"], /unexpected argument "extra"/],
    [["scan", "--from", "x.json", "--store"], /--from and --store can't be combined/],
  ])("rejects %j with one line naming the value", (argv, message) => {
    let caught: unknown;
    try {
      parseCommand(argv as string[]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain("\n");
  });
});

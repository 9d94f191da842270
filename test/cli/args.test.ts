import { describe, expect, it } from "vitest";
import { parseCommand, UsageError } from "../../src/cli/args.js";
import { closest } from "../../src/cli/suggest.js";

const SUB = "00000000-0000-0000-0000-000000000001";

describe("parseCommand", () => {
  it("parses a full scan command", () => {
    expect(parseCommand(["scan", "--subscription", SUB, "--subscription", SUB.replace(/1$/, "2"), "--format", "json", "--output", "r.json", "--config", "c.json", "--fail-on", "high"])).toEqual({
      name: "scan",
      subscriptions: [SUB, SUB.replace(/1$/, "2")],
      format: "json",
      output: { kind: "file", path: "r.json" },
      config: "c.json",
      failOn: "high",
      store: false,
    });
  });

  it("defaults to the table format on stdout and every visible subscription", () => {
    expect(parseCommand(["scan"])).toEqual({ name: "scan", subscriptions: [], format: "table", output: { kind: "stdout" }, store: false });
    expect(parseCommand(["scan", "--store"])).toMatchObject({ store: true });
  });

  it("parses collect, scan --from, --flag=value and the management group", () => {
    expect(parseCommand(["collect", "--output", "inv.json"])).toEqual({ name: "collect", subscriptions: [], output: { kind: "file", path: "inv.json" } });
    expect(parseCommand(["scan", "--from", "inv.json"])).toMatchObject({ name: "scan", from: "inv.json" });
    expect(parseCommand(["scan", "--format=csv", "--management-group", "contoso-platform"])).toMatchObject({ format: "csv", managementGroup: "contoso-platform" });
  });

  it("takes enum values in any case", () => {
    expect(parseCommand(["scan", "--format", "JSON", "--fail-on", "High"])).toMatchObject({ format: "json", failOn: "high" });
    expect(parseCommand(["rules", "--format", "Markdown"])).toEqual({ name: "rules", format: "markdown" });
  });

  it("follows the output file's extension when --format is absent; --format wins; - is stdout", () => {
    expect(parseCommand(["scan", "-o", "out/report.HTML"])).toMatchObject({ format: "html", output: { kind: "file", path: "out/report.HTML" } });
    expect(parseCommand(["scan", "-o", "r.md"])).toMatchObject({ format: "markdown" });
    expect(parseCommand(["scan", "-o", "r.csv"])).toMatchObject({ format: "csv" });
    expect(parseCommand(["scan", "-o", "r.json"])).toMatchObject({ format: "json" });
    expect(parseCommand(["scan", "-o", "report"])).toMatchObject({ format: "table" });
    expect(parseCommand(["scan", "-o", "r.html", "--format", "json"])).toMatchObject({ format: "json" });
    expect(parseCommand(["scan", "--output", "-", "--format", "csv"])).toMatchObject({ format: "csv", output: { kind: "stdout" } });
    expect(parseCommand(["collect", "-o", "-"])).toMatchObject({ output: { kind: "stdout" } });
  });

  it("resolves --rule and --exclude-rule to catalog IDs", () => {
    expect(parseCommand(["scan", "--rule", "subnet-undersized", "--rule", "HTTPS-ONLY-DISABLED"])).toMatchObject({ rules: ["subnet-undersized", "https-only-disabled"] });
    const excluded = parseCommand(["scan", "--exclude-rule", "https-only-disabled"]);
    expect(excluded).toMatchObject({ name: "scan" });
    expect((excluded as { rules: string[] }).rules).not.toContain("https-only-disabled");
    expect((excluded as { rules: string[] }).rules.length).toBeGreaterThan(10);
  });

  it("asks for help in every way people ask", () => {
    expect(parseCommand([])).toEqual({ name: "help" });
    expect(parseCommand(["help"])).toEqual({ name: "help" });
    expect(parseCommand(["-h"])).toEqual({ name: "help" });
    expect(parseCommand(["help", "scan"])).toMatchObject({ name: "help", topic: { name: "scan" } });
    expect(parseCommand(["scan", "--help"])).toMatchObject({ name: "help", topic: { name: "scan" } });
    expect(parseCommand(["collect", "-o", "x.json", "-h"])).toMatchObject({ name: "help", topic: { name: "collect" } });
  });

  it.each([
    [["scan", "--format", "yaml"], /--format "yaml" is not valid: expected one of json, table, csv, markdown, html$/],
    [["scan", "--format", "xml"], /expected one of json, table, csv, markdown, html$/],
    [["scan", "--format", "htlm"], /; did you mean html\?$/],
    [["scan", "--format", "jsno"], /expected one of json, table, csv, markdown, html; did you mean json\?$/],
    [["scan", "--fail-on", "severe"], /--fail-on "severe" is not valid: expected one of critical, high, medium, low, info/],
    [["scan", "--fail-on", "hihg"], /did you mean high\?/],
    [["scan", "--subscription", "prod"], /--subscription "prod" is not valid: expected a subscription ID/],
    [["scan", "--colour"], /unknown flag --colour for scan/],
    [["scan", "--fial-on", "high"], /unknown flag --fial-on for scan; did you mean --fail-on\?/],
    [["scna"], /unknown command "scna"; did you mean scan\?/],
    [["audit"], /unknown command "audit"/],
    [["help", "colect"], /no help for "colect"; did you mean collect\?/],
    [["collect"], /collect needs -o\/--output/],
    [["collect", "--output", "x", "--fail-on", "high"], /--fail-on does not apply to collect/],
    [["scan", "--from", "x.json", "--subscription", SUB], /can't be combined/],
    [["scan", "--from", "x.json", "--management-group", "contoso"], /--from and --management-group can't be combined/],
    [["scan", "extra"], /unexpected argument "extra"/],
    [["scan", "--from", "x.json", "--store"], /--from and --store can't be combined/],
    [["scan", "-o", "table"], /"table" is a format: use --format table/],
    [["scan", "--output", "TSV"], /"TSV" is a format: use --format with one of json, table, csv, markdown, html/],
    [["scan", "-o", "report.pdf"], /no format goes with "\.pdf": add --format/],
    [["scan", "--rule", "subnet-undersize"], /--rule "subnet-undersize" is not a rule; did you mean subnet-undersized\?/],
    [["scan", "--exclude-rule", "nope"], /--exclude-rule "nope" is not a rule \(vnet-audit rules lists them\)/],
    [["scan", "--rule", "subnet-undersized", "--exclude-rule", "subnet-undersized"], /leave no rule to run/],
    [["scan", "--rule", "subnet-undersized", "--store"], /can't be combined: a stored scan runs every rule/],
    [["scan", "--format"], /--format needs a value: one of json/],
    [["scan", "--output", "--format", "json"], /--output needs a value/],
    [["scan", "--format", "json", "--format", "csv"], /--format given twice/],
    [["scan", "--management-group", "bad/group"], /--management-group "bad\/group" is not valid/],
    [["rules", "--format", "csv"], /--format "csv" is not valid: expected one of table, json, markdown/],
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

describe("closest", () => {
  it("suggests typos, transpositions and unique prefixes, and nothing for unrelated words", () => {
    expect(closest("scna", ["scan", "collect"])).toBe("scan");
    expect(closest("--fromat", ["--format", "--from"])).toBe("--format");
    expect(closest("coll", ["scan", "collect"])).toBe("collect");
    expect(closest("pdf", ["json", "table", "csv"])).toBeUndefined();
    expect(closest("xyzzy", ["scan", "collect", "rules"])).toBeUndefined();
  });
});

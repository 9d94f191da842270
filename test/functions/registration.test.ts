import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFunctionApp } from "../../emulator/functions-host.js";
import { REPO_ROOT } from "../support/cli.js";

const FUNCTIONS_DIR = join(REPO_ROOT, "functions");

describe("function app registrations", async () => {
  const functions = await loadFunctionApp(FUNCTIONS_DIR);

  it("registers exactly one function per functions/ file, named after it", () => {
    const files = readdirSync(FUNCTIONS_DIR).filter((file) => file.endsWith(".ts"));
    expect([...functions.values()].map((fn) => `${fn.name}.ts`).sort()).toEqual(files.sort());
    for (const fn of functions.values()) expect(fn.file).toBe(`${fn.name}.ts`);
  });

  it("scheduledScan: a timer on the default 02:00 UTC schedule that fans out to the scan queue", () => {
    const { bindings } = functions.get("scheduledScan")!;
    const trigger = Object.values(bindings).find((binding) => binding.type === "timerTrigger");
    expect(trigger).toMatchObject({ direction: "in", schedule: "0 0 2 * * *" });
    expect(Object.values(bindings).filter((binding) => binding.direction === "out")).toEqual([
      expect.objectContaining({ type: "queue", queueName: "scan-requests", connection: "AzureWebJobsStorage" }),
    ]);
  });

  it("scanSubscription: a storage-queue trigger on the scan queue", () => {
    const { bindings } = functions.get("scanSubscription")!;
    expect(Object.values(bindings)).toEqual([
      expect.objectContaining({ type: "queueTrigger", direction: "in", queueName: "scan-requests", connection: "AzureWebJobsStorage" }),
    ]);
  });

  it.each([
    ["audit", ["post"], "audit", true],
    ["getScan", ["get"], "scans/{id}", false],
    ["listScans", ["get"], "scans", false],
    ["getScanReport", ["get"], "scans/{id}/report", false],
    ["listFindings", ["get"], "findings", false],
    ["openapi", ["get"], "openapi.json", false],
  ])("%s: HTTP %j on /api/%s with function-key auth", (name, methods, route, queueOutput) => {
    const { bindings } = functions.get(name)!;
    const trigger = Object.values(bindings).find((binding) => binding.type === "httpTrigger");
    expect(trigger).toMatchObject({ direction: "in", authLevel: "function", route });
    expect((trigger!.methods as string[]).map((method) => method.toLowerCase())).toEqual(methods);
    expect(Object.values(bindings).some((binding) => binding.type === "http" && binding.direction === "out")).toBe(true);
    expect(Object.values(bindings).some((binding) => binding.type === "queue" && binding.queueName === "scan-requests")).toBe(queueOutput);
  });
});

describe("compiled function files", () => {
  it("load in plain Node (the Functions worker imports them as ES modules, without vitest's transforms)", async () => {
    const { spawnSync } = await import("node:child_process");
    const files = readdirSync(join(REPO_ROOT, "dist", "functions")).filter((file) => file.endsWith(".js"));
    expect(files.length).toBe(readdirSync(FUNCTIONS_DIR).filter((file) => file.endsWith(".ts")).length);
    for (const file of files) {
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(join(REPO_ROOT, "dist", "functions", file))});`], { encoding: "utf8" });
      expect(run.stderr.replace(/WARNING:.*test mode.*\n?/g, ""), file).toBe("");
      expect(run.status, file).toBe(0);
    }
  });
});

/**
 * Fix plans as the real CLI prints them (child process, real SDK clients) against the ARM
 * emulator serving the sample tenant: every gateway-integration-legacy and subnet-undersized
 * finding carries a subnet that is free, aligned, inside its VNet and big enough, or the
 * blocker that explains why not; the apps of one plan share one plan; no placeholder anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overlaps, within } from "../../src/fix/address-space.js";
import type { ScanResult } from "../../src/engine/result.js";
import type { Finding } from "../../src/model/finding.js";
import { parseIPv4Cidr } from "../../src/util/ipv4.js";
import { startArmEmulator, type ArmEmulator } from "../../emulator/index.js";
import { runCliProcess } from "../support/cli.js";
import { buildSampleTenant, type SampleTenant } from "../../emulator/sample/sample-tenant.js";

let emulator: ArmEmulator;
let sample: SampleTenant;
let result: ScanResult;
let markdown: string;

interface WireVnet {
  id: string;
  properties: { addressSpace: { addressPrefixes: string[] }; subnets: { properties: { addressPrefix?: string; addressPrefixes?: string[] } }[] };
}

beforeAll(async () => {
  sample = await buildSampleTenant();
  emulator = await startArmEmulator({ tenant: sample.tenant });
  for (const fault of sample.faults) emulator.injectFault(fault);
  const json = await runCliProcess(["scan", "--format", "json"], emulator.env());
  result = JSON.parse(json.stdout) as ScanResult;
  markdown = (await runCliProcess(["scan", "--format", "markdown"], emulator.env())).stdout;
}, 180_000);

afterAll(async () => {
  await emulator?.close();
});

/** The VNet as the emulator serves it: the ground truth a proposal is checked against. */
function servedVnet(id: string): WireVnet {
  const vnet = sample.tenant.resources.find((r) => r.id.toLowerCase() === id.toLowerCase() && /virtualNetworks$/i.test(r.type));
  expect(vnet, id).toBeDefined();
  return vnet as unknown as WireVnet;
}

const planned = (ruleIds: string[]) => result.findings.filter((f) => ruleIds.includes(f.ruleId));
const demandOf = (finding: Finding) => (typeof finding.evidence.demand === "number" ? finding.evidence.demand : 0);

describe("fix plans against the emulated tenant", () => {
  it("gives every legacy and undersized finding a free, aligned subnet inside its VNet, big enough, or a blocker", () => {
    const findings = planned(["gateway-integration-legacy", "subnet-undersized"]);
    expect(findings.length).toBeGreaterThan(10);
    for (const finding of findings) {
      const fix = finding.fix!;
      expect(fix, finding.resourceId).not.toBeNull();
      if (fix.blockers.length > 0) {
        expect(fix.proposedSubnet).toBeNull();
        for (const blocker of fix.blockers) expect(blocker.message.length).toBeGreaterThan(30);
        continue;
      }
      const subnet = fix.proposedSubnet!;
      const vnet = servedVnet(subnet.virtualNetworkId);
      const cidr = parseIPv4Cidr(subnet.addressPrefix)!;
      expect(cidr, subnet.addressPrefix).toBeDefined();
      // Aligned: the prefix is written with its host bits clear.
      expect(subnet.addressPrefix.split("/")[0]).toBe(`${Math.floor(cidr.network / 2 ** 24)}.${Math.floor(cidr.network / 2 ** 16) % 256}.${Math.floor(cidr.network / 2 ** 8) % 256}.${cidr.network % 256}`);
      expect(within(subnet.addressPrefix, vnet.properties.addressSpace.addressPrefixes)).toBe(true);
      const used = vnet.properties.subnets.flatMap((s) => [...(s.properties.addressPrefix ? [s.properties.addressPrefix] : []), ...(s.properties.addressPrefixes ?? [])]);
      if (!subnet.exists) {
        expect(overlaps([subnet.addressPrefix], used), `${subnet.addressPrefix} in ${subnet.virtualNetworkId}`).toBe(false);
        // Big enough: never under /26, and safe instances (half the usable addresses) cover the demand.
        expect(cidr.length).toBeLessThanOrEqual(26);
        expect(Math.floor((2 ** (32 - cidr.length) - 5) / 2)).toBeGreaterThanOrEqual(demandOf(finding));
      } else {
        expect(used).toContain(subnet.addressPrefix);
      }
    }
  });

  it("never proposes two new subnets that overlap", () => {
    const proposals = new Map<string, string>();
    for (const finding of result.findings) {
      const subnet = finding.fix?.proposedSubnet;
      if (subnet && !subnet.exists) proposals.set(`${subnet.virtualNetworkId.toLowerCase()} ${subnet.addressPrefix}`, subnet.addressPrefix);
    }
    const list = [...proposals.keys()];
    for (const a of list) for (const b of list) if (a !== b && a.split(" ")[0] === b.split(" ")[0]) expect(overlaps([a.split(" ")[1]!], [b.split(" ")[1]!]), `${a} / ${b}`).toBe(false);
  });

  it("gives the apps and slots of one plan the same plan", () => {
    const byPlan = new Map<string, string[]>();
    for (const finding of planned(["gateway-integration-legacy"])) {
      const plan = (finding.evidence.connections as { plan: { id: string } }[])[0]!.plan.id.toLowerCase();
      byPlan.set(plan, [...(byPlan.get(plan) ?? []), JSON.stringify(finding.fix)]);
    }
    expect([...byPlan.values()].some((fixes) => fixes.length >= 3)).toBe(true);
    for (const fixes of byPlan.values()) expect(new Set(fixes).size).toBe(1);
  });

  it("produces the blockers and reuse the sample tenant declares beside its resources", () => {
    expect(sample.expectedFixes.length).toBeGreaterThanOrEqual(6);
    const codes = new Set<string>();
    for (const expected of sample.expectedFixes) {
      const finding = result.findings.find((f) => f.ruleId === expected.ruleId && f.resourceId.toLowerCase() === expected.resourceId.toLowerCase());
      expect(finding, expected.resourceId).toBeDefined();
      if ("blockers" in expected) {
        expect(finding!.fix!.blockers.map((b) => b.code)).toEqual(expected.blockers);
        expected.blockers.forEach((code) => codes.add(code));
      } else {
        expect(finding!.fix!.proposedSubnet).toMatchObject(expected.proposedSubnet);
        expect(finding!.fix!.steps.some((s) => s.command?.startsWith("az network vnet peering create"))).toBe(true);
      }
    }
    expect([...codes].sort()).toEqual(["classic-vnet", "no-free-address-space", "vnet-other-region"]);
  });

  it("prints commands with real names only, and a runbook at the end of the Markdown report", () => {
    expect(JSON.stringify(result)).not.toMatch(/<(app|rg|vnet|subnet|slot|plan|[a-z]+-rg|[a-z-]+-id|[a-z-]+-name)>/i);
    for (const finding of result.findings) {
      for (const step of finding.fix?.steps ?? []) if (step.command) expect(step.command).toMatch(/^az /);
    }
    const runbook = markdown.slice(markdown.indexOf("## Runbook"));
    expect(markdown.indexOf("## Runbook")).toBeGreaterThan(markdown.indexOf("## Findings"));
    expect(runbook).toMatch(/### 1\. Migrate plan asp-/);
    expect(runbook).toContain("1. Create subnet snet-asp-classic-web");
    expect(runbook).toContain("```sh\n   az network vnet subnet create --subscription");
  });
});

/**
 * npm test's browser setup (test/support/browser-setup.mjs), run as npm runs it, from a copy in
 * a scratch checkout so it writes that checkout's test-output/. The install path itself (apt-get
 * as root) was measured from a fresh clone in a mount namespace without Chromium; here, the
 * paths that must never pass silently.
 */
import { spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./cli.js";

async function scratch(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "vnet-audit-setup-"));
  await mkdir(join(root, "test", "support"), { recursive: true });
  await copyFile(join(REPO_ROOT, "test", "support", "browser-setup.mjs"), join(root, "test", "support", "browser-setup.mjs"));
  return root;
}

const run = (root: string, args: string[], env: Record<string, string | undefined>) =>
  spawnSync(process.execPath, [join(root, "test", "support", "browser-setup.mjs"), ...args], { encoding: "utf8", env: { ...process.env, CI: undefined, ...env } });

describe("the browser test's setup", () => {
  it("says in one line why the browser test can't run, records it, and repeats it after the tests", async () => {
    const root = await scratch();
    const setup = run(root, [], { VNET_AUDIT_CHROMIUM: join(root, "no-such-chromium") });
    expect(setup.status).toBe(0);
    expect(setup.stdout).toBe(`browser test NOT RUN: VNET_AUDIT_CHROMIUM=${join(root, "no-such-chromium")} does not run as Chromium\n`);
    const record = JSON.parse(await readFile(join(root, "test-output", "chromium.json"), "utf8")) as { unavailable?: string };
    expect(record.unavailable).toContain("does not run as Chromium");
    const report = run(root, ["--report"], { VNET_AUDIT_CHROMIUM: undefined });
    expect(report.stdout).toMatch(/^browser test NOT RUN \(its tests are reported as skipped\): VNET_AUDIT_CHROMIUM=.* does not run as Chromium\n$/);
  });

  it("warns that CI will fail when CI=true and there is no Chromium", async () => {
    const root = await scratch();
    const setup = run(root, [], { VNET_AUDIT_CHROMIUM: "/bin/false", CI: "true" });
    expect(setup.stdout).toMatch(/^browser test NOT RUN \(and CI requires it: it will fail\): /);
  });

  it.runIf(existsSync("/usr/bin/chromium"))("records a Chromium that runs", async () => {
    const root = await scratch();
    const setup = run(root, [], { VNET_AUDIT_CHROMIUM: "/usr/bin/chromium" });
    expect(setup.stdout).toMatch(/^browser test: Chromium \d+.* at \/usr\/bin\/chromium\n$/);
    expect(JSON.parse(await readFile(join(root, "test-output", "chromium.json"), "utf8"))).toMatchObject({ executablePath: "/usr/bin/chromium" });
    expect(run(root, ["--report"], { VNET_AUDIT_CHROMIUM: undefined }).stdout).toBe("");
  });
});

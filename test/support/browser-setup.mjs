#!/usr/bin/env node
/**
 * `npm test`'s first step: make sure the browser test (test/browser) has a Chromium to drive.
 *
 * 1. `VNET_AUDIT_CHROMIUM` (a path) if set, else `chromium` on PATH, else /usr/bin/chromium,
 *    kept only if it really runs (`--version`), not merely exists.
 * 2. Otherwise, on Debian or Ubuntu as root or with passwordless sudo, installs Debian's
 *    `chromium` package with apt-get (output in test-output/chromium-install.log).
 * 3. Otherwise, one line says why the browser test cannot run and what to do.
 *
 * The outcome goes to test-output/chromium.json for the browser test, which runs against the
 * path found, or, with a reason and outside CI, reports itself as not run with that reason (it
 * fails under CI=true, where every test must run). This script itself always exits 0.
 *
 * Plain JavaScript on purpose: it runs before `npm run build`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUTPUT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test-output");
const RESULT_FILE = join(OUTPUT_DIR, "chromium.json");
const INSTALL_LOG = join(OUTPUT_DIR, "chromium-install.log");
const DEFAULT_PATH = "/usr/bin/chromium";

/** The Chromium version line when `path` runs, else undefined. */
function versionOf(path) {
  const run = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 30_000 });
  const line = (run.stdout ?? "").trim().split("\n")[0] ?? "";
  return run.status === 0 && /chrom/i.test(line) ? line : undefined;
}

function onPath(command) {
  const run = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

function find() {
  const explicit = process.env.VNET_AUDIT_CHROMIUM;
  const candidates = explicit ? [explicit] : [...new Set([onPath("chromium"), DEFAULT_PATH].filter(Boolean))];
  for (const path of candidates) {
    const version = versionOf(path);
    if (version) return { executablePath: path, version };
  }
  return undefined;
}

/** How this user can run apt-get as root: `[]` (is root), `["sudo", "-n"]`, or a reason it can't. */
function rootPrefix() {
  if (!onPath("apt-get")) return { reason: "this machine has no apt-get (not Debian or Ubuntu)" };
  if (process.getuid?.() === 0) return { prefix: [] };
  if (onPath("sudo") && spawnSync("sudo", ["-n", "true"]).status === 0) return { prefix: ["sudo", "-n"] };
  return { reason: "installing Debian's chromium needs root or passwordless sudo" };
}

function install(prefix) {
  const log = openSync(INSTALL_LOG, "w");
  try {
    // `env` inside the command, since sudo resets the environment.
    for (const args of [["update"], ["install", "-y", "--no-install-recommends", "chromium"]]) {
      const command = [...prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", ...args];
      const result = spawnSync(command[0], command.slice(1), { stdio: ["ignore", log, log], timeout: 15 * 60_000 });
      if (result.status !== 0) {
        const lastLine = readFileSync(INSTALL_LOG, "utf8").trim().split("\n").pop() ?? "";
        return `apt-get ${args[0]} failed (${result.error?.message ?? `exit ${result.status}`})${lastLine ? `: ${lastLine}` : ""}`;
      }
    }
    return undefined;
  } finally {
    closeSync(log);
  }
}

function main() {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  let found = find();
  let reason;
  if (!found && process.env.VNET_AUDIT_CHROMIUM) {
    reason = `VNET_AUDIT_CHROMIUM=${process.env.VNET_AUDIT_CHROMIUM} does not run as Chromium`;
  } else if (!found) {
    const root = rootPrefix();
    if (root.reason) {
      reason = `no Chromium found, and ${root.reason}: install Chromium (Debian: \`sudo apt-get install chromium\`) or set VNET_AUDIT_CHROMIUM to its path`;
    } else {
      const started = Date.now();
      console.log(`browser test: no Chromium found; installing Debian's chromium with apt-get (log: test-output/chromium-install.log)`);
      const failure = install(root.prefix);
      found = failure ? undefined : find();
      if (found) console.log(`browser test: installed ${found.version} in ${Math.round((Date.now() - started) / 1000)} s`);
      else reason = `no Chromium found, and installing Debian's chromium failed: ${failure ?? `${DEFAULT_PATH} still does not run`}`;
    }
  }
  if (found) {
    writeFileSync(RESULT_FILE, `${JSON.stringify({ executablePath: found.executablePath, version: found.version })}\n`);
    console.log(`browser test: ${found.version} at ${found.executablePath}`);
  } else {
    writeFileSync(RESULT_FILE, `${JSON.stringify({ unavailable: reason })}\n`);
    console.log(`browser test NOT RUN${process.env.CI ? " (and CI requires it: it will fail)" : ""}: ${reason}`);
  }
}

/** `--report` (npm's posttest): repeats a NOT RUN as the last line of `npm test`, where it is seen. */
function report() {
  try {
    const { unavailable } = JSON.parse(readFileSync(RESULT_FILE, "utf8"));
    if (unavailable && !process.env.VNET_AUDIT_CHROMIUM) console.log(`browser test NOT RUN (its tests are reported as skipped): ${unavailable}`);
  } catch {
    // No record: the setup did not run, so there is nothing to repeat.
  }
}

if (process.argv.includes("--report")) report();
else main();

/**
 * `npm run demo`: one full scheduled cycle of the function app on the bundled sample tenant,
 * with no Azure account and no network. It starts the ARM emulator (HTTPS, managed-identity
 * endpoint), an in-memory Azurite and a local webhook receiver, then runs the app's real
 * handlers the way the Functions host would: the timer fans out to the queue, each queue
 * message scans a subscription, the last one closes the run and sends the digest.
 *
 * Writes out/report.html, out/report.json, out/alert.html, out/digest.json and out/teams-card.json, prints the summary, exits 0.
 */
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { resetDeps } from "../src/api/runtime.js";
import type { DigestPayload } from "../src/notify/digest.js";
import { teamsMessage } from "../src/notify/teams.js";
import { renderTable } from "../src/report/table.js";
import { openAuditStorage } from "../src/store/connection.js";
import { getRunHtmlReport, getRunReport, listRuns } from "../src/store/runs.js";
import { startArmEmulator } from "../emulator/index.js";
import { startAzurite } from "../emulator/azurite.js";
import { FunctionsTestHost, loadFunctionApp } from "../emulator/functions-host.js";
import { installTestCa, TEST_CA_CERT_ENV } from "../emulator/ca.js";
import { startWebhookReceiver } from "../emulator/webhook-receiver.js";
import { buildSampleTenant, countSites } from "../emulator/sample/sample-tenant.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const OUT = join(ROOT, "out");

async function main(): Promise<number> {
  // Node reads NODE_EXTRA_CA_CERTS only at start: create the emulator's CA, then run the demo
  // in a child process that trusts it, as the SDK clients in Azure trust Resource Manager.
  if (!process.env[TEST_CA_CERT_ENV]) {
    const env = { ...process.env };
    const { teardown } = await installTestCa(env);
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], { env, stdio: "inherit" });
    const code = await new Promise<number>((resolve) => child.on("exit", (exitCode) => resolve(exitCode ?? 1)));
    await teardown();
    return code;
  }

  const began = Date.now();
  const sample = await buildSampleTenant();
  const [emulator, azurite, receiver] = await Promise.all([startArmEmulator({ tenant: sample.tenant }), startAzurite(), startWebhookReceiver()]);
  try {
    for (const fault of sample.faults) emulator.injectFault(fault);
    emulator.applyEnv();
    Object.assign(process.env, {
      AzureWebJobsStorage: azurite.connectionString,
      AUDIT_WEBHOOK_URL: receiver.url,
      AUDIT_WEBHOOK_SECRET: "demo-webhook-secret",
      AUDIT_MIN_ALERT_SEVERITY: "high",
    });
    delete process.env.AUDIT_STORAGE;
    delete process.env.AUDIT_SUBSCRIPTIONS;
    resetDeps();
    const storage = openAuditStorage({ connectionString: azurite.connectionString });
    await storage.ensureCreated();

    console.log(`Sample tenant: ${sample.tenant.subscriptions.length} subscriptions, ${countSites(sample.tenant)} sites and slots (ARM emulator at ${emulator.url})`);
    const host = new FunctionsTestHost(await loadFunctionApp(join(ROOT, "dist", "functions")));
    const timer = await host.timer("scheduledScan");
    const queued = await host.enqueueOutputs(timer, storage.queue);
    console.log(`scheduledScan: queued ${queued} subscription scan(s)`);
    const drained = await host.drainQueue("scanSubscription", storage.queue);
    console.log(`scanSubscription: ${drained.processed} message(s) processed`);

    const [run] = await listRuns(storage, 1);
    const report = run && (await getRunReport(storage, run.scanId));
    const html = run && (await getRunHtmlReport(storage, run.scanId));
    if (!run || !report || !html) throw new Error("the run did not close with a report");

    await mkdir(OUT, { recursive: true });
    await writeFile(join(OUT, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(OUT, "report.html"), html);
    const digest = receiver.accepted()[0]?.body as DigestPayload | undefined;
    if (digest) {
      await writeFile(join(OUT, "alert.html"), digest.html);
      // The digest as the webhook got it, and as a Teams webhook would (AUDIT_WEBHOOK_FORMAT=teams).
      await writeFile(join(OUT, "digest.json"), `${JSON.stringify(digest, null, 2)}\n`);
      await writeFile(join(OUT, "teams-card.json"), `${JSON.stringify(teamsMessage(digest), null, 2)}\n`);
    }

    console.log("");
    process.stdout.write(renderTable(report));
    console.log("");
    console.log(`Run ${run.scanId}: ${run.status}, ${emulator.total({ all: true })} ARM requests, ${receiver.accepted().length} digest(s) delivered${digest ? `: "${digest.subject}"` : ""}`);
    for (const file of ["report.html", "report.json", ...(digest ? ["alert.html", "digest.json", "teams-card.json"] : [])]) console.log(`wrote ${relative(process.cwd(), join(OUT, file)) || file}`);
    console.log(`done in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    return digest ? 0 : 1;
  } finally {
    await Promise.all([emulator.close(), azurite.close(), receiver.close()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);

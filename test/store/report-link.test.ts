/**
 * The digest's link to a run's stored HTML report, against real Azurite: a read-only
 * service SAS (Azurite's connection string carries the account key) that opens the report
 * and does nothing else, valid for AUDIT_REPORT_LINK_DAYS.
 */
import { describe, expect, it } from "vitest";
import { openAuditStorage } from "../../src/store/connection.js";
import { reportLink } from "../../src/store/report-link.js";
import { putRunReport } from "../../src/store/runs.js";
import { buildResult } from "../../src/audit.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { useAzuriteStorage } from "../support/storage-fixture.js";

const { freshStorage, azurite } = useAzuriteStorage();
const SCAN = "6f1c0000-0000-4000-8000-0000000000aa";
const NOW = new Date();

async function storedRun() {
  const storage = await freshStorage();
  const result = buildResult(SCAN, NOW, NOW, [], []);
  const html = renderHtmlReport(result, undefined);
  await putRunReport(storage, SCAN, { json: result, html });
  return { storage, html };
}

describe("report link (SAS)", () => {
  it("opens the stored report as text/html, read-only, valid for the configured days", async () => {
    const { storage, html } = await storedRun();
    const link = await reportLink(storage, SCAN, 3, NOW);
    expect(link).toMatchObject({ kind: "service", url: expect.stringContaining("/runs/6f1c0000-0000-4000-8000-0000000000aa/report.html?") });
    const url = new URL(link.url!);
    expect(url.searchParams.get("sp")).toBe("r");
    expect(url.searchParams.get("sr")).toBe("b");
    const expires = Date.parse(url.searchParams.get("se")!);
    expect(Math.round((expires - NOW.getTime()) / 86_400_000)).toBe(3);

    const opened = await fetch(link.url!);
    expect(opened.status).toBe(200);
    expect(opened.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await opened.text()).toBe(html);

    // Read-only: the same signature cannot overwrite the report, nor read another blob.
    const write = await fetch(link.url!, { method: "PUT", headers: { "x-ms-blob-type": "BlockBlob" }, body: "<p>replaced</p>" });
    expect(write.status).toBe(403);
    const other = await fetch(link.url!.replace("/report.html?", "/report.json?"));
    expect(other.status).toBe(403);
    // Without the signature the container is not public.
    expect((await fetch(link.url!.split("?")[0]!)).status).not.toBe(200);
  });

  it("gives no link when the days are 0, or when the storage has nothing to sign with", async () => {
    const { storage } = await storedRun();
    expect(await reportLink(storage, SCAN, 0, NOW)).toEqual({ url: null, reason: "AUDIT_REPORT_LINK_DAYS is 0" });
    // A connection string with a SAS instead of the account key: nothing to sign a new SAS with.
    const blobEndpoint = /BlobEndpoint=([^;]+)/.exec(azurite().connectionString)![1]!;
    const sasOnly = openAuditStorage({ connectionString: `BlobEndpoint=${blobEndpoint};QueueEndpoint=${blobEndpoint};TableEndpoint=${blobEndpoint};SharedAccessSignature=sv=2025-01-05&ss=b&srt=o&sp=r&se=2099-01-01&sig=x` });
    const unsigned = await reportLink(sasOnly, SCAN, 7, NOW);
    expect(unsigned.url).toBeNull();
  });
});

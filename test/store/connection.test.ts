import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FINDINGS_TABLE,
  OUTBOX_TABLE,
  REPORTS_CONTAINER,
  RUNS_TABLE,
  SCAN_QUEUE,
  decodeQueueJson,
  encodeQueueJson,
  openAuditStorage,
  storageOptionsFromEnv,
} from "../../src/store/connection.js";
import { startAzurite, uniquePrefix, type RunningAzurite } from "../../emulator/azurite.js";

describe("storageOptionsFromEnv", () => {
  it("prefers AUDIT_STORAGE, then AzureWebJobsStorage", () => {
    expect(storageOptionsFromEnv({ AUDIT_STORAGE: "A", AzureWebJobsStorage: "B" })).toEqual({ connectionString: "A" });
    expect(storageOptionsFromEnv({ AUDIT_STORAGE: " ", AzureWebJobsStorage: "B" })).toEqual({ connectionString: "B" });
  });

  it("uses identity settings when no connection string is set", () => {
    expect(storageOptionsFromEnv({ AzureWebJobsStorage__accountName: "acct" })).toEqual({
      blobServiceUri: "https://acct.blob.core.windows.net",
      queueServiceUri: "https://acct.queue.core.windows.net",
      tableServiceUri: "https://acct.table.core.windows.net",
    });
    expect(
      storageOptionsFromEnv({
        AzureWebJobsStorage__blobServiceUri: "https://acct.blob.core.usgovcloudapi.net/",
        AzureWebJobsStorage__queueServiceUri: "https://acct.queue.core.usgovcloudapi.net",
        AzureWebJobsStorage__clientId: "00000000-0000-0000-0000-000000000001",
      }),
    ).toEqual({
      blobServiceUri: "https://acct.blob.core.usgovcloudapi.net",
      queueServiceUri: "https://acct.queue.core.usgovcloudapi.net",
      tableServiceUri: "https://acct.table.core.usgovcloudapi.net",
      clientId: "00000000-0000-0000-0000-000000000001",
    });
  });

  it("returns undefined when nothing is configured", () => {
    expect(storageOptionsFromEnv({})).toBeUndefined();
  });

  it("builds clients for UseDevelopmentStorage=true (Azurite's default ports)", () => {
    const storage = openAuditStorage({ connectionString: "UseDevelopmentStorage=true" });
    expect(storage.findings.url).toBe("http://127.0.0.1:10002/devstoreaccount1");
    expect(storage.findings.tableName).toBe(FINDINGS_TABLE);
    expect(storage.reports.url).toBe(`http://127.0.0.1:10000/devstoreaccount1/${REPORTS_CONTAINER}`);
    expect(storage.queue.url).toBe(`http://127.0.0.1:10001/devstoreaccount1/${SCAN_QUEUE}`);
  });

  it("rejects a prefix that is not a valid table name start", () => {
    expect(() => openAuditStorage({ connectionString: "UseDevelopmentStorage=true", prefix: "Bad-" })).toThrow(/prefix/);
  });
});

describe("openAuditStorage against Azurite", () => {
  let azurite: RunningAzurite;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.close();
  });

  it("creates every resource idempotently", async () => {
    const prefix = uniquePrefix();
    const storage = openAuditStorage({ connectionString: azurite.connectionString, prefix });
    await storage.ensureCreated();
    await storage.ensureCreated();
    expect(storage.runs.tableName).toBe(prefix + RUNS_TABLE);
    expect(storage.outbox.tableName).toBe(prefix + OUTBOX_TABLE);
    expect(await storage.reports.exists()).toBe(true);
    expect(await storage.queue.exists()).toBe(true);
    await storage.findings.createEntity({ partitionKey: "p", rowKey: "r" });
    expect((await storage.findings.getEntity("p", "r")).rowKey).toBe("r");
  });

  it("enqueues base64 JSON, as the Functions queue trigger expects", async () => {
    const storage = openAuditStorage({ connectionString: azurite.connectionString, prefix: uniquePrefix() });
    await storage.ensureCreated();
    await storage.queue.sendMessage(encodeQueueJson({ scanId: "s1", subscriptionId: "Ä-sub" }));
    const received = await storage.queue.receiveMessages();
    const text = received.receivedMessageItems[0]!.messageText;
    expect(text).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decodeQueueJson(text)).toEqual({ scanId: "s1", subscriptionId: "Ä-sub" });
  });
});

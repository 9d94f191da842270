import { TableClient } from "@azure/data-tables";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { QueueServiceClient, type QueueClient } from "@azure/storage-queue";
import { DEFAULT_STORAGE_REQUEST_TIMEOUT_MS, requestTimeoutPolicy } from "../azure/boundary.js";

/** Resource names (a test may prefix them to share one Azurite). */
export const FINDINGS_TABLE = "findings";
export const RUNS_TABLE = "scanruns";
export const OUTBOX_TABLE = "outbox";
export const REPORTS_CONTAINER = "reports";
export const SCAN_QUEUE = "scan-requests";

export type AuditStorageOptions =
  | { connectionString: string; prefix?: string }
  | {
      blobServiceUri: string;
      queueServiceUri: string;
      tableServiceUri: string;
      /** Defaults to DefaultAzureCredential (with `clientId` for a user-assigned identity). */
      credential?: TokenCredential;
      clientId?: string;
      prefix?: string;
    };

/** Every storage call is bounded: a storage account that stops answering fails the step (which is retried), never hangs it. */
const tableTimeout = { additionalPolicies: [{ policy: requestTimeoutPolicy(DEFAULT_STORAGE_REQUEST_TIMEOUT_MS), position: "perRetry" as const }] };
const blobQueueTimeout = { retryOptions: { tryTimeoutInMs: DEFAULT_STORAGE_REQUEST_TIMEOUT_MS } };

export interface AuditStorage {
  findings: TableClient;
  runs: TableClient;
  outbox: TableClient;
  reports: ContainerClient;
  queue: QueueClient;
  /** Creates the tables, the container and the queue; safe to call on every start. */
  ensureCreated(): Promise<void>;
}

const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const AZURITE_DEFAULT =
  "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
  `AccountKey=${AZURITE_KEY};` +
  "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;" +
  "QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
  "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

export function openAuditStorage(options: AuditStorageOptions): AuditStorage {
  const prefix = options.prefix ?? "";
  if (prefix !== "" && !/^[a-z][a-z0-9]{0,19}$/.test(prefix)) {
    // Table names allow only letters and digits; queue and container names only lower case.
    throw new Error(`storage name prefix "${prefix}" must be lower-case letters and digits, starting with a letter`);
  }
  const names = {
    findings: prefix + FINDINGS_TABLE,
    runs: prefix + RUNS_TABLE,
    outbox: prefix + OUTBOX_TABLE,
    reports: prefix + REPORTS_CONTAINER,
    queue: prefix + SCAN_QUEUE,
  };

  let table: (name: string) => TableClient;
  let blobService: BlobServiceClient;
  let queueService: QueueServiceClient;
  if ("connectionString" in options) {
    const connectionString = expandDevelopmentStorage(options.connectionString);
    // Azurite and other loopback endpoints speak plain http; the Tables SDK refuses that unless told.
    const allowInsecureConnection = /(^|;)\s*(DefaultEndpointsProtocol=http\s*(;|$)|TableEndpoint=http:)/i.test(connectionString);
    table = (name) => TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection, ...tableTimeout });
    blobService = BlobServiceClient.fromConnectionString(connectionString, blobQueueTimeout);
    queueService = QueueServiceClient.fromConnectionString(connectionString, blobQueueTimeout);
  } else {
    const credential =
      options.credential ?? new DefaultAzureCredential(options.clientId ? { managedIdentityClientId: options.clientId } : {});
    const allowInsecureConnection = options.tableServiceUri.startsWith("http:");
    table = (name) => new TableClient(options.tableServiceUri, name, credential, { allowInsecureConnection, ...tableTimeout });
    blobService = new BlobServiceClient(options.blobServiceUri, credential, blobQueueTimeout);
    queueService = new QueueServiceClient(options.queueServiceUri, credential, blobQueueTimeout);
  }

  const storage: AuditStorage = {
    findings: table(names.findings),
    runs: table(names.runs),
    outbox: table(names.outbox),
    reports: blobService.getContainerClient(names.reports),
    queue: queueService.getQueueClient(names.queue),
    async ensureCreated() {
      // createTable is already idempotent in the SDK (it swallows 409 TableAlreadyExists).
      await Promise.all([
        storage.findings.createTable(),
        storage.runs.createTable(),
        storage.outbox.createTable(),
        storage.reports.createIfNotExists(),
        storage.queue.createIfNotExists(),
      ]);
    },
  };
  return storage;
}

/** `UseDevelopmentStorage=true` means Azurite on its default ports with the well-known account. */
function expandDevelopmentStorage(connectionString: string): string {
  const trimmed = connectionString.trim();
  return /^UseDevelopmentStorage=true;?$/i.test(trimmed) ? AZURITE_DEFAULT : trimmed;
}

/**
 * Where the store lives, from the environment: AUDIT_STORAGE, else AzureWebJobsStorage (both
 * connection strings), else the identity-based `AzureWebJobsStorage__*` settings the Functions
 * host itself uses when shared-key access is disabled. Undefined when nothing is configured.
 * Throws (without echoing values) when identity settings are present but incomplete.
 */
export function storageOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AuditStorageOptions | undefined {
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const connectionString = value("AUDIT_STORAGE") ?? value("AzureWebJobsStorage");
  if (connectionString) return { connectionString };

  const accountName = value("AzureWebJobsStorage__accountName");
  const explicit = {
    blob: value("AzureWebJobsStorage__blobServiceUri") ?? value("AzureWebJobsStorage__serviceUri"),
    queue: value("AzureWebJobsStorage__queueServiceUri"),
    table: value("AzureWebJobsStorage__tableServiceUri"),
  };
  if (!accountName && !explicit.blob && !explicit.queue && !explicit.table) return undefined;

  const uri = (service: "blob" | "queue" | "table"): string => {
    const given = explicit[service];
    if (given) return given.replace(/\/+$/, "");
    if (accountName) return `https://${accountName}.${service}.core.windows.net`;
    // Derive a sibling endpoint from another one of the same account (…blob.core… → …queue.core…).
    for (const other of Object.values(explicit)) {
      const match = other?.match(/^(https:\/\/[^./]+)\.(blob|queue|table)\.(.+?)\/*$/);
      if (match) return `${match[1]}.${service}.${match[3]}`;
    }
    throw new Error(`AzureWebJobsStorage__${service}ServiceUri is not set and cannot be derived; set it or AzureWebJobsStorage__accountName`);
  };
  const clientId = value("AzureWebJobsStorage__clientId");
  return {
    blobServiceUri: uri("blob"),
    queueServiceUri: uri("queue"),
    tableServiceUri: uri("table"),
    ...(clientId ? { clientId } : {}),
  };
}

/**
 * A queue message's text as the Functions queue binding writes and the trigger reads it by
 * default: base64 of the UTF-8 JSON (the storage-queue SDK sends text as-is).
 */
export function encodeQueueJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64");
}

/** The inverse of `encodeQueueJson`, for code that reads the queue with the SDK (the test host, the demo). */
export function decodeQueueJson(messageText: string): unknown {
  return JSON.parse(Buffer.from(messageText, "base64").toString("utf8"));
}

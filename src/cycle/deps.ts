import type { AzureClients } from "../azure/clients.js";
import { createAzureClients } from "../azure/clients.js";
import type { AuditConfig } from "../config/file.js";
import { configFromSetting, withOwnerTag } from "../config/file.js";
import { readSettings, type Settings } from "../config/settings.js";
import { openAuditStorage, storageOptionsFromEnv, type AuditStorage } from "../store/connection.js";

/** Everything one scan cycle touches; built once per process (CLI) or per invocation (functions). */
export interface CycleDeps {
  settings: Settings;
  config: AuditConfig;
  clients: AzureClients;
  storage: AuditStorage;
  now: () => Date;
  /** Operational messages only: never a secret, token or app-setting value. */
  log: (message: string) => void;
  /** The webhook transport; tests and the demo pass their own fetch to count calls. */
  fetch?: typeof fetch;
  /** Resolves the webhook host before a send (default: the system resolver). */
  lookup?: (hostname: string) => Promise<string[]>;
  /**
   * Queue handlers: when the run is closing under another worker's live lease, throw so the
   * message is redelivered (and takes the close over if that worker died). The in-process
   * cycle leaves it off: nobody would redeliver.
   */
  retryWhileClosing?: boolean;
}

export class StorageNotConfiguredError extends Error {
  constructor() {
    super("no storage configured: set AUDIT_STORAGE or AzureWebJobsStorage (UseDevelopmentStorage=true for Azurite)");
  }
}

/** Builds the dependencies from app settings / environment, as the function app and `scan --store` do. */
export function cycleDepsFromEnv(
  env: NodeJS.ProcessEnv,
  overrides: Partial<Pick<CycleDeps, "config" | "log" | "now" | "fetch" | "clients">> = {},
): CycleDeps {
  const settings = readSettings(env);
  const config = withOwnerTag(overrides.config ?? configFromSetting(settings.AUDIT_CONFIG), settings.AUDIT_OWNER_TAG);
  const storageOptions = storageOptionsFromEnv(env);
  if (!storageOptions) throw new StorageNotConfiguredError();
  return {
    settings,
    config,
    clients: overrides.clients ?? createAzureClients({ endpoint: settings.AUDIT_ARM_ENDPOINT }),
    storage: openAuditStorage(storageOptions),
    now: overrides.now ?? (() => new Date()),
    log: overrides.log ?? (() => undefined),
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
  };
}

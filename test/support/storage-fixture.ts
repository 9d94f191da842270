import { afterAll, beforeAll } from "vitest";
import { openAuditStorage, type AuditStorage } from "../../src/store/connection.js";
import { startAzurite, uniquePrefix, type RunningAzurite } from "../../emulator/azurite.js";

/**
 * One in-memory Azurite for the calling test file, and a factory of storages on it, each
 * with its own table/container/queue name prefix so tests never see each other's data.
 */
export function useAzuriteStorage(): { freshStorage: () => Promise<AuditStorage>; azurite: () => RunningAzurite } {
  let azurite: RunningAzurite | undefined;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => {
    await azurite?.close();
  });
  return {
    azurite: () => azurite!,
    async freshStorage() {
      const storage = openAuditStorage({ connectionString: azurite!.connectionString, prefix: uniquePrefix() });
      await storage.ensureCreated();
      return storage;
    },
  };
}

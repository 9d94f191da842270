import { BlobSASPermissions, BlobServiceClient, generateBlobSASQueryParameters, SASProtocol, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { AuditStorage } from "./connection.js";
import { runHtmlReportBlobName } from "./runs.js";
import { MS_PER_DAY as DAY_MS } from "../util/time.js";

/** A user delegation key (and so a user-delegation SAS) is valid for at most seven days. */
export const MAX_USER_DELEGATION_DAYS = 7;
/** Clock skew allowance: the link works at once even where the storage clock runs ahead. */
const SKEW_MS = 5 * 60_000;

export type ReportLinkOutcome = { url: string; kind: "user-delegation" | "service" } | { url: null; reason: string };

/**
 * A read-only link to a run's stored HTML report, valid `days` days (AUDIT_REPORT_LINK_DAYS).
 *
 * - With the managed identity (no account key anywhere): a user-delegation SAS, signed with a
 *   user delegation key the identity asks for (its Storage Blob Data role includes
 *   `generateUserDelegationKey`); such a key lives at most seven days, so longer links are
 *   cut to seven.
 * - With a connection string that carries the account key (Azurite, a pipeline's storage): a
 *   service SAS signed with that key.
 * - `days` 0, a connection string without a key, or a signing error: no link (`url: null`
 *   with the reason, never a secret), so the digest says "no link" instead of failing.
 *
 * Read-only (`r`), HTTPS only except on an http endpoint (Azurite on loopback), for this one
 * blob: the link opens the report and nothing else.
 *
 * Microsoft Learn: "Create a user delegation SAS for a blob with JavaScript",
 * https://learn.microsoft.com/azure/storage/blobs/storage-blob-create-user-delegation-sas-javascript
 */
export async function reportLink(storage: AuditStorage, scanId: string, days: number, now: Date): Promise<ReportLinkOutcome> {
  if (days <= 0) return { url: null, reason: "AUDIT_REPORT_LINK_DAYS is 0" };
  const blob = storage.reports.getBlobClient(runHtmlReportBlobName(scanId));
  const credential = storage.reports.credential;
  const permissions = BlobSASPermissions.parse("r");
  const protocol = blob.url.startsWith("https:") ? SASProtocol.Https : SASProtocol.HttpsAndHttp;
  const startsOn = new Date(now.getTime() - SKEW_MS);
  try {
    if (credential instanceof StorageSharedKeyCredential) {
      const expiresOn = new Date(now.getTime() + days * DAY_MS);
      return { url: await blob.generateSasUrl({ permissions, startsOn, expiresOn, protocol }), kind: "service" };
    }
    if (hasGetToken(credential)) {
      const expiresOn = new Date(now.getTime() + Math.min(days, MAX_USER_DELEGATION_DAYS) * DAY_MS);
      const service = new BlobServiceClient(storage.reports.url.replace(/\/[^/]+\/?$/, ""), credential);
      const key = await service.getUserDelegationKey(startsOn, expiresOn);
      const sas = generateBlobSASQueryParameters(
        { containerName: storage.reports.containerName, blobName: blob.name, permissions, startsOn, expiresOn, protocol },
        key,
        blob.accountName,
      );
      return { url: `${blob.url}?${sas.toString()}`, kind: "user-delegation" };
    }
    return { url: null, reason: "the storage connection has no account key or identity to sign with" };
  } catch (error) {
    // The reason names the failure class and status only: never the key, the URL's query or a token.
    const status = (error as { statusCode?: number }).statusCode;
    return { url: null, reason: `the report link could not be signed (${error instanceof Error ? error.name : "error"}${status ? ` ${status}` : ""})` };
  }
}

/** A TokenCredential (managed identity, DefaultAzureCredential): what a user delegation key is asked with. */
function hasGetToken(credential: unknown): credential is import("@azure/core-auth").TokenCredential {
  return typeof (credential as { getToken?: unknown })?.getToken === "function";
}

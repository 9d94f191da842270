import { createHmac, timingSafeEqual } from "node:crypto";
import { lookup as dnsLookup } from "node:dns/promises";
import { odata } from "@azure/data-tables";
import type { AuditStorage } from "../store/connection.js";
import { getText, putJson } from "../store/runs.js";
import { MAX_COLUMN_CHARS, assertKey, createIfAbsent, getRow, isNotFound, listRows, type Row } from "../store/tables.js";
import type { DigestPayload } from "./digest.js";
import { isForbiddenTarget } from "./webhook-url.js";
import { MS_PER_DAY } from "../util/time.js";

/*
 * Outbox rows in the `outbox` table:
 *   PK "digest", RK "digest-<scanId>"   one per run's digest, until a webhook answered 2xx
 *   PK "sent",   RK the same id         a small tombstone after delivery, so a re-run close
 *                                       of the same scan cannot queue (and send) it again
 *   PK "dead",   RK the same id         a digest the receiver refused for good (3xx/4xx
 *                                       MAX_REJECTED_CALLS times, or a forbidden target), with
 *                                       the reason; kept, never sent again, shown by GET /api/scans/{id}
 * The body is stored exactly as it will be POSTed, so every retry carries the same bytes and
 * the same signature.
 *
 * The row is also the journal of the announcement: it is written with `announced: false`
 * before the findings are marked announced and flipped to true after. A closer that dies in
 * between leaves the flag false; the next close replays the marks from the body
 * (`unappliedAnnouncements`) before it computes its own changes, and a row is never sent
 * before its marks are applied. So a crash can neither announce a change twice under two
 * delivery IDs nor lose the record that a change went out.
 */

const PENDING = "digest";
const SENT = "sent";
const DEAD = "dead";
const TOMBSTONE_DAYS = 30;
/** Calls a receiver may refuse (3xx, 4xx other than 408/429) before the digest is dead-lettered. */
export const MAX_REJECTED_CALLS = 3;

type OutboxColumns = {
  scanId: string;
  enqueuedAt: string;
  /** The JSON body, or empty when it lives in `bodyBlob` (too big for a table property). */
  body: string;
  bodyBlob?: string;
  attempts: number;
  /** Calls that ended without a 2xx; drives the between-calls backoff. */
  failedCalls: number;
  nextAttemptAt: string;
  leaseUntil?: string;
  lastAttemptAt?: string;
  /** Status code or error class only: never the URL, its query or the secret. */
  lastError?: string;
  delivered?: boolean;
  deliveredAt?: string;
  /** False from enqueue until the findings are marked announced (absent on rows older than the flag: applied). */
  announced?: boolean;
  /** Calls the receiver refused (not transient); at MAX_REJECTED_CALLS the row is dead-lettered. */
  rejectedCalls?: number;
};

type SentColumns = { scanId: string; deliveredAt: string };
type DeadColumns = { scanId: string; deadAt: string; reason: string; attempts: number; enqueuedAt: string; bodyBlob?: string };

export function outboxId(scanId: string): string {
  return `digest-${assertKey(scanId, "scanId")}`;
}

/**
 * Queues a digest for delivery. Idempotent per scan: when the scan's digest is already queued,
 * or was delivered, nothing changes and `queued` is false.
 */
export async function enqueueDigest(
  storage: AuditStorage,
  payload: DigestPayload,
  now: Date = new Date(),
  options: { announced?: boolean } = {},
): Promise<{ id: string; queued: boolean }> {
  const id = outboxId(payload.scanId);
  if ((await getRow(storage.outbox, PENDING, id)) || (await getRow(storage.outbox, SENT, id)) || (await getRow(storage.outbox, DEAD, id))) {
    return { id, queued: false };
  }
  const body = JSON.stringify(payload);
  let bodyBlob: string | undefined;
  if (body.length > MAX_COLUMN_CHARS) {
    bodyBlob = `outbox/${id}.json`;
    await putJson(storage, bodyBlob, body);
  }
  const queued = await createIfAbsent<OutboxColumns>(storage.outbox, {
    partitionKey: PENDING,
    rowKey: id,
    scanId: payload.scanId,
    enqueuedAt: now.toISOString(),
    body: bodyBlob ? "" : body,
    ...(bodyBlob ? { bodyBlob } : {}),
    attempts: 0,
    failedCalls: 0,
    nextAttemptAt: now.toISOString(),
    announced: options.announced ?? true,
  });
  return { id, queued };
}

/** Marks a queued digest's announcement as applied to the findings; from then on it may be sent. */
export async function markDigestAnnounced(storage: AuditStorage, scanId: string): Promise<void> {
  await storage.outbox.updateEntity({ partitionKey: PENDING, rowKey: outboxId(scanId), announced: true }, "Merge").catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
  });
}

/** Queued digests whose announcement marks were never applied (their closer died): replay them, then markDigestAnnounced. */
export async function unappliedAnnouncements(storage: AuditStorage): Promise<DigestPayload[]> {
  const rows = await listRows<OutboxColumns>(storage.outbox, odata`PartitionKey eq ${PENDING} and announced eq false`);
  const payloads: DigestPayload[] = [];
  for (const row of rows.sort((a, b) => a.enqueuedAt.localeCompare(b.enqueuedAt))) {
    const body = row.bodyBlob ? await getText(storage, row.bodyBlob) : row.body;
    if (body !== undefined) payloads.push(JSON.parse(body) as DigestPayload);
  }
  return payloads;
}

export interface DigestDelivery {
  state: "none" | "pending" | "delivered" | "dead-lettered";
  attempts?: number;
  lastError?: string;
  /** For dead-lettered digests: why it will not be sent again. */
  reason?: string;
  at?: string;
}

/** Where a run's digest stands (GET /api/scans/{id}, the CLI's --store summary). */
export async function digestDelivery(storage: AuditStorage, scanId: string): Promise<DigestDelivery> {
  const id = outboxId(scanId);
  const dead = await getRow<DeadColumns>(storage.outbox, DEAD, id);
  if (dead) return { state: "dead-lettered", attempts: dead.attempts, reason: dead.reason, at: dead.deadAt };
  const sent = await getRow<SentColumns>(storage.outbox, SENT, id);
  if (sent) return { state: "delivered", at: sent.deliveredAt };
  const pending = await getRow<OutboxColumns>(storage.outbox, PENDING, id);
  if (pending && !pending.delivered) return { state: "pending", attempts: pending.attempts ?? 0, ...(pending.lastError ? { lastError: pending.lastError } : {}) };
  if (pending) return { state: "delivered", ...(pending.deliveredAt ? { at: pending.deliveredAt } : {}) };
  return { state: "none" };
}

export interface DeliverOptions {
  webhookUrl?: string;
  secret?: string;
  fetch?: typeof fetch;
  /** POST attempts per row in this call (default 3). */
  maxAttemptsPerCall?: number;
  backoff?: {
    /** First in-call retry delay; doubles per attempt (default 1 s). */
    retryDelayMs?: number;
    /** Delay before the next call may retry a failed row; doubles per failed call (default 1 min). */
    rescheduleMs?: number;
    /** Cap of that delay (default 1 h). */
    maxRescheduleMs?: number;
  };
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /**
   * Try every pending row now, whatever its next-attempt time. A run closing does this: runs
   * are hours apart, so the next run is the natural retry, and a webhook that came back should
   * get the backlog then rather than after a backoff meant for tighter loops.
   */
  ignoreSchedule?: boolean;
  now?: () => Date;
  /** Non-secret progress lines (no URL, no secret, no body). */
  log?: (message: string) => void;
  /** Resolves the webhook host before each send (default: the system resolver); a forbidden target is refused. */
  lookup?: (hostname: string) => Promise<string[]>;
  /**
   * The body to POST from the stored digest JSON (AUDIT_WEBHOOK_FORMAT=teams: notify/teams.ts);
   * default: the JSON itself. Pure, so every retry sends (and signs) the same bytes.
   */
  render?: (digestJson: string) => string;
}

export interface DeliverOutcome {
  delivered: number;
  pending: number;
  /** Digests dead-lettered by this call. */
  deadLettered: number;
}

/**
 * Sends due outbox rows, oldest first. Each row is leased under its ETag first, so two closers
 * running at once never send the same row. A 2xx removes the row for good; anything else keeps
 * it with attempts, the error and the next attempt time. While the receiver is down (network
 * error, timeout, 408, 429, 5xx) later rows wait, keeping digests in order; a 4xx specific to
 * one body does not block the rows behind it; refused MAX_REJECTED_CALLS times, a row is
 * dead-lettered with its reason. Transient failures keep the row, with backoff, for ever.
 * Before each send the webhook host is resolved and a link-local, metadata or unspecified
 * address is refused (dead-lettered at once: no retry makes it right).
 */
export async function deliverOutbox(storage: AuditStorage, options: DeliverOptions): Promise<DeliverOutcome> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const maxAttempts = Math.max(1, options.maxAttemptsPerCall ?? 3);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retryDelayMs = options.backoff?.retryDelayMs ?? 1_000;
  const rescheduleMs = options.backoff?.rescheduleMs ?? 60_000;
  const maxRescheduleMs = options.backoff?.maxRescheduleMs ?? 3_600_000;
  const leaseMs = maxAttempts * (timeoutMs + retryDelayMs * 2 ** maxAttempts) + 60_000;
  const send = options.fetch ?? fetch;

  await cleanUp(storage, now());
  const rows = (await listRows<OutboxColumns>(storage.outbox, odata`PartitionKey eq ${PENDING}`))
    .filter((row) => !row.delivered)
    .sort((a, b) => a.enqueuedAt.localeCompare(b.enqueuedAt) || a.rowKey.localeCompare(b.rowKey));
  if (!options.webhookUrl) {
    if (rows.length > 0) log(`outbox: ${rows.length} digest(s) queued; no webhook URL configured`);
    return { delivered: 0, pending: rows.length, deadLettered: 0 };
  }
  const webhookUrl = options.webhookUrl;
  const resolve = options.lookup ?? ((hostname: string) => dnsLookup(hostname, { all: true }).then((found) => found.map((entry) => entry.address)));

  let delivered = 0;
  let deadLettered = 0;
  let receiverDown = false;
  for (const row of rows) {
    // Its findings are not marked announced yet (the closer died): the next close replays it first.
    if (row.announced === false) continue;
    const at = now();
    const due = options.ignoreSchedule || Date.parse(row.nextAttemptAt) <= at.getTime();
    if (receiverDown || !due || (row.leaseUntil && Date.parse(row.leaseUntil) > at.getTime())) continue;
    const etag = await lease(storage, row, new Date(at.getTime() + leaseMs));
    if (!etag) continue; // another deliverer has it

    const stored = row.bodyBlob ? await getText(storage, row.bodyBlob) : row.body;
    const body = stored !== undefined && options.render ? options.render(stored) : stored;
    if (body === undefined) {
      await recordFailure(storage, row, etag, { tries: 0, error: "body blob missing", now: now(), rescheduleMs: maxRescheduleMs, maxRescheduleMs });
      continue;
    }
    const headers: Record<string, string> = { "content-type": "application/json", "x-audit-delivery": row.rowKey };
    if (options.secret) headers["x-audit-signature"] = signBody(options.secret, body);

    let result: PostResult = { ok: false, error: "not sent", transient: true };
    let tries = 0;
    const refused = await forbiddenTarget(webhookUrl, resolve);
    if (refused) result = { ok: false, error: refused, transient: false, final: true };
    while (!refused && tries < maxAttempts) {
      tries++;
      result = await post(send, webhookUrl, headers, body, timeoutMs);
      if (result.ok || !result.transient) break;
      if (tries < maxAttempts) await sleep(retryDelayMs * 2 ** (tries - 1));
    }

    if (result.ok) {
      await markDelivered(storage, row, etag, now());
      delivered++;
      log(`outbox: delivered ${row.rowKey}`);
    } else if (!result.transient && (result.final || (row.rejectedCalls ?? 0) + 1 >= MAX_REJECTED_CALLS)) {
      await deadLetter(storage, row, etag, { tries, reason: result.error, now: now() });
      deadLettered++;
      log(`outbox: ${row.rowKey} dead-lettered (${result.error}); it will not be sent again`);
    } else {
      await recordFailure(storage, row, etag, { tries, error: result.error, now: now(), rescheduleMs, maxRescheduleMs, retryAfterMs: result.retryAfterMs, rejected: !result.transient });
      log(`outbox: ${row.rowKey} not delivered (${result.error}); kept for a later run`);
      if (result.transient) receiverDown = true;
    }
  }
  return { delivered, pending: rows.length - delivered - deadLettered, deadLettered };
}

/** Why the webhook's host may not be called (it resolves to a link-local, metadata or unspecified address), or undefined. */
async function forbiddenTarget(webhookUrl: string, resolve: (hostname: string) => Promise<string[]>): Promise<string | undefined> {
  const hostname = new URL(webhookUrl).hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = await resolve(hostname);
  } catch {
    return undefined; // fetch reports the resolution failure itself, as a transient network error
  }
  const bad = addresses.find(isForbiddenTarget);
  return bad ? `refused: the webhook host resolves to ${bad}, a link-local or metadata address` : undefined;
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the X-Audit-Signature header value. */
export function signBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** For receivers: constant-time check of an X-Audit-Signature header against the raw body. */
export function verifySignature(secret: string, body: string | Uint8Array, header: string | null | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// ---- internals -------------------------------------------------------------------------------

type PostResult = { ok: true } | { ok: false; error: string; transient: boolean; retryAfterMs?: number; final?: boolean };

async function post(send: typeof fetch, url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
  try {
    // No redirects: a redirect would forward the signed body somewhere the operator did not configure.
    const response = await send(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status < 300) return { ok: true };
    const transient = response.status === 408 || response.status === 429 || response.status >= 500;
    const retryAfter = Number(response.headers.get("retry-after"));
    return {
      ok: false,
      error: `HTTP ${response.status}`,
      transient,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  } catch (error) {
    const name = (error as { name?: string } | null)?.name;
    if (name === "TimeoutError" || name === "AbortError") return { ok: false, error: `timeout after ${timeoutMs} ms`, transient: true };
    // Only the error code (ECONNREFUSED, ENOTFOUND, ...): messages can carry the host and port.
    const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
    return { ok: false, error: `network error${typeof code === "string" ? ` (${code})` : ""}`, transient: true };
  }
}

/** Takes the row for this call; the new ETag, or undefined when someone else got it first. */
async function lease(storage: AuditStorage, row: Row<OutboxColumns>, until: Date): Promise<string | undefined> {
  try {
    const response = await storage.outbox.updateEntity(
      { partitionKey: PENDING, rowKey: row.rowKey, leaseUntil: until.toISOString() },
      "Merge",
      { etag: row.etag },
    );
    return response.etag;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 412 || status === 404) return undefined;
    throw error;
  }
}

async function markDelivered(storage: AuditStorage, row: Row<OutboxColumns>, etag: string, at: Date): Promise<void> {
  const deliveredAt = at.toISOString();
  // The tombstone first: once it exists, enqueueDigest refuses this scan's digest for good.
  await storage.outbox
    .upsertEntity<SentColumns>({ partitionKey: SENT, rowKey: row.rowKey, scanId: row.scanId, deliveredAt }, "Replace")
    .catch(() => {});
  try {
    await storage.outbox.deleteEntity(PENDING, row.rowKey, { etag });
  } catch {
    // Never send it again even if the delete failed: flag it; cleanUp removes it later.
    await storage.outbox.updateEntity({ partitionKey: PENDING, rowKey: row.rowKey, delivered: true, deliveredAt }, "Merge").catch(() => {});
  }
  if (row.bodyBlob) await storage.reports.getBlockBlobClient(row.bodyBlob).deleteIfExists().catch(() => {});
}

async function recordFailure(
  storage: AuditStorage,
  row: Row<OutboxColumns>,
  etag: string,
  failure: { tries: number; error: string; now: Date; rescheduleMs: number; maxRescheduleMs: number; retryAfterMs?: number | undefined; rejected?: boolean },
): Promise<void> {
  const failedCalls = (row.failedCalls ?? 0) + 1;
  const backoff = Math.min(failure.maxRescheduleMs, failure.rescheduleMs * 2 ** (failedCalls - 1));
  const delay = Math.min(failure.maxRescheduleMs, Math.max(backoff, failure.retryAfterMs ?? 0));
  try {
    await storage.outbox.updateEntity(
      {
        partitionKey: PENDING,
        rowKey: row.rowKey,
        attempts: (row.attempts ?? 0) + failure.tries,
        failedCalls,
        ...(failure.rejected ? { rejectedCalls: (row.rejectedCalls ?? 0) + 1 } : {}),
        lastError: failure.error,
        lastAttemptAt: failure.now.toISOString(),
        nextAttemptAt: new Date(failure.now.getTime() + delay).toISOString(),
        leaseUntil: failure.now.toISOString(),
      },
      "Merge",
      { etag },
    );
  } catch (error) {
    // Losing the lease here only loses the bookkeeping; the row itself stays queued.
    if (!isNotFound(error) && (error as { statusCode?: number }).statusCode !== 412) throw error;
  }
}

/** Moves a refused digest to the dead-letter partition with its reason; it is never sent again. */
async function deadLetter(storage: AuditStorage, row: Row<OutboxColumns>, etag: string, failure: { tries: number; reason: string; now: Date }): Promise<void> {
  await storage.outbox.upsertEntity<DeadColumns>(
    {
      partitionKey: DEAD,
      rowKey: row.rowKey,
      scanId: row.scanId,
      deadAt: failure.now.toISOString(),
      reason: failure.reason,
      attempts: (row.attempts ?? 0) + failure.tries,
      enqueuedAt: row.enqueuedAt,
      ...(row.bodyBlob ? { bodyBlob: row.bodyBlob } : {}),
    },
    "Replace",
  );
  await storage.outbox.deleteEntity(PENDING, row.rowKey, { etag }).catch((error: unknown) => {
    if (!isNotFound(error) && (error as { statusCode?: number }).statusCode !== 412) throw error;
  });
}

/** Removes rows flagged delivered (their delete failed earlier) and old tombstones. */
async function cleanUp(storage: AuditStorage, now: Date): Promise<void> {
  const flagged = await listRows<OutboxColumns>(storage.outbox, odata`PartitionKey eq ${PENDING} and delivered eq true`, ["PartitionKey", "RowKey"]);
  const cutoff = new Date(now.getTime() - TOMBSTONE_DAYS * MS_PER_DAY).toISOString();
  const old = await listRows<SentColumns>(storage.outbox, odata`PartitionKey eq ${SENT} and deliveredAt lt ${cutoff}`, ["PartitionKey", "RowKey"]);
  for (const row of [...flagged, ...old]) {
    await storage.outbox.deleteEntity(row.partitionKey, row.rowKey).catch(() => {});
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

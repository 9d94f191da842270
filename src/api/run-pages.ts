/**
 * Paging of the run list for `GET /api/scans` in Azure's convention: a page of `$top` runs,
 * newest first, and an opaque `$skipToken` for the next page (the last run's start and ID,
 * so a run recorded meanwhile neither repeats nor skips a row of later pages).
 */
import type { RunInfo } from "../store/runs.js";

export class InvalidSkipTokenError extends Error {}

interface Cursor {
  startedAt: string;
  scanId: string;
}

/** Newest first: by start, then by ID (the order listRuns returns). */
function after(run: Pick<RunInfo, "startedAt" | "scanId">, cursor: Cursor): boolean {
  return run.startedAt < cursor.startedAt || (run.startedAt === cursor.startedAt && run.scanId < cursor.scanId);
}

export function pageOfRuns(runs: readonly RunInfo[], top: number, skipToken: string | undefined): { value: RunInfo[]; skipToken?: string } {
  const cursor = skipToken === undefined ? undefined : decode(skipToken);
  const remaining = cursor ? runs.filter((run) => after(run, cursor)) : runs;
  const value = remaining.slice(0, top);
  const last = value[value.length - 1];
  return remaining.length > top && last ? { value, skipToken: encode({ startedAt: last.startedAt, scanId: last.scanId }) } : { value };
}

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ v: 1, ...cursor }), "utf8").toString("base64url");
}

function decode(token: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { v?: unknown; startedAt?: unknown; scanId?: unknown };
    if (parsed.v === 1 && typeof parsed.startedAt === "string" && typeof parsed.scanId === "string") return { startedAt: parsed.startedAt, scanId: parsed.scanId };
  } catch {
    // fall through
  }
  throw new InvalidSkipTokenError("$skipToken is not a token this API returned");
}

import type { TableClient, TableEntity, TableEntityResult } from "@azure/data-tables";

/** Small helpers shared by the stores: status codes, key checks, optimistic updates, paging. */

export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === "number" ? code : undefined;
}

export const isNotFound = (error: unknown): boolean => statusCodeOf(error) === 404;
export const isConflict = (error: unknown): boolean => statusCodeOf(error) === 409;
export const isPreconditionFailed = (error: unknown): boolean => statusCodeOf(error) === 412;

/**
 * Table keys may not contain / \ # ? or control characters; scan IDs also become blob path
 * segments. Checked at the boundary so a bad ID fails loudly instead of writing odd rows.
 */
export function assertKey(value: string, what: string): string {
  if (value.length === 0 || value.length > 512 || /[/\\#?\u0000-\u001f\u007f-\u009f]/.test(value)) {
    throw new Error(`${what} ${JSON.stringify(value.slice(0, 80))} is not usable as a storage key (no / \\ # ? or control characters, 1-512 chars)`);
  }
  return value;
}

export type Row<T extends object> = TableEntityResult<TableEntity<T>>;

export async function getRow<T extends object>(client: TableClient, partitionKey: string, rowKey: string): Promise<Row<T> | undefined> {
  try {
    return (await client.getEntity<TableEntity<T>>(partitionKey, rowKey)) as Row<T>;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Creates the row unless it exists; true when this call created it. */
export async function createIfAbsent<T extends object>(client: TableClient, entity: TableEntity<T>): Promise<boolean> {
  try {
    await client.createEntity(entity);
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

export type UpdateOutcome<T extends object> =
  | { written: true; row: TableEntity<T>; etag: string }
  | { written: false; row: Row<T> | undefined };

/**
 * Read-modify-write guarded by the row's ETag: `change` sees the current row and returns the
 * full replacement (or undefined to leave it alone). A concurrent writer makes the update fail
 * with 412; we re-read and let `change` decide again, so every decision is made on fresh data.
 */
export async function updateWithEtag<T extends object>(
  client: TableClient,
  partitionKey: string,
  rowKey: string,
  change: (current: Row<T> | undefined) => TableEntity<T> | undefined,
  attempts = 8,
): Promise<UpdateOutcome<T>> {
  for (let attempt = 0; ; attempt++) {
    const current = await getRow<T>(client, partitionKey, rowKey);
    const changed = change(current);
    if (!changed) return { written: false, row: current };
    const next = stripMeta(changed);
    try {
      const response = current
        ? await client.updateEntity(next, "Replace", { etag: current.etag })
        : await client.createEntity(next);
      return { written: true, row: next, etag: response.etag ?? "" };
    } catch (error) {
      const raced = current ? isPreconditionFailed(error) || isNotFound(error) : isConflict(error);
      if (!raced || attempt >= attempts - 1) throw error;
    }
  }
}

/** Every row matching the filter (the SDK follows continuation tokens). */
export async function listRows<T extends object>(client: TableClient, filter: string, select?: string[]): Promise<Row<T>[]> {
  const rows: Row<T>[] = [];
  const queryOptions = select ? { filter, select } : { filter };
  for await (const entity of client.listEntities<TableEntity<T>>({ queryOptions })) rows.push(entity as Row<T>);
  return rows;
}

/** True when at least one row matches; stops at the first hit instead of reading the partition. */
export async function anyRow(client: TableClient, filter: string): Promise<boolean> {
  for await (const page of client.listEntities({ queryOptions: { filter, select: ["PartitionKey"] } }).byPage({ maxPageSize: 1 })) {
    if (page.length > 0) return true;
  }
  return false;
}

/** JSON for a table column, which holds at most 32K UTF-16 characters (64 KiB). */
export const MAX_COLUMN_CHARS = 30_000;

export function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== "string" || text === "") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Drops the SDK's read-only metadata (etag, timestamp) so a read row can be written back. */
export function stripMeta<T extends object>(row: T): T {
  const { etag: _etag, timestamp: _timestamp, "odata.metadata": _metadata, "odata.etag": _odataEtag, ...rest } = row as T & Record<string, unknown>;
  return rest as T;
}

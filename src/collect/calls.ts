import type { CollectionError, ReadStatus, SubscriptionStatus } from "../model/inventory.js";
import { readAllPages } from "../azure/boundary.js";
import { collectionError, describeAzureFailure } from "../azure/errors.js";

/**
 * Tracks every call collection makes for one subscription: which failed (as the report's
 * errors) and whether anything succeeded (a subscription where nothing could be read is
 * `failed`, one with some errors `partial`).
 */
export class CallLedger {
  readonly errors: CollectionError[] = [];
  private succeeded = 0;

  constructor(initialErrors: CollectionError[] = []) {
    this.errors.push(...initialErrors);
  }

  /**
   * Drains a paged list; a failure is recorded and yields what was read before it. The SDKs'
   * paged iterators are read page by page (`byPage`) when they offer it: one await per page
   * rather than several promises per item, which adds up over thousands of sites. A list past
   * MAX_PAGES_PER_LIST pages (a nextLink pointing to itself) is a recorded gap.
   */
  async list<T>(operation: string, scope: string, pages: () => AsyncIterable<T> & { byPage?: () => AsyncIterable<T[]> }): Promise<{ items: T[]; ok: boolean }> {
    const items: T[] = [];
    try {
      await readAllPages(pages(), items);
      this.succeeded++;
      return { items, ok: true };
    } catch (error) {
      this.errors.push(collectionError(operation, scope, error));
      return { items, ok: false };
    }
  }

  /** One call that must succeed; a failure is recorded. */
  async get<T>(operation: string, resourceId: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await call();
      this.succeeded++;
      return value;
    } catch (error) {
      this.errors.push(collectionError(operation, resourceId, error));
      return undefined;
    }
  }

  /**
   * A per-resource read. 404 means the resource went away between the list and the read
   * (not a gap in the audit); 403 is a coverage gap the caller may accept (app settings need
   * more than Reader) or not. Everything else is recorded as an error.
   */
  async read<T>(
    operation: string,
    resourceId: string,
    call: () => Promise<T>,
    options: { forbiddenIsCoverageGap: boolean },
  ): Promise<{ status: ReadStatus; value?: T }> {
    try {
      const value = await call();
      this.succeeded++;
      return { status: "read", value };
    } catch (error) {
      const { statusCode } = describeAzureFailure(error);
      if (statusCode === 404) return { status: "notFound" };
      if (statusCode === 403 && options.forbiddenIsCoverageGap) return { status: "forbidden" };
      this.errors.push(collectionError(operation, resourceId, error));
      return { status: statusCode === 403 ? "forbidden" : "failed" };
    }
  }

  /**
   * Normalizes each item of a response. Azure occasionally sends payloads the SDK types don't
   * promise (a string where an array belongs, nulls); an item the normalizer can't read is
   * recorded as an error on its own resource and skipped, so one odd site never fails the rest.
   */
  normalizeEach<T, R>(operation: string, items: readonly T[], normalize: (item: T) => R | undefined): R[] {
    const normalized: R[] = [];
    for (const item of items) {
      try {
        const value = normalize(item);
        if (value !== undefined) normalized.push(value);
      } catch (error) {
        const id = (item as { id?: unknown })?.id;
        this.errors.push({
          operation,
          resourceId: typeof id === "string" ? id : "(unknown resource)",
          code: "UnreadablePayload",
          message: `the response could not be read: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    return normalized;
  }

  /**
   * A list whose failure only leaves owners unknown (the resource-group list): its error is
   * kept as a coverage note (`impact: "owners"`) and does not make the subscription partial.
   */
  async listForOwners<T>(operation: string, scope: string, pages: () => AsyncIterable<T> & { byPage?: () => AsyncIterable<T[]> }): Promise<{ items: T[]; ok: boolean }> {
    // Its own ledger: other lists run at the same time, and only this one's error is a note.
    const own = new CallLedger();
    const listed = await own.list(operation, scope, pages);
    for (const error of own.errors) this.errors.push({ ...error, impact: "owners" });
    if (listed.ok) this.succeeded++;
    return listed;
  }

  /** A coverage gap found by reasoning over what was read (no call failed): the subscription is partial. */
  noteGap(error: CollectionError): void {
    this.errors.push(error);
  }

  status(): SubscriptionStatus {
    const gaps = this.errors.filter((error) => error.impact !== "owners");
    if (gaps.length === 0) return "complete";
    return this.succeeded === 0 ? "failed" : "partial";
  }
}

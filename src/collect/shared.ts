/**
 * Reads that many subscriptions of one scan need alike: the hub VNets their sites integrate
 * with through gateways or shared subnets, and those VNets' gateways. Each is read once per
 * scan instead of once per subscription that references it.
 *
 * Bounded (oldest entries are dropped past `maxEntries`), so memory does not grow with the
 * number of subscriptions scanned; a failed read is not remembered, so the next subscription
 * that needs the resource tries again (and records its own error if that fails too).
 */
export class SharedReads {
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(private readonly maxEntries = 1024) {}

  /** The value of `read()` for `key` (an ARM ID, compared case-insensitively), read at most once while remembered. */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    const normalized = key.toLowerCase();
    const existing = this.entries.get(normalized) as Promise<T> | undefined;
    if (existing) return existing;
    const promise = read();
    this.entries.set(normalized, promise);
    promise.catch(() => {
      if (this.entries.get(normalized) === promise) this.entries.delete(normalized);
    });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return promise;
  }

  get size(): number {
    return this.entries.size;
  }
}

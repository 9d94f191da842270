/**
 * Fault-injecting wrappers for crash-consistency tests: every storage call (tables, blobs)
 * and every webhook POST is a numbered step; at the chosen step the "process dies": the call
 * throws (before it reaches storage, or after it did and before the caller saw the answer),
 * and so does every later call, until the next run revives it. The storage underneath is real
 * Azurite; nothing of the product is replaced.
 */
import type { ContainerClient } from "@azure/storage-blob";
import type { TableClient } from "@azure/data-tables";
import type { AuditStorage } from "../../src/store/connection.js";

export class CrashError extends Error {
  constructor(step: number, label: string) {
    super(`simulated crash at step ${step} (${label})`);
    this.name = "CrashError";
  }
}

export interface CrashPoint {
  step: number;
  /** before: the call never happens; after: it happens, the caller never learns. */
  when: "before" | "after";
  /** A transient failure of that one call (a storage hiccup), not a dead process. */
  once?: boolean;
}

export class CrashSwitch {
  steps = 0;
  dead = false;
  readonly labels: string[] = [];
  private point: CrashPoint | undefined;

  /** Fails, once, the call whose label matches after `skip` matching calls (counting from now). */
  failNext(label: string, skip = 0): void {
    this.arm(undefined);
    this.pendingLabel = label;
    this.pendingSkip = skip;
  }

  private pendingLabel: string | undefined;
  private pendingSkip = 0;

  arm(point: CrashPoint | undefined): void {
    this.pendingLabel = undefined;
    this.point = point;
    this.steps = 0;
    this.dead = false;
    this.labels.length = 0;
  }

  /** Runs one step; `call` is the real operation. */
  run<T>(label: string, call: () => T): T {
    if (this.dead) throw new CrashError(this.steps, `${label} after the crash`);
    const step = this.steps++;
    this.labels.push(label);
    if (this.pendingLabel !== undefined && label === this.pendingLabel && this.pendingSkip-- === 0) {
      this.pendingLabel = undefined;
      throw new CrashError(step, `${label} (transient)`);
    }
    if (this.point?.step === step && this.point.when === "before") {
      this.dead = !this.point.once;
      throw new CrashError(step, label);
    }
    const result = call();
    if (this.point?.step === step && this.point.when === "after") {
      this.dead = !this.point.once;
      if (result instanceof Promise) return result.then(() => Promise.reject(new CrashError(step, label))) as T;
      throw new CrashError(step, label);
    }
    return result;
  }
}

const TABLE_METHODS = new Set(["createEntity", "upsertEntity", "updateEntity", "deleteEntity", "submitTransaction", "getEntity", "listEntities"]);
const BLOB_METHODS = new Set(["upload", "downloadToBuffer", "deleteIfExists"]);

function wrapMethods<T extends object>(target: T, methods: ReadonlySet<string>, name: string, crash: CrashSwitch, extra?: (prop: string, value: unknown) => unknown): T {
  return new Proxy(target, {
    get(object, prop, receiver) {
      const value = Reflect.get(object, prop, receiver) as unknown;
      if (typeof prop !== "string" || typeof value !== "function") return value;
      if (extra) {
        const replaced = extra(prop, value);
        if (replaced !== undefined) return replaced;
      }
      if (!methods.has(prop)) return value.bind(object);
      return (...args: unknown[]) => crash.run(`${name}.${prop}`, () => (value as (...a: unknown[]) => unknown).apply(object, args));
    },
  });
}

/** The same storage, every table and blob call a step of `crash`. */
export function crashingStorage(storage: AuditStorage, crash: CrashSwitch): AuditStorage {
  const table = (client: TableClient, name: string) => wrapMethods(client, TABLE_METHODS, name, crash);
  const reports = wrapMethods(storage.reports as ContainerClient, new Set<string>(), "reports", crash, (prop, value) =>
    prop === "getBlockBlobClient"
      ? (blobName: string) => wrapMethods((value as (n: string) => object).call(storage.reports, blobName), BLOB_METHODS, "blob", crash)
      : undefined,
  );
  return { ...storage, findings: table(storage.findings, "findings"), runs: table(storage.runs, "runs"), outbox: table(storage.outbox, "outbox"), reports };
}

export interface Delivery {
  id: string;
  body: string;
}

/** A webhook receiver as a fetch: records what arrived; its POSTs are steps of `crash` too. */
export function crashingWebhook(crash: CrashSwitch, received: Delivery[]): typeof fetch {
  return (async (_url: string | URL | Request, init?: RequestInit) =>
    crash.run("webhook.post", async () => {
      const headers = new Headers(init?.headers);
      received.push({ id: headers.get("x-audit-delivery") ?? "", body: String(init?.body ?? "") });
      return new Response("ok", { status: 200 });
    })) as typeof fetch;
}

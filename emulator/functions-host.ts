/**
 * A small stand-in for the Azure Functions host, for tests and the demo: it loads the app's
 * function files through @azure/functions' real registration path, records what each
 * registers (the metadata the real host would read), and invokes the handlers with
 * @azure/functions' own HttpRequest / InvocationContext, moving queue output bindings into
 * the real (Azurite) queue and queue messages back into the queue trigger, as the host does.
 *
 * @azure/functions talks to the host through a module the worker provides,
 * `@azure/functions-core`; outside the worker the library runs in "test mode" and registers
 * nothing. Providing that module (and only it) lets the library's real metadata conversion run.
 */
import { createRequire } from "node:module";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import azureFunctions, { type HttpRequestInit, type HttpResponseInit, type InvocationContext as Context } from "@azure/functions";
import type { QueueClient } from "@azure/storage-queue";
import { decodeQueueJson, encodeQueueJson } from "../src/store/connection.js";

export interface RecordedBinding {
  type: string;
  direction: "in" | "out";
  [key: string]: unknown;
}

export interface RegisteredFunction {
  name: string;
  bindings: Record<string, RecordedBinding>;
  handler: (...args: unknown[]) => Promise<unknown>;
  /** The function file that registered it. */
  file: string;
}

export interface LogLine {
  functionName: string;
  level: string;
  message: string;
}

// @azure/functions is a webpack-built CommonJS bundle: Node's ESM loader can't see these two
// classes as named exports (it can see `app` and `output`, which the function files use).
const { HttpRequest, InvocationContext } = azureFunctions;
type InvocationContext = Context;

const registry = new Map<string, RegisteredFunction>();
let currentFile = "";
let installed = false;

function installCoreApi(): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const Module = require("node:module") as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = Module._load;
  const coreApi = {
    version: "4.0.0-test-host",
    setProgrammingModel: () => undefined,
    registerHook: () => ({ dispose: () => undefined }),
    registerFunction(metadata: { name: string; bindings: Record<string, RecordedBinding> }, handler: RegisteredFunction["handler"]) {
      if (registry.has(metadata.name)) throw new Error(`function ${metadata.name} registered twice`);
      registry.set(metadata.name, { name: metadata.name, bindings: metadata.bindings, handler, file: currentFile });
      return { dispose: () => registry.delete(metadata.name) };
    },
  };
  Module._load = function load(request: string, ...rest: unknown[]) {
    if (request === "@azure/functions-core") return coreApi;
    return originalLoad.call(this, request, ...rest);
  };
}

/** Loads every function file in `directory` (compiled JS or TS under vitest) and returns the registrations. */
export async function loadFunctionApp(directory: string): Promise<Map<string, RegisteredFunction>> {
  installCoreApi();
  const files = readdirSync(directory)
    .filter((file) => /\.(js|ts)$/.test(file) && !file.endsWith(".d.ts") && !file.endsWith(".map"))
    .sort();
  for (const file of files) {
    currentFile = file;
    await import(pathToFileURL(join(directory, file)).href);
  }
  currentFile = "";
  return registry;
}

export class FunctionsTestHost {
  readonly logs: LogLine[] = [];
  private invocation = 0;

  constructor(readonly functions: Map<string, RegisteredFunction>) {}

  get(name: string): RegisteredFunction {
    const registered = this.functions.get(name);
    if (!registered) throw new Error(`no function ${name} registered`);
    return registered;
  }

  /** An InvocationContext as the host builds it: trigger and output bindings, metadata, a log sink. */
  context(name: string, triggerMetadata: Record<string, unknown> = {}): InvocationContext {
    const registered = this.get(name);
    const entries = Object.entries(registered.bindings);
    const [triggerName, trigger] = entries.find(([, binding]) => binding.direction === "in" && /Trigger$/.test(binding.type))!;
    return new InvocationContext({
      invocationId: `test-${++this.invocation}`,
      functionName: name,
      triggerMetadata,
      options: {
        trigger: { ...trigger, name: triggerName } as never,
        extraOutputs: entries.filter(([, binding]) => binding.direction === "out" && binding.type !== "http").map(([bindingName, binding]) => ({ ...binding, name: bindingName }) as never),
      },
      logHandler: (level, ...args) => this.logs.push({ functionName: name, level, message: args.map(String).join(" ") }),
    });
  }

  async http(name: string, init: HttpRequestInit): Promise<{ response: HttpResponseInit; context: InvocationContext }> {
    const context = this.context(name);
    const response = (await this.get(name).handler(new HttpRequest(init), context)) as HttpResponseInit;
    return { response, context };
  }

  async timer(name: string): Promise<InvocationContext> {
    const context = this.context(name);
    await this.get(name).handler({ isPastDue: false, scheduleStatus: { last: "", next: "", lastUpdated: "" } }, context);
    return context;
  }

  async queueMessage(name: string, message: unknown, dequeueCount = 1): Promise<InvocationContext> {
    const context = this.context(name, { dequeueCount });
    await this.get(name).handler(message, context);
    return context;
  }

  /** What a function wrote to its queue output bindings, as the host would enqueue it. */
  queueOutputs(context: InvocationContext): unknown[] {
    const outputs: unknown[] = [];
    for (const binding of context.options.extraOutputs) {
      if (binding.type !== "queue") continue;
      const value = context.extraOutputs.get(binding);
      if (value === undefined) continue;
      outputs.push(...(Array.isArray(value) ? value : [value]));
    }
    return outputs;
  }

  /** Enqueues output messages on the real queue (base64 JSON, as the host's queue binding writes them). */
  async enqueueOutputs(context: InvocationContext, queue: QueueClient): Promise<number> {
    const messages = this.queueOutputs(context);
    for (const message of messages) await queue.sendMessage(encodeQueueJson(message));
    return messages.length;
  }

  /**
   * Drains the queue into the queue-trigger function like the host: a failed invocation
   * leaves the message for redelivery with a higher dequeue count; after `maxDequeueCount`
   * deliveries the host would move it to the poison queue (here: it is deleted and counted).
   */
  async drainQueue(name: string, queue: QueueClient, options: { maxDequeueCount?: number; visibilityTimeout?: number } = {}): Promise<{ processed: number; failed: number; poisoned: number }> {
    const maxDequeueCount = options.maxDequeueCount ?? 5;
    const totals = { processed: 0, failed: 0, poisoned: 0 };
    for (;;) {
      const { receivedMessageItems: items } = await queue.receiveMessages({ numberOfMessages: 16, visibilityTimeout: options.visibilityTimeout ?? 1 });
      if (items.length === 0) {
        const { approximateMessagesCount } = await queue.getProperties();
        if (!approximateMessagesCount) return totals;
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      await Promise.all(
        items.map(async (item) => {
          const message = decodeQueueJson(item.messageText);
          try {
            await this.queueMessage(name, message, item.dequeueCount);
            await queue.deleteMessage(item.messageId, item.popReceipt);
            totals.processed++;
          } catch {
            totals.failed++;
            if (item.dequeueCount >= maxDequeueCount) {
              await queue.deleteMessage(item.messageId, item.popReceipt);
              totals.poisoned++;
            }
          }
        }),
      );
    }
  }
}

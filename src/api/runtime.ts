import type { InvocationContext } from "@azure/functions";
import { cycleDepsFromEnv, type CycleDeps } from "../cycle/deps.js";

let shared: CycleDeps | undefined;

/**
 * The function app's dependencies, built once per worker from its app settings (SDK clients
 * keep their token caches and connections across invocations), with the invocation's logger.
 */
export function depsFor(context: InvocationContext): CycleDeps {
  shared ??= cycleDepsFromEnv(process.env);
  return { ...shared, log: (message) => context.log(message) };
}

/** For tests and the demo: forget the cached dependencies after changing the environment. */
export function resetDeps(): void {
  shared = undefined;
}

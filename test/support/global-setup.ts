import { installTestCa } from "../../emulator/ca.js";

/**
 * One CA for the whole test run, trusted through NODE_EXTRA_CA_CERTS by the forked workers
 * and every child process, so the product's own SDK clients reach the ARM emulator unchanged.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const { teardown } = await installTestCa();
  return teardown;
}

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start HTTPS emulators and child processes; keep them from starving each other.
    pool: "forks",
    globalSetup: ["test/support/global-setup.ts"],
    // The JSON results let .ci/run print a plain "N passed, N failed" closing line.
    reporters: ["default", ["json", { outputFile: "test-output/vitest-results.json" }]],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

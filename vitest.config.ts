import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/run-temp.ts"],
    // Builds and QEMU boots take seconds each; a hang still fails the test instead of the run.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Most of a test's time is QEMU or Node child processes waiting (guest idle time follows the
    // host's clock), so three files at a time keep two cores busy; vitest 3 would run one.
    maxWorkers: 3,
    minWorkers: 1,
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds and QEMU boots take seconds each; a hang still fails the test instead of the run.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});

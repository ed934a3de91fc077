import { defineConfig } from "vitest/config";

// Real servers: one file at a time (2-core machines), generous timeouts for JVM start-up.
export default defineConfig({
  test: {
    include: ["test/integration/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});

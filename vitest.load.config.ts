import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Load and fault tests: the built app served by our server (server.ts) on temporary SQLite files, driven over loopback
// (mixed load, concurrent writers, SIGKILL in the middle of writes, online backup and restore). One file at a
// time: each starts its own servers and the machine has two cores.
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    reporters: ["default", "json"],
    outputFile: { json: "test-results/load.json" },
    include: ["tests/load/**/*.test.ts"],
    env: { NODE_ENV: "test", DATABASE_PATH: ":memory:", SESSION_SECRET: "test-secret-test-secret-test-secret-0123" },
    fileParallelism: false,
    testTimeout: 150_000,
    hookTimeout: 120_000,
  },
});

import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Browser journeys: the built app served by our server (server.ts) on a fresh seeded database, driven in Debian's Chromium.
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    reporters: ["default", "json"],
    outputFile: { json: "test-results/e2e.json" },
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/server.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

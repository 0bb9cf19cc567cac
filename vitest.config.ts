import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    reporters: ["default", "json"],
    outputFile: { json: "test-results/unit.json" },
    include: ["app/**/*.test.ts", "db/**/*.test.ts", "seeds/**/*.test.ts", "tests/integration/**/*.test.ts"],
    setupFiles: ["tests/setup/database.ts"],
    // DATABASE_URL is cleared so a PostgreSQL URL in the shell does not leak in (vitest.pg.config.ts sets its own).
    env: { NODE_ENV: "test", DATABASE_PATH: ":memory:", DATABASE_URL: "", SESSION_SECRET: "test-secret-test-secret-test-secret-0123" },
    testTimeout: 20_000,
  },
});

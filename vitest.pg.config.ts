import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

// The same unit and integration suite on PostgreSQL, plus the two-instance tests of tests/pg. Run through
// tests/pg/with-postgres.sh (which starts a throwaway cluster and exports DATABASE_URL): `npm run test:pg`.
const adminUrl = process.env.DATABASE_URL ?? "";

export default mergeConfig(
  base,
  defineConfig({
    test: {
      outputFile: { json: "test-results/unit-pg.json" },
      include: ["tests/pg/**/*.test.ts"],
      globalSetup: ["tests/pg/global-setup.ts"],
      // tests/setup/database.ts copies a database per file from the template and points DATABASE_URL at it.
      env: { LMC_PG_ADMIN_URL: adminUrl, DATABASE_URL: "" },
      hookTimeout: 60_000,
    },
  }),
);

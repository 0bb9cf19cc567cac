// Every test file gets its own database: migrated with the real migrations and seeded with the real seed (plan,
// units, demo users and the demo ledger), exactly as `npm start` prepares one. This runs at the top level, so it
// is done before the test file (and the app modules it imports) is loaded.
// On SQLite (vitest.config.ts) that is an in-memory database. On PostgreSQL (vitest.pg.config.ts) it is a fresh
// database copied from the template tests/pg/global-setup.ts migrated and seeded once, dropped after the file;
// DATABASE_URL then names it, so the app's `db` and anything the file starts (e.g. app instances) use it.
import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";

if (globalThis.__lmcDb) await globalThis.__lmcDb.destroy();
globalThis.__lmcDb = undefined;

const adminUrl = process.env.LMC_PG_ADMIN_URL;
if (adminUrl) {
  const { adminQuery, databaseUrl, dropDatabase } = await import("../pg/databases");
  const name = `lmc_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${inject("pgTemplate")}`);
  process.env.DATABASE_URL = databaseUrl(adminUrl, name);
  afterAll(async () => {
    await globalThis.__lmcDb?.destroy();
    globalThis.__lmcDb = undefined;
    await dropDatabase(adminUrl, name);
  });
  await import("~/utils/db.server");
} else {
  const { db } = await import("~/utils/db.server");
  const { migrateToLatest } = await import("../../db/migrate");
  const { seed } = await import("../../seeds/seed");
  await migrateToLatest(db);
  await seed(db);
}

export {};

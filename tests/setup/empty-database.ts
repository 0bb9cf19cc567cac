// An empty database of a test's own, for migration tests that replay an older release: in memory on SQLite, a
// fresh database on the PostgreSQL run (vitest.pg.config.ts sets LMC_PG_ADMIN_URL), destroyed and dropped after
// the file.
import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { type DB, createDatabase } from "~/utils/db.server";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function emptyDatabase(): Promise<DB> {
  const adminUrl = process.env.LMC_PG_ADMIN_URL;
  if (!adminUrl) {
    const db = createDatabase(":memory:");
    cleanups.push(() => db.destroy());
    return db;
  }
  const { adminQuery, databaseUrl, dropDatabase } = await import("../pg/databases");
  const name = `lmc_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const db = createDatabase(databaseUrl(adminUrl, name), { poolSize: 1 });
  cleanups.push(async () => {
    await db.destroy();
    await dropDatabase(adminUrl, name);
  });
  return db;
}

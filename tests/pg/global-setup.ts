// Global setup of the PostgreSQL run (vitest.pg.config.ts): one template database, migrated with the real
// migrations and seeded with the real seed, from which tests/setup/database.ts copies a fresh database for every
// test file (CREATE DATABASE … TEMPLATE, a file copy, far faster than migrating and seeding again).
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createDatabase } from "../../app/utils/db.server";
import { migrateToLatest } from "../../db/migrate";
import { seed } from "../../seeds/seed";
import { adminQuery, databaseUrl } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  // (The config's env reaches the workers, not this main process: here DATABASE_URL is still the cluster's.)
  const adminUrl = process.env.LMC_PG_ADMIN_URL || process.env.DATABASE_URL;
  if (!adminUrl) throw new Error("vitest.pg.config.ts needs DATABASE_URL (see tests/pg/with-postgres.sh)");
  const template = `lmc_tmpl_${randomBytes(4).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${template}`);
  const db = createDatabase(databaseUrl(adminUrl, template), { poolSize: 1 });
  try {
    await migrateToLatest(db);
    await seed(db);
  } finally {
    await db.destroy();
  }
  project.provide("pgTemplate", template);

  return async () => {
    // Per-file databases are dropped by their files; anything a crashed worker left behind goes here too.
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'lmc\\_test\\_%' OR datname = $1",
        [template],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}

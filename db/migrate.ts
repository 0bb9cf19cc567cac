// Runs the migrations in db/migrations. `npm run db:migrate` migrates the database named by DATABASE_URL (PostgreSQL)
// or else DATABASE_PATH (SQLite). With several app instances, run it once, before starting them.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), "migrations");

// Like Kysely's FileMigrationProvider, but the import happens in this module, so the same runner works under
// tsx (scripts) and vitest (tests), both of which load TypeScript.
export class DirectoryMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    for (const file of readdirSync(migrationsDir).sort()) {
      if (!/\.ts$/.test(file) || file.endsWith(".test.ts")) continue;
      migrations[file.replace(/\.ts$/, "")] = await import(pathToFileURL(join(migrationsDir, file)).href);
    }
    return migrations;
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new DirectoryMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { db } = await import("../app/utils/db.server");
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `migrated: ${applied.join(", ")}` : "database is up to date");
  await db.destroy();
}

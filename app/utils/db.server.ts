// The one Kysely instance of the app. Tests and scripts may open their own with createDatabase().
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { CompiledQuery, type Driver, Kysely, SqliteDialect, sql } from "kysely";
import type { Database } from "../../db/schema";
import { env } from "./env.server";

export type DB = Kysely<Database>;

export function createDatabase(path: string): DB {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets readers run beside the writer; the busy timeout makes concurrent writers wait instead of failing.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
}

/**
 * Transactions start with BEGIN IMMEDIATE: they take the write lock up front, waiting up to the busy timeout for
 * it. A plain (deferred) BEGIN reads first and asks for the write lock later; when another process (a second
 * instance, a script) wrote meanwhile, SQLite cannot upgrade the stale read and fails at once with "database is
 * locked" (SQLITE_BUSY_SNAPSHOT) without waiting. Within one process Kysely runs one transaction at a time anyway.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw("begin immediate"));
    };
    return driver;
  }
}

/** A query that needs the database to answer (for /healthz). */
export async function pingDatabase(database: DB): Promise<void> {
  await sql`select 1`.execute(database);
}

declare global {
  // eslint-disable-next-line no-var
  var __lmcDb: DB | undefined;
}

// Kept on globalThis so the dev server's module reloads do not open a new connection each time.
export const db: DB = (globalThis.__lmcDb ??= createDatabase(env.DATABASE_PATH));

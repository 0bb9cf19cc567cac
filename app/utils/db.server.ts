// The one Kysely instance of the app. Tests and scripts may open their own with createDatabase().
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
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
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

declare global {
  // eslint-disable-next-line no-var
  var __lmcDb: DB | undefined;
}

// Kept on globalThis so the dev server's module reloads do not open a new connection each time.
export const db: DB = (globalThis.__lmcDb ??= createDatabase(env.DATABASE_PATH));

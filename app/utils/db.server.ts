// The one Kysely instance of the app. Tests and scripts may open their own with createDatabase().
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Worker } from "node:worker_threads";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  type Driver,
  Kysely,
  type KyselyPlugin,
  PostgresDialect,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  SqliteDialect,
  type UnknownRow,
  sql,
} from "kysely";
import pg from "pg";
import type { Database } from "../../db/schema";
import { env } from "./env.server";

export type DB = Kysely<Database>;

/** True for a PostgreSQL connection string (DATABASE_URL); anything else is a SQLite file path or ":memory:". */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

// `pg` returns bigint (count(*), sum of integers) and numeric (sum of bigint) as strings, since they may exceed
// 2^53. Ours never do (counts, and money in fen), so they are parsed to numbers here, once, for the whole app —
// queries read the same JS numbers on PostgreSQL as on SQLite.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => (value === null ? null : Number(value));
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

/**
 * Counts the queries a database handle has answered, its transactions' included: how a long job (the spreadsheet
 * import's steps, activity-import/workflow.server.ts) tells whether others are using the database while it pauses.
 */
class QueryCounter implements KyselyPlugin {
  answered = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.answered++;
    return args.result;
  }
}

const counters = new WeakMap<object, QueryCounter>();

function counted(dialect: ConstructorParameters<typeof Kysely<Database>>[0]["dialect"]): DB {
  const counter = new QueryCounter();
  const database = new Kysely<Database>({ dialect, plugins: [counter] });
  counters.set(database, counter);
  return database;
}

/** How many queries `database` has answered so far (any caller's); null for a handle made elsewhere. */
export function queriesAnswered(database: DB): number | null {
  return counters.get(database)?.answered ?? null;
}

/** A database at `location`: a postgres:// URL (PostgreSQL), else a SQLite file path or ":memory:". */
export function createDatabase(location: string, options: { poolSize?: number } = {}): DB {
  if (isPostgresUrl(location)) {
    const pool = new pg.Pool({ connectionString: location, max: options.poolSize ?? 10, types: pgTypes });
    // An idle connection the server closes (a restart, a failover, an administrator) is dropped from the pool and
    // replaced on next use; without a listener, pg would throw the error and end the whole process.
    pool.on("error", (error) => console.error(`PostgreSQL connection lost: ${error.message}`));
    return counted(new PostgresDialect({ pool }));
  }
  const path = location;
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets readers run beside the writer; the busy timeout makes concurrent writers wait instead of failing.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  const checkpointer = path === ":memory:" ? null : startCheckpointer(sqlite, path);
  // Statistics the planner trusts as the ledger grows (the counting index beats the unit index only when SQLite
  // knows the table's size): refreshed where they are missing or stale, cheaply, as SQLite advises on opening.
  if (path !== ":memory:") sqlite.pragma("optimize=0x10002");
  // Kysely prepares every statement it runs; those marked with reusedStatement keep theirs (per connection)
  const kept = new Map<string, SQLite.Statement>();
  const database = {
    close: () => {
      checkpointer?.stop();
      sqlite.close();
    },
    prepare: (text: string) => {
      if (!reusedTexts.has(text)) return sqlite.prepare(text);
      let statement = kept.get(text);
      if (statement === undefined) kept.set(text, (statement = sqlite.prepare(text)));
      return statement;
    },
  };
  return counted(new ImmediateSqliteDialect({ database }));
}

const reusedTexts = new Set<string>();

/**
 * WAL checkpoints off the thread that answers requests. SQLite copies the write-ahead log into the database file
 * (a checkpoint, with an fsync) in the commit that finds the log past wal_autocheckpoint pages: every few commits
 * of a big import, and then that commit held the event loop for tens of milliseconds (the commits of a 10,000-row
 * import took 0.7–0.9 s, 0.2–0.3 s without them). A worker thread with its own connection runs a passive checkpoint
 * every CHECKPOINT_EVERY_MS instead; passive, it never waits for or holds up a reader or the writer. The app's
 * connection still checkpoints itself past CHECKPOINT_FALLBACK_PAGES, should the worker fall behind or be gone, and
 * the log file is cut back to JOURNAL_LIMIT_BYTES when it restarts.
 */
const CHECKPOINT_EVERY_MS = 200;
const CHECKPOINT_FALLBACK_PAGES = 10_000;
const JOURNAL_LIMIT_BYTES = 64 * 1024 * 1024;
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.path, { fileMustExist: true });
  db.pragma("synchronous = NORMAL");
} catch (error) {
  // nothing to wait for when the app closes
  Atomics.store(workerData.closed, 0, 1);
  throw error;
}
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch (error) { console.error("background checkpoint failed", error); }
}, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  try { db.close(); } finally { Atomics.store(workerData.closed, 0, 1); Atomics.notify(workerData.closed, 0); process.exit(0); }
});
`;

function startCheckpointer(sqlite: SQLite.Database, path: string): { stop(): void } | null {
  sqlite.pragma(`wal_autocheckpoint = ${CHECKPOINT_FALLBACK_PAGES}`);
  sqlite.pragma(`journal_size_limit = ${JOURNAL_LIMIT_BYTES}`);
  const closed = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker;
  try {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    worker = new Worker(CHECKPOINTER_SOURCE, { eval: true, workerData: { driver, path, everyMs: CHECKPOINT_EVERY_MS, closed } });
  } catch (error) {
    // the connection checkpoints itself, as SQLite does by default
    console.error("background checkpoints not started; the connection checkpoints itself", error);
    sqlite.pragma("wal_autocheckpoint = 1000");
    return null;
  }
  worker.unref();
  let running = true;
  worker.on("exit", () => (running = false));
  worker.on("error", (error) => {
    console.error("background checkpoints stopped; the connection checkpoints itself", error);
    if (sqlite.open) sqlite.pragma("wal_autocheckpoint = 1000");
  });
  return {
    // Its connection closed before the app's: the app's, the last, then checkpoints and removes the log as usual.
    stop() {
      if (!running) return;
      worker.postMessage("stop");
      if (Atomics.wait(closed, 0, 0, 2_000) === "timed-out") console.error("background checkpoints did not stop within 2 s; the log stays until the next open");
    },
  };
}

/**
 * Marks an SQL text whose prepared statement a SQLite connection keeps and runs again, instead of parsing it each
 * time: for the few texts run at every save whose parsing costs more than their running (the running totals'
 * upserts, app/models/activity-totals.server.ts). Returns the text. On PostgreSQL nothing changes.
 */
export function reusedStatement(text: string): string {
  reusedTexts.add(text);
  return text;
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
export const db: DB = (globalThis.__lmcDb ??= createDatabase(env.DATABASE_URL ?? env.DATABASE_PATH, { poolSize: env.DATABASE_POOL_SIZE }));

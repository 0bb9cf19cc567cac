// The few SQL spellings that must be written with both SQLite and PostgreSQL in mind, in one place.
import { type Kysely, PostgresAdapter, type RawBuilder, type Transaction, sql } from "kysely";

/** True when `db` talks to PostgreSQL (DATABASE_URL), false on SQLite. */
export function onPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * The LIKE pattern matching a materialised path's subtree ("/4/4.2/" → "/4/4.2/%") for a path column, e.g.
 * `eb("linked.path", "like", subtreeOf("node.path"))`. The '%' is an SQL literal: a bound parameter inside
 * concat() has no type PostgreSQL can infer ("could not determine data type of parameter $1").
 */
export function subtreeOf(pathColumn: string): RawBuilder<string> {
  return sql<string>`concat(${sql.ref(pathColumn)}, '%')`;
}

/**
 * Makes transactions taking the same lock run one after the other, across every app instance, until commit or
 * rollback: a PostgreSQL transaction-level advisory lock. On SQLite nothing is needed, since the one connection
 * of the process already runs transactions one at a time. Call it first thing inside `db.transaction()`.
 */
export async function lockUntilCommit(trx: Transaction<any>, lock: string, options: { shared?: boolean } = {}): Promise<void> {
  if (!onPostgres(trx)) return;
  // shared holders run side by side and wait only for an exclusive holder (and it for them)
  if (options.shared) await sql`select pg_advisory_xact_lock_shared(hashtext(${lock}))`.execute(trx);
  else await sql`select pg_advisory_xact_lock(hashtext(${lock}))`.execute(trx);
}

// Frozen: the running totals stored in the order a save writes them (docs/decisions/019-totals-kept-with-the-ledger.md,
// addendum of 2026-12-07, "a save's keys side by side"). One save adds to ~45 keys that share a status and a month
// and differ in unit, country and group; ordered by (unit, country, group, …) they lay one per page of the table,
// and every save dirtied ~45 pages. activity_totals' primary key becomes (organization_id, status, month, country,
// grp), a table clustered on it on SQLite (WITHOUT ROWID: the rows are the key's b-tree), so a save's keys of one
// unit sit together; the readers, which ask for a unit, groups, statuses and a country (or every country), read a
// second index in that order, which a save writes only for a key that is new (adding to an existing key changes
// only its sums).
// activity_type_totals' key becomes (organization_id, status, month, type): what its readers ask for, in order.
// The rows are copied in one INSERT … SELECT each (set-based: a sort of the table and a write of it).
import { type Kysely, PostgresAdapter, sql } from "kysely";

const SUMS = ["activities", "people", "delegations", "funding_fen"] as const;

async function recreate(
  db: Kysely<any>,
  table: string,
  keyColumns: readonly string[],
  primaryKey: readonly string[],
  constraint: string,
  clustered: boolean,
): Promise<void> {
  const onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const staging = `${table}_reordered`;
  let create = db.schema.createTable(staging);
  for (const c of keyColumns) create = create.addColumn(c, c === "organization_id" ? "integer" : "text", (col) => col.notNull());
  for (const c of SUMS) create = create.addColumn(c, "bigint", (col) => col.notNull());
  create = create.addPrimaryKeyConstraint(constraint, [...primaryKey] as never);
  if (clustered && !onPostgres) create = create.modifyEnd(sql`without rowid`);
  await create.execute();
  const columns = sql.join([...keyColumns, ...SUMS].map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(staging)} (${columns}) select ${columns} from ${sql.table(table)} order by ${sql.join(primaryKey.map((c) => sql.ref(c)))}`.execute(db);
  await db.schema.dropTable(table).execute();
  await db.schema.alterTable(staging).renameTo(table).execute();
}

const TOTALS_KEY = ["organization_id", "country", "grp", "status", "month"];
const TYPE_TOTALS_KEY = ["organization_id", "type", "status", "month"];

export async function up(db: Kysely<any>): Promise<void> {
  await recreate(db, "activity_totals", TOTALS_KEY, ["organization_id", "status", "month", "country", "grp"], "activity_totals_save_pk", true);
  // the readers' order: a unit, groups, statuses, then a country ('' = any, or every one of them: a range) and months
  await db.schema.createIndex("activity_totals_read_idx").on("activity_totals").columns(["organization_id", "grp", "status", "country", "month"]).execute();
  await recreate(db, "activity_type_totals", TYPE_TOTALS_KEY, ["organization_id", "status", "month", "type"], "activity_type_totals_save_pk", true);
  await sql`ANALYZE activity_totals`.execute(db);
  await sql`ANALYZE activity_type_totals`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("activity_totals_read_idx").execute();
  await recreate(db, "activity_totals", TOTALS_KEY, TOTALS_KEY, "activity_totals_pk", false);
  await recreate(db, "activity_type_totals", TYPE_TOTALS_KEY, TYPE_TOTALS_KEY, "activity_type_totals_pk", false);
}

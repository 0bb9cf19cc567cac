// Frozen: a version of the plan's shape (plan items, their priority areas, the units' tree), changed by the database
// itself on every write of those three tables, so the running totals (app/models/activity-totals.server.ts) can keep
// what they derive from that shape (each item's ancestors and areas, each unit's units above it) between saves and
// know, with one tiny read, when it is stale — in every app instance, whoever wrote the tables (the app, the seed,
// a hand-written SQL fix).
//
// The version is a random number, not a counter: a counter bumped in a transaction that is then rolled back would
// be bumped again to the same value by the next change, and a cache taken inside the rolled-back transaction would
// pass for current. (On SQLite, random() % 2^53 stays an exact JavaScript number.)
import { type Kysely, PostgresAdapter, sql } from "kysely";

const TABLES = ["plan_items", "plan_item_priority_areas", "organizations"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("plan_shape_version")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("version", "bigint", (c) => c.notNull())
    .execute();
  // random from the start too: two databases (a backup restored beside its original) never share a version
  const randomVersion = onPostgres ? sql`floor(random() * 9007199254740991)::bigint` : sql`random() % 9007199254740991`;
  await sql`insert into plan_shape_version (id, version) values (1, ${randomVersion})`.execute(db);
  if (onPostgres) {
    await sql`
      create function bump_plan_shape_version() returns trigger language plpgsql as $$
      begin
        update plan_shape_version set version = floor(random() * 9007199254740991)::bigint where id = 1;
        return null;
      end
      $$`.execute(db);
    for (const table of TABLES) {
      await sql`
        create trigger ${sql.raw(`${table}_shape_version`)}
        after insert or update or delete or truncate on ${sql.table(table)}
        for each statement execute function bump_plan_shape_version()`.execute(db);
    }
  } else {
    for (const table of TABLES) {
      for (const event of ["insert", "update", "delete"]) {
        await sql`
          create trigger ${sql.raw(`${table}_shape_version_${event}`)}
          after ${sql.raw(event)} on ${sql.table(table)}
          begin
            update plan_shape_version set version = random() % 9007199254740991 where id = 1;
          end`.execute(db);
      }
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const table of TABLES) {
    if (onPostgres) await sql`drop trigger ${sql.raw(`${table}_shape_version`)} on ${sql.table(table)}`.execute(db);
    else for (const event of ["insert", "update", "delete"]) await sql`drop trigger ${sql.raw(`${table}_shape_version_${event}`)}`.execute(db);
  }
  if (onPostgres) await sql`drop function bump_plan_shape_version()`.execute(db);
  await db.schema.dropTable("plan_shape_version").execute();
}

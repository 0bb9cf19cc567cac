// Frozen: the ledger's totals per activity type (docs/decisions/019-totals-kept-with-the-ledger.md), filled from the
// ledger as it stands, and an index for a unit's planned activities past their end date.
//
// activity_type_totals holds, per key, how many live activities (not in the recycle bin) there are and their
// people, delegations and funding: per lead unit (organization_id; 0 = every unit), activity type, status and month
// of the start date — what the indicators count (types × statuses over a unit's subtree, month by month), without
// the groups and countries of activity_totals, so it stays a few thousand rows for every unit together.
// app/models/activity-totals.server.ts keeps it with every write; this fills it once, in SQL.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("activity_type_totals")
    .addColumn("organization_id", "integer", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("activities", "bigint", (c) => c.notNull())
    .addColumn("people", "bigint", (c) => c.notNull())
    .addColumn("delegations", "bigint", (c) => c.notNull())
    .addColumn("funding_fen", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("activity_type_totals_pk", ["organization_id", "type", "status", "month"])
    .execute();
  const sums = sql`count(*), sum(coalesce(a.participants_count, 0)), sum(coalesce(a.delegations_count, 0)), sum(coalesce(a.funding_cny_fen, 0))`;
  await sql`
    insert into activity_type_totals (organization_id, type, status, month, activities, people, delegations, funding_fen)
    select 0, a.type, a.status, substr(a.start_date, 1, 7), ${sums}
      from activities a where a.deleted_at is null
     group by a.type, a.status, substr(a.start_date, 1, 7)`.execute(db);
  await sql`
    insert into activity_type_totals (organization_id, type, status, month, activities, people, delegations, funding_fen)
    select a.organization_id, a.type, a.status, substr(a.start_date, 1, 7), ${sums}
      from activities a where a.deleted_at is null
     group by a.organization_id, a.type, a.status, substr(a.start_date, 1, 7)`.execute(db);

  // a unit's planned activities past their end date (the unit's home, the rating proposals), read from the index
  await db.schema
    .createIndex("activities_org_status_end_idx")
    .on("activities")
    .columns(["organization_id", "status", "end_date", "deleted_at", "id"])
    .execute();
  await sql`ANALYZE activities`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("activities_org_status_end_idx").execute();
  await db.schema.dropTable("activity_type_totals").execute();
}

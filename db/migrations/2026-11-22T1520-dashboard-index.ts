// Frozen: dashboard index. The dashboards and a unit's pages narrow activities by unit (the unit's subtree, an
// IN list of organization ids), status (live: completed or ongoing) and start date (a period): with the three in
// one index, a filtered dashboard reads only the rows it counts instead of every activity of the unit. Unfiltered
// aggregates still scan the table, which is cheaper for most of the rows.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("activities_org_status_start_idx")
    .on("activities")
    .columns(["organization_id", "status", "start_date"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("activities_org_status_start_idx").execute();
}

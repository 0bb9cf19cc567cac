// Frozen: pairs of activities a reviewer judged not to be one event (app/domain/duplicates.ts finds the likely
// ones). A dismissed pair is never proposed again; the smaller activity id comes first.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("duplicate_dismissals")
    .addColumn("activity_id", "integer", (c) => c.notNull().references("activities.id"))
    .addColumn("other_activity_id", "integer", (c) => c.notNull().references("activities.id"))
    .addColumn("dismissed_by", "integer", (c) => c.references("users.id"))
    .addColumn("dismissed_at", "varchar(40)", (c) => c.notNull())
    .addPrimaryKeyConstraint("duplicate_dismissals_pk", ["activity_id", "other_activity_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("duplicate_dismissals").execute();
}

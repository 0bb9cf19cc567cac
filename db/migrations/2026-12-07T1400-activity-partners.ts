// Frozen: 配合单位, the Chinese units and departments that co-operate on an activity its lead unit (牵头单位, the
// activity's organization_id) logged. A partner is either a unit of our tree (organization_id) or a department
// named in words (name, e.g. 州商务局), never a foreign counterpart. Partners see the activity; every figure
// still counts it once, for its lead unit (docs/decisions/013-joint-activities.md).
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from "kysely";

let onPostgres = false;
const idColumn = (c: ColumnDefinitionBuilder) =>
  onPostgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

export async function up(db: Kysely<any>): Promise<void> {
  onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("activity_partners")
    .addColumn("id", "integer", idColumn)
    .addColumn("activity_id", "integer", (c) => c.notNull().references("activities.id"))
    .addColumn("organization_id", "integer", (c) => c.references("organizations.id"))
    .addColumn("name", "varchar(100)", (c) => c.notNull().defaultTo(""))
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("activity_partners_activity_idx").on("activity_partners").column("activity_id").execute();
  // "Activities our unit co-operates on": the partner unit's side of the link.
  await db.schema
    .createIndex("activity_partners_organization_idx")
    .on("activity_partners")
    .columns(["organization_id", "activity_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("activity_partners").execute();
}

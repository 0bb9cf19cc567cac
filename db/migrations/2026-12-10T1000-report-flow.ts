// Frozen: the report flow of issue #16.
// - period_reports.ready_at / ready_by: the reporter handed the draft (or the fixed returned report) to the unit's
//   leader (提交审签); cleared when the report is submitted, returned or reopened. Only such a report waits for
//   the leader's sign-off in the inbox.
// - period_reports.returned_items_json: the narratives as they stood when the report was last returned (or
//   reopened), a versioned format (app/schemas/returned-items.ts), so the reviewer can compare the resubmission
//   field by field with what was sent back.
// - report_reminders: a reviewer's 催报 of a unit for a period; shown in the unit's inbox while the report is late.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from "kysely";

let onPostgres = false;
const idColumn = (c: ColumnDefinitionBuilder) =>
  onPostgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

export async function up(db: Kysely<any>): Promise<void> {
  onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable("period_reports").addColumn("ready_at", "varchar(30)").execute();
  await db.schema.alterTable("period_reports").addColumn("ready_by", "integer", (c) => c.references("users.id")).execute();
  await db.schema.alterTable("period_reports").addColumn("returned_items_json", "text").execute();
  await db.schema
    .createTable("report_reminders")
    .addColumn("id", "integer", idColumn)
    .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("period_id", "integer", (c) => c.notNull().references("reporting_periods.id"))
    .addColumn("sent_at", "varchar(30)", (c) => c.notNull())
    .addColumn("sent_by", "integer", (c) => c.references("users.id"))
    .execute();
  await db.schema.createIndex("report_reminders_unit_period_idx").on("report_reminders").columns(["organization_id", "period_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("report_reminders").execute();
  await db.schema.alterTable("period_reports").dropColumn("returned_items_json").execute();
  await db.schema.alterTable("period_reports").dropColumn("ready_by").execute();
  await db.schema.alterTable("period_reports").dropColumn("ready_at").execute();
}

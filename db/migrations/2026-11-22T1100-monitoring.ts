// Frozen: reporting periods, unit period reports and their review, indicators, ratings.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from "kysely";

let onPostgres = false;
const idColumn = (c: ColumnDefinitionBuilder) =>
  onPostgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

export async function up(db: Kysely<any>): Promise<void> {
  onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable("reporting_periods")
    .addColumn("id", "integer", idColumn)
    .addColumn("code", "varchar(20)", (c) => c.notNull().unique())
    .addColumn("kind", "varchar(10)", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("start_date", "varchar(10)", (c) => c.notNull())
    .addColumn("end_date", "varchar(10)", (c) => c.notNull())
    .addColumn("due_date", "varchar(10)", (c) => c.notNull())
    .addColumn("closed_at", "varchar(30)")
    .addColumn("closed_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("period_reports")
    .addColumn("id", "integer", idColumn)
    .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("period_id", "integer", (c) => c.notNull().references("reporting_periods.id"))
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("first_submitted_at", "varchar(30)")
    .addColumn("submitted_at", "varchar(30)")
    .addColumn("submitted_by", "integer", (c) => c.references("users.id"))
    .addColumn("reviewed_at", "varchar(30)")
    .addColumn("reviewed_by", "integer", (c) => c.references("users.id"))
    .addColumn("return_reason", "text")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addUniqueConstraint("period_reports_org_period_uq", ["organization_id", "period_id"])
    .execute();

  await db.schema
    .createTable("report_items")
    .addColumn("id", "integer", idColumn)
    .addColumn("report_id", "integer", (c) => c.notNull().references("period_reports.id"))
    .addColumn("plan_item_id", "integer", (c) => c.notNull().references("plan_items.id"))
    .addColumn("progress", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("problems", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("next_steps", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("coordination", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("return_reason", "text")
    .addUniqueConstraint("report_items_report_item_uq", ["report_id", "plan_item_id"])
    .execute();

  await db.schema
    .createTable("report_commitments")
    .addColumn("id", "integer", idColumn)
    .addColumn("report_id", "integer", (c) => c.notNull().references("period_reports.id"))
    .addColumn("source_item_id", "integer", (c) => c.notNull().references("report_items.id"))
    .addColumn("outcome", "varchar(20)", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addUniqueConstraint("report_commitments_uq", ["report_id", "source_item_id"])
    .execute();

  await db.schema
    .createTable("report_snapshots")
    .addColumn("id", "integer", idColumn)
    .addColumn("report_id", "integer", (c) => c.notNull().references("period_reports.id"))
    .addColumn("approved_at", "varchar(30)", (c) => c.notNull())
    .addColumn("approved_by", "integer", (c) => c.references("users.id"))
    .addColumn("snapshot_json", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("report_snapshots_report_idx").on("report_snapshots").column("report_id").execute();

  await db.schema
    .createTable("indicators")
    .addColumn("id", "integer", idColumn)
    .addColumn("code", "varchar(40)", (c) => c.notNull().unique())
    .addColumn("plan_item_id", "integer", (c) => c.notNull().references("plan_items.id"))
    .addColumn("name_zh", "varchar(200)", (c) => c.notNull())
    .addColumn("name_en", "varchar(300)", (c) => c.notNull())
    .addColumn("unit", "varchar(10)", (c) => c.notNull())
    .addColumn("baseline_value", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("baseline_year", "integer", (c) => c.notNull())
    .addColumn("target_value", "double precision", (c) => c.notNull())
    .addColumn("direction", "varchar(4)", (c) => c.notNull())
    .addColumn("measure", "varchar(10)", (c) => c.notNull())
    .addColumn("source", "varchar(10)", (c) => c.notNull())
    .addColumn("computation", "varchar(30)")
    .addColumn("activity_type", "varchar(30)")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("indicator_period_targets")
    .addColumn("indicator_id", "integer", (c) => c.notNull().references("indicators.id"))
    .addColumn("period_id", "integer", (c) => c.notNull().references("reporting_periods.id"))
    .addColumn("target_value", "double precision", (c) => c.notNull())
    .addPrimaryKeyConstraint("indicator_period_targets_pk", ["indicator_id", "period_id"])
    .execute();

  await db.schema
    .createTable("indicator_values")
    .addColumn("id", "integer", idColumn)
    .addColumn("indicator_id", "integer", (c) => c.notNull().references("indicators.id"))
    .addColumn("period_id", "integer", (c) => c.notNull().references("reporting_periods.id"))
    .addColumn("organization_id", "integer", (c) => c.notNull().references("organizations.id"))
    .addColumn("value", "double precision", (c) => c.notNull())
    .addColumn("source_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("entered_by", "integer", (c) => c.references("users.id"))
    .addColumn("entered_at", "varchar(30)", (c) => c.notNull())
    .addUniqueConstraint("indicator_values_uq", ["indicator_id", "period_id", "organization_id"])
    .execute();

  await db.schema
    .createTable("plan_item_ratings")
    .addColumn("id", "integer", idColumn)
    .addColumn("period_id", "integer", (c) => c.notNull().references("reporting_periods.id"))
    .addColumn("plan_item_id", "integer", (c) => c.notNull().references("plan_items.id"))
    .addColumn("rating", "varchar(10)", (c) => c.notNull())
    .addColumn("proposed_rating", "varchar(10)", (c) => c.notNull())
    .addColumn("proposal_json", "text", (c) => c.notNull())
    .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("override_reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("rated_by", "integer", (c) => c.references("users.id"))
    .addColumn("rated_at", "varchar(30)", (c) => c.notNull())
    .addUniqueConstraint("plan_item_ratings_uq", ["period_id", "plan_item_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "plan_item_ratings",
    "indicator_values",
    "indicator_period_targets",
    "indicators",
    "report_snapshots",
    "report_commitments",
    "report_items",
    "period_reports",
    "reporting_periods",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

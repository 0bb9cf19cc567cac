// Frozen: evidence files (佐证材料) uploaded on an activity or on a unit's period report (docs/decisions/
// 016-evidence-files.md). The bytes live in the database — BLOB on SQLite, bytea on PostgreSQL — so every instance
// serves the same files and a backup holds them. They sit in a table of their own, read only by a download, so
// listing an activity's files never reads a byte of them. A removed file keeps its row (deleted_at) until it is
// restored from the recycle bin.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from "kysely";

let onPostgres = false;
const idColumn = (c: ColumnDefinitionBuilder) =>
  onPostgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

export async function up(db: Kysely<any>): Promise<void> {
  onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("evidence_files")
    .addColumn("id", "integer", idColumn)
    // exactly one of: the activity it documents, or the unit and period of the report it belongs to
    .addColumn("activity_id", "integer", (c) => c.references("activities.id"))
    .addColumn("organization_id", "integer", (c) => c.references("organizations.id"))
    .addColumn("period_id", "integer", (c) => c.references("reporting_periods.id"))
    .addColumn("name", "varchar(255)", (c) => c.notNull())
    .addColumn("content_type", "varchar(100)", (c) => c.notNull())
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    .addColumn("sha256", "varchar(64)", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("deleted_at", "varchar(30)")
    .addColumn("deleted_by", "integer", (c) => c.references("users.id"))
    .execute();
  await db.schema.createIndex("evidence_files_activity_idx").on("evidence_files").column("activity_id").execute();
  await db.schema.createIndex("evidence_files_report_idx").on("evidence_files").columns(["organization_id", "period_id"]).execute();
  await db.schema
    .createTable("evidence_file_contents")
    .addColumn("file_id", "integer", (c) => c.primaryKey().references("evidence_files.id"))
    .addColumn("bytes", onPostgres ? "bytea" : "blob", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("evidence_file_contents").execute();
  await db.schema.dropTable("evidence_files").execute();
}

// Frozen: spreadsheet import. An uploaded file is parsed once and kept (normalised rows as JSON) between the
// preview and the import; an activity remembers the fingerprint of the spreadsheet row it came from, so the
// same file imported twice is recognised instead of duplicated.
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from "kysely";

let onPostgres = false;
const idColumn = (c: ColumnDefinitionBuilder) =>
  onPostgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();

export async function up(db: Kysely<any>): Promise<void> {
  onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema.alterTable("activities").addColumn("import_fingerprint", "varchar(64)").execute();
  await db.schema
    .createIndex("activities_import_fingerprint_idx")
    .on("activities")
    .column("import_fingerprint")
    .execute();

  await db.schema
    .createTable("activity_imports")
    .addColumn("id", "integer", idColumn)
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("file_name", "varchar(255)", (c) => c.notNull())
    .addColumn("file_sha256", "varchar(64)", (c) => c.notNull())
    .addColumn("file_size_bytes", "integer", (c) => c.notNull())
    .addColumn("sheet_name", "varchar(100)", (c) => c.notNull())
    .addColumn("header_row", "integer", (c) => c.notNull())
    .addColumn("headers_json", "text", (c) => c.notNull())
    .addColumn("rows_json", "text", (c) => c.notNull())
    .addColumn("notes_json", "text", (c) => c.notNull())
    .addColumn("row_count", "integer", (c) => c.notNull())
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("result_json", "text")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .addColumn("imported_at", "varchar(30)")
    .execute();
  await db.schema.createIndex("activity_imports_user_idx").on("activity_imports").column("user_id").execute();
  await db.schema.createIndex("activity_imports_expires_idx").on("activity_imports").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("activity_imports").execute();
  await db.schema.dropIndex("activities_import_fingerprint_idx").execute();
  await db.schema.alterTable("activities").dropColumn("import_fingerprint").execute();
}

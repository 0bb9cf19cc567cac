// Frozen: a big import writes its activities in short transactions (docs/decisions/022-imports-staged-in-short-
// transactions.md). Until its last step they are staged: in the activities table, in the recycle bin's state
// (deleted_at set, so every reader of live activities already passes them by) and marked with the import's
// upload id, so the recycle bin, the detail page and restoring pass them by too. The last step clears both at once.
// One import runs at a time per database: a row of import_locks, renewed while the import works, so a crashed
// import's lock can be taken over (and its staged rows removed) by the next one.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("activities").addColumn("import_pending", "integer").execute();
  await db.schema.createIndex("activities_import_pending_idx").on("activities").column("import_pending").execute();
  await db.schema
    .createTable("import_locks")
    .addColumn("name", "varchar(50)", (c) => c.primaryKey())
    .addColumn("holder", "varchar(64)", (c) => c.notNull())
    .addColumn("upload_id", "integer", (c) => c.notNull())
    .addColumn("acquired_at", "varchar(30)", (c) => c.notNull())
    .addColumn("renewed_at", "varchar(30)", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("import_locks").execute();
  await db.schema.dropIndex("activities_import_pending_idx").execute();
  await db.schema.alterTable("activities").dropColumn("import_pending").execute();
}

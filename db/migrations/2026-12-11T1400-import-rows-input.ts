// Frozen: a preview keeps, per row the rules let through, the activity it parsed (the ActivityInput as JSON), so
// the import re-checks only what the database may have changed since instead of reading every row's values again
// (issue 18). Rows of previews stored before this migration have none: the import reads their values as before.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("import_rows").addColumn("input_json", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("import_rows").dropColumn("input_json").execute();
}

// Frozen: a spreadsheet import is a job read off the request thread, and its preview rows live in a table, one row
// per sheet row, paged and filtered by SQL instead of one JSON blob re-parsed per page view (issue 18).
// activity_imports gains the job's state and the uploaded bytes until they are read; previews stored before this
// migration move their rows_json into import_rows, and the column goes.
import { type Kysely, PostgresAdapter } from "kysely";

interface OldRow {
  row: number;
  raw: unknown[];
  values: Record<string, unknown>;
  parse: { errors: unknown[]; warnings: unknown[] };
  rules: { errors: unknown[]; warnings: unknown[] };
  outcome: string;
  fingerprint: string | null;
}

export async function up(db: Kysely<any>): Promise<void> {
  const onPostgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable("import_rows")
    .addColumn("import_id", "integer", (c) => c.notNull().references("activity_imports.id").onDelete("cascade"))
    // the row number Excel shows
    .addColumn("sheet_row", "integer", (c) => c.notNull())
    // what the filters ask: error (blocks the row), warning (imports or is skipped with a note), ok
    .addColumn("outcome", "varchar(10)", (c) => c.notNull())
    // ready / error / present / repeated / imported
    .addColumn("status", "varchar(10)", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("values_json", "text", (c) => c.notNull())
    .addColumn("messages_json", "text", (c) => c.notNull())
    .addColumn("raw_json", "text", (c) => c.notNull())
    .addColumn("fingerprint", "varchar(64)")
    .addPrimaryKeyConstraint("import_rows_pk", ["import_id", "sheet_row"])
    .execute();
  await db.schema.createIndex("import_rows_outcome_idx").on("import_rows").columns(["import_id", "outcome", "sheet_row"]).execute();

  await db.schema
    .alterTable("activity_imports")
    .addColumn("state", "varchar(10)", (c) => c.notNull().defaultTo("ready"))
    .execute();
  for (const [name, type] of [
    ["rows_read", "integer"],
    ["rows_estimate", "integer"],
    ["refusal_json", "text"],
    ["queued_at", "varchar(30)"],
    ["started_at", "varchar(30)"],
    ["finished_at", "varchar(30)"],
    ["heartbeat_at", "varchar(30)"],
    ["file_bytes", onPostgres ? "bytea" : "blob"],
  ] as const) {
    await db.schema.alterTable("activity_imports").addColumn(name, type).execute();
  }
  await db.updateTable("activity_imports").set({ state: "imported" }).where("status", "=", "imported").execute();
  await db.schema.createIndex("activity_imports_state_idx").on("activity_imports").columns(["state", "heartbeat_at"]).execute();

  // The previews already stored (at most a day's worth): their rows move into the table, a few hundred at a time.
  const old = await db.selectFrom("activity_imports").select(["id", "headers_json", "rows_json"]).execute();
  for (const upload of old) {
    const rows = JSON.parse(upload.rows_json as string) as OldRow[];
    const headers = (JSON.parse(upload.headers_json as string) as { headers: string[]; fields: Record<string, string> });
    const titleAt = headers.headers.indexOf(headers.fields.title ?? "");
    const values = rows.map((r) => {
      const errors = r.parse.errors.length + r.rules.errors.length;
      const warnings = r.parse.warnings.length + r.rules.warnings.length;
      const title = String(r.values.title ?? "").trim() || (titleAt >= 0 && r.raw[titleAt] != null ? String(r.raw[titleAt]) : "");
      return {
        import_id: upload.id,
        sheet_row: r.row,
        outcome: r.outcome === "error" || errors > 0 ? "error" : warnings > 0 ? "warning" : "ok",
        status: r.outcome,
        title,
        values_json: JSON.stringify(r.values),
        messages_json: JSON.stringify({ parse: r.parse, rules: r.rules }),
        raw_json: JSON.stringify(r.raw),
        fingerprint: r.fingerprint,
      };
    });
    for (let i = 0; i < values.length; i += 200) await db.insertInto("import_rows").values(values.slice(i, i + 200)).execute();
    await db.updateTable("activity_imports").set({ rows_read: rows.length, rows_estimate: rows.length }).where("id", "=", upload.id).execute();
  }
  await db.schema.alterTable("activity_imports").dropColumn("rows_json").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("activity_imports").addColumn("rows_json", "text", (c) => c.notNull().defaultTo("[]")).execute();
  await db.schema.dropIndex("activity_imports_state_idx").execute();
  for (const name of ["state", "rows_read", "rows_estimate", "refusal_json", "queued_at", "started_at", "finished_at", "heartbeat_at", "file_bytes"]) {
    await db.schema.alterTable("activity_imports").dropColumn(name).execute();
  }
  await db.schema.dropTable("import_rows").execute();
}

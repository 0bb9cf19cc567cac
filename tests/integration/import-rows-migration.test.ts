// Migration 2026-12-11T1100 on a database of the release before it: a preview kept as one JSON blob (rows_json)
// moves into import_rows, one row per sheet row with its outcome for the filters, and stays readable.
import { Migrator } from "kysely";
import { expect, it } from "vitest";
import { DirectoryMigrationProvider, migrateToLatest } from "../../db/migrate";
import { seed } from "../../seeds/seed";
import { emptyDatabase } from "../setup/empty-database";

const BEFORE = "2026-12-11T1000-activity-type-totals";

it("moves a stored preview's rows into import_rows with the outcome the filters ask", async () => {
  const db = await emptyDatabase();
  const { error } = await new Migrator({ db, provider: new DirectoryMigrationProvider() }).migrateTo(BEFORE);
  expect(error).toBeUndefined();
  // the plan, units and users, no activities: the seed writes activities as the latest release does
  await seed(db as never, { demo: false, demoUsers: true });
  const user = await db.selectFrom("users").select("id").where("username", "=", "xsbn").executeTakeFirstOrThrow();
  const message = (key: string) => ({ field: "title", column: "活动名称", key });
  const rows = [
    { row: 2, raw: ["交流一", "2025-01-02"], values: { title: "交流一" }, parse: { errors: [], warnings: [] }, rules: { errors: [], warnings: [] }, outcome: "ready", fingerprint: "a".repeat(64) },
    { row: 3, raw: ["", "2025-01-03"], values: { title: "" }, parse: { errors: [message("errors.required")], warnings: [] }, rules: { errors: [], warnings: [] }, outcome: "error", fingerprint: null },
    { row: 4, raw: ["交流一", "2025-01-02"], values: { title: "交流一" }, parse: { errors: [], warnings: [] }, rules: { errors: [], warnings: [message("imports.warn.repeated")] }, outcome: "repeated", fingerprint: "a".repeat(64) },
  ];
  const now = new Date().toISOString();
  await (db as any)
    .insertInto("activity_imports")
    .values({
      user_id: user.id, file_name: "旧预览.xlsx", file_sha256: "0".repeat(64), file_size_bytes: 100, sheet_name: "Sheet1", header_row: 1,
      headers_json: JSON.stringify({ headers: ["活动名称", "开始日期"], columnFields: [["title"], ["start_date"]], fields: { title: "活动名称", start_date: "开始日期" } }),
      rows_json: JSON.stringify(rows), notes_json: "[]", row_count: 3, status: "previewed", result_json: null, created_at: now,
      expires_at: new Date(Date.now() + 3600_000).toISOString(), imported_at: null,
    })
    .execute();

  await migrateToLatest(db);
  const upload = await db.selectFrom("activity_imports").select(["id", "state", "rows_read"]).executeTakeFirstOrThrow();
  expect(upload).toMatchObject({ state: "ready", rows_read: 3 });
  const stored = await db.selectFrom("import_rows").select(["sheet_row", "outcome", "status", "title"]).where("import_id", "=", upload.id).orderBy("sheet_row").execute();
  expect(stored).toEqual([
    { sheet_row: 2, outcome: "ok", status: "ready", title: "交流一" },
    { sheet_row: 3, outcome: "error", status: "error", title: "" },
    { sheet_row: 4, outcome: "warning", status: "repeated", title: "交流一" },
  ]);
});

// Uploaded spreadsheets between preview and import: a job read off the request thread, its rows one table row per
// sheet row, owned by the uploader, gone after a day.
import type { Transaction } from "kysely";
import type { ActivityImportTable, Database, ImportJobState, ImportRowTable } from "../../db/schema";
import { IMPORT_UPLOAD_TTL_HOURS } from "~/schemas/activity-import";
import type { DB } from "~/utils/db.server";

/** A job not finished whose runner has not said so for this long belongs to an instance that is gone. */
export const IMPORT_JOB_STALE_MS = 30_000;

export const UNFINISHED_STATES: ImportJobState[] = ["queued", "reading", "checking"];

export async function createUploadJob(
  db: DB,
  upload: Pick<ActivityImportTable, "user_id" | "file_name" | "file_sha256" | "file_size_bytes" | "file_bytes">,
  now = new Date(),
): Promise<number> {
  const expires = new Date(now.getTime() + IMPORT_UPLOAD_TTL_HOURS * 3600_000);
  const { id } = await db
    .insertInto("activity_imports")
    .values({
      ...upload,
      sheet_name: "",
      header_row: 0,
      headers_json: JSON.stringify({ headers: [], columnFields: [], fields: {} }),
      notes_json: "[]",
      row_count: 0,
      status: "previewed",
      state: "queued",
      rows_read: 0,
      result_json: null,
      created_at: now.toISOString(),
      queued_at: now.toISOString(),
      heartbeat_at: now.toISOString(),
      expires_at: expires.toISOString(),
      imported_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** The upload if it exists, has not expired, and belongs to the user; otherwise undefined (a 404 to the caller). */
export function getUploadOf(db: DB, userId: number, id: number, now = new Date()) {
  return db
    .selectFrom("activity_imports")
    .select([
      "id",
      "user_id",
      "file_name",
      "file_sha256",
      "file_size_bytes",
      "sheet_name",
      "header_row",
      "headers_json",
      "notes_json",
      "row_count",
      "status",
      "result_json",
      "created_at",
      "expires_at",
      "imported_at",
      "state",
      "rows_read",
      "rows_estimate",
      "refusal_json",
      "queued_at",
      "started_at",
      "finished_at",
      "heartbeat_at",
    ])
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("expires_at", ">", now.toISOString())
    .executeTakeFirst();
}

export type UploadRow = NonNullable<Awaited<ReturnType<typeof getUploadOf>>>;

/** The user's recent uploads, newest first, with their state: where a preview left behind is found again. */
export function listRecentUploads(db: DB, userId: number, limit = 10, now = new Date()) {
  return db
    .selectFrom("activity_imports")
    .select(["id", "file_name", "state", "row_count", "rows_read", "rows_estimate", "created_at", "imported_at"])
    .where("user_id", "=", userId)
    .where("expires_at", ">", now.toISOString())
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** The file of a job, read once by the instance that runs it, as the driver read it: not copied, it goes on to the worker. */
export async function takeUploadBytes(db: DB, id: number): Promise<Uint8Array | null> {
  const row = await db.selectFrom("activity_imports").select("file_bytes").where("id", "=", id).executeTakeFirst();
  return row?.file_bytes ?? null;
}

export async function updateUploadJob(
  db: DB,
  id: number,
  values: Partial<
    Pick<
      ActivityImportTable,
      | "state"
      | "rows_read"
      | "rows_estimate"
      | "refusal_json"
      | "started_at"
      | "finished_at"
      | "sheet_name"
      | "header_row"
      | "headers_json"
      | "notes_json"
      | "row_count"
      | "file_bytes"
    >
  >,
  now = new Date(),
): Promise<void> {
  await db
    .updateTable("activity_imports")
    .set({ ...values, heartbeat_at: now.toISOString() })
    .where("id", "=", id)
    .execute();
}

/** The runner is alive: its unfinished jobs say so. */
export async function touchUploadJobs(db: DB, ids: number[], now = new Date()): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("activity_imports")
    .set({ heartbeat_at: now.toISOString() })
    .where("id", "in", ids)
    .where("state", "in", UNFINISHED_STATES)
    .execute();
}

/**
 * Jobs left unfinished by an instance that stopped (a restart, a crash): failed, with a message the page
 * translates, and their bytes let go. Any instance may do this, since a live runner keeps its jobs' heartbeat fresh.
 */
export async function failStaleUploadJobs(db: DB, now = new Date()): Promise<number> {
  const result = await db
    .updateTable("activity_imports")
    .set({
      state: "failed",
      refusal_json: JSON.stringify({ key: "imports.job.interrupted" }),
      finished_at: now.toISOString(),
      file_bytes: null,
    })
    .where("state", "in", UNFINISHED_STATES)
    .where("heartbeat_at", "<", new Date(now.getTime() - IMPORT_JOB_STALE_MS).toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** An earlier upload of the same file by the same user that was imported: the preview says so. */
export function findImportedUploadOfFile(db: DB, userId: number, sha256: string, exceptId: number) {
  return db
    .selectFrom("activity_imports")
    .select(["id", "imported_at"])
    .where("user_id", "=", userId)
    .where("file_sha256", "=", sha256)
    .where("status", "=", "imported")
    .where("id", "!=", exceptId)
    .orderBy("id", "desc")
    .executeTakeFirst();
}

export async function saveImportResult(
  trx: Transaction<Database>,
  id: number,
  values: { result_json: string },
  now = new Date(),
): Promise<void> {
  await trx
    .updateTable("activity_imports")
    .set({ ...values, status: "imported", state: "imported", imported_at: now.toISOString() })
    .where("id", "=", id)
    .execute();
}

/** Removes expired uploads (anyone's) and their rows: they hold whole spreadsheets and nobody can open them any more. */
export async function pruneExpiredUploads(db: DB, now = new Date()): Promise<number> {
  const expired = db.selectFrom("activity_imports").select("id").where("expires_at", "<=", now.toISOString());
  await db.deleteFrom("import_rows").where("import_id", "in", expired).execute();
  const result = await db.deleteFrom("activity_imports").where("expires_at", "<=", now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---- the rows

export type NewImportRow = ImportRowTable;

export async function insertImportRows(trx: Transaction<Database>, rows: NewImportRow[]): Promise<void> {
  // ten columns a row, well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto("import_rows").values(rows.slice(i, i + 500)).execute();
}

export type ImportRowFilter = "all" | "problems" | "errors" | "warnings";

const OUTCOMES_OF: Record<ImportRowFilter, ImportRowTable["outcome"][] | null> = {
  all: null,
  problems: ["error", "warning"],
  errors: ["error"],
  warnings: ["warning"],
};

function filteredRows(db: DB, importId: number, filter: ImportRowFilter) {
  const outcomes = OUTCOMES_OF[filter];
  let query = db.selectFrom("import_rows").where("import_id", "=", importId);
  if (outcomes) query = query.where("outcome", "in", outcomes);
  return query;
}

/** How many rows of each outcome and status, in one grouped query. */
export function countImportRows(db: DB, importId: number) {
  return db
    .selectFrom("import_rows")
    .select(({ fn }) => ["outcome", "status", fn.countAll<number>().as("count")])
    .where("import_id", "=", importId)
    .groupBy(["outcome", "status"])
    .execute();
}

/** One page of an import's rows, in sheet order, read from the (import_id, outcome, sheet_row) index. */
export function listImportRowsPage(db: DB, importId: number, filter: ImportRowFilter, page: { limit: number; offset: number }) {
  return filteredRows(db, importId, filter)
    .select(["sheet_row", "outcome", "status", "title", "messages_json"])
    .orderBy("sheet_row")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** The next batch of rows after a sheet row (keyset): how the import and the failed-rows workbook walk them. */
export function listImportRowsAfter(
  db: DB,
  importId: number,
  filter: ImportRowFilter,
  afterRow: number,
  limit: number,
) {
  return filteredRows(db, importId, filter)
    .selectAll()
    .where("sheet_row", ">", afterRow)
    .orderBy("sheet_row")
    .limit(limit)
    .execute();
}

/** Every row of an import, read in batches. */
export async function* importRowBatches(db: DB, importId: number, filter: ImportRowFilter, size = 1000) {
  let after = 0;
  for (;;) {
    const batch = await listImportRowsAfter(db, importId, filter, after, size);
    if (batch.length === 0) return;
    yield batch;
    after = batch[batch.length - 1]!.sheet_row;
    if (batch.length < size) return;
  }
}

/** The rows of an import between two sheet rows that were ready at preview are imported (one UPDATE). */
export async function markReadyRowsImported(trx: Transaction<Database>, importId: number, fromRow: number, toRow: number): Promise<void> {
  await trx
    .updateTable("import_rows")
    .set({ status: "imported" })
    .where("import_id", "=", importId)
    .where("sheet_row", ">=", fromRow)
    .where("sheet_row", "<=", toRow)
    .where("status", "=", "ready")
    .execute();
}

/** The stored messages of some of an import's rows. */
export async function listImportRowMessages(trx: Transaction<Database>, importId: number, sheetRows: number[]) {
  const found: Pick<ImportRowTable, "sheet_row" | "messages_json">[] = [];
  for (let i = 0; i < sheetRows.length; i += 500) {
    found.push(
      ...(await trx
        .selectFrom("import_rows")
        .select(["sheet_row", "messages_json"])
        .where("import_id", "=", importId)
        .where("sheet_row", "in", sheetRows.slice(i, i + 500))
        .execute()),
    );
  }
  return found;
}

/** Rows the import found changed since the preview (now in the ledger, now refused): their outcome and messages. */
export async function updateImportRows(
  trx: Transaction<Database>,
  importId: number,
  rows: Pick<ImportRowTable, "sheet_row" | "outcome" | "status" | "messages_json">[],
): Promise<void> {
  for (const r of rows) {
    await trx
      .updateTable("import_rows")
      .set({ outcome: r.outcome, status: r.status, messages_json: r.messages_json })
      .where("import_id", "=", importId)
      .where("sheet_row", "=", r.sheet_row)
      .execute();
  }
}

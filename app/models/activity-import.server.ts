// Uploaded spreadsheets between preview and import: parsed once, owned by the uploader, gone after a day.
import type { ActivityImportTable } from "../../db/schema";
import { IMPORT_UPLOAD_TTL_HOURS } from "~/schemas/activity-import";
import type { DB } from "~/utils/db.server";

export type NewUpload = Pick<
  ActivityImportTable,
  | "user_id"
  | "file_name"
  | "file_sha256"
  | "file_size_bytes"
  | "sheet_name"
  | "header_row"
  | "headers_json"
  | "rows_json"
  | "notes_json"
  | "row_count"
>;

export async function createUpload(db: DB, upload: NewUpload, now = new Date()): Promise<number> {
  const expires = new Date(now.getTime() + IMPORT_UPLOAD_TTL_HOURS * 3600_000);
  const { id } = await db
    .insertInto("activity_imports")
    .values({
      ...upload,
      status: "previewed",
      result_json: null,
      created_at: now.toISOString(),
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
    .selectAll()
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("expires_at", ">", now.toISOString())
    .executeTakeFirst();
}

export type UploadRow = NonNullable<Awaited<ReturnType<typeof getUploadOf>>>;

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
  db: DB,
  id: number,
  values: { rows_json: string; result_json: string },
  now = new Date(),
): Promise<void> {
  await db
    .updateTable("activity_imports")
    .set({ ...values, status: "imported", imported_at: now.toISOString() })
    .where("id", "=", id)
    .execute();
}

/** Removes expired uploads (anyone's): they hold whole spreadsheets and nobody can open them any more. */
export async function pruneExpiredUploads(db: DB, now = new Date()): Promise<number> {
  const result = await db.deleteFrom("activity_imports").where("expires_at", "<=", now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

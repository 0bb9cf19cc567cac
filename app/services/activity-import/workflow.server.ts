// Spreadsheet import of activities: a hand-kept ledger in, a preview out, then one transaction. The steps, one file
// each in this folder: 1. the file itself (file-guard), 2. the sheet (workbook, sheet: header row, columns, rows,
// read as a stream), 3. the values, read the forgiving way (app/domain/values.ts, shared with the activity form;
// plan items and units in matchers), 4. a row (row: the activity form's values and what was found on the way),
// 5. the database's rules (rules), 6. upload, preview, import (here), 7. what the preview page shows (preview).
//
// 6. Upload, preview, import: the parsed rows wait in activity_imports; the import re-checks them against the
//    database inside its transaction.
import { createHash } from "node:crypto";
import {
  createUpload,
  findImportedUploadOfFile,
  getUploadOf,
  pruneExpiredUploads,
  saveImportResult,
  type UploadRow,
} from "~/models/activity-import.server";
import { insertActivitiesBatch } from "~/models/activity-batch.server";
import type { ImportField, ImportMode } from "~/schemas/activity-import";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";
import { lockUntilCommit } from "~/utils/sql-dialect.server";
import { waitForApprovals } from "~/services/freeze.server";
import type { Refusal } from "./file-guard.server";
import type { ImportResult } from "./preview-types";
import { loadMatchContext } from "./matchers.server";
import { type ImportRow, normalizeRow } from "./row.server";
import { applyRules } from "./rules.server";
import { type ColumnTarget, type SheetColumn, readSpreadsheet } from "./sheet.server";

export interface StoredHeaders {
  headers: string[];
  /** per column, the fields it fills (none for 序号, 备注 and unknown columns) */
  columnFields: ImportField[][];
  /** per field, the header of its column */
  fields: Partial<Record<ImportField, string>>;
}

function fieldsOfTarget(target: ColumnTarget): ImportField[] {
  if (target === "delegations_participants") return ["delegations_count", "participants_count"];
  if (target === "countries_counterpart") return ["countries", "counterpart_body"];
  return target ? [target] : [];
}

function fieldColumns(columns: SheetColumn[]): Partial<Record<ImportField, string>> {
  const fields: Partial<Record<ImportField, string>> = {};
  for (const c of columns) {
    if (c.target === "delegations_participants") {
      fields.delegations_count ??= c.header;
      fields.participants_count ??= c.header;
    } else if (c.target === "countries_counterpart") {
      fields.counterpart_body ??= c.header;
      fields.countries ??= c.header;
    } else if (c.target) fields[c.target] = c.header;
  }
  return fields;
}

export type UploadResult = { ok: true; id: number } | { ok: false; refusal: Refusal };

/** Reads an uploaded file, checks every row, and keeps the result for the preview. Writes no activity. */
export async function previewUpload(db: DB, user: SessionUser, file: { name: string; bytes: Buffer }): Promise<UploadResult> {
  await pruneExpiredUploads(db);
  const read = await readSpreadsheet(file.bytes);
  if (!read.ok) return read;
  const { sheet } = read;
  const ctx = await loadMatchContext(db, user);
  const rows = sheet.rows.map((r) => normalizeRow(ctx, sheet.columns, r));
  const fields = fieldColumns(sheet.columns);
  await applyRules(db, user, fields, rows);
  const headers: StoredHeaders = {
    headers: sheet.columns.map((c) => c.header),
    columnFields: sheet.columns.map((c) => fieldsOfTarget(c.target)),
    fields,
  };
  const id = await createUpload(db, {
    user_id: user.id,
    file_name: file.name.slice(0, 255),
    file_sha256: createHash("sha256").update(file.bytes).digest("hex"),
    file_size_bytes: file.bytes.length,
    sheet_name: sheet.sheetName.slice(0, 100),
    header_row: sheet.headerRow,
    headers_json: JSON.stringify(headers),
    rows_json: JSON.stringify(rows),
    notes_json: JSON.stringify(sheet.notes),
    row_count: rows.length,
  });
  return { ok: true, id };
}

export function uploadRows(upload: Pick<UploadRow, "rows_json">): ImportRow[] {
  return JSON.parse(upload.rows_json) as ImportRow[];
}
export function uploadHeaders(upload: Pick<UploadRow, "headers_json">): StoredHeaders {
  return JSON.parse(upload.headers_json) as StoredHeaders;
}

export type { ImportResult };

export type ImportOutcomeResult =
  | { status: "ok"; result: ImportResult }
  | { status: "not_found" }
  | { status: "has_errors"; errors: number }
  | { status: "failed" };

class HasErrors extends Error {
  constructor(readonly count: number) {
    super("has errors");
  }
}

/**
 * Imports an upload's rows: all of them (refused while any row has a blocking error) or only the valid ones.
 * The rows are checked again against the database and written in one transaction with their history entries;
 * any failure writes nothing.
 */
export async function importUpload(
  db: DB,
  user: SessionUser,
  uploadId: number,
  mode: ImportMode,
): Promise<ImportOutcomeResult> {
  const upload = await getUploadOf(db, user.id, uploadId);
  if (!upload) return { status: "not_found" };
  const { fields } = uploadHeaders(upload);
  const rows = uploadRows(upload);
  try {
    const result = await db.transaction().execute(async (trx) => {
      // Imports wait for each other, so one started at the same moment sees this one's rows as already present.
      await lockUntilCommit(trx, "activity-import");
      await waitForApprovals(trx);
      const inputs = await applyRules(trx, user, fields, rows);
      const errorRows = rows.filter((r) => r.outcome === "error").length;
      if (mode === "all" && errorRows > 0) throw new HasErrors(errorRows);
      const order = [...inputs.keys()].sort((a, b) => a - b);
      await insertActivitiesBatch(
        trx,
        order.map((i) => ({ input: inputs.get(i)!, fingerprint: rows[i]!.fingerprint })),
        user.id,
        { action: "activity.import" },
      );
      for (const i of order) rows[i]!.outcome = "imported";
      const result: ImportResult = {
        created: order.length,
        present: rows.filter((r) => r.outcome === "present").length,
        repeated: rows.filter((r) => r.outcome === "repeated").length,
        skippedErrors: errorRows,
      };
      await saveImportResult(trx, upload.id, { rows_json: JSON.stringify(rows), result_json: JSON.stringify(result) });
      return result;
    });
    return { status: "ok", result };
  } catch (error) {
    if (error instanceof HasErrors) return { status: "has_errors", errors: error.count };
    console.error("import failed; nothing was written", error);
    return { status: "failed" };
  }
}

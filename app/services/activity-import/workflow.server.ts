// 6. Upload, preview, import: the upload waits as a job (jobs.server.ts) whose checked rows fill import_rows; the
//    import re-checks them against the database inside its transaction.
import { createHash } from "node:crypto";
import {
  createUploadJob,
  getUploadOf,
  importRowBatches,
  pruneExpiredUploads,
  saveImportResult,
  setImportRowStatuses,
  updateImportRows,
  type UploadRow,
} from "~/models/activity-import.server";
import { insertActivitiesBatch } from "~/models/activity-batch.server";
import type { ImportMode } from "~/schemas/activity-import";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";
import { lockUntilCommit } from "~/utils/sql-dialect.server";
import { waitForApprovals } from "~/services/freeze.server";
import type { ImportResult } from "./preview-types";
import { submitImportJob } from "./jobs.server";
import type { StoredHeaders } from "./read-job.server";
import type { ImportRow } from "./row.server";
import { applyRules } from "./rules.server";
import { fromStoredRow, toStoredRow } from "./stored-rows.server";

export type { StoredHeaders };

/**
 * Keeps an uploaded file as a queued job and hands it to this instance's worker pool; answers at once. The job
 * reads and checks every row (the page shows how far it got); nothing is written to the ledger.
 */
export async function enqueueUpload(db: DB, user: SessionUser, file: { name: string; bytes: Buffer }): Promise<number> {
  await pruneExpiredUploads(db);
  const id = await createUploadJob(db, {
    user_id: user.id,
    file_name: file.name.slice(0, 255),
    file_sha256: createHash("sha256").update(file.bytes).digest("hex"),
    file_size_bytes: file.bytes.length,
    file_bytes: file.bytes,
  });
  submitImportJob(db, id, user);
  return id;
}

/** An upload's checked rows, in sheet order, read from import_rows in batches. */
export async function uploadRows(db: DB, uploadId: number): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  for await (const batch of importRowBatches(db, uploadId, "all")) for (const r of batch) rows.push(fromStoredRow(r));
  return rows;
}

export function uploadHeaders(upload: Pick<UploadRow, "headers_json">): StoredHeaders {
  return JSON.parse(upload.headers_json) as StoredHeaders;
}

export type { ImportResult };

export type ImportOutcomeResult =
  | { status: "ok"; result: ImportResult }
  | { status: "not_found" }
  | { status: "not_ready" }
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
  if (upload.state !== "ready" && upload.state !== "imported") return { status: "not_ready" };
  const headers = uploadHeaders(upload);
  const { fields } = headers;
  const rows = await uploadRows(db, upload.id);
  const previewed = rows.map((r) => r.outcome);
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
      // the rows the import imported, and the few it found changed since the preview (now in the ledger, now
      // refused by a report approved meanwhile), with their new messages
      await setImportRowStatuses(trx, upload.id, order.map((i) => rows[i]!.row), "imported");
      const changed = rows.filter((r, i) => r.outcome !== previewed[i] && r.outcome !== "imported");
      await updateImportRows(trx, upload.id, changed.map((r) => toStoredRow(upload.id, headers, r)));
      await saveImportResult(trx, upload.id, { result_json: JSON.stringify(result) });
      return result;
    });
    return { status: "ok", result };
  } catch (error) {
    if (error instanceof HasErrors) return { status: "has_errors", errors: error.count };
    console.error("import failed; nothing was written", error);
    return { status: "failed" };
  }
}

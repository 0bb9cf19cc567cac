// 7. What the preview page shows: the job's state while it runs, then the counts (one grouped query) and one page
//    of rows, filtered and paged by SQL.
import {
  type ImportRowFilter,
  type UploadRow,
  countImportRows,
  failStaleUploadJobs,
  findImportedUploadOfFile,
  getUploadOf,
  listImportRowsPage,
} from "~/models/activity-import.server";
import type { ImportMessage } from "~/schemas/activity-import";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";
import type { ImportJobView, ImportPreview, ImportResult, PreviewRow } from "./preview-types";
import type { StoredMessages } from "./stored-rows.server";
import { uploadHeaders } from "./workflow.server";

async function queuePosition(db: DB, upload: UploadRow): Promise<number> {
  const { count } = await db
    .selectFrom("activity_imports")
    .select(({ fn }) => fn.countAll<number>().as("count"))
    .where("state", "=", "queued")
    .where("id", "<=", upload.id)
    .executeTakeFirstOrThrow();
  return Math.max(1, Number(count));
}

export function jobView(upload: UploadRow, position: number | null): ImportJobView {
  return {
    id: upload.id,
    fileName: upload.file_name,
    state: upload.state,
    position,
    rowsRead: upload.rows_read ?? 0,
    rowsEstimate: upload.rows_estimate,
    refusal: upload.refusal_json ? (JSON.parse(upload.refusal_json) as ImportJobView["refusal"]) : null,
    queuedAt: upload.queued_at ?? upload.created_at,
  };
}

/** The upload's job as its page shows it; null when it is not the user's (or gone). */
export async function loadImportJob(db: DB, user: SessionUser, uploadId: number): Promise<ImportJobView | null> {
  await failStaleUploadJobs(db);
  const upload = await getUploadOf(db, user.id, uploadId);
  if (!upload) return null;
  return jobView(upload, upload.state === "queued" ? await queuePosition(db, upload) : null);
}

export async function loadPreview(
  db: DB,
  user: SessionUser,
  uploadId: number,
  options: { view: ImportRowFilter; page: number; pageSize: number },
): Promise<ImportPreview | null> {
  const upload = await getUploadOf(db, user.id, uploadId);
  if (!upload) return null;
  const { headers, columnFields } = uploadHeaders(upload);
  const counts = { total: 0, ready: 0, warned: 0, error: 0, present: 0, repeated: 0, imported: 0 };
  const byOutcome = { ok: 0, warning: 0, error: 0 };
  for (const c of await countImportRows(db, upload.id)) {
    const n = Number(c.count);
    counts.total += n;
    counts[c.status] += n;
    byOutcome[c.outcome] += n;
    if (c.status === "ready" && c.outcome === "warning") counts.warned += n;
  }
  const listedTotal =
    options.view === "all"
      ? counts.total
      : options.view === "errors"
        ? byOutcome.error
        : options.view === "warnings"
          ? byOutcome.warning
          : byOutcome.error + byOutcome.warning;
  const page = Math.max(1, Math.min(options.page, Math.ceil(listedTotal / options.pageSize) || 1));
  const rows = await listImportRowsPage(db, upload.id, options.view, { limit: options.pageSize, offset: (page - 1) * options.pageSize });
  const earlier = await findImportedUploadOfFile(db, user.id, upload.file_sha256, upload.id);
  return {
    upload: {
      id: upload.id,
      fileName: upload.file_name,
      sheetName: upload.sheet_name,
      headerRow: upload.header_row,
      status: upload.status,
      createdAt: upload.created_at,
      importedAt: upload.imported_at,
      result: upload.result_json ? (JSON.parse(upload.result_json) as ImportResult) : null,
      earlierImportAt: earlier?.imported_at ?? null,
    },
    columns: headers.map((header, i) => ({ header, fields: columnFields[i] ?? [] })),
    notes: JSON.parse(upload.notes_json) as ImportMessage[],
    counts,
    view: options.view,
    page,
    pageSize: options.pageSize,
    listedTotal,
    rows: rows.map((r): PreviewRow => {
      const m = JSON.parse(r.messages_json) as StoredMessages;
      return {
        row: r.sheet_row,
        title: r.title,
        outcome: r.status,
        errors: [...m.parse.errors, ...m.rules.errors],
        warnings: [...m.parse.warnings, ...m.rules.warnings],
      };
    }),
  };
}

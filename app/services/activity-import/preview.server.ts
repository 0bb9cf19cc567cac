// 7. What the preview page shows.
import { rawText } from "~/domain/values";
import { findImportedUploadOfFile, getUploadOf } from "~/models/activity-import.server";
import type { ImportMessage } from "~/schemas/activity-import";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";
import type { ImportPreview, ImportResult, PreviewRow } from "./preview-types";
import type { ImportRow } from "./row.server";
import { uploadHeaders, uploadRows } from "./workflow.server";

export async function loadPreview(
  db: DB,
  user: SessionUser,
  uploadId: number,
  options: { view: "problems" | "all"; page: number; pageSize: number },
): Promise<ImportPreview | null> {
  const upload = await getUploadOf(db, user.id, uploadId);
  if (!upload) return null;
  const rows = uploadRows(upload);
  const { headers, columnFields, fields } = uploadHeaders(upload);
  const counts = { total: rows.length, ready: 0, warned: 0, error: 0, present: 0, repeated: 0, imported: 0 };
  for (const r of rows) {
    counts[r.outcome]++;
    if (r.outcome === "ready" && r.parse.warnings.length + r.rules.warnings.length > 0) counts.warned++;
  }
  const problem = (r: ImportRow) =>
    (r.outcome !== "ready" && r.outcome !== "imported") || r.parse.warnings.length + r.rules.warnings.length > 0;
  const listed = options.view === "problems" ? rows.filter(problem) : rows;
  const page = Math.max(1, Math.min(options.page, Math.ceil(listed.length / options.pageSize) || 1));
  const slice = listed.slice((page - 1) * options.pageSize, page * options.pageSize);
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
    listedTotal: listed.length,
    rows: slice.map(
      (r): PreviewRow => ({
        row: r.row,
        title: String(r.values.title ?? "").trim() || rawText(r.raw[headers.indexOf(fields.title ?? "")] ?? null),
        outcome: r.outcome,
        errors: [...r.parse.errors, ...r.rules.errors],
        warnings: [...r.parse.warnings, ...r.rules.warnings],
      }),
    ),
  };
}


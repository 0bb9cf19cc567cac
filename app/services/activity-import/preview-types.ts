// What the preview page of an upload receives: plain types, so the page's component can name them without
// reaching into the server-only import service.
import type { ImportField, ImportMessage, ImportOutcome } from "~/schemas/activity-import";

export interface ImportResult {
  created: number;
  present: number;
  repeated: number;
  skippedErrors: number;
}

export interface PreviewRow {
  row: number;
  title: string;
  outcome: ImportOutcome;
  errors: ImportMessage[];
  warnings: ImportMessage[];
}

export interface ImportPreview {
  upload: {
    id: number;
    fileName: string;
    sheetName: string;
    headerRow: number;
    status: "previewed" | "imported";
    createdAt: string;
    importedAt: string | null;
    result: ImportResult | null;
    earlierImportAt: string | null;
  };
  columns: { header: string; fields: ImportField[] }[];
  notes: ImportMessage[];
  counts: Record<ImportOutcome | "total" | "warned", number>;
  view: "problems" | "errors" | "warnings" | "all";
  page: number;
  pageSize: number;
  listedTotal: number;
  rows: PreviewRow[];
}

/** An upload's job while it is read and checked, and after. */
export interface ImportJobView {
  id: number;
  fileName: string;
  state: "queued" | "reading" | "checking" | "ready" | "failed" | "imported";
  /** 1 for the next job to start, while queued */
  position: number | null;
  rowsRead: number;
  /** the data rows the sheet holds, once its header has been found */
  rowsEstimate: number | null;
  refusal: { key: string; params?: Record<string, string | number> } | null;
  queuedAt: string;
}

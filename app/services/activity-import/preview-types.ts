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
  view: "problems" | "all";
  page: number;
  pageSize: number;
  listedTotal: number;
  rows: PreviewRow[];
}

// What the spreadsheet import shares between the server and the preview page: the limits, the fields a column
// can map to, and how a stored message (an i18n key with parameters) becomes text in the reader's language.
import type { Locale, Translate } from "~/i18n";

/** The largest file accepted, in bytes (10 MB). */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
/** The most data rows one file may hold. */
export const IMPORT_MAX_ROWS = 50_000;
/** How long an upload waits between its preview and its import. */
export const IMPORT_UPLOAD_TTL_HOURS = 24;
/** Rows the preview lists per page. */
export const IMPORT_PREVIEW_PAGE_SIZE = 100;

/** The ledger fields a spreadsheet column can fill, in the template's order. Names are the activity form's. */
export const IMPORT_FIELDS = [
  "title",
  "type",
  "start_date",
  "end_date",
  "status",
  "primary_plan_item",
  "plan_items",
  "countries",
  "counterpart_body",
  "location",
  "delegations_count",
  "participants_count",
  "funding_wan",
  "funding_source",
  "outcome",
  "evidence",
  "organization",
  "partners",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** The i18n key of a field's name, as the activity form labels it. */
export function importFieldLabelKey(field: ImportField): string {
  return `activity.${field}`;
}

/** One finding about a row: where (the column as written in the file, or the field when the file has none). */
export interface ImportMessage {
  field: ImportField | null;
  /** the header as written in the file; null when the file has no such column */
  column: string | null;
  key: string;
  params?: Record<string, string | number>;
}

/**
 * ready: will be imported; error: blocked; present: already in the ledger (skipped); repeated: the same activity
 * as an earlier row of this file (skipped); imported: written by the import.
 */
export type ImportOutcome = "ready" | "error" | "present" | "repeated" | "imported";

export type ImportMode = "all" | "valid";

/**
 * A message in the reader's language. Parameters named `…_key` hold i18n keys (a type's or a status's label),
 * translated here; a pair `…_zh` / `…_en` (a unit's or plan item's name) gives the name in the reader's language.
 */
export function importMessageText(
  t: Translate,
  locale: Locale,
  message: Pick<ImportMessage, "key" | "params">,
): string {
  if (!message.params) return t(message.key);
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.params)) {
    if (name.endsWith("_key")) params[name.slice(0, -4)] = t(String(value));
    else if (name.endsWith("_zh")) params[name.slice(0, -3)] ??= value;
    else if (name.endsWith("_en")) {
      if (locale === "en" && value !== "") params[name.slice(0, -3)] = value;
    } else params[name] = value;
  }
  return t(message.key, params);
}

/** "开始日期：…" — the column as the file names it, else the field's name in the reader's language. */
export function importMessageWithColumn(t: Translate, locale: Locale, message: ImportMessage): string {
  const column = message.column ?? (message.field ? t(importFieldLabelKey(message.field)) : null);
  const text = importMessageText(t, locale, message);
  return column ? t("imports.message.with_column", { column, message: text }) : text;
}

// A checked row as the import_rows table keeps it, and back.
import type { ImportRowTable } from "../../../db/schema";
import { rawText } from "~/domain/values";
import type { ImportMessage } from "~/schemas/activity-import";
import type { StoredHeaders } from "./read-job.server";
import type { ImportRow } from "./row.server";

export interface StoredMessages {
  parse: { errors: ImportMessage[]; warnings: ImportMessage[] };
  rules: { errors: ImportMessage[]; warnings: ImportMessage[] };
}

/** What the preview's filters ask of a row: it blocks (error), it comes with a note (warning), or neither. */
export function rowOutcome(row: Pick<ImportRow, "outcome" | "parse" | "rules">): ImportRowTable["outcome"] {
  if (row.outcome === "error" || row.parse.errors.length + row.rules.errors.length > 0) return "error";
  return row.parse.warnings.length + row.rules.warnings.length > 0 ? "warning" : "ok";
}

export function toStoredRow(importId: number, headers: StoredHeaders, row: ImportRow): ImportRowTable {
  const titleAt = headers.headers.indexOf(headers.fields.title ?? "");
  const title = String(row.values.title ?? "").trim() || (titleAt >= 0 ? rawText(row.raw[titleAt] ?? null) : "");
  return {
    import_id: importId,
    sheet_row: row.row,
    outcome: rowOutcome(row),
    status: row.outcome,
    title: title.slice(0, 500),
    values_json: JSON.stringify(row.values),
    messages_json: JSON.stringify({ parse: row.parse, rules: row.rules } satisfies StoredMessages),
    raw_json: JSON.stringify(row.raw),
    fingerprint: row.fingerprint,
    // only a ready row's: the import takes it as checked, and re-checks what the database may have changed since
    input_json: row.outcome === "ready" && row.input ? JSON.stringify(row.input) : null,
  };
}

export function fromStoredRow(stored: ImportRowTable): ImportRow {
  const messages = JSON.parse(stored.messages_json) as StoredMessages;
  return {
    row: stored.sheet_row,
    raw: JSON.parse(stored.raw_json) as ImportRow["raw"],
    values: JSON.parse(stored.values_json) as ImportRow["values"],
    parse: messages.parse,
    rules: messages.rules,
    outcome: stored.status,
    fingerprint: stored.fingerprint,
  };
}

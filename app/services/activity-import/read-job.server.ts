// 6a. The job a worker thread runs (worker.server.ts): read the file, then normalise and check its rows a batch at
//     a time, handing each batch on as it is done. Plain work on data read beforehand from the database
//     (JobInput), so nothing here waits on, or blocks, the thread that answers requests.
import type { ImportRowTable } from "../../../db/schema";
import type { ImportField, ImportMessage } from "~/schemas/activity-import";
import type { Refusal } from "./file-guard.server";
import { type RuleData, RowChecker, markPresent } from "./check.server";
import { type MatchData, buildMatchContext } from "./matchers.server";
import { activityFingerprint, normalizeRow } from "./row.server";
import { type ColumnTarget, type SheetColumn, readSpreadsheet } from "./sheet.server";
import { toStoredRow } from "./stored-rows.server";

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

/** The ledger's activities in the uploader's units, as the rows' fingerprints are compared with them. */
export interface LedgerEntry {
  import_fingerprint: string | null;
  organization_id: number;
  title: string;
  start_date: string;
  type: string;
}

export interface JobInput {
  /** the upload's id: the rows come back as import_rows holds them */
  importId: number;
  bytes: Uint8Array;
  match: MatchData;
  rules: RuleData;
  user: { organization_path: string };
}

/**
 * What a row may already be: the fingerprints of the ledger's activities in the uploader's units (an imported one's
 * stored fingerprint, and every one's by unit, title, date and type). The thread that answers requests reads them a
 * page at a time and hands each on as it comes, so neither a big ledger's read nor its copy holds that thread long;
 * the rows are compared with them once the last page has come.
 */
export class LedgerFingerprints {
  private present = new Set<string>();
  private resolve!: (present: ReadonlySet<string>) => void;
  readonly complete = new Promise<ReadonlySet<string>>((resolve) => {
    this.resolve = resolve;
  });

  add(entries: LedgerEntry[]): void {
    for (const a of entries) {
      if (a.import_fingerprint) this.present.add(a.import_fingerprint);
      this.present.add(activityFingerprint(a.organization_id, a.title, a.start_date, a.type));
    }
  }

  end(): void {
    this.resolve(this.present);
  }
}

export type JobEvent =
  | { type: "reading" }
  | { type: "refused"; refusal: Refusal }
  | { type: "sheet"; sheetName: string; headerRow: number; headers: StoredHeaders; notes: ImportMessage[]; total: number }
  // as stored (their values, messages and cells as JSON): the thread that answers requests only writes them
  | { type: "rows"; rows: ImportRowTable[]; done: number };

export const JOB_BATCH_ROWS = 500;

/** Runs one job; `emit` may return a promise, and the next batch waits for it (the writer keeps pace). */
export async function readAndCheck(
  input: JobInput,
  ledger: Promise<ReadonlySet<string>>,
  emit: (event: JobEvent) => void | Promise<void>,
): Promise<void> {
  await emit({ type: "reading" });
  const read = await readSpreadsheet(Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength));
  if (!read.ok) {
    await emit({ type: "refused", refusal: read.refusal });
    return;
  }
  const { sheet } = read;
  const fields = fieldColumns(sheet.columns);
  const headers: StoredHeaders = {
    headers: sheet.columns.map((c) => c.header),
    columnFields: sheet.columns.map((c) => fieldsOfTarget(c.target)),
    fields,
  };
  await emit({ type: "sheet", sheetName: sheet.sheetName, headerRow: sheet.headerRow, headers, notes: sheet.notes, total: sheet.rows.length });
  const ctx = buildMatchContext(input.match);
  const checker = new RowChecker(input.rules, input.user, fields);
  const present = await ledger;
  const source = sheet.rows;
  for (let i = 0; i < source.length; i += JOB_BATCH_ROWS) {
    const rows = source.slice(i, i + JOB_BATCH_ROWS).map((r) => normalizeRow(ctx, sheet.columns, r));
    for (const row of rows) {
      checker.check(row);
      markPresent(row, present, fields);
    }
    // the sheet's own copy of these rows is no longer needed
    source.fill(undefined as never, i, i + JOB_BATCH_ROWS);
    await emit({ type: "rows", rows: rows.map((r) => toStoredRow(input.importId, headers, r)), done: Math.min(source.length, i + JOB_BATCH_ROWS) });
  }
}

// The workbooks of the import: the template to fill in (ledger columns, drop-down lists, 填写说明) and the failed
// rows of an upload (the file's own columns and an 错误说明 column) to fix and upload again. Both are made to be
// printed and reused: A4 landscape, frozen header repeated on every page, widths that fit Chinese text, and text
// written as text — never as a formula.
import ExcelJS from "exceljs";
import { type Locale, localName } from "~/i18n";
import { translator } from "~/i18n/translator.server";
import { listOrganizations } from "~/models/organization.server";
import { listPlanItems } from "~/models/plan-item.server";
import { type UploadRow, importRowBatches } from "~/models/activity-import.server";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES, isHttpUrl } from "~/schemas/activity";
import {
  IMPORT_FIELDS,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  type ImportField,
  importFieldLabelKey,
  importMessageWithColumn,
} from "~/schemas/activity-import";
import type { RawCell } from "~/domain/values";
import {
  type CellValue,
  type ColumnKind,
  bodyFont,
  cellStyle,
  columnWidths,
  displayWidth,
  fitRowHeights,
  fitWidthsToPage,
  fitsPageWidth,
  setPrintLayout,
  withDefaultFont,
} from "~/services/excel-format.server";
import { fromStoredRow } from "~/services/activity-import/stored-rows.server";
import { uploadHeaders } from "~/services/activity-import/workflow.server";
import { type SessionUser, withinUnit } from "~/utils/auth.server";
import { orderedCountries } from "~/utils/countries";
import type { DB } from "~/utils/db.server";
import { withSecurityHeaders } from "~/utils/security-headers.server";

/** Rows of the template that carry the drop-down lists. */
export const TEMPLATE_ROWS = 1000;

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * Each column of the template: how it is stored and shown (see excel-format's ColumnKind) and its width in
 * Excel's units. Seventeen columns share one A4 landscape width (about 149 units prints 10 pt text at 95%, 9.5 pt):
 * the name and the outcome get the room, dates keep theirs (a date too narrow shows as ###), the short fields
 * wrap their headers onto two lines. English headers have words too long for that (Delegations, Counterpart):
 * their columns widen, and the English template prints at 100% across two pages (pageWidths).
 */
const FIELD_COLUMN: Record<ImportField, { kind: ColumnKind; width: number }> = {
  title: { kind: "long", width: 17 },
  type: { kind: "text", width: 8 },
  start_date: { kind: "date", width: 11 },
  end_date: { kind: "date", width: 11 },
  status: { kind: "text", width: 6 },
  primary_plan_item: { kind: "text", width: 10 },
  plan_items: { kind: "text", width: 7 },
  countries: { kind: "text", width: 7 },
  counterpart_body: { kind: "text", width: 10 },
  location: { kind: "text", width: 7 },
  delegations_count: { kind: "int", width: 5 },
  participants_count: { kind: "int", width: 5 },
  funding_wan: { kind: "wan", width: 7 },
  funding_source: { kind: "text", width: 7 },
  outcome: { kind: "long", width: 13 },
  evidence: { kind: "text", width: 8 },
  organization: { kind: "text", width: 8 },
  partners: { kind: "text", width: 8 },
};
const REQUIRED: ImportField[] = ["title", "type", "start_date", "primary_plan_item"];

/** The width a header's longest Latin word needs to print on one line (a word would be broken, not wrapped). */
function headerWordWidth(header: string): number {
  return Math.max(0, ...(header.match(/[!-~]+/g) ?? []).map((word) => word.length + 2));
}

/**
 * Widths that print a sheet on one page width at 9 pt or more when they can: the text columns narrowed, but never
 * below their `minimums` nor their headers' longest Latin words (an English word would be broken, not wrapped).
 * When that does not fit, the columns keep their widths and the sheet prints at 100% across pages (printLayout).
 */
function pageWidths(preferred: number[], kinds: ColumnKind[], headers: string[], minimums: number[] = []): number[] {
  const floors = headers.map((header, i) => Math.max(headerWordWidth(header), minimums[i] ?? 0));
  const whole = preferred.map((width, i) => Math.max(width, floors[i]!));
  const fitted = fitWidthsToPage(whole, kinds, [], undefined, floors);
  return fitsPageWidth(fitted) ? fitted : whole;
}

/** The 错误说明 column of the failed rows is narrowed to fit the page down to this width, no further. */
const ERRORS_MIN_WIDTH = 24;
/** Text wider than this (Excel's units: twelve Chinese characters) is a name or a narrative, not a label. */
const LONG_TEXT = 24;

/** The header row of a sheet: the exports' header style (a cell written as text stays text). */
function styleHeader(row: ExcelJS.Row, locale: Locale) {
  row.eachCell((cell) => {
    cell.style = { ...cellStyle(locale, "text", "header"), numFmt: cell.numFmt };
  });
}

/** A text cell: the value as a string, formatted as text (so "4.2" stays 4.2 and "=…" is never a formula). */
function setText(cell: ExcelJS.Cell, text: string) {
  cell.value = text;
  cell.numFmt = "@";
}

// exceljs has worksheet.dataValidations (and the prompt-only type "any") at runtime but leaves them out of its types.
type ValidationRule = Omit<ExcelJS.DataValidation, "type" | "formulae"> & {
  type: ExcelJS.DataValidation["type"] | "any";
  formulae?: string[];
};
type ValidatedSheet = ExcelJS.Worksheet & { dataValidations: { add(range: string, rule: ValidationRule): void } };

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** The template in the user's language: one sheet to fill in, a 填写说明 sheet, and the hidden lists. */
export async function buildImportTemplate(db: DB, user: SessionUser, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const [planItems, organizations] = await Promise.all([listPlanItems(db), listOrganizations(db)]);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t("app.title");
  workbook.created = new Date();

  const sheet = workbook.addWorksheet(t("imports.template.sheet_data"), {
    views: [{ state: "frozen", ySplit: 1, xSplit: 0 }],
  }) as ValidatedSheet;
  const help = workbook.addWorksheet(t("imports.template.sheet_help"));
  const lists = workbook.addWorksheet(t("imports.template.sheet_lists"), { state: "hidden" });

  // The lists the drop-downs offer, one per column of the hidden sheet.
  const listColumns: { field: ImportField; values: string[] }[] = [
    { field: "type", values: ACTIVITY_TYPES.map((type) => t(`activity.type.${type}`)) },
    { field: "status", values: ACTIVITY_STATUSES.map((status) => t(`activity.status.${status}`)) },
    { field: "countries", values: orderedCountries(locale).map((c) => c.name) },
    {
      field: "primary_plan_item",
      values: planItems.filter((p) => p.loggable === 1).map((p) => `${p.code} ${localName(locale, p.title_zh, p.title_en)}`),
    },
    {
      field: "organization",
      values: organizations.filter((o) => withinUnit(user, o.path)).map((o) => localName(locale, o.name_zh, o.name_en)),
    },
  ];
  const listRange = new Map<ImportField, string>();
  listColumns.forEach((list, i) => {
    const column = lists.getColumn(i + 1);
    column.width = 40;
    setText(lists.getCell(1, i + 1), t(importFieldLabelKey(list.field)));
    list.values.forEach((value, r) => setText(lists.getCell(r + 2, i + 1), value));
    const letter = column.letter;
    listRange.set(list.field, `${quoteSheet(lists.name)}!$${letter}$2:$${letter}$${list.values.length + 1}`);
  });
  listRange.set("plan_items", listRange.get("primary_plan_item")!);

  // The sheet to fill in: the ledger's columns, typed so what people enter stays what they meant, in 10 pt text
  // that wraps, so that a filled-in row prints on one page width at 9 pt or more (FIELD_COLUMN, printLayout).
  const labels = IMPORT_FIELDS.map((field) => t(importFieldLabelKey(field)));
  const widths = pageWidths(
    IMPORT_FIELDS.map((field) => FIELD_COLUMN[field].width),
    IMPORT_FIELDS.map((field) => FIELD_COLUMN[field].kind),
    labels,
  );
  const font = bodyFont(locale);
  const header = sheet.getRow(1);
  IMPORT_FIELDS.forEach((field, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = widths[i];
    const kind = FIELD_COLUMN[field].kind;
    const numFmt = kind === "date" ? "yyyy-mm-dd" : kind === "int" ? "0" : kind === "wan" ? "0.00" : "@";
    const numeric = kind === "int" || kind === "wan";
    const horizontal = numeric ? "right" : kind === "date" ? "center" : "left";
    column.style = { font, numFmt, alignment: { vertical: "top", horizontal, wrapText: !numeric && kind !== "date" } };
    setText(header.getCell(i + 1), labels[i]!);
  });
  styleHeader(header, locale);
  fitRowHeights(sheet);
  const lastLetter = sheet.getColumn(IMPORT_FIELDS.length).letter;
  sheet.autoFilter = `A1:${lastLetter}1`;
  setPrintLayout(sheet, t, widths, "1:1", 1);

  // Drop-downs: type and status must come from the list; countries, plan items and units may be typed too
  // (several countries in one cell, a code without its title, a unit's short name).
  const strict = new Set<ImportField>(["type", "status"]);
  const offer = (field: ImportField, promptKey?: string) => {
    const letter = sheet.getColumn(IMPORT_FIELDS.indexOf(field) + 1).letter;
    sheet.dataValidations.add(`${letter}2:${letter}${TEMPLATE_ROWS + 1}`, {
      type: "list",
      allowBlank: true,
      formulae: [listRange.get(field)!],
      showErrorMessage: strict.has(field),
      errorStyle: "stop",
      errorTitle: t(importFieldLabelKey(field)),
      error: t("imports.template.choose_from_list"),
      showInputMessage: Boolean(promptKey),
      promptTitle: promptKey ? t(importFieldLabelKey(field)) : undefined,
      prompt: promptKey ? t(promptKey) : undefined,
    });
  };
  offer("type");
  offer("status");
  offer("countries", "imports.template.prompt.countries");
  offer("primary_plan_item");
  offer("plan_items", "imports.template.prompt.plan_items");
  offer("organization", "imports.template.prompt.organization");
  for (const field of ["start_date", "end_date"] as const) {
    const letter = sheet.getColumn(IMPORT_FIELDS.indexOf(field) + 1).letter;
    sheet.dataValidations.add(`${letter}2:${letter}${TEMPLATE_ROWS + 1}`, {
      type: "any",
      allowBlank: true,
      showInputMessage: true,
      promptTitle: t(importFieldLabelKey(field)),
      prompt: t("imports.template.prompt.date"),
    });
  }

  // 填写说明: what each column takes, with an example, then the rules of the import; 10 pt, on one page width
  const helpWidths = [16, 8, 80, 36];
  help.columns = helpWidths.map((width) => ({ width, style: { font, alignment: { vertical: "top", wrapText: true } } }));
  help.mergeCells("A1:D1");
  setText(help.getCell("A1"), t("imports.template.help_title"));
  help.getCell("A1").font = bodyFont(locale, { bold: true, size: 14 });
  const helpHeader = help.getRow(2);
  ["imports.template.help.column", "imports.template.help.required", "imports.template.help.how", "imports.template.help.example"].forEach(
    (key, i) => setText(helpHeader.getCell(i + 1), t(key)),
  );
  styleHeader(helpHeader, locale);
  IMPORT_FIELDS.forEach((field, i) => {
    const row = help.getRow(i + 3);
    setText(row.getCell(1), t(importFieldLabelKey(field)));
    setText(row.getCell(2), REQUIRED.includes(field) ? t("imports.template.help.yes") : t("imports.template.help.no"));
    setText(row.getCell(3), t(`imports.template.how.${field}`));
    setText(row.getCell(4), t(`imports.template.example.${field}`));
  });
  let r = IMPORT_FIELDS.length + 4;
  setText(help.getCell(r, 1), t("imports.template.rules_title"));
  help.getCell(r, 1).font = bodyFont(locale, { bold: true });
  for (const key of ["limits", "header", "blank", "duplicates", "preview", "failed"]) {
    r++;
    help.mergeCells(r, 1, r, 4);
    setText(help.getCell(r, 1), t(`imports.template.rule.${key}`, { max_mb: IMPORT_MAX_BYTES / 1024 / 1024, max_rows: IMPORT_MAX_ROWS.toLocaleString("en") }));
  }
  help.views = [{ state: "frozen", ySplit: 2 }];
  // every word of the instructions visible: rows as tall as their wrapped text, in Excel, WPS and LibreOffice
  fitRowHeights(help);
  setPrintLayout(help, t, helpWidths, "2:2");

  return withDefaultFont(Buffer.from(await workbook.xlsx.writeBuffer()));
}

function writeRaw(cell: ExcelJS.Cell, raw: RawCell) {
  if (raw === null) return;
  if (typeof raw === "string") return setText(cell, raw);
  if (typeof raw === "number" || typeof raw === "boolean") {
    cell.value = raw;
    return;
  }
  if ("d" in raw) {
    cell.value = new Date(raw.d);
    cell.numFmt = "yyyy-mm-dd";
    return;
  }
  if ("u" in raw) {
    // A link is kept as a link only when it is a web address; anything else is written as its text.
    if (isHttpUrl(raw.u)) cell.value = { text: raw.t || raw.u, hyperlink: raw.u };
    else setText(cell, raw.t);
    return;
  }
  setText(cell, raw.e);
}

/** The rows of an upload that cannot be imported, in the file's own columns, each with what to fix. */
export async function buildFailedRowsWorkbook(db: DB, upload: UploadRow, locale: Locale): Promise<{ buffer: Buffer; count: number }> {
  const t = translator(locale);
  const { headers } = uploadHeaders(upload);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t("app.title");
  const sheet = workbook.addWorksheet(t("imports.failed.sheet"), { views: [{ state: "frozen", ySplit: 1 }] });
  const errorsColumn = headers.length + 1;

  const header = sheet.getRow(1);
  headers.forEach((h, i) => setText(header.getCell(i + 1), h));
  setText(header.getCell(errorsColumn), t("imports.failed.errors_column"));
  styleHeader(header, locale);

  const font = bodyFont(locale);
  const errorFont = bodyFont(locale, { color: { argb: "FFB00020" } });
  const shown: CellValue[][] = [];
  let i = 0;
  // the failed rows, read from the preview's table a batch at a time
  for await (const batch of importRowBatches(db, upload.id, "errors")) for (const stored of batch) {
    const row = fromStoredRow(stored);
    const out = sheet.getRow(i + 2);
    i++;
    const values: CellValue[] = [];
    row.raw.forEach((raw, c) => {
      const cell = out.getCell(c + 1);
      writeRaw(cell, raw);
      cell.font = font;
      cell.alignment = { vertical: "top", wrapText: true };
      values.push(cell.value instanceof Date || typeof cell.value === "number" ? cell.value : cell.text);
    });
    const messages = [...row.parse.errors, ...row.rules.errors].map((m) => importMessageWithColumn(t, locale, m));
    const errors = out.getCell(errorsColumn);
    setText(errors, [t("imports.failed.row_prefix", { row: row.row }), ...messages].join("\n"));
    errors.font = errorFont;
    errors.alignment = { vertical: "top", wrapText: true };
    values[errorsColumn - 1] = String(errors.value);
    shown.push(values);
  }
  // The file's own columns, each as wide as its header and values ask within its kind's limits (a column with a
  // date keeps a date's width), then narrowed to print on one page width (pageWidths): the two columns with the
  // longest text (the name, a narrative) keep more room than the short labels, the 错误说明 — what the file comes
  // back for — no less than ERRORS_MIN_WIDTH. A file too wide even so prints at 100% across pages, a row's pieces
  // on consecutive pages, each with the file's first column (printLayout).
  const longest = headers.map((_, c) => Math.max(0, ...shown.map((v) => (typeof v[c] === "string" ? displayWidth(v[c]) : 0))));
  const narratives = new Set(
    longest
      .map((width, c) => ({ width, c }))
      .filter(({ width }) => width > LONG_TEXT)
      .sort((a, b) => b.width - a.width)
      .slice(0, 2)
      .map(({ c }) => c),
  );
  const kindOf = (c: number): ColumnKind => {
    if (c === errorsColumn - 1) return "long";
    const values = shown.map((v) => v[c]).filter((v) => v !== undefined && v !== null && v !== "");
    if (values.some((v) => v instanceof Date)) return "date";
    if (values.length > 0 && values.every((v) => typeof v === "number")) return "number";
    return narratives.has(c) ? "long" : "text";
  };
  const columns = [...headers, t("imports.failed.errors_column")].map((header, c) => {
    const kind = kindOf(c);
    // dates are written as 2024-03-05
    return { header, kind, max: kind === "date" ? 12 : undefined };
  });
  const widths = pageWidths(
    columnWidths(columns, shown.map((values) => ({ values })), locale, Infinity),
    columns.map((c) => c.kind),
    columns.map((c) => c.header),
    columns.map((_, c) => (c === errorsColumn - 1 ? ERRORS_MIN_WIDTH : 0)),
  );
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  fitRowHeights(sheet);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: errorsColumn } };
  setPrintLayout(sheet, t, widths, "1:1", 1);
  return { buffer: await withDefaultFont(Buffer.from(await workbook.xlsx.writeBuffer())), count: i };
}

/** A download: the readable name for browsers that take one, an ASCII fallback for those that do not. */
export function xlsxDownload(buffer: Buffer, fileName: string): Response {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return withSecurityHeaders(new Response(new Uint8Array(buffer), {
    status: 200,
    headers: {
      "Content-Type": XLSX_TYPE,
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "Content-Length": String(buffer.length),
      "Cache-Control": "private, no-store",
    },
  }));
}

export function templateFileName(locale: Locale): string {
  return `${translator(locale)("imports.template.file_name")}.xlsx`;
}

export function failedRowsFileName(upload: Pick<UploadRow, "file_name">, locale: Locale): string {
  const base = upload.file_name.replace(/\.[^.]+$/, "") || "import";
  return `${base}_${translator(locale)("imports.failed.file_suffix")}.xlsx`;
}

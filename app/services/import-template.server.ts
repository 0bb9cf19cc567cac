// The workbooks of the import: the template to fill in (ledger columns, drop-down lists, 填写说明) and the failed
// rows of an upload (the file's own columns and an 错误说明 column) to fix and upload again. Both are made to be
// printed and reused: A4 landscape, frozen header repeated on every page, widths that fit Chinese text, and text
// written as text — never as a formula.
import ExcelJS from "exceljs";
import { type Locale, type Translate, localName, translator } from "~/i18n";
import { listOrganizations } from "~/models/organization.server";
import { listPlanItems } from "~/models/plan-item.server";
import type { UploadRow } from "~/models/activity-import.server";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES, isHttpUrl } from "~/schemas/activity";
import {
  IMPORT_FIELDS,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  type ImportField,
  importFieldLabelKey,
  importMessageWithColumn,
} from "~/schemas/activity-import";
import type { RawCell } from "~/services/activity-import.server";
import { displayWidth, fitRowHeights } from "~/services/excel-format.server";
import { uploadHeaders, uploadRows } from "~/services/activity-import.server";
import { type SessionUser, withinUnit } from "~/utils/auth.server";
import { orderedCountries } from "~/utils/countries";
import type { DB } from "~/utils/db.server";
import { withSecurityHeaders } from "~/utils/security-headers.server";

/** Rows of the template that carry the drop-down lists. */
export const TEMPLATE_ROWS = 1000;

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const FIELD_WIDTH: Record<ImportField, number> = {
  title: 36,
  type: 16,
  start_date: 13,
  end_date: 13,
  status: 10,
  primary_plan_item: 26,
  plan_items: 22,
  countries: 16,
  counterpart_body: 24,
  location: 16,
  delegations_count: 10,
  participants_count: 10,
  funding_wan: 13,
  funding_source: 16,
  outcome: 36,
  evidence: 30,
  organization: 24,
};
const REQUIRED: ImportField[] = ["title", "type", "start_date", "primary_plan_item"];


function printSetup(sheet: ExcelJS.Worksheet, t: Translate, headerRows = "1:1") {
  sheet.pageSetup = {
    ...sheet.pageSetup,
    paperSize: 9, // A4
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: headerRows,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  sheet.headerFooter = { oddFooter: t("imports.workbook.page_footer") };
}

function styleHeader(row: ExcelJS.Row) {
  row.font = { bold: true };
  row.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
  row.height = 30;
  row.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF4" } };
    cell.border = { bottom: { style: "thin", color: { argb: "FF8899AA" } } };
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

  // The sheet to fill in: the ledger's columns, typed so what people enter stays what they meant.
  const header = sheet.getRow(1);
  IMPORT_FIELDS.forEach((field, i) => {
    const label = t(importFieldLabelKey(field));
    setText(header.getCell(i + 1), label);
    const column = sheet.getColumn(i + 1);
    column.width = Math.max(FIELD_WIDTH[field], displayWidth(label) + 2);
    if (field === "start_date" || field === "end_date") column.numFmt = "yyyy-mm-dd";
    else if (field === "delegations_count" || field === "participants_count") column.numFmt = "0";
    else if (field === "funding_wan") column.numFmt = "0.00";
    else column.numFmt = "@";
    column.alignment = { vertical: "top", wrapText: field === "title" || field === "outcome" || field === "counterpart_body" };
  });
  styleHeader(header);
  const lastLetter = sheet.getColumn(IMPORT_FIELDS.length).letter;
  sheet.autoFilter = `A1:${lastLetter}1`;
  printSetup(sheet, t);

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

  // 填写说明: what each column takes, with an example, then the rules of the import.
  help.columns = [
    { key: "column", width: 18 },
    { key: "required", width: 10 },
    { key: "how", width: 70 },
    { key: "example", width: 34 },
  ];
  help.mergeCells("A1:D1");
  setText(help.getCell("A1"), t("imports.template.help_title"));
  help.getCell("A1").font = { bold: true, size: 14 };
  help.getRow(1).height = 26;
  const helpHeader = help.getRow(2);
  ["imports.template.help.column", "imports.template.help.required", "imports.template.help.how", "imports.template.help.example"].forEach(
    (key, i) => setText(helpHeader.getCell(i + 1), t(key)),
  );
  styleHeader(helpHeader);
  IMPORT_FIELDS.forEach((field, i) => {
    const row = help.getRow(i + 3);
    setText(row.getCell(1), t(importFieldLabelKey(field)));
    setText(row.getCell(2), REQUIRED.includes(field) ? t("imports.template.help.yes") : t("imports.template.help.no"));
    setText(row.getCell(3), t(`imports.template.how.${field}`));
    setText(row.getCell(4), t(`imports.template.example.${field}`));
    row.alignment = { vertical: "top", wrapText: true };
  });
  let r = IMPORT_FIELDS.length + 4;
  setText(help.getCell(r, 1), t("imports.template.rules_title"));
  help.getCell(r, 1).font = { bold: true };
  for (const key of ["limits", "header", "blank", "duplicates", "preview", "failed"]) {
    r++;
    help.mergeCells(r, 1, r, 4);
    setText(help.getCell(r, 1), t(`imports.template.rule.${key}`, { max_mb: IMPORT_MAX_BYTES / 1024 / 1024, max_rows: IMPORT_MAX_ROWS.toLocaleString("en") }));
    help.getCell(r, 1).alignment = { wrapText: true, vertical: "top" };
    help.getRow(r).height = 32;
  }
  help.views = [{ state: "frozen", ySplit: 2 }];
  // every word of the instructions visible: rows as tall as their wrapped text, in Excel, WPS and LibreOffice
  fitRowHeights(help);
  printSetup(help, t, "2:2");

  return Buffer.from(await workbook.xlsx.writeBuffer());
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
export async function buildFailedRowsWorkbook(upload: UploadRow, locale: Locale): Promise<{ buffer: Buffer; count: number }> {
  const t = translator(locale);
  const { headers } = uploadHeaders(upload);
  const failed = uploadRows(upload).filter((r) => r.outcome === "error");
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t("app.title");
  const sheet = workbook.addWorksheet(t("imports.failed.sheet"), { views: [{ state: "frozen", ySplit: 1 }] });
  const errorsColumn = headers.length + 1;

  const header = sheet.getRow(1);
  headers.forEach((h, i) => setText(header.getCell(i + 1), h));
  setText(header.getCell(errorsColumn), t("imports.failed.errors_column"));
  styleHeader(header);

  const widths = [...headers.map((h) => Math.min(40, Math.max(10, displayWidth(h) + 2))), 60];
  failed.forEach((row, i) => {
    const out = sheet.getRow(i + 2);
    row.raw.forEach((raw, c) => {
      writeRaw(out.getCell(c + 1), raw);
      widths[c] = Math.min(40, Math.max(widths[c]!, displayWidth(String(out.getCell(c + 1).text ?? "")) + 2));
    });
    const messages = [...row.parse.errors, ...row.rules.errors].map((m) => importMessageWithColumn(t, locale, m));
    setText(out.getCell(errorsColumn), [t("imports.failed.row_prefix", { row: row.row }), ...messages].join("\n"));
    out.getCell(errorsColumn).font = { color: { argb: "FFB00020" } };
    out.alignment = { vertical: "top", wrapText: true };
  });
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  fitRowHeights(sheet);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: errorsColumn } };
  printSetup(sheet, t);
  return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), count: failed.length };
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

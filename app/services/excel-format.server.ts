// What every spreadsheet the tracker hands out has in common, so that each one prints and gets reused the way
// officials use them: a merged title block, a frozen header row with an autofilter, widths that fit Chinese text,
// wrapped cells, A4 landscape fitted to the page width with the header row repeated and page numbers in the
// footer; numbers stored as numbers, dates as dates, money in 万元 with two decimals. Text that a spreadsheet
// would take for a formula (= + - @, tab, CR at the start) is always written as text.
//
// Workbooks are written with exceljs's streaming WorkbookWriter into a PassThrough that becomes the Response
// body: rows are committed as they are written and the writer waits for the reader, so an export of 100,000
// activities never holds its rows or the workbook in memory. CSV is produced the same way, pulled chunk by chunk.
import { once } from "node:events";
import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, json } from "@remix-run/node";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import type { Locale, Translate } from "~/i18n";
import { FEN_PER_WAN, fenToWanFixed2 } from "~/utils/money";
import { withSecurityHeaders } from "~/utils/security-headers.server";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";
/** Rows held back at the start of a sheet to measure its columns. */
const MEASURED_ROWS = 2000;
/**
 * Activities read from the database per query. A batch stays alive while its rows are written: at 2,000 rows it
 * outlives two young-generation collections, so V8 moves every batch to the old generation, which fills with dead
 * rows until a full collection (the 100,000-row 工作台账 promoted 187 MB at 2,000 rows a query, 90 MB at 500).
 */
export const READ_BATCH = 500;

// ── cell values ─────────────────────────────────────────────────────────────────────────────────

/** A link cell: the text shown, and the web address it opens (only http(s) addresses are made links). */
export interface LinkValue {
  text: string;
  hyperlink: string;
}

export type CellValue = string | number | Date | LinkValue | null | undefined;

/** A web address a spreadsheet may open: http or https only (a javascript: or file: link is written as text). */
export function isWebLink(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url.trim());
}

/**
 * How a column's values are stored and shown. serial: 序号; text: short text; long: narratives (wider, wrapped);
 * int: counts; number: values as they are; wan: money in 万元 (pass the number of 万元); date: a Date;
 * percent: a fraction (0.5 shows as 50.0%).
 */
export type ColumnKind = "serial" | "text" | "long" | "int" | "number" | "wan" | "date" | "percent";

export const NUMBER_FORMATS = {
  serial: "0",
  int: "#,##0",
  wan: "#,##0.00",
  percent: "0.0%",
  /** Excel's Text format: what is typed into the cell later stays text too */
  text: "@",
} as const;

export function dateFormat(locale: Locale): string {
  return locale === "en" ? "d mmm yyyy" : 'yyyy"年"m"月"d"日"';
}

/** A date cell whose displayed text starts with a label: the value stays a real date. */
export function labelledDateFormat(label: string, locale: Locale): string {
  return `"${label.replace(/"/g, "")}"${dateFormat(locale)}`;
}

/** "2023-08-08" → the Date of that day at 00:00 UTC, which exceljs stores as the whole Excel serial day. */
export function excelDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  // a ledger has a few thousand distinct days over 100,000 rows: each is parsed once (cells only read the Date)
  let date = dates.get(iso);
  if (date === undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    if (dates.size > 50_000) dates.clear();
    dates.set(iso, date);
  }
  return date;
}

const dates = new Map<string, Date | null>();

/** Money held in fen, as the number of 万元 a 万元 cell stores. */
export function fenToWan(fen: number | null | undefined): number | null {
  return fen === null || fen === undefined ? null : fen / FEN_PER_WAN;
}

// Spreadsheet injection: Excel, LibreOffice and WPS start a formula at = + - @ (and a leading tab or CR is
// used to hide one); the full-width forms are converted by Chinese input methods.
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export function startsLikeFormula(text: string): boolean {
  const c = text.charCodeAt(0);
  // a quick no for the usual first characters (letters, digits, Chinese) before the exact test
  return (c < 0x41 || c > 0xff00) && FORMULA_START.test(text);
}

// Characters XML 1.0 cannot carry: one of them would make the whole file unreadable.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
/** Excel's limit on the text of one cell. */
export const MAX_CELL_TEXT = 32_767;

const NEEDS_CLEANING = /[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]/;

/** Text as a cell can hold it: no characters XML refuses, line ends as \n (a leading CR is kept), at most 32,767. */
export function cellText(text: string): string {
  if (text.length <= MAX_CELL_TEXT && !NEEDS_CLEANING.test(text)) return text;
  let clean = text.replace(XML_INVALID, "").replace(/\r\n?/g, (m, offset: number) => (offset === 0 ? m : "\n"));
  if (clean.length > MAX_CELL_TEXT) clean = `${clean.slice(0, MAX_CELL_TEXT - 1)}…`;
  return clean;
}

/** t(prefix + value) remembered per value: the labels of types and statuses, looked up once per export. */
export function labels(t: Translate, prefix: string): (value: string) => string {
  const cache = new Map<string, string>();
  return (value) => {
    let label = cache.get(value);
    if (label === undefined) cache.set(value, (label = t(`${prefix}${value}`)));
    return label;
  };
}

// ── widths ──────────────────────────────────────────────────────────────────────────────────────

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** The width of the longest line in Excel's units (the width of a "0"): a Chinese character counts two. */
export function displayWidth(text: string): number {
  let widest = 0;
  let line = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) {
      if (line > widest) widest = line;
      line = 0;
    } else if (code >= 0xd800 && code <= 0xdbff) {
      line += isWide(text.codePointAt(i)!) ? 2 : 1;
      i++;
    } else {
      line += code < 0x1100 ? 1 : isWide(code) ? 2 : 1;
    }
  }
  return line > widest ? line : widest;
}

// ── row heights ─────────────────────────────────────────────────────────────────────────────────
//
// Excel, WPS and LibreOffice do not fit a row to its wrapped text when they open a file they did not lay out: a row
// without a height shows one line and clips the rest, on screen and on paper. So every workbook sets each row's
// height from its text, estimated here once: the text is wrapped the way the spreadsheets wrap it (a Chinese
// character may end a line anywhere and is two columns wide; a Latin word moves whole to the next line unless it is
// longer than the line) within the column's width, at the cell's font size, and the lines are as tall as the CJK
// fonts lay them out (about 1.45 em in LibreOffice's Noto CJK, a little less in Excel's 宋体: the taller is used).

/** The size of body text in every workbook (pt): printed at no less than 90% of it, it stays at least 9 pt. */
export const BODY_FONT_SIZE = 10;
/** The height of one line of wrapped text (pt) at a font size. */
export function lineHeight(fontSize = BODY_FONT_SIZE): number {
  return Math.ceil(fontSize * 1.45 * 2) / 2;
}
/** The tallest row Excel allows (pt): longer text is clipped there whatever the estimate. */
export const MAX_ROW_HEIGHT = 409;

/**
 * How many lines the text takes when wrapped within a column `width` wide (Excel's units, the width of a "0" of
 * the default font) at `fontSize`: greedy, as the spreadsheets wrap, on the widths displayWidth counts.
 */
export function wrappedLines(text: string, width: number, fontSize = BODY_FONT_SIZE): number {
  // a cell keeps about a character's width of padding; a 10 pt Chinese character is a little under two units
  const capacity = Math.max(1, (width - 1) * (BODY_FONT_SIZE / fontSize));
  // most cells are one short line: no wrapping to simulate
  if (text.length * 2 <= capacity && text.indexOf("\n") < 0) return 1;
  let lines = 1;
  let used = 0;
  let word = 0; // the width of the Latin word being read
  const n = text.length;
  // one pass over the UTF-16 units (and one step past the end, to end the last word): a wide character may end a
  // line anywhere; a Latin word moves whole to the next line (or is broken where it is longer than a line); a space
  // ends a word; a newline ends the line. (No helper closure: this runs for every cell of every row, and a closure
  // over the counters would be allocated on each call.)
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : -1;
    const wide = c >= 0x1100 && ((c >= 0x4e00 && c <= 0x9fff) || isWide(c >= 0xd800 && c <= 0xdbff ? text.codePointAt(i)! : c));
    if (c >= 0 && c !== 10 && c !== 32 && c !== 9 && !wide) {
      // part of a Latin word (the second half of a surrogate pair is counted with the first)
      if (c < 0xdc00 || c > 0xdfff) word++;
      continue;
    }
    if (word > 0) {
      if (used > 0 && used + word > capacity) {
        lines++;
        used = 0;
      }
      if (word > capacity) {
        const full = Math.ceil(word / capacity) - 1;
        lines += full;
        used = word - full * capacity;
      } else {
        used += word;
      }
      word = 0;
    }
    if (c === 10) {
      lines++;
      used = 0;
    } else if (c === 32 || c === 9) {
      used += 1;
    } else if (wide) {
      if (used + 2 > capacity && used > 0) {
        lines++;
        used = 0;
      }
      used += 2;
      if (c >= 0xd800 && c <= 0xdbff) i++;
    }
  }
  return lines;
}

/** The height (pt) a row needs to show every line of its cells: each cell's text with its column's width. */
export function rowHeight(cells: { text: string; width: number; fontSize?: number }[], minLines = 1): number {
  let height = lineHeight() * minLines;
  for (const cell of cells) {
    if (!cell.text) continue;
    const h = wrappedLines(cell.text, cell.width, cell.fontSize) * lineHeight(cell.fontSize);
    if (h > height) height = h;
  }
  return Math.min(MAX_ROW_HEIGHT, height + 4);
}

/** The text a cell shows, for measuring: strings, link texts and rich text; numbers and dates are one line. */
function shownText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    if ("richText" in value) return (value as { richText: { text: string }[] }).richText.map((r) => r.text).join("");
    if ("text" in value) return String((value as { text: unknown }).text ?? "");
  }
  return "";
}

/**
 * Sets the height of every row of a worksheet built in memory from its wrapped text (the streamed sheets do it as
 * they write, in SheetWriter): a merged cell is measured over the width of the columns it spans, and a cell merged
 * down over several rows is left to them. Rows whose text is not wrapped keep their height.
 */
export function fitRowHeights(ws: ExcelJS.Worksheet, fromRow = 1): void {
  const widthOf = (col: number) => ws.getColumn(col).width ?? 9;
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    if (r < fromRow) return;
    const cells: { text: string; width: number; fontSize?: number }[] = [];
    row.eachCell({ includeEmpty: false }, (cell, c) => {
      if (cell.isMerged && cell.master !== cell) return;
      const text = shownText(cell.value);
      if (!text) return;
      let width = widthOf(c);
      if (cell.isMerged) {
        // the merge's extent: the columns to the right whose master is this cell
        let down = false;
        for (let cc = c + 1; cc <= ws.columnCount; cc++) {
          if (ws.getCell(r, cc).master !== cell) break;
          width += widthOf(cc);
        }
        if (r + 1 <= ws.rowCount && ws.getCell(r + 1, c).master === cell) down = true;
        if (down) return;
      }
      if (!cell.alignment?.wrapText && !text.includes("\n")) return;
      // exceljs's default font is 11 pt
      cells.push({ text, width, fontSize: cell.font?.size ?? 11 });
    });
    if (cells.length === 0) return;
    const need = rowHeight(cells);
    if (!row.height || row.height < need) row.height = need;
  });
}

/** [narrowest when fitting the page, widest when measuring] per kind, in Excel's units. */
const WIDTH_LIMITS: Record<ColumnKind, [number, number]> = {
  serial: [5, 8],
  text: [6, 24],
  long: [10, 44],
  int: [6, 12],
  number: [8, 14],
  wan: [9, 16],
  date: [11, 18],
  percent: [8, 11],
};

/**
 * The widths of A4 landscape, in Excel's units, at 100% with the margins SheetWriter sets (LibreOffice prints a unit
 * at about 5.4 pt; 297 mm less 2 × 0.4 in of margins is about 784 pt). A sheet whose columns add up to more is
 * scaled down to fit the page width; at most to PRINT_MIN_SCALE, so 10 pt text never prints below 9 pt.
 */
export const PAGE_WIDTH_UNITS = 142;
export const PRINT_MIN_SCALE = 0.9;

function sampleWidth(value: CellValue, kind: ColumnKind, locale: Locale): number {
  if (value === null || value === undefined) return 0;
  if (value instanceof Date) return locale === "en" ? 12 : 13;
  if (typeof value === "number") {
    if (kind === "percent") return 7;
    const digits = String(Math.trunc(Math.abs(value))).length;
    return digits + Math.floor((digits - 1) / 3) + (kind === "wan" ? 3 : 0) + 1;
  }
  if (typeof value === "object") return displayWidth(value.text);
  return displayWidth(value);
}

/**
 * Narrows the text columns of a sheet wider than the page, the widest first, down to their kind's narrowest (or
 * the column's own `minimums`), so that it prints at 95% or more when it can (wrapped text only makes rows taller).
 * Numbers and dates keep their width: a number that does not fit shows as ###.
 */
export function fitWidthsToPage(
  widths: number[],
  kinds: ColumnKind[],
  fixed: boolean[] = [],
  page = PAGE_WIDTH_UNITS / 0.95,
  minimums: readonly number[] = [],
): number[] {
  const out = [...widths];
  const total = () => out.reduce((a, b) => a + b, 0);
  const shrinkable = (i: number) =>
    !fixed[i] && (kinds[i] === "text" || kinds[i] === "long") && out[i]! > Math.max(WIDTH_LIMITS[kinds[i]!][0], minimums[i] ?? 0);
  // one unit at a time off the widest shrinkable column: the long narratives give way before the short labels
  for (let guard = 0; total() > page && guard < 2000; guard++) {
    let widest = -1;
    for (let i = 0; i < out.length; i++) if (shrinkable(i) && (widest < 0 || out[i]! > out[widest]!)) widest = i;
    if (widest < 0) break;
    out[widest] = out[widest]! - 1;
  }
  return out;
}

/**
 * The widths of a sheet's columns: a column without a fixed width is measured on its header (which may wrap onto
 * two lines) and on the sample rows, within its kind's limits; then the text columns are narrowed to fit the page
 * (fitWidthsToPage, within `page` units when given). `skip` leaves a row's cells out of the measure (text merged
 * down over several rows).
 */
export function columnWidths(
  columns: readonly SheetColumn[],
  rows: Iterable<{ values: readonly CellValue[]; skip?: readonly number[] }>,
  locale: Locale,
  page?: number,
): number[] {
  const samples = [...rows];
  const measured = columns.map((column, i) => {
    if (column.width) return column.width;
    const [min, max] = WIDTH_LIMITS[column.kind];
    const limit = column.max ?? max;
    // a header may wrap onto two lines: it asks for half its width (its longest word at least)
    let widest = Math.min(Math.max(Math.ceil(displayWidth(column.header) / 2) + 2, column.kind === "text" || column.kind === "long" ? 0 : 4), limit);
    for (const row of samples) {
      if (row.skip?.includes(i)) continue;
      const w = sampleWidth(row.values[i], column.kind, locale);
      if (w > widest) widest = w;
      if (widest >= limit) break;
    }
    return Math.max(min, Math.min(limit, widest + 2));
  });
  return fitWidthsToPage(
    measured,
    columns.map((c) => c.kind),
    columns.map((c) => c.width !== undefined),
    page,
  );
}

/** Whether columns this wide print on one page width with 10 pt text at 9 pt or more. */
export function fitsPageWidth(widths: readonly number[]): boolean {
  return widths.reduce((a, b) => a + b, 0) <= PAGE_WIDTH_UNITS / PRINT_MIN_SCALE;
}

/**
 * How every workbook prints: A4 landscape, the header rows repeated on every page, 第 X 页 共 Y 页 in the footer.
 * Columns that fit one page width at 9 pt or more are fitted to it; wider ones print at 100% and continue on the
 * pages to the right rather than shrink below 9 pt: each band of rows is printed across before the next one
 * (a row's pieces on consecutive pages), with the first `repeatColumns` columns repeated on every page.
 */
export function printLayout(
  t: Translate,
  widths: readonly number[],
  headerRows: string,
  repeatColumns = 0,
): { pageSetup: Partial<ExcelJS.PageSetup>; headerFooter: Partial<ExcelJS.HeaderFooter> } {
  const fits = fitsPageWidth(widths);
  return {
    pageSetup: {
      paperSize: 9, // A4
      orientation: "landscape",
      ...(fits
        ? { fitToPage: true, fitToWidth: 1, fitToHeight: 0 } // as many pages down as it takes
        : { fitToPage: false, scale: 100, pageOrder: "overThenDown" as const, ...(repeatColumns > 0 ? { printTitlesColumn: `A:${columnLetter(repeatColumns)}` } : {}) }),
      printTitlesRow: headerRows,
      horizontalCentered: fits,
      margins: { left: 0.4, right: 0.4, top: 0.55, bottom: 0.6, header: 0.25, footer: 0.3 },
    },
    headerFooter: { differentFirst: false, differentOddEven: false, oddFooter: t("exports.footer") },
  };
}

/** Sets printLayout on a worksheet built in memory (the streamed sheets get it from SheetWriter). */
export function setPrintLayout(ws: ExcelJS.Worksheet, t: Translate, widths: readonly number[], headerRows: string, repeatColumns = 0): void {
  const layout = printLayout(t, widths, headerRows, repeatColumns);
  ws.pageSetup = { ...ws.pageSetup, ...layout.pageSetup };
  ws.headerFooter = { ...ws.headerFooter, ...layout.headerFooter };
}

// ── file names ──────────────────────────────────────────────────────────────────────────────────

/** A piece of a file name: the characters file systems refuse become "_". */
export function fileNamePart(text: string): string {
  return text.replace(/[\\/:*?"<>|\u0000-\u001F\u007F]/g, "_").replace(/\s+/g, " ").trim();
}

function encodeRfc5987(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** attachment with the readable (Chinese) name for current browsers and an ASCII one for the rest (RFC 6266). */
export function contentDisposition(fileName: string, asciiFallback: string, disposition: "attachment" | "inline" = "attachment"): string {
  const ascii = asciiFallback.replace(/[^\x20-\x7E]|["\\;%]/g, "_");
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(fileName)}`;
}

export function downloadResponse(body: ReadableStream<Uint8Array>, contentType: string, fileName: string, asciiFallback: string): Response {
  return withSecurityHeaders(new Response(body, {
    status: 200,
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": contentDisposition(fileName, asciiFallback),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  }));
}

/** An export that cannot be made: JSON with the reason and a message in the user's language. */
export function exportError(status: 400 | 403 | 404, reason: string, message: string, extra: Record<string, unknown> = {}): Response {
  return json({ reason, message, ...extra }, { status });
}

// ── CSV ─────────────────────────────────────────────────────────────────────────────────────────

/** Excel opens a UTF-8 CSV as Chinese only when it starts with the byte order mark. */
export const CSV_BOM = "\uFEFF";

/** One CSV field (RFC 4180): quoted when it holds a quote, comma or line break; formula-like text gets a '. */
export function csvField(value: CellValue, kind: ColumnKind = "text"): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    return kind === "wan" ? fenToWanFixed2(Math.round(value * FEN_PER_WAN)) : String(value);
  }
  let text = (typeof value === "string" ? value : value.text).replace(XML_INVALID, "");
  if (startsLikeFormula(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: CellValue[], kinds: readonly ColumnKind[] = []): string {
  return `${values.map((v, i) => csvField(v, kinds[i])).join(",")}\r\n`;
}

/** A text body pulled chunk by chunk: nothing is produced faster than the client reads it. */
export function textStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

// ── workbooks ───────────────────────────────────────────────────────────────────────────────────

// How sheet XML moves to the compressor. exceljs collects it in buffers of SHEET_CHUNK bytes and hands each full one
// to deflate, one zlib job at a time, whose end is only noticed when the writer yields to the event loop: about
// one piece is compressed per yield. The three are sized together so that a piece is compressed within a yield
// or two of being filled and is garbage while it is still young: a 1 MB piece took some 800 rows to fill, so every
// one was moved to the old generation, and the external memory of dead pieces climbed by 64 MB before each full
// collection (the ledger's peak fell by 25 MB with these sizes).
/** Sheet XML allowed to wait for compression before the writer pauses (it then sleeps while zlib works). */
const MAX_BACKLOG = 1 << 20;
/** The pieces of sheet XML handed to deflate: about 100 rows of the ledger. */
const SHEET_CHUNK = 128 << 10;
/** Rows written between two yields to the event loop, where finished compression steps are taken up. */
const YIELD_ROWS = 100;

/** Thrown inside a writer when the client went away: the export stops reading the database. */
export class ExportAborted extends Error {
  constructor() {
    super("export aborted by the client");
  }
}

type Style = Partial<ExcelJS.Style>;
export type RowKind = "data" | "section" | "total";
export type Mark = "red" | "yellow" | "green";

const MARK_FILL: Record<Mark, string> = { red: "FFFFC7CE", yellow: "FFFFEB9C", green: "FFC6EFCE" };
const THIN = { style: "thin" as const, color: { argb: "FF808080" } };
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function solid(argb: string): ExcelJS.Fill {
  return { type: "pattern", pattern: "solid", fgColor: { argb } };
}

function fontName(locale: Locale): string {
  return locale === "en" ? "Calibri" : "宋体";
}

/** The font of body text in every workbook: 宋体 (Calibri in English) at BODY_FONT_SIZE. */
export function bodyFont(locale: Locale, extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> {
  return { name: fontName(locale), size: BODY_FONT_SIZE, ...extra };
}

/**
 * The style of a cell of the kind, in a row of the kind (bold, filled header; top-aligned wrapped data), maybe marked
 * with a 红黄绿 fill, maybe formula-like text kept as text. ExportBook shares one object per style.
 */
export function cellStyle(locale: Locale, kind: ColumnKind, row: RowKind | "header", mark?: Mark, asText = false): Style {
  const bold = row !== "data";
  const style: Style = { font: bodyFont(locale, bold ? { bold: true } : {}), border: BORDER };
  if (row === "header") {
    style.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    style.fill = solid("FFD9E1F2");
    return style;
  }
  const numeric = kind === "int" || kind === "number" || kind === "wan" || kind === "percent";
  style.alignment = {
    vertical: "top",
    wrapText: true,
    horizontal: kind === "serial" || kind === "date" ? "center" : numeric ? "right" : "left",
  };
  if (asText) style.numFmt = NUMBER_FORMATS.text;
  else if (kind === "date") style.numFmt = dateFormat(locale);
  else if (kind !== "text" && kind !== "long" && kind !== "number") style.numFmt = NUMBER_FORMATS[kind];
  if (mark) style.fill = solid(MARK_FILL[mark]);
  else if (row === "section") style.fill = solid("FFF2F2F2");
  else if (row === "total") style.fill = solid("FFEDEDED");
  return style;
}

/**
 * The workbook's default font (the Normal style's): what a column width is counted in — the width of its "0" — in
 * Excel, WPS and LibreOffice. exceljs writes Calibri 11, which LibreOffice draws in DejaVu Sans where Carlito is not
 * installed (Debian's LibreOffice does not bring it), whose "0" is a quarter wider: the 工作台账 then printed at 74%,
 * its 10 pt text at 7.4 pt. Arial 10 has the "0" of Calibri 11 in Excel and WPS (7 pixels: the widths stay as they
 * were), and LibreOffice draws it in Liberation Sans (metric-compatible, installed with it).
 */
const DEFAULT_FONT: Partial<ExcelJS.Font> = { name: "Arial", size: 10, family: 2 };

/**
 * Makes `font` the workbook's font 0 (the default) before any cell takes a style: exceljs adds Calibri 11 as font 0
 * only when it has none, and has no option for another, so its style table is given the font first.
 */
function setDefaultFont(workbook: ExcelJS.stream.xlsx.WorkbookWriter, font: Partial<ExcelJS.Font>) {
  const styles = (workbook as unknown as { styles?: { _addFont?: (font: Partial<ExcelJS.Font>) => number } }).styles;
  // an exceljs that stores its styles differently must not quietly print every workbook small again
  if (typeof styles?._addFont !== "function") throw new Error("exceljs: cannot set the workbook's default font");
  if (styles._addFont(font) !== 0) throw new Error("exceljs: the default font is not font 0");
}

/**
 * The same default font for a workbook exceljs built in memory (the import template, the failed rows): exceljs
 * writes that workbook's font 0 itself, after every style, so the finished file's font 0 is set instead.
 */
export async function withDefaultFont(buffer: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(buffer);
  const styles = zip.file("xl/styles.xml");
  if (!styles) throw new Error("exceljs: the workbook has no styles");
  const xml = await styles.async("string");
  const first = /(<fonts\b[^>]*>\s*)<font>[\s\S]*?<\/font>/;
  if (!first.test(xml)) throw new Error("exceljs: the workbook's font 0 was not found");
  const font = `<font><sz val="${DEFAULT_FONT.size}"/><name val="${DEFAULT_FONT.name}"/><family val="${DEFAULT_FONT.family}"/></font>`;
  zip.file("xl/styles.xml", xml.replace(first, `$1${font}`));
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 6 } });
}

/**
 * One workbook being streamed. exceljs keeps a style id per style object, so every cell of a kind shares one
 * object from here: looking a style up is then a WeakMap hit, not a serialisation per cell.
 */
export class ExportBook {
  readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly styles = new Map<string, Style>();
  private current: SheetWriter | null = null;
  readonly fontName: string;

  constructor(
    private readonly out: PassThrough,
    readonly locale: Locale,
    readonly t: Translate,
  ) {
    this.fontName = fontName(locale);
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
      // fastest deflate (as exceljs's default), in larger steps: fewer round trips to the zlib thread pool
      zip: { zlib: { level: 1, chunkSize: 256 * 1024 } },
    });
    this.workbook.creator = t("app.title");
    setDefaultFont(this.workbook, DEFAULT_FONT);
    // archiver reports a destroyed destination as an error event; unheard, it would take the process down
    (this.workbook as unknown as { zip: NodeJS.EventEmitter }).zip.on("error", (error: Error) => out.destroy(error));
  }

  font(extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> {
    return bodyFont(this.locale, extra);
  }

  /** The shared style object for a cell of the kind, in a row of the kind, maybe marked, maybe formula-like. */
  style(kind: ColumnKind, row: RowKind | "header", mark?: Mark, asText = false): Style {
    const key = `${kind}|${row}|${mark ?? ""}|${asText ? 1 : 0}`;
    let style = this.styles.get(key);
    if (!style) {
      style = this.buildStyle(kind, row, mark, asText);
      this.styles.set(key, style);
    }
    return style;
  }

  /** The style of a link cell: the column's, underlined in the colour of links. */
  linkStyle(kind: ColumnKind, row: RowKind): Style {
    const key = `link|${kind}|${row}`;
    let style = this.styles.get(key);
    if (!style) {
      const base = this.buildStyle(kind, row, undefined, false);
      style = { ...base, font: { ...base.font, underline: true, color: { argb: "FF0563C1" } } };
      this.styles.set(key, style);
    }
    return style;
  }

  private buildStyle(kind: ColumnKind, row: RowKind | "header", mark: Mark | undefined, asText: boolean): Style {
    return cellStyle(this.locale, kind, row, mark, asText);
  }

  /** Opens the next sheet; the previous one is finished first (sheets are zipped one after the other). */
  async sheet(layout: SheetLayout): Promise<SheetWriter> {
    if (this.current) await this.current.finish();
    this.current = new SheetWriter(this, layout);
    return this.current;
  }

  async commit(): Promise<void> {
    if (this.current) await this.current.finish();
    this.current = null;
    await this.workbook.commit();
  }

  /** The sheets' XML streams, for measuring what waits to be compressed. */
  readonly sheetStreams: unknown[] = [];

  /**
   * Bytes of sheet XML written but not yet compressed. exceljs hands each sheet to archiver through a
   * PassThrough that it writes without ever waiting for it, so a writer faster than deflate piles up there.
   * (Internal stream state: when exceljs or archiver change shape this reads 0 and pacing falls back to the
   * client's backpressure alone; the benchmark's memory figure would show it.)
   */
  private backlog(): number {
    let bytes = 0;
    for (const stream of this.sheetStreams as { pipes?: { _writableState?: { length?: number }; _readableState?: { length?: number } }[] }[]) {
      for (const pipe of stream.pipes ?? []) bytes += (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0);
    }
    return bytes;
  }

  /**
   * Lets the zip and the client catch up. The database driver is synchronous, so without yielding nothing would
   * be compressed or sent until the end: this yields, then waits (sleeping in the event loop while zlib works in
   * its thread pool) while more than MAX_BACKLOG bytes wait to be compressed or the client is behind.
   */
  async pace(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (!this.out.destroyed && this.backlog() > MAX_BACKLOG) await new Promise((resolve) => setTimeout(resolve, 1));
    while (!this.out.destroyed && this.out.writableNeedDrain) {
      try {
        await Promise.race([once(this.out, "drain"), once(this.out, "close")]);
      } catch {
        break;
      }
    }
    if (this.out.destroyed) throw new ExportAborted();
  }
}

/**
 * A workbook written into the returned stream by `write`, which runs after the Response is handed to the client.
 * A failure half way destroys the stream: the download fails instead of looking complete.
 */
export function streamWorkbook(locale: Locale, t: Translate, write: (book: ExportBook) => Promise<void>): ReadableStream<Uint8Array> {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  out.on("error", () => {}); // the stream reports it to the reader; this only keeps it from being "unhandled"
  const book = new ExportBook(out, locale, t);
  void (async () => {
    try {
      await write(book);
      await book.commit();
    } catch (error) {
      if (!(error instanceof ExportAborted)) console.error("export failed", error);
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return createReadableStreamFromReadable(out);
}

// ── sheets ──────────────────────────────────────────────────────────────────────────────────────

export interface SheetColumn {
  header: string;
  kind: ColumnKind;
  /** a fixed width; otherwise it is measured on the header and the first rows, within the kind's limits */
  width?: number;
  max?: number;
}

/** A piece of a line of the header block: text, or a labelled date that stays a real date cell. */
export type InfoSegment = { text: string } | { label: string; date: string | null };

export interface SheetLayout {
  /** the tab's name (at most 31 characters, none of \ / ? * [ ] :) */
  name: string;
  title: string;
  /** lines of the header block under the title, each split into segments spread over the columns */
  info?: InfoSegment[][];
  /** full-width lines under the header block: the filters applied, how figures were counted */
  notes?: string[];
  columns: SheetColumn[];
  /** columns kept in view when scrolling right */
  freezeColumns?: number;
}

export interface RowOptions {
  kind?: RowKind;
  /** a 红黄绿 fill for some cells, by column index */
  marks?: Partial<Record<number, Mark>>;
  /**
   * These columns of this row are merged down over `rows` rows (this one included): the cells below are left
   * empty, and the last of the rows is made tall enough for the merged text when the rows' own text is shorter.
   */
  spanDown?: { columns: number[]; rows: number };
}

/** A tab name Excel takes: at most 31 characters, none of \ / ? * [ ] :, and no ' (print titles quote the name). */
function sheetName(name: string): string {
  return name.replace(/[\\/?*[\]:]/g, " ").replace(/'/g, "’").slice(0, 31) || "Sheet";
}

/**
 * The style of every row written (its cells carry their own). exceljs gives each new row an empty style object of
 * its own and, not having seen that object before, serialises it to XML to find its id when the row is committed:
 * one shared object is looked up once.
 */
const ROW_STYLE: Style = {};

/** A merge recorded after its rows were committed (exceljs writes the list when the sheet closes). */
function lateMerge(range: string) {
  return { toString: () => range, intersects: () => false };
}

/**
 * One sheet: title block, header row, then rows. The first MEASURED_ROWS rows are held back to measure the
 * columns whose width is not given (exceljs writes the widths before the first row); after that each row is
 * committed as it comes, with the height its wrapped text needs.
 */
export class SheetWriter {
  /** opened by start(), once the widths are known */
  private ws!: ExcelJS.Worksheet;
  private readonly columns: SheetColumn[];
  private readonly headerRow: number;
  private nextRow: number;
  private lastDataRow: number;
  private pending: { values: CellValue[]; options: RowOptions }[] | null = [];
  private trailer: InfoSegment[][] = [];
  private finished = false;
  private dataRows = 0;
  private sinceFlush = 0;
  private widths: number[] = [];
  /** a merge down in progress: its columns, the rows left, the height its text needs and the height so far */
  private span: { columns: number[]; firstRow: number; left: number; need: number; used: number } | null = null;

  constructor(
    private readonly book: ExportBook,
    private readonly layout: SheetLayout,
  ) {
    this.columns = layout.columns;
    const infoRows = layout.info?.length ?? 0;
    const noteRows = layout.notes?.length ?? 0;
    this.headerRow = 2 + infoRows + noteRows;
    this.nextRow = this.headerRow + 1;
    this.lastDataRow = this.headerRow;
    // nothing to measure when every column has its width: the sheet starts at once and holds no rows back
    if (this.columns.every((column) => column.width !== undefined)) this.start();
  }

  /**
   * Adds a row: held back while the columns are being measured, afterwards written and committed at once.
   * Returns true every YIELD_ROWS rows: the caller should then `await flush()`, so that compression (in zlib's
   * thread pool) keeps pace with the rows instead of piling up behind them.
   */
  add(values: CellValue[], options: RowOptions = {}): boolean {
    if (this.finished) throw new Error("sheet already finished");
    this.dataRows++;
    if (this.pending) this.pending.push({ values, options });
    else this.writeRow(values, options);
    return ++this.sinceFlush >= YIELD_ROWS;
  }

  /**
   * Lines under the table, outside its filter and borders: the block an office signs (填报单位（盖章）, 填报人 …),
   * each line's segments spread over the columns as the header block's are. Written when the sheet finishes.
   */
  addTrailer(lines: InfoSegment[][]): void {
    this.trailer.push(...lines);
  }

  /**
   * Once MEASURED_ROWS rows are held back the sheet is started; then the zip and the client are given time to
   * take what was written (see ExportBook.pace).
   */
  async flush(): Promise<void> {
    this.sinceFlush = 0;
    if (this.pending) {
      if (this.pending.length < MEASURED_ROWS) return;
      this.start();
    }
    await this.book.pace();
  }

  get rowCount(): number {
    return this.dataRows;
  }

  /**
   * Sizes the columns on what is held back and fits them to the page width (columnWidths), opens the worksheet
   * with the print layout those widths take (printLayout), writes the title block and the header, then the held
   * rows. The worksheet is opened only now because exceljs writes whether a sheet is fitted to the page
   * (<sheetPr>) as it opens it: set later, a sheet too wide to fit would still be shrunk to one page width.
   */
  private start(): void {
    const pending = this.pending ?? [];
    this.pending = null;
    const { book, layout } = this;
    const widths = columnWidths(
      this.columns,
      pending.map((row) => ({ values: row.values, skip: row.options.spanDown?.columns })),
      book.locale,
    );
    this.widths = widths;
    const freeze = layout.freezeColumns ?? 0;
    this.ws = book.workbook.addWorksheet(sheetName(layout.name), {
      views: [
        {
          state: "frozen",
          xSplit: freeze,
          ySplit: this.headerRow,
          topLeftCell: `${columnLetter(freeze + 1)}${this.headerRow + 1}`,
          activeCell: `A${this.headerRow + 1}`,
        },
      ],
      ...printLayout(book.t, widths, `${this.headerRow}:${this.headerRow}`, freeze),
    });
    const stream = (this.ws as unknown as { stream: { bufSize?: number } }).stream;
    // exceljs hands the XML to deflate in 64 KB pieces, one zlib job each, and a job's end is only noticed when the
    // writer yields: larger pieces let compression keep up with the rows instead of trailing behind them
    if (typeof stream.bufSize === "number") stream.bufSize = SHEET_CHUNK;
    book.sheetStreams.push(stream);
    this.ws.columns = widths.map((width) => ({ width }));
    this.writeTitleBlock(widths);
    for (const row of pending) this.writeRow(row.values, row.options);
  }

  /** One line of segments spread over the columns, merged, at row r. */
  private writeInfoLine(r: number, segments: InfoSegment[], late: boolean): void {
    const { book, ws, widths } = this;
    const count = this.columns.length;
    const row = ws.getRow(r);
    const base = Math.floor(count / segments.length);
    let extra = count % segments.length;
    let col = 1;
    let height = 20;
    for (const segment of segments) {
      const span = Math.max(1, base + (extra-- > 0 ? 1 : 0));
      const last = Math.min(count, col + span - 1);
      const cell = row.getCell(col);
      const align: Partial<ExcelJS.Alignment> = { horizontal: "left", vertical: "middle", wrapText: true };
      let text = "";
      if ("date" in segment) {
        const date = excelDate(segment.date);
        cell.value = date ?? cellText(segment.label);
        text = date ? `${segment.label}0000年00月00日` : segment.label;
        cell.style = { font: book.font({ size: 11 }), alignment: align, numFmt: date ? labelledDateFormat(segment.label, book.locale) : undefined };
      } else {
        text = segment.text;
        cell.value = cellText(segment.text);
        cell.style = { font: book.font({ size: 11 }), alignment: align };
      }
      let width = 0;
      for (let c = col; c <= last; c++) width += widths[c - 1] ?? 9;
      height = Math.max(height, rowHeight([{ text, width, fontSize: 11 }]));
      if (last > col) {
        if (late) (ws as unknown as { _merges: unknown[] })._merges.push(lateMerge(`${columnLetter(col)}${r}:${columnLetter(last)}${r}`));
        else ws.mergeCells(r, col, r, last);
      }
      col += span;
      if (col > count) break;
    }
    row.height = height;
  }

  private writeTitleBlock(widths: number[]): void {
    const count = this.columns.length;
    const { book, layout, ws } = this;
    const totalWidth = widths.reduce((a, b) => a + b, 0);

    const title = ws.getRow(1);
    title.getCell(1).value = cellText(layout.title);
    title.getCell(1).style = { font: book.font({ size: 16, bold: true }), alignment: { horizontal: "center", vertical: "middle", wrapText: true } };
    title.height = Math.max(32, rowHeight([{ text: layout.title, width: totalWidth, fontSize: 16 }]));
    if (count > 1) ws.mergeCells(1, 1, 1, count);

    let r = 2;
    for (const segments of layout.info ?? []) this.writeInfoLine(r++, segments, false);
    for (const note of layout.notes ?? []) {
      const row = ws.getRow(r);
      row.getCell(1).value = cellText(note);
      row.getCell(1).style = { font: book.font(), alignment: { horizontal: "left", vertical: "top", wrapText: true } };
      row.height = rowHeight([{ text: note, width: totalWidth }]);
      if (count > 1) ws.mergeCells(r, 1, r, count);
      r++;
    }

    const header = ws.getRow(this.headerRow);
    this.columns.forEach((column, i) => {
      const cell = header.getCell(i + 1);
      cell.value = cellText(column.header);
      cell.style = book.style(column.kind, "header");
    });
    header.height = rowHeight(this.columns.map((column, i) => ({ text: column.header, width: widths[i]! })));
    header.commit();
  }

  /** The plain data style of each column (the common case, looked up once). */
  private dataStyles: Style[] | null = null;

  private writeRow(values: CellValue[], options: RowOptions): void {
    const r = this.nextRow++;
    this.lastDataRow = r;
    const row = this.ws.getRow(r);
    (row as unknown as { style: Style }).style = ROW_STYLE; // a field exceljs has but does not declare
    const kind = options.kind ?? "data";
    const { book, columns, widths } = this;
    const plain = kind === "data" && !options.marks ? (this.dataStyles ??= columns.map((c) => book.style(c.kind, "data"))) : null;
    const spanColumns = options.spanDown && options.spanDown.rows > 1 ? options.spanDown.columns : null;
    let lines = 1;
    let spanLines = 1;
    for (let i = 0; i < columns.length; i++) {
      let value = values[i];
      let asText = false;
      let link = false;
      let text = "";
      if (typeof value === "string") {
        value = cellText(value);
        asText = startsLikeFormula(value);
        text = value;
        if (value === "") value = null;
      } else if (typeof value === "number" && !Number.isFinite(value)) {
        value = null;
      } else if (value && typeof value === "object" && !(value instanceof Date)) {
        text = cellText(value.text);
        if (isWebLink(value.hyperlink)) {
          value = { text, hyperlink: value.hyperlink.trim() };
          link = true;
        } else {
          value = text || null;
          asText = startsLikeFormula(text);
        }
      }
      const cell = row.getCell(i + 1);
      if (value !== null && value !== undefined) cell.value = value as ExcelJS.CellValue;
      cell.style = link ? book.linkStyle(columns[i]!.kind, kind) : plain && !asText ? plain[i]! : book.style(columns[i]!.kind, kind, options.marks?.[i], asText);
      if (text) {
        const n = wrappedLines(text, widths[i]!);
        if (spanColumns?.includes(i)) spanLines = Math.max(spanLines, n);
        else if (n > lines) lines = n;
      }
    }
    let height = Math.min(MAX_ROW_HEIGHT, lines * lineHeight() + 4);
    if (spanColumns) {
      const need = Math.min(MAX_ROW_HEIGHT * options.spanDown!.rows, spanLines * lineHeight() + 4);
      if (this.span) this.closeSpan(r - 1);
      this.span = { columns: spanColumns, firstRow: r, left: options.spanDown!.rows, need, used: 0 };
    }
    if (this.span) {
      const span = this.span;
      if (span.left === 1 && span.used + height < span.need) height = Math.min(MAX_ROW_HEIGHT, span.need - span.used);
      span.used += height;
      if (--span.left === 0) this.closeSpan(r);
    }
    row.height = height;
    row.commit();
  }

  private closeSpan(lastRow: number): void {
    const span = this.span!;
    this.span = null;
    if (lastRow <= span.firstRow) return;
    const merges = (this.ws as unknown as { _merges: unknown[] })._merges;
    for (const c of span.columns) merges.push(lateMerge(`${columnLetter(c + 1)}${span.firstRow}:${columnLetter(c + 1)}${lastRow}`));
  }

  /** Writes what is held back, sets the autofilter over the header and the rows, adds the trailer, closes the sheet. */
  async finish(): Promise<void> {
    if (this.finished) return;
    if (this.pending) this.start();
    if (this.span) this.closeSpan(this.nextRow - 1);
    this.finished = true;
    this.ws.autoFilter = {
      from: { row: this.headerRow, column: 1 },
      to: { row: Math.max(this.headerRow, this.lastDataRow), column: this.columns.length },
    };
    if (this.trailer.length) {
      this.ws.getRow(this.nextRow++).height = 12;
      for (const line of this.trailer) {
        this.writeInfoLine(this.nextRow, line, true);
        this.ws.getRow(this.nextRow++).commit();
      }
    }
    this.ws.commit();
    await this.book.pace();
  }
}

export function columnLetter(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** 一、二、… for the groups of a ledger (I, II, … in English). */
export function groupNumeral(n: number, locale: Locale): string {
  if (locale === "en") {
    const numerals: [number, string][] = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];
    let rest = n;
    let out = "";
    for (const [value, numeral] of numerals) while (rest >= value) (out += numeral), (rest -= value);
    return out;
  }
  const digits = "零一二三四五六七八九";
  if (n < 10) return digits[n]!;
  if (n < 20) return `十${n % 10 ? digits[n % 10] : ""}`;
  if (n < 100) return `${digits[Math.floor(n / 10)]}十${n % 10 ? digits[n % 10] : ""}`;
  return String(n);
}

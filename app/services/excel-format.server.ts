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
import type { Locale, Translate } from "~/i18n";
import { FEN_PER_WAN, fenToWanFixed2 } from "~/utils/money";
import { withSecurityHeaders } from "~/utils/security-headers.server";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";
/** Rows read from the database and written per step. */
export const EXPORT_BATCH = 2000;

// ── cell values ─────────────────────────────────────────────────────────────────────────────────

export type CellValue = string | number | Date | null | undefined;

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

/** How many lines the text takes when wrapped within `width`. */
export function wrappedLines(text: string, width: number): number {
  return text.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(line) / Math.max(1, width - 1))), 0);
}

const WIDTH_LIMITS: Record<ColumnKind, [number, number]> = {
  serial: [6, 8],
  text: [8, 24],
  long: [14, 44],
  int: [7, 12],
  number: [9, 14],
  wan: [11, 16],
  date: [12, 18],
  percent: [9, 11],
};

function sampleWidth(value: CellValue, kind: ColumnKind, locale: Locale): number {
  if (value === null || value === undefined) return 0;
  if (value instanceof Date) return locale === "en" ? 12 : 16;
  if (typeof value === "number") {
    if (kind === "percent") return 7;
    const digits = String(Math.trunc(Math.abs(value))).length;
    return digits + Math.floor((digits - 1) / 3) + (kind === "wan" ? 3 : 0) + 1;
  }
  return displayWidth(value);
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
export function contentDisposition(fileName: string, asciiFallback: string): string {
  const ascii = asciiFallback.replace(/[^\x20-\x7E]|["\\;%]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(fileName)}`;
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
  let text = value.replace(XML_INVALID, "");
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

/** Sheet XML allowed to wait for compression before the writer pauses (it then sleeps while zlib works). */
const MAX_BACKLOG = 8 << 20;
/** The pieces of sheet XML handed to deflate. */
const SHEET_CHUNK = 1 << 20;
/** Rows written between two yields to the event loop, where finished compression steps are taken up. */
const YIELD_ROWS = 250;

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
    this.fontName = locale === "en" ? "Calibri" : "宋体";
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
      // fastest deflate (as exceljs's default), in larger steps: fewer round trips to the zlib thread pool
      zip: { zlib: { level: 1, chunkSize: 256 * 1024 } },
    });
    this.workbook.creator = t("app.title");
    // archiver reports a destroyed destination as an error event; unheard, it would take the process down
    (this.workbook as unknown as { zip: NodeJS.EventEmitter }).zip.on("error", (error: Error) => out.destroy(error));
  }

  font(extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> {
    return { name: this.fontName, size: 10, ...extra };
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

  private buildStyle(kind: ColumnKind, row: RowKind | "header", mark: Mark | undefined, asText: boolean): Style {
    const bold = row !== "data";
    const style: Style = { font: this.font(bold ? { bold: true } : {}), border: BORDER };
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
    else if (kind === "date") style.numFmt = dateFormat(this.locale);
    else if (kind !== "text" && kind !== "long" && kind !== "number") style.numFmt = NUMBER_FORMATS[kind];
    if (mark) style.fill = solid(MARK_FILL[mark]);
    else if (row === "section") style.fill = solid("FFF2F2F2");
    else if (row === "total") style.fill = solid("FFEDEDED");
    return style;
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
}

/** A tab name Excel takes: at most 31 characters, none of \ / ? * [ ] :, and no ' (print titles quote the name). */
function sheetName(name: string): string {
  return name.replace(/[\\/?*[\]:]/g, " ").replace(/'/g, "’").slice(0, 31) || "Sheet";
}

/**
 * One sheet: title block, header row, then rows. The first EXPORT_BATCH rows are held back to measure the
 * columns (exceljs writes the widths before the first row); after that each row is committed as it comes.
 */
export class SheetWriter {
  private readonly ws: ExcelJS.Worksheet;
  private readonly columns: SheetColumn[];
  private readonly headerRow: number;
  private nextRow: number;
  private pending: { values: CellValue[]; options: RowOptions }[] | null = [];
  private finished = false;
  private dataRows = 0;
  private sinceFlush = 0;

  constructor(
    private readonly book: ExportBook,
    private readonly layout: SheetLayout,
  ) {
    this.columns = layout.columns;
    const infoRows = layout.info?.length ?? 0;
    const noteRows = layout.notes?.length ?? 0;
    this.headerRow = 2 + infoRows + noteRows;
    this.nextRow = this.headerRow + 1;
    const { t } = book;
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
      pageSetup: {
        paperSize: 9, // A4
        orientation: "landscape",
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0, // as many pages down as it takes
        printTitlesRow: `${this.headerRow}:${this.headerRow}`,
        margins: { left: 0.4, right: 0.4, top: 0.55, bottom: 0.6, header: 0.25, footer: 0.3 },
      },
      headerFooter: { differentFirst: false, differentOddEven: false, oddFooter: t("exports.footer") },
    });
    const stream = (this.ws as unknown as { stream: { bufSize?: number } }).stream;
    // exceljs hands the XML to deflate in 64 KB pieces, one zlib job each, and a job's end is only noticed when the
    // writer yields: larger pieces let compression keep up with the rows instead of trailing behind them
    if (typeof stream.bufSize === "number") stream.bufSize = SHEET_CHUNK;
    book.sheetStreams.push(stream);
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
   * Once EXPORT_BATCH rows are held back the sheet is started; then the zip and the client are given time to
   * take what was written (see ExportBook.pace).
   */
  async flush(): Promise<void> {
    this.sinceFlush = 0;
    if (this.pending) {
      if (this.pending.length < EXPORT_BATCH) return;
      this.start();
    }
    await this.book.pace();
  }

  get rowCount(): number {
    return this.dataRows;
  }

  /** Sizes the columns on what is held back, writes the title block and the header, then the held rows. */
  private start(): void {
    const pending = this.pending ?? [];
    this.pending = null;
    const { locale } = this.book;
    const widths = this.columns.map((column, i) => {
      if (column.width) return column.width;
      const [min, max] = WIDTH_LIMITS[column.kind];
      const limit = column.max ?? max;
      let widest = Math.min(displayWidth(column.header), limit);
      for (const row of pending) {
        const w = sampleWidth(row.values[i], column.kind, locale);
        if (w > widest) widest = w;
        if (widest >= limit) break;
      }
      return Math.max(min, Math.min(limit, widest + 2));
    });
    this.ws.columns = widths.map((width) => ({ width }));
    this.writeTitleBlock(widths);
    for (const row of pending) this.writeRow(row.values, row.options);
  }

  private writeTitleBlock(widths: number[]): void {
    const count = this.columns.length;
    const { book, layout, ws } = this;
    const totalWidth = widths.reduce((a, b) => a + b, 0);

    const title = ws.getRow(1);
    title.getCell(1).value = cellText(layout.title);
    title.getCell(1).style = { font: book.font({ size: 16, bold: true }), alignment: { horizontal: "center", vertical: "middle", wrapText: true } };
    title.height = Math.max(32, 22 * wrappedLines(layout.title, totalWidth / 1.6));
    if (count > 1) ws.mergeCells(1, 1, 1, count);

    let r = 2;
    for (const segments of layout.info ?? []) {
      const row = ws.getRow(r);
      row.height = 20;
      const base = Math.floor(count / segments.length);
      let extra = count % segments.length;
      let col = 1;
      for (const segment of segments) {
        const span = Math.max(1, base + (extra-- > 0 ? 1 : 0));
        const cell = row.getCell(col);
        const align: Partial<ExcelJS.Alignment> = { horizontal: "left", vertical: "middle" };
        if ("date" in segment) {
          const date = excelDate(segment.date);
          cell.value = date ?? cellText(segment.label);
          cell.style = { font: book.font({ size: 11 }), alignment: align, numFmt: date ? labelledDateFormat(segment.label, book.locale) : undefined };
        } else {
          cell.value = cellText(segment.text);
          cell.style = { font: book.font({ size: 11 }), alignment: align };
        }
        if (span > 1 && col + span - 1 <= count) ws.mergeCells(r, col, r, col + span - 1);
        col += span;
        if (col > count) break;
      }
      r++;
    }
    for (const note of layout.notes ?? []) {
      const row = ws.getRow(r);
      row.getCell(1).value = cellText(note);
      row.getCell(1).style = { font: book.font(), alignment: { horizontal: "left", vertical: "top", wrapText: true } };
      row.height = 14 * wrappedLines(note, totalWidth) + 4;
      if (count > 1) ws.mergeCells(r, 1, r, count);
      r++;
    }

    const header = ws.getRow(this.headerRow);
    let lines = 1;
    this.columns.forEach((column, i) => {
      const cell = header.getCell(i + 1);
      cell.value = cellText(column.header);
      cell.style = book.style(column.kind, "header");
      lines = Math.max(lines, wrappedLines(column.header, widths[i]!));
    });
    header.height = 15 * lines + 6;
    header.commit();
  }

  /** The plain data style of each column (the common case, looked up once). */
  private dataStyles: Style[] | null = null;

  private writeRow(values: CellValue[], options: RowOptions): void {
    const row = this.ws.getRow(this.nextRow++);
    const kind = options.kind ?? "data";
    const { book, columns } = this;
    const plain = kind === "data" && !options.marks ? (this.dataStyles ??= columns.map((c) => book.style(c.kind, "data"))) : null;
    for (let i = 0; i < columns.length; i++) {
      let value = values[i];
      let asText = false;
      if (typeof value === "string") {
        value = cellText(value);
        asText = startsLikeFormula(value);
        if (value === "") value = null;
      } else if (typeof value === "number" && !Number.isFinite(value)) {
        value = null;
      }
      const cell = row.getCell(i + 1);
      if (value !== null && value !== undefined) cell.value = value;
      cell.style = plain && !asText ? plain[i]! : book.style(columns[i]!.kind, kind, options.marks?.[i], asText);
    }
    row.commit();
  }

  /** Writes what is held back, sets the autofilter over the header and the rows, and closes the sheet. */
  async finish(): Promise<void> {
    if (this.finished) return;
    if (this.pending) this.start();
    this.finished = true;
    this.ws.autoFilter = {
      from: { row: this.headerRow, column: 1 },
      to: { row: Math.max(this.headerRow, this.nextRow - 1), column: this.columns.length },
    };
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

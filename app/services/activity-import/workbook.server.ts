// The parts of a workbook the sheet reader needs before it reads a worksheet — the sheets in order with their
// names and visibility, the shared strings, which cell styles show dates — read with a streaming XML parser
// (saxes) straight from the ZIP entries, in the order needed whatever order the file keeps them in. Shared strings
// are counted and measured as they are read: a file refuses the moment it holds more text than a ledger could.
import { SaxesParser } from "saxes";
import { IMPORT_MAX_ROWS } from "~/schemas/activity-import";
import { type ZipArchive, type ZipEntry, WORKSHEET_PART, inspectFile, refuse, streamEntry } from "./file-guard.server";

/** Excel's own limit for a cell; longer text is no spreadsheet's cell. */
export const MAX_CELL_CHARS = 32_767;
/** Distinct texts a file may hold: twenty per row of the largest file taken. */
export const MAX_SHARED_STRINGS = IMPORT_MAX_ROWS * 20;
/** Characters of all shared strings together. */
export const MAX_SHARED_STRING_CHARS = 40_000_000;

export interface SheetRef {
  name: string;
  path: string;
  hidden: boolean;
}

export interface Workbook {
  zip: ZipArchive;
  sheets: SheetRef[];
  strings: string[];
  /** per cell style (the `s` of a cell), whether it shows a number as a date */
  dateStyles: boolean[];
  date1904: boolean;
}

export interface XmlHandlers {
  open?: (name: string, attrs: Record<string, string>) => void;
  close?: (name: string) => void;
  text?: (text: string) => void;
}

/** Element names without their namespace prefix: some writers spell <x:row>. */
const local = (name: string) => name.slice(name.indexOf(":") + 1);

/** Parses one entry as it is inflated; a handler may throw Stop to end it. Bad XML is a corrupt file. */
export function parseEntry(zip: ZipArchive, entry: ZipEntry, handlers: XmlHandlers): void {
  const parser = new SaxesParser({ position: false });
  parser.on("error", (error) => {
    throw error;
  });
  const { open, close, text } = handlers;
  if (open) parser.on("opentag", (tag) => open(local(tag.name), tag.attributes as Record<string, string>));
  if (close) parser.on("closetag", (tag) => close(local(tag.name)));
  if (text) {
    parser.on("text", text);
    parser.on("cdata", text);
  }
  const decoder = new TextDecoder("utf-8");
  streamEntry(zip, entry, (chunk) => parser.write(decoder.decode(chunk, { stream: true })));
  try {
    parser.write(decoder.decode());
    parser.close();
  } catch {
    refuse("corrupt");
  }
}

function parseText(zip: ZipArchive, name: string, handlers: XmlHandlers): boolean {
  const entry = zip.entries.get(name);
  if (!entry) return false;
  parseEntry(zip, entry, handlers);
  return true;
}

/** The relationship id of an element, whatever prefix its namespace was given (r:id, ns1:id). */
export function relId(attrs: Record<string, string>): string | undefined {
  for (const [key, value] of Object.entries(attrs)) if (key === "id" || key.endsWith(":id")) return value;
  return undefined;
}

/** A part's relationships: id → { target as a path in the ZIP (or the URL when external), type }. */
export function readRels(zip: ZipArchive, partPath: string): Map<string, { target: string; type: string; external: boolean }> {
  const slash = partPath.lastIndexOf("/");
  const dir = partPath.slice(0, slash + 1);
  const relsPath = `${dir}_rels/${partPath.slice(slash + 1)}.rels`;
  const rels = new Map<string, { target: string; type: string; external: boolean }>();
  parseText(zip, relsPath, {
    open(name, attrs) {
      if (name !== "Relationship" || !attrs.Id || attrs.Target === undefined) return;
      const external = attrs.TargetMode === "External";
      rels.set(attrs.Id, { target: external ? attrs.Target : resolvePath(dir, attrs.Target), type: attrs.Type ?? "", external });
    },
  });
  return rels;
}

function resolvePath(dir: string, target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : dir + target).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

/** The parts the reader parses itself, so the file check need not inflate them a first time. */
const READ_LATER = /^xl\/(workbook\.xml|_rels\/workbook\.xml\.rels|sharedStrings\.xml|styles\.xml|worksheets\/_rels\/[^/]+\.rels)$/i;

// Built-in number formats Excel shows as dates or times (ids 14–22, 27–36, 45–47, 50–58), as exceljs reads them.
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
/** A format code that shows a date or time: y, m, d, h, s or b outside quotes and brackets (exceljs's rule). */
function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""));
}

/** The file checked, then its workbook, relationships, styles and shared strings read, in that order. */
export function openWorkbook(buf: Buffer): Workbook {
  const zip = inspectFile(buf, (name) => READ_LATER.test(name));

  const sheets: SheetRef[] = [];
  let date1904 = false;
  const rels = readRels(zip, "xl/workbook.xml");
  const listed = parseText(zip, "xl/workbook.xml", {
    open(name, attrs) {
      if (name === "workbookPr") date1904 = attrs.date1904 === "1" || attrs.date1904 === "true";
      else if (name === "sheet") {
        const rel = rels.get(relId(attrs) ?? "");
        const path = rel?.target ?? "";
        if (zip.entries.has(path)) sheets.push({ name: attrs.name ?? "", path, hidden: Boolean(attrs.state && attrs.state !== "visible") });
      }
    },
  });
  // A ZIP without a workbook part: its worksheets as they lie, so whatever they hold is still checked.
  if (!listed) {
    for (const name of zip.entries.keys()) {
      if (WORKSHEET_PART.test(name)) sheets.push({ name: name.replace(/^.*\/|\.xml$/gi, ""), path: name, hidden: false });
    }
  }
  if (sheets.length === 0) refuse("corrupt");

  const partOf = (kind: string, fallback: string) => [...rels.values()].find((r) => r.type.endsWith(`/${kind}`))?.target ?? fallback;

  // Styles: which cell formats show dates.
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  parseText(zip, partOf("styles", "xl/styles.xml"), {
    open(name, attrs) {
      if (name === "numFmt" && attrs.numFmtId !== undefined) formats.set(Number(attrs.numFmtId), attrs.formatCode ?? "");
      else if (name === "cellXfs") inCellXfs = true;
      else if (name === "xf" && inCellXfs) xfFormats.push(Number(attrs.numFmtId ?? 0));
    },
    close(name) {
      if (name === "cellXfs") inCellXfs = false;
    },
  });
  const dateStyles = xfFormats.map((id) => (formats.has(id) ? isDateFormat(formats.get(id)!) : BUILTIN_DATE_FORMATS.has(id)));

  // Shared strings: the text of each <si>, its runs joined, phonetic guides (<rPh>) left out.
  const strings: string[] = [];
  let total = 0;
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  parseText(zip, partOf("sharedStrings", "xl/sharedStrings.xml"), {
    open(name, attrs) {
      if (name === "sst" && Number(attrs.uniqueCount ?? 0) > MAX_SHARED_STRINGS) refuse("too_many_strings", { max: MAX_SHARED_STRINGS });
      else if (name === "si") current = "";
      else if (name === "rPh") phonetic++;
      else if (name === "t" && current !== null && phonetic === 0) inText = true;
    },
    text(text) {
      if (!inText || current === null) return;
      current += text;
      if (current.length > MAX_CELL_CHARS) refuse("cell_too_long", { max: MAX_CELL_CHARS });
    },
    close(name) {
      if (name === "t") inText = false;
      else if (name === "rPh") phonetic--;
      else if (name === "si" && current !== null) {
        strings.push(current);
        total += current.length;
        if (strings.length > MAX_SHARED_STRINGS) refuse("too_many_strings", { max: MAX_SHARED_STRINGS });
        if (total > MAX_SHARED_STRING_CHARS) refuse("too_many_strings", { max: MAX_SHARED_STRINGS });
        current = null;
      }
    },
  });
  return { zip, sheets, strings, dateStyles, date1904 };
}


// 2. The sheet: the header row is found among the first rows by the names it holds (Chinese or English, any order,
//    with synonyms); every data row keeps the number Excel shows and every finding the column's name as written.
//    The worksheet is read as a stream of XML events, never whole: the header search reads the first rows of each
//    visible sheet and stops; then the chosen sheet is read row by row, keeping only the header's columns, and the
//    file is refused the moment it passes a limit (rows, a cell's length), not after.
import { translator } from "~/i18n/translator.server";
import { type RawCell, isBlank, rawText } from "~/domain/values";
import { IMPORT_FIELDS, IMPORT_MAX_ROWS, type ImportField, type ImportMessage } from "~/schemas/activity-import";
import { HEADER_SEARCH_ROWS, MAX_COLUMNS, Refused, type Refusal, Stop, refuse } from "./file-guard.server";
import { MAX_CELL_CHARS, type SheetRef, type Workbook, openWorkbook, parseEntry, readRels, relId } from "./workbook.server";

/** What a column feeds: one field, two fields written together, or nothing (序号, 备注, 错误说明…). */
export type ColumnTarget = ImportField | "delegations_participants" | "countries_counterpart" | null;

export interface SheetColumn {
  header: string;
  target: ColumnTarget;
  /** "yuan" when the header says the amounts are in 元 (资金（元）) */
  unit?: "yuan" | "wan";
}

export interface ParsedSheet {
  sheetName: string;
  headerRow: number;
  columns: SheetColumn[];
  rows: { row: number; raw: RawCell[] }[];
  notes: ImportMessage[];
}

const zhT = translator("zh-CN");
const enT = translator("en");

// Synonyms beyond the form's own labels (which are added in both languages below).
const HEADER_SYNONYMS: Record<Exclude<ColumnTarget, null>, string[]> = {
  title: ["活动名称", "名称", "活动", "活动内容", "活动事项", "事项", "项目名称", "活动项目", "标题", "activity", "activity title", "activity name", "name", "event", "title"],
  type: ["活动类型", "类型", "类别", "活动类别", "形式", "活动形式", "activity type", "category", "kind", "type"],
  start_date: ["开始日期", "起始日期", "开始时间", "起始时间", "日期", "时间", "活动日期", "活动时间", "举办时间", "举办日期", "起止日期", "起止时间", "日期范围", "start date", "start", "date", "dates", "from", "begin", "begin date"],
  end_date: ["结束日期", "截止日期", "结束时间", "终止日期", "end date", "end", "to", "until", "finish date"],
  status: ["状态", "活动状态", "进展状态", "进度状态", "status", "state"],
  primary_plan_item: ["主要对应条款", "对应条款", "条款", "计划条款", "主要条款", "行动计划条款", "对应行动计划条款", "对应计划条款", "primary plan item", "plan item", "primary item", "clause", "plan clause", "action plan item", "item"],
  plan_items: ["其他对应条款", "其他条款", "次要条款", "相关条款", "其他相关条款", "other plan items", "further plan items", "other items", "additional plan items", "secondary plan items", "related plan items"],
  countries: ["对方国家", "国家", "合作国家", "对象国", "涉及国家", "国别", "外方国家", "counterpart countries", "counterpart country", "countries", "country", "partner country", "partner countries"],
  counterpart_body: ["对方机构", "对方单位", "合作机构", "对口单位", "外方机构", "外方单位", "合作方", "对方", "counterpart", "counterpart body", "counterpart organization", "counterpart organisation", "counterpart agency", "partner", "partner organization", "partner organisation"],
  location: ["地点", "活动地点", "举办地点", "举办地", "地址", "location", "venue", "place"],
  delegations_count: ["团组批次", "批次", "团组", "团组数", "团组批数", "delegations", "delegation", "batches", "number of delegations", "groups"],
  participants_count: ["人次", "人数", "参加人数", "参与人次", "参加人次", "人员数", "participants", "people", "persons", "headcount", "number of participants", "attendees"],
  funding_wan: ["资金", "资金（万元）", "金额", "经费", "投入资金", "资金额", "投入", "资金投入", "资金数额", "funding", "amount", "funds", "budget", "cost"],
  funding_source: ["资金来源", "经费来源", "来源", "funding source", "source of funds", "source of funding", "source"],
  outcome: ["成果", "主要成果", "成效", "成果文件", "活动成果", "取得成果", "成果及成效", "outcome", "outcomes", "result", "results", "achievements"],
  evidence: ["佐证材料链接", "佐证材料", "佐证", "链接", "材料链接", "附件链接", "evidence", "evidence link", "evidence links", "link", "links", "url", "urls"],
  organization: ["填报单位", "单位", "责任单位", "牵头单位", "实施单位", "报送单位", "reporting unit", "unit", "organization", "organisation", "reported by"],
  partners: ["配合单位", "协办单位", "配合部门", "协作单位", "参与单位", "co-operating units", "cooperating units", "co-operating unit", "partner units", "supporting units"],
  delegations_participants: ["批次/人次", "团组批次/人次", "团组/人次", "批次人次", "批次及人次", "团组批次及人次", "delegations/participants", "delegations/people"],
  countries_counterpart: ["对方国家/机构", "国家/机构", "对方国家及机构", "对方国家和机构", "countries/counterpart", "counterpart country/body"],
};
/** Columns people keep that the ledger does not take; recognised so they are ignored without a warning. */
const IGNORED_HEADERS = ["序号", "编号", "no", "no.", "#", "number", "备注", "说明", "remarks", "notes", "note", "错误说明", "errors", "error", "原行号"];

/** Header text → comparable key: width-folded, lower case, no spaces or punctuation. */
function headerKey(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s*:：_\-.。·•'’"“”]/g, "");
}

let headerMap: Map<string, ColumnTarget> | null = null;
function headerTargets(): Map<string, ColumnTarget> {
  if (headerMap) return headerMap;
  const map = new Map<string, ColumnTarget>();
  for (const key of IGNORED_HEADERS) map.set(headerKey(key), null);
  for (const field of IMPORT_FIELDS) {
    for (const label of [zhT(`activity.${field}`), enT(`activity.${field}`)]) map.set(headerKey(label), field);
  }
  for (const [target, names] of Object.entries(HEADER_SYNONYMS)) {
    for (const name of names) if (!map.has(headerKey(name))) map.set(headerKey(name), target as ColumnTarget);
  }
  headerMap = map;
  return map;
}

/** The column a header names, and the money unit its brackets give ("资金（元）", "Funding (10,000 CNY)"). */
export function matchHeader(text: string): { known: boolean; target: ColumnTarget; unit?: "yuan" | "wan" } {
  const map = headerTargets();
  const full = headerKey(text);
  if (!full) return { known: false, target: null };
  const unitText = (/[(（]([^)）]*)[)）]/.exec(text.normalize("NFKC"))?.[1] ?? "").toLowerCase().replace(/\s/g, "");
  const unit = /万|10,?000|10k|wan/.test(unitText)
    ? ("wan" as const)
    : /元|yuan|cny|rmb/.test(unitText)
      ? ("yuan" as const)
      : undefined;
  if (map.has(full)) return { known: true, target: map.get(full)!, unit };
  const base = headerKey(text.normalize("NFKC").replace(/[(（][^)）]*[)）]/g, ""));
  if (base && map.has(base)) return { known: true, target: map.get(base)!, unit };
  return { known: false, target: null };
}

/** "AB12" → column 28 (1-based); 0 when the reference has no letters. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return col;
}

/** Excel's day number → the moment it names, as exceljs reads it (1900 or 1904 system). */
function serialToIso(serial: number, date1904: boolean): string | null {
  const date = new Date(Math.round((serial - (date1904 ? 24107 : 25569)) * 86400_000));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** One cell's XML as kept: shared and inline strings, numbers (dates where the style shows a date), booleans, errors. */
function cellToRaw(wb: Workbook, type: string, style: number, text: string, hasValue: boolean): RawCell {
  if (!hasValue) return null;
  switch (type) {
    case "s":
      return wb.strings[Number(text)] ?? null;
    case "str":
    case "inlineStr":
      return text;
    case "b":
      return text === "1" || text === "true";
    case "e":
      return { e: text };
    case "d": {
      const date = new Date(text);
      return Number.isNaN(date.getTime()) ? null : { d: date.toISOString() };
    }
    default: {
      if (text.trim() === "") return null;
      const n = Number(text);
      if (!Number.isFinite(n)) return null;
      if (wb.dateStyles[style]) {
        const iso = serialToIso(n, wb.date1904);
        return iso ? { d: iso } : null;
      }
      return n;
    }
  }
}

interface ReadStats {
  /** rows of worksheet XML read, all sheets and passes together */
  rows: number;
}

/**
 * Reads a worksheet's rows in order as they are inflated, handing each to `onRow` with the cells of columns
 * 1..maxColumn that hold a value, up to `untilRow`; `onRow` may throw Stop. `hasValue` says whether any cell of the row, in any
 * column, holds one. Hyperlinks (kept after the rows in the XML) go to `onHyperlink`.
 */
function readRows(
  wb: Workbook,
  sheet: SheetRef,
  maxColumn: number,
  stats: ReadStats,
  onRow: (row: number, cells: Map<number, RawCell>, hasValue: boolean) => void,
  options: { untilRow?: number; onHyperlink?: (ref: string, attrs: Record<string, string>) => void } = {},
): void {
  const { untilRow = Infinity, onHyperlink } = options;
  let rowNumber = 0;
  let cells = new Map<number, RawCell>();
  let rowHasValue = false;
  let inRow = false;
  let col = 0;
  let type = "n";
  let style = 0;
  let text = "";
  let keep = false;
  let hasValue = false;
  let inValue = false;
  let inInline = false;
  let inText = false;
  let phonetic = 0;
  const endRow = () => {
    if (!inRow) return;
    inRow = false;
    stats.rows++;
    onRow(rowNumber, cells, rowHasValue);
  };
  parseEntry(wb.zip, wb.zip.entries.get(sheet.path)!, {
    open(name, attrs) {
      switch (name) {
        case "row":
          endRow();
          rowNumber = attrs.r ? Number(attrs.r) : rowNumber + 1;
          if (!Number.isInteger(rowNumber) || rowNumber < 1) refuse("corrupt");
          if (rowNumber > untilRow) throw new Stop();
          inRow = true;
          cells = new Map();
          rowHasValue = false;
          col = 0;
          break;
        case "c":
          col = attrs.r ? columnOf(attrs.r) || col + 1 : col + 1;
          type = attrs.t ?? "n";
          style = attrs.s ? Number(attrs.s) : 0;
          text = "";
          keep = col <= maxColumn;
          hasValue = false;
          break;
        case "v":
          inValue = true;
          hasValue = true;
          break;
        case "is":
          inInline = true;
          hasValue = true;
          break;
        case "t":
          inText = inInline && phonetic === 0;
          break;
        case "rPh":
          phonetic++;
          break;
        case "hyperlink":
          if (onHyperlink && attrs.ref) onHyperlink(attrs.ref, attrs);
          break;
      }
    },
    text(t) {
      if (!keep || !(inValue || inText)) return;
      text += t;
      if (text.length > MAX_CELL_CHARS) refuse("cell_too_long", { max: MAX_CELL_CHARS });
    },
    close(name) {
      switch (name) {
        case "v":
          inValue = false;
          break;
        case "is":
          inInline = false;
          break;
        case "t":
          inText = false;
          break;
        case "rPh":
          phonetic--;
          break;
        case "c":
          if (hasValue) rowHasValue = true;
          if (keep) {
            const raw = cellToRaw(wb, type, style, text, hasValue);
            if (raw !== null) cells.set(col, raw);
          }
          break;
        case "row":
          endRow();
          break;
      }
    },
  });
  endRow();
}

const TOTAL_ROW = /^(合计|总计|小计|共计|合\s*计|总\s*计|total|subtotal|grand total|sum)[:：]?$/i;
const NOTE_ROW = /^((注|备注|说明|note|notes)\s*[:：]|(填表人|填报人|制表人|制表|审核人|联系电话|联系人|负责人|签字|盖章|prepared by|contact)\s*[:：]?)/i;

/** The first rows of a sheet, read until the header search window ends. */
function headerRows(wb: Workbook, sheet: SheetRef, stats: ReadStats): Map<number, Map<number, RawCell>> {
  const rows = new Map<number, Map<number, RawCell>>();
  try {
    readRows(wb, sheet, MAX_COLUMNS, stats, (row, cells) => rows.set(row, cells), { untilRow: HEADER_SEARCH_ROWS });
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  }
  return rows;
}

function readSheet(buf: Buffer, stats: ReadStats): ParsedSheet {
  const wb = openWorkbook(buf);

  let best: { sheet: SheetRef; row: number; score: number; cells: Map<number, RawCell> } | null = null;
  for (const sheet of wb.sheets) {
    if (sheet.hidden) continue;
    for (const [r, cells] of headerRows(wb, sheet, stats)) {
      const targets = new Set<ColumnTarget>();
      for (const raw of cells.values()) {
        const text = rawText(raw);
        if (text.length > 40) continue;
        const match = matchHeader(text);
        if (match.target) targets.add(match.target);
      }
      const score = targets.size;
      if (targets.has("title") && score >= 3 && (!best || score > best.score)) best = { sheet, row: r, score, cells };
    }
  }
  if (!best) {
    refuse("no_header", {
      expected_zh: ["title", "type", "start_date", "primary_plan_item"].map((f) => zhT(`activity.${f}`)).join("、"),
      expected_en: ["title", "type", "start_date", "primary_plan_item"].map((f) => enT(`activity.${f}`)).join(", "),
    });
  }
  const { sheet, row: headerRow } = best!;

  const headerCells = new Map<number, string>();
  for (const [col, raw] of best!.cells) {
    const text = rawText(raw).replace(/\s+/g, " ").trim();
    if (text && col <= MAX_COLUMNS) headerCells.set(col, text);
  }
  const lastCol = Math.max(...headerCells.keys());
  const columns: SheetColumn[] = [];
  const notes: ImportMessage[] = [];
  const taken = new Map<ColumnTarget, string>();
  for (let col = 1; col <= lastCol; col++) {
    const header = headerCells.get(col) ?? "";
    const match = header ? matchHeader(header) : { known: true, target: null as ColumnTarget };
    let target = match.target;
    if (target && taken.has(target)) {
      notes.push({ field: null, column: header, key: "imports.note.duplicate_column", params: { first: taken.get(target)! } });
      target = null;
    } else if (target) {
      taken.set(target, header);
    } else if (!match.known) {
      notes.push({ field: null, column: header, key: "imports.note.ignored_column" });
    }
    columns.push({ header, target, unit: match.unit });
  }

  const rows: ParsedSheet["rows"] = [];
  const rowAt = new Map<number, number>();
  const hyperlinks: { ref: string; attrs: Record<string, string> }[] = [];
  const titleAt = columns.findIndex((c) => c.target === "title");
  const startAt = columns.findIndex((c) => c.target === "start_date");
  let valueRows = 0;
  readRows(
    wb,
    sheet,
    lastCol,
    stats,
    (rowNumber, cells, hasValue) => {
      // Rows holding anything at all, in any column, count against the limit: formatted empty rows do not.
      if (hasValue && ++valueRows > IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS) refuse("too_many_rows", { max: IMPORT_MAX_ROWS });
      if (rowNumber <= headerRow || cells.size === 0) return;
      const raw: RawCell[] = columns.map((_, i) => cells.get(i + 1) ?? null);
      // Blank rows, and rows whose only content is a 序号, are not data: never a reason to refuse a file.
      const filled = raw.map((v, i) => !isBlank(v) && columns[i]!.target !== null);
      if (!filled.some(Boolean)) return;
      // A 合计 row, or a signature line under the table (填表人：…, 注：…), is not an activity.
      const title = titleAt >= 0 ? rawText(raw[titleAt]!).trim() : "";
      const nonBlank = raw.filter((v) => !isBlank(v));
      const first = nonBlank[0];
      const isNote =
        typeof first === "string" && NOTE_ROW.test(first.trim()) && nonBlank.length <= 4 && (startAt < 0 || isBlank(raw[startAt]!));
      if (TOTAL_ROW.test(title) || isNote) {
        notes.push({ field: null, column: null, key: "imports.note.skipped_row", params: { row: rowNumber } });
        return;
      }
      rowAt.set(rowNumber, rows.length);
      rows.push({ row: rowNumber, raw });
      if (rows.length > IMPORT_MAX_ROWS) refuse("too_many_rows", { max: IMPORT_MAX_ROWS });
    },
    { onHyperlink: (ref, attrs) => hyperlinks.push({ ref, attrs }) },
  );
  if (rows.length === 0) refuse("no_rows");

  // Hyperlinks come after the rows in the sheet's XML: they are put on the kept cells they name.
  if (hyperlinks.length) {
    const rels = readRels(wb.zip, sheet.path);
    for (const { ref, attrs } of hyperlinks) {
      const topLeft = ref.split(":")[0]!;
      const col = columnOf(topLeft);
      const at = rowAt.get(Number(topLeft.replace(/^[A-Za-z]+/, "")));
      if (at === undefined || col < 1 || col > lastCol) continue;
      const rel = rels.get(relId(attrs) ?? "");
      const url = rel ? rel.target : attrs.location ? `#${attrs.location}` : "";
      if (!url) continue;
      const cell = rows[at]!.raw[col - 1]!;
      rows[at]!.raw[col - 1] = { t: rawText(cell), u: url };
    }
  }
  notes.unshift({ field: null, column: null, key: "imports.note.header_row", params: { row: headerRow, sheet: sheet.name } });
  return { sheetName: sheet.name, headerRow, columns, rows, notes };
}

export type ReadResult = ({ ok: true; sheet: ParsedSheet } | { ok: false; refusal: Refusal }) & { read: ReadStats };

/** The file checked and its rows read, or the reason it is refused; `read` says how far the reader went. */
export async function readSpreadsheet(buf: Buffer): Promise<ReadResult> {
  const stats: ReadStats = { rows: 0 };
  try {
    return { ok: true, sheet: readSheet(buf, stats), read: stats };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusal: error.refusal, read: stats };
    return { ok: false, refusal: { key: "imports.refused.corrupt" }, read: stats };
  }
}

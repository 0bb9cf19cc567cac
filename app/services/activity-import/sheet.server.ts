// 2. The sheet: the header row is found among the first rows by the names it holds (Chinese or English, any order,
//    with synonyms); every data row keeps the number Excel shows and every finding the column's name as written.
import ExcelJS from "exceljs";
import { translator } from "~/i18n";
import { type RawCell, isBlank, rawText } from "~/domain/values";
import { IMPORT_FIELDS, IMPORT_MAX_ROWS, type ImportField, type ImportMessage } from "~/schemas/activity-import";
import { HEADER_SEARCH_ROWS, MAX_COLUMNS, Refused, type Refusal, inspectFile, refuse } from "./file-guard.server";

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

function cellToRaw(value: ExcelJS.CellValue, numFmt?: string): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null;
    // exceljs turns numbers under the date formats it knows into Dates; a formula's cached result, or a custom
    // date format it does not know, still arrives as a day number: read it as the date the cell shows.
    if (numFmt && /[ymd]/i.test(numFmt.replace(/"[^"]*"|\[[^\]]*\]/g, "")) && value > 0 && value < 2958466) {
      return { d: new Date(Math.round((value - 25569) * 86400_000)).toISOString() };
    }
    return value;
  }
  if (typeof value === "boolean") return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { d: value.toISOString() };
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join("");
    if ("hyperlink" in value) {
      const text = cellToRaw(value.text as ExcelJS.CellValue);
      return { t: rawText(text), u: String(value.hyperlink ?? "") };
    }
    if ("formula" in value || "sharedFormula" in value) {
      return cellToRaw((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, numFmt);
    }
    if ("error" in value) return { e: String(value.error) };
  }
  return String(value);
}

const TOTAL_ROW = /^(合计|总计|小计|共计|合\s*计|总\s*计|total|subtotal|grand total|sum)[:：]?$/i;
const NOTE_ROW = /^((注|备注|说明|note|notes)\s*[:：]|(填表人|填报人|制表人|制表|审核人|联系电话|联系人|负责人|签字|盖章|prepared by|contact)\s*[:：]?)/i;

async function readSheet(buf: Buffer): Promise<ParsedSheet> {
  const workbook = new ExcelJS.Workbook();
  try {
    // Validations, merges and conditional formats are not data; skipping them keeps a hostile range
    // (a validation over A1:XFD1048576) from expanding into a billion cells.
    // exceljs declares its own "Buffer" type; a Node Buffer is what it reads.
    await workbook.xlsx.load(buf as unknown as Parameters<typeof workbook.xlsx.load>[0], {
      ignoreNodes: ["dataValidations", "mergeCells", "conditionalFormatting", "extLst", "drawing", "picture", "rowBreaks"],
    });
  } catch {
    refuse("corrupt");
  }

  let best: { sheet: ExcelJS.Worksheet; row: number; score: number } | null = null;
  for (const sheet of workbook.worksheets) {
    if (sheet.state && sheet.state !== "visible") continue;
    for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, sheet.rowCount); r++) {
      const targets = new Set<ColumnTarget>();
      sheet.getRow(r).eachCell((cell, col) => {
        if (col > MAX_COLUMNS) return;
        const text = rawText(cellToRaw(cell.value));
        if (text.length > 40) return;
        const match = matchHeader(text);
        if (match.target) targets.add(match.target);
      });
      const score = targets.size;
      if (targets.has("title") && score >= 3 && (!best || score > best.score)) best = { sheet, row: r, score };
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
  sheet.getRow(headerRow).eachCell((cell, col) => {
    const text = rawText(cellToRaw(cell.value)).replace(/\s+/g, " ").trim();
    if (text && col <= MAX_COLUMNS) headerCells.set(col, text);
  });
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
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber <= headerRow) return;
    const raw: RawCell[] = columns.map((_, i) => {
      const cell = row.getCell(i + 1);
      return cellToRaw(cell.value, cell.numFmt);
    });
    // Blank rows, and rows whose only content is a 序号, are not data: never a reason to refuse a file.
    const filled = raw.map((v, i) => !isBlank(v) && columns[i]!.target !== null);
    if (!filled.some(Boolean)) return;
    // A 合计 row, or a signature line under the table (填表人：…, 注：…), is not an activity.
    const titleAt = columns.findIndex((c) => c.target === "title");
    const title = titleAt >= 0 ? rawText(raw[titleAt]!).trim() : "";
    const nonBlank = raw.filter((v) => !isBlank(v));
    const first = nonBlank[0];
    const startAt = columns.findIndex((c) => c.target === "start_date");
    const isNote =
      typeof first === "string" && NOTE_ROW.test(first.trim()) && nonBlank.length <= 4 && (startAt < 0 || isBlank(raw[startAt]!));
    if (TOTAL_ROW.test(title) || isNote) {
      notes.push({ field: null, column: null, key: "imports.note.skipped_row", params: { row: rowNumber } });
      return;
    }
    rows.push({ row: rowNumber, raw });
  });
  if (rows.length > IMPORT_MAX_ROWS) refuse("too_many_rows", { max: IMPORT_MAX_ROWS });
  if (rows.length === 0) refuse("no_rows");
  notes.unshift({ field: null, column: null, key: "imports.note.header_row", params: { row: headerRow, sheet: sheet.name } });
  return { sheetName: sheet.name, headerRow, columns, rows, notes };
}

/** The file checked and its rows read, or the reason it is refused. */
export async function readSpreadsheet(buf: Buffer): Promise<{ ok: true; sheet: ParsedSheet } | { ok: false; refusal: Refusal }> {
  try {
    inspectFile(buf);
    return { ok: true, sheet: await readSheet(buf) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusal: error.refusal };
    return { ok: false, refusal: { key: "imports.refused.corrupt" } };
  }
}

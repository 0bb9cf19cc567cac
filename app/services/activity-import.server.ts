// Spreadsheet import of activities: a hand-kept ledger in, a preview out, then one transaction.
//
// 1. The file is checked before any spreadsheet library sees it: an xlsx is a ZIP whose [Content_Types].xml names
//    a workbook; an encrypted (or pre-2007) file is an OLE container; a ZIP bomb is caught by inflating every
//    entry with a ceiling on its output, so a lying size header cannot hide a gigabyte.
// 2. The header row is found among the first rows by the names it holds (Chinese or English, any order, with
//    synonyms); every data row keeps the number Excel shows and every finding the column's name as written.
// 3. Each value is read the forgiving way (dates, amounts, counts, codes or names), then checked by the activity
//    form's own rules plus the database's (plan items, the user's units, frozen periods, rows already present).
// The parsed rows wait in activity_imports; the import re-checks them against the database inside the transaction.
import { createHash } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import type { ActivityInput } from "~/models/activity.server";
import { type CounterpartMatcher, bodyFullName, guessLevel } from "~/domain/counterparts";
import { type CounterpartRef, loadCounterpartMatcher } from "~/models/counterpart.server";
import {
  findImportedFingerprints,
  insertActivitiesBatch,
  listActivitiesOnDates,
} from "~/models/activity-batch.server";
import {
  createUpload,
  findImportedUploadOfFile,
  getUploadOf,
  pruneExpiredUploads,
  saveImportResult,
  type UploadRow,
} from "~/models/activity-import.server";
import { listOrganizations } from "~/models/organization.server";
import { listPlanItems } from "~/models/plan-item.server";
import { translator } from "~/i18n/translator.server";
import {
  ACTIVITY_STATUSES,
  ACTIVITY_TYPES,
  type ActivityStatus,
  type ActivityType,
  activityFormSchema,
  splitDepartments,
  crossFieldErrors,
  fieldErrors,
  isoDateOk,
} from "~/schemas/activity";
import {
  IMPORT_FIELDS,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  type ImportField,
  type ImportMessage,
  type ImportMode,
  type ImportOutcome,
} from "~/schemas/activity-import";
import { type SessionUser, withinUnit } from "~/utils/auth.server";
import {
  MEKONG_COUNTRIES,
  NOT_COUNTRIES,
  type NotCountry,
  countryKey,
  countryName,
  countryNamesForMatching,
  isCountryCode,
  notCountry,
  notCountryMessage,
  resolveCountry,
} from "~/utils/countries";
import type { DB } from "~/utils/db.server";
import { fenToWanText, wanTextToFen } from "~/utils/money";
import { lockUntilCommit } from "~/utils/sql-dialect.server";
import { waitForApprovals } from "~/services/freeze.server";

// ── limits ──────────────────────────────────────────────────────────────────────────────────────────────────
/** Everything a file may expand to, all entries together. A 10 MB spreadsheet of text expands ~10×. */
export const MAX_EXPANDED_BYTES = 200 * 1024 * 1024;
/** An entry expanding more than this many times its compressed size (and past 1 MB) is a bomb, not a sheet. */
export const MAX_COMPRESSION_RATIO = 100;
const RATIO_FLOOR_BYTES = 1024 * 1024;
const MAX_ZIP_ENTRIES = 10_000;
/** Where the header row is looked for. */
const HEADER_SEARCH_ROWS = 15;
/** Columns read; a ledger has a few dozen, and a header cell far out at XFD must not make every row that wide. */
const MAX_COLUMNS = 100;

export interface Refusal {
  key: string;
  params?: Record<string, string | number>;
}

// ── 1. the file itself ──────────────────────────────────────────────────────────────────────────────────────
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const WORKBOOK_CONTENT_TYPES = [
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
  "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
];

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.key);
  }
}
const refuse = (key: string, params?: Refusal["params"]): never => {
  throw new Refused({ key: `imports.refused.${key}`, params });
};

function readCentralDirectory(buf: Buffer): ZipEntry[] {
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) refuse("corrupt");
  if (buf.readUInt16LE(end + 4) !== 0 || buf.readUInt16LE(end + 6) !== 0) refuse("corrupt");
  let count = buf.readUInt16LE(end + 10);
  let cdSize = buf.readUInt32LE(end + 12);
  let cdOffset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== ZIP64_LOCATOR) refuse("corrupt");
    const end64 = Number(buf.readBigUInt64LE(locator + 8));
    if (end64 + 56 > buf.length || buf.readUInt32LE(end64) !== ZIP64_END) refuse("corrupt");
    count = Number(buf.readBigUInt64LE(end64 + 32));
    cdSize = Number(buf.readBigUInt64LE(end64 + 40));
    cdOffset = Number(buf.readBigUInt64LE(end64 + 48));
  }
  if (count > MAX_ZIP_ENTRIES) refuse("zip_bomb");
  if (cdOffset + cdSize > buf.length) refuse("corrupt");

  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== ZIP_CENTRAL) refuse("corrupt");
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLength + extraLength > buf.length) refuse("corrupt");
    const entry: ZipEntry = {
      name: buf.toString("utf8", p + 46, p + 46 + nameLength),
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    };
    // ZIP64: the real sizes sit in extra field 0x0001, in this order, for those marked 0xFFFFFFFF.
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localOffset === 0xffffffff) {
      let q = p + 46 + nameLength;
      const extraEnd = q + extraLength;
      while (q + 4 <= extraEnd) {
        const id = buf.readUInt16LE(q);
        const length = buf.readUInt16LE(q + 2);
        if (id === 0x0001) {
          let r = q + 4;
          const next = () => {
            if (r + 8 > q + 4 + length) refuse("corrupt");
            const v = Number(buf.readBigUInt64LE(r));
            r += 8;
            return v;
          };
          if (entry.size === 0xffffffff) entry.size = next();
          if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
          if (entry.localOffset === 0xffffffff) entry.localOffset = next();
          break;
        }
        q += 4 + length;
      }
    }
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Inflates one entry, refusing output beyond its declared size: the size header cannot lie to us. */
function inflateEntry(buf: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== ZIP_LOCAL) refuse("corrupt");
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) refuse("corrupt");
  const data = buf.subarray(start, end);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) refuse("corrupt");
    return data;
  }
  if (entry.method !== 8) refuse("corrupt");
  let out: Buffer;
  try {
    out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      refuse("zip_bomb");
    }
    refuse("corrupt");
  }
  if (out!.length !== entry.size) refuse("corrupt");
  return out!;
}

/** Rows holding a value in a worksheet's XML (formatted empty rows do not count). */
function countValueRows(xml: Buffer): number {
  let quick = 0;
  for (let i = xml.indexOf("<row"); i >= 0; i = xml.indexOf("<row", i + 4)) quick++;
  if (quick <= IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS) return quick;
  const text = xml.toString("utf8");
  let rows = 0;
  const parts = text.split("<row");
  for (let i = 1; i < parts.length; i++) {
    const body = parts[i]!;
    const close = body.indexOf("</row>");
    const inner = close < 0 ? "" : body.slice(0, close);
    if (inner.includes("<v>") || inner.includes("<v ") || inner.includes("<is>") || inner.includes("<t>")) rows++;
  }
  return rows;
}

/**
 * Everything about the file that can be checked without a spreadsheet library: format, encryption, expansion
 * and row count. Throws a Refused with the reason.
 */
function inspectFile(buf: Buffer): void {
  if (buf.length === 0) refuse("empty");
  if (buf.length > IMPORT_MAX_BYTES) refuse("too_large", { max_mb: IMPORT_MAX_BYTES / 1024 / 1024 });
  if (buf.length >= 8 && buf.subarray(0, 8).equals(CFB_MAGIC)) {
    // An OLE container: Office keeps a password-protected xlsx in one (streams EncryptionInfo/EncryptedPackage);
    // otherwise it is a pre-2007 .xls (or .doc).
    const encrypted =
      buf.includes(Buffer.from("EncryptedPackage", "utf16le")) || buf.includes(Buffer.from("EncryptionInfo", "utf16le"));
    refuse(encrypted ? "encrypted" : "legacy_xls");
  }
  if (buf.length < 30 || buf.readUInt32LE(0) !== ZIP_LOCAL) refuse("not_xlsx");

  const entries = readCentralDirectory(buf);
  if (entries.some((e) => (e.flags & 1) === 1)) refuse("encrypted");
  const declared = entries.reduce((sum, e) => sum + e.size, 0);
  if (declared > MAX_EXPANDED_BYTES) refuse("zip_bomb");
  for (const e of entries) {
    if (e.size > RATIO_FLOOR_BYTES && e.size > MAX_COMPRESSION_RATIO * Math.max(1, e.compressedSize)) refuse("zip_bomb");
  }

  let contentTypes: string | null = null;
  let mostRows = 0;
  for (const e of entries) {
    if (e.name.endsWith("/")) continue;
    const out = inflateEntry(buf, e);
    if (e.name === "[Content_Types].xml") contentTypes = out.toString("utf8");
    if (/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) mostRows = Math.max(mostRows, countValueRows(out));
  }
  if (contentTypes === null || !WORKBOOK_CONTENT_TYPES.some((type) => contentTypes!.includes(type))) refuse("not_xlsx");
  if (mostRows > IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS) refuse("too_many_rows", { max: IMPORT_MAX_ROWS });
}

// ── 2. the sheet: header row, columns, data rows ────────────────────────────────────────────────────────────

/** A cell as kept between preview and import: enough to write it back into the failed-rows workbook. */
export type RawCell = null | string | number | boolean | { d: string } | { t: string; u: string } | { e: string };

/** What a column feeds: one field, two fields written together, or nothing (序号, 备注, 错误说明…). */
type ColumnTarget = ImportField | "delegations_participants" | "countries_counterpart" | null;

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

function numberText(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(15)));
}

/** The text a cell shows, for the fields that take text. */
export function rawText(raw: RawCell): string {
  if (raw === null) return "";
  if (typeof raw === "string") return raw;
  if (typeof raw === "number") return numberText(raw);
  if (typeof raw === "boolean") return raw ? "TRUE" : "FALSE";
  if ("d" in raw) return raw.d.slice(0, 10);
  if ("u" in raw) return raw.t || raw.u;
  return raw.e;
}

function isBlank(raw: RawCell): boolean {
  return raw === null || (typeof raw === "string" && raw.trim() === "");
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

// ── 3. values ───────────────────────────────────────────────────────────────────────────────────────────────

type Parsed<T> = { ok: true; value: T; warning?: Omit<ImportMessage, "field" | "column"> } | { ok: false; key: string; params?: Record<string, string | number> };

const pad = (n: number) => String(n).padStart(2, "0");
function ymd(y: number, m: number, d: number): string | null {
  const iso = `${y}-${pad(m)}-${pad(d)}`;
  return isoDateOk(iso) ? iso : null;
}

/** Excel's day number (1900 system) → ISO date. */
function excelSerialToIso(serial: number): string {
  return new Date(Math.round((serial - 25569) * 86400_000)).toISOString().slice(0, 10);
}

function parseFullDateText(t: string): string | null | undefined {
  let m = /^(\d{4})[年.\/-](\d{1,2})[月.\/-](\d{1,2})[日号]?$/.exec(t);
  if (m) return ymd(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return ymd(+m[1]!, +m[2]!, +m[3]!);
  return undefined;
}

export interface DateCell {
  start: string;
  end?: string;
}

/**
 * A date as people write it: an Excel date, 2023年8月8日, 2023.8.8, 2023/8/8, 2023-08-08, 20230808; a month
 * (2023年8月 → its first day, with a warning); a range in one cell (2023年8月8日至10日, 2023.8.8-8.10).
 */
export function parseDateCell(raw: RawCell): Parsed<DateCell> {
  if (raw !== null && typeof raw === "object" && "d" in raw) {
    const iso = raw.d.slice(0, 10);
    return isoDateOk(iso) ? { ok: true, value: { start: iso } } : { ok: false, key: "imports.error.date", params: { value: iso } };
  }
  if (typeof raw === "number") {
    if (Number.isInteger(raw) && raw >= 19500101 && raw <= 21001231) {
      const iso = parseFullDateText(String(raw));
      if (iso) return { ok: true, value: { start: iso } };
    }
    // A day number in a cell formatted as a number: 45146 is 2023-08-08.
    if (raw >= 18264 && raw < 73416) {
      const iso = excelSerialToIso(Math.floor(raw));
      return { ok: true, value: { start: iso }, warning: { key: "imports.warn.date_serial", params: { value: numberText(raw), date: iso } } };
    }
  }
  const original = rawText(raw).trim();
  const t = original
    .normalize("NFKC")
    .replace(/[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, "")
    .replace(/\s+/g, "")
    .replace(/[(（][^)）]*[)）]$/, "");
  const bad = { ok: false as const, key: "imports.error.date", params: { value: original } };
  const full = parseFullDateText(t);
  if (full) return { ok: true, value: { start: full } };
  if (full === null) return bad;
  const month = /^(\d{4})[年.\/-](\d{1,2})月?$/.exec(t);
  if (month) {
    const iso = ymd(+month[1]!, +month[2]!, 1);
    if (!iso) return bad;
    return { ok: true, value: { start: iso }, warning: { key: "imports.warn.month_only", params: { value: original, date: iso } } };
  }
  if (/^\d{4}年?$/.test(t)) return { ok: false, key: "imports.error.date_year_only", params: { value: original } };

  // A range: "至", "到", "~", "—" split it; a "-" does where the left side is a whole date.
  const rightOf = (right: string, start: string): string | null => {
    const whole = parseFullDateText(right);
    if (whole !== undefined) return whole;
    const [y, m] = start.split("-").map(Number) as [number, number];
    let r = /^(\d{1,2})[月.\/-](\d{1,2})[日号]?$/.exec(right);
    if (r) return ymd(y, +r[1]!, +r[2]!);
    r = /^(\d{1,2})[日号]?$/.exec(right);
    if (r) return ymd(y, m, +r[1]!);
    return null;
  };
  for (let i = 1; i < t.length - 1; i++) {
    const sep = t[i]!;
    if (!"至到~—–-".includes(sep)) continue;
    const start = parseFullDateText(t.slice(0, i));
    if (!start) continue;
    const end = rightOf(t.slice(i + 1).replace(/^[-—]/, ""), start);
    if (end) return { ok: true, value: { start, end } };
  }
  return bad;
}

const AMOUNT_UNITS: Record<string, number> = { 亿元: 10, 亿: 10, 万元: 6, 万: 6, 千元: 5, 元: 2, 块: 2 };

/**
 * An amount in 万元 (the ledger's unit) from 30, "30万元", "300000元" (→ 30), "1.5亿", "３０", "1,234.5";
 * a bare number is in `defaultUnit` (万元 unless the header says 元). Exact to the fen.
 */
export function parseFunding(raw: RawCell, defaultUnit: "wan" | "yuan" = "wan"): Parsed<number> {
  const original = rawText(raw).trim();
  let text = original.normalize("NFKC").replace(/[\s,，]/g, "").replace(/^(人民币|rmb|cny|¥|￥)/i, "").replace(/(人民币|rmb|cny)$/i, "");
  if (typeof raw === "number") text = numberText(raw);
  let warning: Omit<ImportMessage, "field" | "column"> | undefined;
  if (/^(约|大约|约合|近)/.test(text)) {
    text = text.replace(/^(约|大约|约合|近)/, "");
    warning = { key: "imports.warn.approximate", params: { value: original } };
  }
  if (/美元|usd|us\$|\$|欧元|eur|€|泰铢|thb|基普|lak|缅币|mmk|瑞尔|khr|越南盾|vnd|日元|jpy/i.test(text)) {
    return { ok: false, key: "imports.error.funding_currency", params: { value: original } };
  }
  if (text.startsWith("-")) return { ok: false, key: "errors.negative" };
  const m = /^(\d+)(?:\.(\d+))?(亿元|亿|万元|万|千元|元|块)?$/.exec(text);
  if (!m) return { ok: false, key: "imports.error.funding", params: { value: original } };
  const digits = AMOUNT_UNITS[m[3] ?? (defaultUnit === "yuan" ? "元" : "万元")]!;
  const whole = m[1]!.replace(/^0+(?=\d)/, "");
  const fraction = m[2] ?? "";
  if (fraction.slice(digits).replace(/0/g, "") !== "") {
    return { ok: false, key: "imports.error.funding_precision", params: { value: original } };
  }
  if (whole.length + digits > 15) return { ok: false, key: "errors.too_large" };
  const fen = Number(whole) * 10 ** digits + Number(fraction.slice(0, digits).padEnd(digits, "0"));
  if (wanTextToFen(fenToWanText(fen)) !== fen) return { ok: false, key: "errors.too_large" };
  if (!warning && !m[3] && fen > 100_000 * 1_000_000 && defaultUnit === "wan") {
    warning = { key: "imports.warn.funding_large", params: { value: original } };
  }
  return { ok: true, value: fen, warning };
}

/** A count from 47, "47人次", "10批", "1,200", "约50人" (a warning). */
export function parseCount(raw: RawCell): Parsed<number> {
  const original = rawText(raw).trim();
  if (typeof raw === "number") {
    if (!Number.isInteger(raw)) return { ok: false, key: "imports.error.whole_number", params: { value: original } };
    if (raw < 0) return { ok: false, key: "errors.negative" };
    return { ok: true, value: raw };
  }
  const text = original.normalize("NFKC").replace(/[\s,，]/g, "");
  const m = /^(约|大约|近)?(-?\d+)(余|多|\+)?(人次|人|名|位|批次|批|个|团|场|次|期)?(余|多)?$/.exec(text);
  if (!m) return { ok: false, key: "imports.error.whole_number", params: { value: original } };
  const n = Number(m[2]);
  if (n < 0) return { ok: false, key: "errors.negative" };
  const approximate = Boolean(m[1] || m[3] || m[5]);
  return { ok: true, value: n, warning: approximate ? { key: "imports.warn.approximate", params: { value: original } } : undefined };
}

/** "10批47人次", "10批/47人次", "10/47": delegations and people written in one cell. */
function parseDelegationsParticipants(raw: RawCell): { delegations?: Parsed<number>; participants?: Parsed<number> } {
  const text = rawText(raw).normalize("NFKC").replace(/\s/g, "");
  const batches = /(\d+)(?:个)?(?:批次|批|团组|团)/.exec(text);
  const people = /(\d+)(?:人次|人|名)/.exec(text);
  if (batches || people) {
    return {
      delegations: batches ? parseCount(batches[1]!) : undefined,
      participants: people ? parseCount(people[1]!) : undefined,
    };
  }
  const pair = /^(\d+)[\/、,;](\d+)$/.exec(text);
  if (pair) return { delegations: parseCount(pair[1]!), participants: parseCount(pair[2]!) };
  return { participants: { ok: false, key: "imports.error.whole_number", params: { value: rawText(raw) } } };
}

/** Names folded for matching (full-width forms, case, spaces and punctuation do not matter): the country list's rule. */
const nameKey = countryKey;

/**
 * Splits "老挝、泰国", "LA, TH", "Laos; Viet Nam", "4.2.5 4.3.1" into the things they name. Pieces are joined
 * again when only together they name one thing ("Sri Lanka", "执法、司法合作", "Trinidad and Tobago").
 */
function splitList<T>(
  text: string,
  resolve: (piece: string) => T | null,
): { found: T[]; unknown: string[] } {
  const tokens = text.split(/([、,，;；\/／\n\r\t ]+|(?<=[\u4e00-\u9fff])(?:和|及|与)(?=[\u4e00-\u9fff])|\s+and\s+|&)/i);
  const pieces: { text: string; sep: string }[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const piece = tokens[i]!.trim();
    if (piece) pieces.push({ text: piece, sep: tokens[i + 1] ?? "" });
    else if (pieces.length) pieces[pieces.length - 1]!.sep += tokens[i + 1] ?? "";
  }
  const found: T[] = [];
  const unknown: string[] = [];
  let i = 0;
  while (i < pieces.length) {
    let matched = false;
    for (let j = pieces.length - 1; j >= i; j--) {
      let candidate = "";
      for (let k = i; k <= j; k++) candidate += pieces[k]!.text + (k < j ? pieces[k]!.sep : "");
      const value = resolve(candidate.trim());
      if (value !== null) {
        found.push(value);
        i = j + 1;
        matched = true;
        break;
      }
    }
    if (!matched) {
      unknown.push(pieces[i]!.text);
      i++;
    }
  }
  return { found, unknown };
}

// Countries: codes and names from the one country list (utils/countries), and the words for "the five Mekong
// countries". China and its parts (台湾, 香港, 澳门) resolve to nothing: they are refused with the reason.
const MEKONG_WORDS = ["湄公河五国", "湄公河国家", "湄公河流域国家", "澜湄五国", "湄公河各国", "mekongcountries", "fivemekongcountries"];

function resolveCountryPiece(piece: string): string[] | null {
  if (MEKONG_WORDS.includes(nameKey(piece))) return [...MEKONG_COUNTRIES];
  const code = resolveCountry(piece) ?? notCountry(piece);
  return code ? [code] : null;
}

/** Countries from codes or names in either language, separated by 、,，;／/ or spaces. */
export function parseCountries(text: string): { codes: string[]; unknown: string[]; refused: NotCountry[]; mekong: boolean } {
  const { found, unknown } = splitList(text, resolveCountryPiece);
  const all = [...new Set(found.flat())];
  const refused = all.filter((c): c is NotCountry => (NOT_COUNTRIES as readonly string[]).includes(c));
  const codes = all.filter((c) => isCountryCode(c));
  const mekong = found.some((f) => f.length > 1);
  return { codes, unknown, refused, mekong };
}

let bodyNames: { code: string; zh: string; en: RegExp | null }[] | null = null;

/**
 * Countries named at the start of "老挝琅勃拉邦省" or "Luang Prabang, Laos": what a 对方国家/机构 cell implies. The
 * longest Chinese name wins (几内亚比绍 is not also 几内亚); 中非 alone is not read as a country at the start of a
 * body, because "中非…" there is far more often China–Africa than the Central African Republic.
 */
function countriesInBody(text: string): string[] {
  bodyNames ??= countryNamesForMatching().map(({ code, zh, en }) => ({
    code,
    zh: zh === "中非" ? "中非共和国" : zh.normalize("NFKC"),
    en: en.length >= 4 ? new RegExp(`\\b${en.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "i") : null,
  }));
  const codes = new Set<string>();
  const folded = text.normalize("NFKC");
  for (const part of folded.split(/[、,，;；\/\n]+/)) {
    const p = part.trim();
    let prefix: { code: string; length: number } | null = null;
    for (const { code, zh, en } of bodyNames) {
      if (zh.length >= 2 && p.startsWith(zh) && zh.length > (prefix?.length ?? 0)) prefix = { code, length: zh.length };
      else if (en?.test(p)) codes.add(code);
    }
    if (prefix) codes.add(prefix.code);
  }
  return [...codes];
}

// Types and statuses: the form's labels in both languages, each part of "会议/论坛", the codes, and synonyms.
const TYPE_SYNONYMS: Record<ActivityType, string[]> = {
  outbound_visit: ["出访", "出国访问", "出访活动", "赴外访问", "外出访问", "outbound", "visit abroad", "outgoing visit"],
  inbound_visit: ["来访", "来访接待", "接待来访", "外宾来访", "接待", "inbound", "incoming visit", "visit received"],
  meeting: ["会议", "论坛", "会议论坛", "会谈", "会见", "研讨会", "座谈会", "meeting", "forum", "conference", "talks", "seminar"],
  agreement: ["签署协议", "备忘录", "签约", "协议", "签署备忘录", "agreement", "mou", "memorandum", "signing"],
  sister_city: ["友好城市", "友城", "缔结友好城市", "结好", "友好城市结好", "sister city", "sister cities", "twinning", "friendship city"],
  aid_project: ["援助", "民生项目", "援助项目", "援建", "aid", "assistance", "livelihood project"],
  training: ["培训", "培训班", "研修", "training", "course"],
  festival: ["节庆", "文化活动", "节庆活动", "文艺演出", "展览", "文化交流", "festival", "cultural event", "exhibition"],
  other: ["其他", "其它", "other", "others"],
};
const STATUS_SYNONYMS: Record<ActivityStatus, string[]> = {
  planned: ["计划", "计划中", "拟开展", "拟办", "筹备", "筹备中", "未开始", "planned", "plan", "upcoming", "not started"],
  ongoing: ["进行中", "正在进行", "实施中", "推进中", "在建", "ongoing", "in progress", "underway"],
  completed: ["已完成", "完成", "已办结", "办结", "已结束", "结束", "completed", "complete", "done", "finished"],
  cancelled: ["取消", "已取消", "撤销", "cancelled", "canceled"],
};

function labelMap<T extends string>(codes: readonly T[], prefix: string, synonyms: Record<T, string[]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const code of codes) {
    const names = [code, code.replace(/_/g, " "), zhT(`${prefix}.${code}`), enT(`${prefix}.${code}`), ...synonyms[code]];
    for (const name of names) {
      map.set(nameKey(name), code);
      for (const part of name.split("/")) if (part.trim()) map.set(nameKey(part), code);
    }
  }
  return map;
}
let typeMap: Map<string, ActivityType> | null = null;
let statusMap: Map<string, ActivityStatus> | null = null;
export function parseType(text: string): ActivityType | null {
  typeMap ??= labelMap(ACTIVITY_TYPES, "activity.type", TYPE_SYNONYMS);
  return typeMap.get(nameKey(text)) ?? null;
}
export function parseStatus(text: string): ActivityStatus | null {
  statusMap ??= labelMap(ACTIVITY_STATUSES, "activity.status", STATUS_SYNONYMS);
  return statusMap.get(nameKey(text)) ?? null;
}

const TYPE_HINTS: [ActivityType, RegExp][] = [
  ["sister_city", /友好城市|友城|结好|sister cit/i],
  ["agreement", /签署|签订|签约|备忘录|协议|agreement|mou\b|memorandum/i],
  ["training", /培训|研修|training/i],
  ["aid_project", /援助|援建|捐赠|民生项目|\baid\b|donat/i],
  ["festival", /节|文化周|文艺|演出|展览|festival|exhibition/i],
  ["meeting", /会议|论坛|研讨会|座谈会|会谈|会见|博览会|meeting|forum|conference|seminar/i],
  ["outbound_visit", /出访|赴|visit to/i],
  ["inbound_visit", /来访|来滇|接待|delegation from/i],
];
function typeFromTitle(title: string): ActivityType | null {
  return TYPE_HINTS.find(([, re]) => re.test(title))?.[0] ?? null;
}

// Plan items: "4.2.5", "4.2.5 农业", "第4.2.5条", or a title in either language; loosely (a unique part of a
// title) with a warning.
interface PlanEntry {
  id: number;
  code: string;
  title_zh: string;
  title_en: string;
  loggable: number;
}
type PlanMatch = { item: PlanEntry; loose?: boolean } | { ambiguous: PlanEntry[] } | { unknownCode: string };

class PlanMatcher {
  private byCode = new Map<string, PlanEntry>();
  private byTitle = new Map<string, PlanEntry[]>();
  constructor(private items: PlanEntry[]) {
    for (const item of items) {
      this.byCode.set(item.code, item);
      for (const title of [item.title_zh, item.title_en]) {
        const key = nameKey(title);
        this.byTitle.set(key, [...(this.byTitle.get(key) ?? []), item]);
      }
    }
  }
  /** strict: a code (with its own title, if any) or a whole title. */
  strict(text: string): PlanEntry | null {
    const t = text.normalize("NFKC").trim().replace(/^第/, "").replace(/[条款项]$/, "").trim();
    const m = /^(\d+(?:\.\d+){0,3})\.?\s*(.*)$/s.exec(t);
    if (m) {
      const item = this.byCode.get(m[1]!);
      if (!item) return null;
      const rest = nameKey(m[2]!);
      if (rest === "" || rest === nameKey(item.title_zh) || rest === nameKey(item.title_en)) return item;
      return null;
    }
    const found = this.byTitle.get(nameKey(t)) ?? [];
    return found.length === 1 ? found[0]! : null;
  }
  loose(text: string): PlanMatch | null {
    const t = text.normalize("NFKC").trim().replace(/^第/, "").replace(/[条款项]$/, "").trim();
    const m = /^(\d+(?:\.\d+){0,3})\.?\s*(.*)$/s.exec(t);
    if (m) {
      const item = this.byCode.get(m[1]!);
      return item ? { item, loose: true } : { unknownCode: m[1]! };
    }
    const key = nameKey(t);
    const exact = this.byTitle.get(key) ?? [];
    if (exact.length > 1) return { ambiguous: exact };
    if (key.length < 2) return null;
    const hits = this.items.filter((item) =>
      [item.title_zh, item.title_en].some((title) => {
        const k = nameKey(title);
        return k.length >= 2 && (k.includes(key) || key.includes(k));
      }),
    );
    if (hits.length === 1) return { item: hits[0]!, loose: true };
    if (hits.length > 1) return { ambiguous: hits };
    return null;
  }
}

// Units: the exact Chinese or English name (or code), or a unique short form — 西双版纳州 for 西双版纳傣族自治州,
// 昆明 for 昆明市, "西双版纳州外办" for the prefecture — with a warning.
const ETHNIC = "彝|哈尼|白|傣|壮|苗|回|傈僳|拉祜|佤|纳西|瑶|藏|景颇|布朗|布依|普米|阿昌|怒|基诺|德昂|蒙古|水|满|独龙";
const AUTONOMOUS = new RegExp(`^(.+?)(?:(?:${ETHNIC})族)+自治(州|县)$`);
const OFFICE_SUFFIX = /(人民政府外事办公室|外事办公室|外事办|外办|人民政府|政府|foreignaffairsoffice|fao)$/;

interface UnitEntry {
  id: number;
  code: string;
  path: string;
  kind: string;
  name_zh: string;
  name_en: string;
}
type UnitMatch = { unit: UnitEntry; loose?: boolean } | { ambiguous: UnitEntry[] } | null;

class UnitMatcher {
  private exact = new Map<string, UnitEntry[]>();
  private short = new Map<string, UnitEntry[]>();
  constructor(units: UnitEntry[]) {
    const add = (map: Map<string, UnitEntry[]>, key: string, unit: UnitEntry) => {
      if (!key) return;
      const list = map.get(key) ?? [];
      if (!list.includes(unit)) map.set(key, [...list, unit]);
    };
    for (const u of units) {
      for (const name of [u.name_zh, u.name_en, u.code]) add(this.exact, nameKey(name), u);
      if (u.kind === "foreign_body") continue;
      const auto = AUTONOMOUS.exec(u.name_zh);
      if (auto) {
        add(this.short, nameKey(auto[1]!), u);
        add(this.short, nameKey(auto[1]! + auto[2]!), u);
      }
      const plain = /^(.{2,})(省|市|县|州|区)$/.exec(u.name_zh);
      if (plain) add(this.short, nameKey(plain[1]!), u);
      const en = /^(.+?)\s+(?:[A-Z][a-z]+(?:,?\s+(?:and\s+)?[A-Z][a-z]+)*\s+)?(?:Autonomous\s+)?(?:Prefecture|County|City|Province)$/.exec(u.name_en);
      if (en) add(this.short, nameKey(en[1]!), u);
    }
  }
  match(text: string): UnitMatch {
    const key = nameKey(text);
    if (!key) return null;
    const exact = this.exact.get(key);
    if (exact?.length === 1) return { unit: exact[0]! };
    if (exact && exact.length > 1) return { ambiguous: exact };
    const trimmed = key.replace(OFFICE_SUFFIX, "");
    for (const k of [trimmed, key]) {
      const again = this.exact.get(k);
      if (again?.length === 1) return { unit: again[0]!, loose: true };
      const short = this.short.get(k);
      if (short?.length === 1) return { unit: short[0]!, loose: true };
      if (short && short.length > 1) return { ambiguous: short };
    }
    return null;
  }
}

export interface MatchContext {
  plan: PlanMatcher;
  units: UnitMatcher;
  user: Pick<SessionUser, "organization_id" | "organization_name_zh" | "organization_name_en">;
  today: string;
}

export async function loadMatchContext(db: DB, user: SessionUser, today = new Date().toISOString().slice(0, 10)): Promise<MatchContext> {
  const [plan, units] = await Promise.all([listPlanItems(db), listOrganizations(db)]);
  return { plan: new PlanMatcher(plan), units: new UnitMatcher(units), user, today };
}

// ── 4. a row: values for the activity form, and what was found on the way ─────────────────────────────────

export type FormValues = Record<string, string | string[]>;

export interface ImportRow {
  /** the row number Excel shows */
  row: number;
  raw: RawCell[];
  /** the activity form's values, as a user would have typed them */
  values: FormValues;
  /** what reading the cells found; kept, while the rules below are checked again at import */
  parse: { errors: ImportMessage[]; warnings: ImportMessage[] };
  rules: { errors: ImportMessage[]; warnings: ImportMessage[] };
  outcome: ImportOutcome;
  fingerprint: string | null;
}

const EMPTY_VALUES = (): FormValues => ({
  organization_id: "",
  title: "",
  type: "",
  start_date: "",
  end_date: "",
  status: "",
  primary_plan_item: "",
  plan_items: [],
  countries: [],
  counterpart_body: "",
  location: "",
  delegations_count: "",
  participants_count: "",
  funding_wan: "",
  funding_source: "",
  outcome: "",
  evidence_url: [],
  evidence_label: [],
  partner_units: [],
  partner_departments: "",
});

const URL_PATTERN = /https?:\/\/[^\s,，;；、<>"]+/gi;

export function normalizeRow(ctx: MatchContext, columns: SheetColumn[], source: { row: number; raw: RawCell[] }): ImportRow {
  const values = EMPTY_VALUES();
  const errors: ImportMessage[] = [];
  const warnings: ImportMessage[] = [];
  const columnOf = new Map<ImportField, string>();
  const cells = new Map<ImportField, RawCell>();
  let fundingUnit: "wan" | "yuan" = "wan";
  let combinedCounts: RawCell = null;
  let combinedCounterpart: RawCell = null;

  columns.forEach((column, i) => {
    const raw = source.raw[i] ?? null;
    if (column.target === "delegations_participants") {
      columnOf.set("delegations_count", column.header);
      columnOf.set("participants_count", column.header);
      combinedCounts = raw;
    } else if (column.target === "countries_counterpart") {
      columnOf.set("counterpart_body", column.header);
      if (!columnOf.has("countries")) columnOf.set("countries", column.header);
      combinedCounterpart = raw;
    } else if (column.target) {
      columnOf.set(column.target, column.header);
      cells.set(column.target, raw);
      if (column.target === "funding_wan" && column.unit) fundingUnit = column.unit;
    }
  });
  const at = (field: ImportField) => ({ field, column: columnOf.get(field) ?? null });
  const error = (field: ImportField, key: string, params?: ImportMessage["params"]) => errors.push({ ...at(field), key, params });
  const warn = (field: ImportField, key: string, params?: ImportMessage["params"]) => warnings.push({ ...at(field), key, params });
  const text = (field: ImportField) => rawText(cells.get(field) ?? null).trim();
  const excelError = (field: ImportField) => {
    const raw = cells.get(field);
    if (raw !== null && typeof raw === "object" && raw !== undefined && "e" in raw) {
      error(field, "imports.error.cell_error", { value: raw.e });
      return true;
    }
    return false;
  };

  // Plain text fields go to the form's rules as written (trimmed by them): HTML, length and hidden characters.
  for (const field of ["title", "counterpart_body", "location", "funding_source", "outcome"] as const) {
    if (!excelError(field)) values[field] = rawText(cells.get(field) ?? null);
  }
  if (combinedCounterpart !== null && !isBlank(combinedCounterpart)) {
    const body = rawText(combinedCounterpart).trim();
    if (!String(values.counterpart_body).trim()) values.counterpart_body = body;
    if (!cells.has("countries") || isBlank(cells.get("countries")!)) {
      const implied = countriesInBody(body);
      if (implied.length) {
        values.countries = implied;
        warn("countries", "imports.warn.country_from_body", { value: body, countries: implied.join("、") });
      }
    }
  }

  // Type: a label in either language; blank → guessed from the title, with a warning.
  if (!excelError("type")) {
    const typeText = text("type");
    if (typeText) {
      const type = parseType(typeText);
      if (type) values.type = type;
      else error("type", "imports.error.type_unknown", { value: typeText });
    } else {
      const guess = typeFromTitle(String(values.title));
      if (guess) {
        values.type = guess;
        warn("type", "imports.warn.type_inferred", { type_key: `activity.type.${guess}` });
      } else error("type", "errors.required");
    }
  }

  // Dates.
  const startRaw = cells.get("start_date") ?? null;
  let rangeEnd: string | undefined;
  let startOk = false;
  if (!excelError("start_date")) {
    if (isBlank(startRaw)) error("start_date", "errors.required");
    else {
      const parsed = parseDateCell(startRaw);
      if (parsed.ok) {
        values.start_date = parsed.value.start;
        rangeEnd = parsed.value.end;
        startOk = true;
        if (parsed.warning) warnings.push({ ...at("start_date"), ...parsed.warning });
      } else error("start_date", parsed.key, parsed.params);
    }
  }
  const endRaw = cells.get("end_date") ?? null;
  if (!excelError("end_date")) {
    if (!isBlank(endRaw)) {
      const parsed = parseDateCell(endRaw);
      if (parsed.ok) {
        values.end_date = parsed.value.end ?? parsed.value.start;
        if (parsed.warning) warnings.push({ ...at("end_date"), ...parsed.warning });
      } else error("end_date", parsed.key, parsed.params);
    } else if (rangeEnd) {
      values.end_date = rangeEnd;
    } else if (startOk) {
      values.end_date = values.start_date as string;
      warn("end_date", "imports.warn.end_from_start", { date: values.start_date as string });
    }
  }

  // Status: a label; blank → from the dates, with a warning.
  if (!excelError("status")) {
    const statusText = text("status");
    if (statusText) {
      const status = parseStatus(statusText);
      if (status) values.status = status;
      else error("status", "imports.error.status_unknown", { value: statusText });
    } else if (startOk && isoDateOk(String(values.end_date))) {
      const status: ActivityStatus =
        String(values.end_date) < ctx.today ? "completed" : String(values.start_date) > ctx.today ? "planned" : "ongoing";
      values.status = status;
      warn("status", "imports.warn.status_inferred", { status_key: `activity.status.${status}` });
    } else error("status", "errors.required");
  }

  // Plan items.
  const others: string[] = [];
  if (!excelError("primary_plan_item")) {
    const primaryText = text("primary_plan_item");
    if (!primaryText) error("primary_plan_item", "errors.required");
    else {
      const strict = ctx.plan.strict(primaryText);
      const list = strict ? null : splitList(primaryText, (p) => ctx.plan.strict(p));
      if (strict) values.primary_plan_item = strict.code;
      else if (list && list.found.length >= 2 && list.unknown.length === 0) {
        values.primary_plan_item = list.found[0]!.code;
        others.push(...list.found.slice(1).map((p) => p.code));
        warn("primary_plan_item", "imports.warn.primary_several", { value: primaryText, code: list.found[0]!.code });
      } else {
        const loose = ctx.plan.loose(primaryText);
        if (loose && "item" in loose) {
          values.primary_plan_item = loose.item.code;
          warn("primary_plan_item", "imports.warn.plan_item_loose", {
            value: primaryText,
            item_zh: `${loose.item.code} ${loose.item.title_zh}`,
            item_en: `${loose.item.code} ${loose.item.title_en}`,
          });
        } else if (loose && "ambiguous" in loose) {
          error("primary_plan_item", "imports.error.plan_item_ambiguous", {
            value: primaryText,
            candidates: loose.ambiguous.map((p) => p.code).join(", "),
          });
        } else error("primary_plan_item", "imports.error.plan_item_unknown", { value: primaryText });
      }
    }
  }
  if (!excelError("plan_items")) {
    const otherText = text("plan_items");
    if (otherText) {
      const list = splitList(otherText, (p) => ctx.plan.strict(p));
      others.push(...list.found.map((p) => p.code));
      for (const piece of list.unknown) {
        const loose = ctx.plan.loose(piece);
        if (loose && "item" in loose) {
          others.push(loose.item.code);
          warn("plan_items", "imports.warn.plan_item_loose", {
            value: piece,
            item_zh: `${loose.item.code} ${loose.item.title_zh}`,
            item_en: `${loose.item.code} ${loose.item.title_en}`,
          });
        } else if (loose && "ambiguous" in loose) {
          error("plan_items", "imports.error.plan_item_ambiguous", { value: piece, candidates: loose.ambiguous.map((p) => p.code).join(", ") });
        } else error("plan_items", "imports.error.plan_item_unknown", { value: piece });
      }
    }
  }
  values.plan_items = [...new Set(others)].filter((code) => code !== values.primary_plan_item);

  // Countries.
  if (!excelError("countries")) {
    const countryText = text("countries");
    if (countryText) {
      const parsed = parseCountries(countryText);
      values.countries = parsed.codes;
      for (const piece of parsed.unknown) error("countries", "imports.error.country_unknown", { value: piece });
      for (const code of parsed.refused) error("countries", notCountryMessage(code));
      if (parsed.mekong) warn("countries", "imports.warn.mekong", { value: countryText });
    }
  }

  // Counts.
  const setCount = (field: "delegations_count" | "participants_count", parsed: Parsed<number> | undefined) => {
    if (!parsed) return;
    if (parsed.ok) {
      values[field] = String(parsed.value);
      if (parsed.warning) warnings.push({ ...at(field), ...parsed.warning });
    } else error(field, parsed.key, parsed.params);
  };
  for (const field of ["delegations_count", "participants_count"] as const) {
    if (!excelError(field) && !isBlank(cells.get(field) ?? null)) setCount(field, parseCount(cells.get(field)!));
  }
  if (combinedCounts !== null && !isBlank(combinedCounts)) {
    const both = parseDelegationsParticipants(combinedCounts);
    if (!values.delegations_count) setCount("delegations_count", both.delegations);
    if (!values.participants_count) setCount("participants_count", both.participants);
  }

  // Funding.
  if (!excelError("funding_wan") && !isBlank(cells.get("funding_wan") ?? null)) {
    const parsed = parseFunding(cells.get("funding_wan")!, fundingUnit);
    if (parsed.ok) {
      values.funding_wan = fenToWanText(parsed.value);
      if (parsed.warning) warnings.push({ ...at("funding_wan"), ...parsed.warning });
    } else error("funding_wan", parsed.key, parsed.params);
  }

  // Evidence: hyperlinks and the http(s) links in the text; other text cannot be kept as a link.
  const evidenceRaw = cells.get("evidence") ?? null;
  if (!excelError("evidence") && !isBlank(evidenceRaw)) {
    const urls: string[] = [];
    const labels: string[] = [];
    if (evidenceRaw !== null && typeof evidenceRaw === "object" && "u" in evidenceRaw && /^https?:\/\//i.test(evidenceRaw.u)) {
      urls.push(evidenceRaw.u);
      labels.push(evidenceRaw.t && evidenceRaw.t !== evidenceRaw.u && !/^https?:\/\//i.test(evidenceRaw.t) ? evidenceRaw.t.trim() : "");
    } else {
      const all = rawText(evidenceRaw);
      const found = all.match(URL_PATTERN) ?? [];
      const rest = all.replace(URL_PATTERN, " ").replace(/[\s,，;；、]+/g, " ").trim();
      for (const url of found) {
        urls.push(url);
        labels.push(found.length === 1 ? rest : "");
      }
      if (found.length === 0) warn("evidence", "imports.warn.evidence_not_link", { value: all.trim() });
    }
    values.evidence_url = urls;
    values.evidence_label = labels;
  }

  // Unit: a name or short form; blank → the user's own unit, with a warning.
  if (!excelError("organization")) {
    const unitText = text("organization");
    if (!unitText) {
      values.organization_id = String(ctx.user.organization_id);
      warn("organization", "imports.warn.unit_default", { unit_zh: ctx.user.organization_name_zh, unit_en: ctx.user.organization_name_en });
    } else {
      const match = ctx.units.match(unitText);
      if (match && "unit" in match) {
        values.organization_id = String(match.unit.id);
        if (match.loose) warn("organization", "imports.warn.unit_loose", { value: unitText, unit_zh: match.unit.name_zh, unit_en: match.unit.name_en });
      } else if (match && "ambiguous" in match) {
        error("organization", "imports.error.unit_ambiguous", { value: unitText, candidates: match.ambiguous.map((u) => u.name_zh).join("、") });
      } else error("organization", "imports.error.unit_unknown", { value: unitText });
    }
  }

  // 配合单位: names of units of the tree become those units, other names are departments
  if (!excelError("partners")) {
    const unitIds: string[] = [];
    const departments: string[] = [];
    for (const name of splitDepartments(text("partners"))) {
      const match = ctx.units.match(name);
      if (match && "unit" in match && match.unit.kind !== "foreign_body") unitIds.push(String(match.unit.id));
      else departments.push(name);
    }
    values.partner_units = unitIds;
    values.partner_departments = departments.join("、");
  }

  return {
    row: source.row,
    raw: source.raw,
    values,
    parse: { errors, warnings },
    rules: { errors: [], warnings: [] },
    outcome: errors.length ? "error" : "ready",
    fingerprint: null,
  };
}

/** unit + title + start date + type, normalised (width, case, spaces, quotes), hashed. */
export function activityFingerprint(organizationId: number, title: string, startDate: string, type: string): string {
  const normalTitle = title.normalize("NFKC").toLowerCase().replace(/[\s《》“”"'‘’「」]/g, "");
  return createHash("sha256").update(`${organizationId}\u0001${normalTitle}\u0001${startDate}\u0001${type}`).digest("hex");
}

// ── 5. the database's rules: checked at preview, and again inside the import's transaction ─────────────────

const FORM_FIELD_TO_IMPORT: Record<string, ImportField> = {
  organization_id: "organization",
  partner_units: "partners",
  partner_departments: "partners",
  evidence_url: "evidence",
  evidence_label: "evidence",
};

interface RuleData {
  planByCode: Map<string, { id: number; loggable: number }>;
  unitById: Map<number, { path: string }>;
  approved: { start_date: string; end_date: string; path: string }[];
  counterparts: CounterpartMatcher;
}

async function loadRuleData(db: DB): Promise<RuleData> {
  const [plan, units, approved, counterparts] = await Promise.all([
    db.selectFrom("plan_items").select(["id", "code", "loggable"]).execute(),
    db.selectFrom("organizations").select(["id", "path"]).execute(),
    // The approved reports that freeze their period (freeze.server.ts asks the same of one date at a time).
    db
      .selectFrom("period_reports as r")
      .innerJoin("organizations as o", "o.id", "r.organization_id")
      .innerJoin("reporting_periods as p", "p.id", "r.period_id")
      .select(["p.start_date", "p.end_date", "o.path"])
      .where("r.status", "=", "approved")
      .execute(),
    loadCounterpartMatcher(db),
  ]);
  return {
    planByCode: new Map(plan.map((p) => [p.code, p])),
    unitById: new Map(units.map((u) => [u.id, u])),
    approved,
    counterparts,
  };
}

/**
 * The bodies of the counterpart register a row's 对方机构 text names, read the forgiving way: a registered body (by
 * any spelling) is linked; a name the register does not know is registered at import, announced on the preview
 * ("将新建对方机构 X"), when its country can be told (written before the name, or the row's one counterpart country);
 * otherwise, and for a name several bodies share, the words are kept and the preview says why. Never an error.
 */
function rowCounterparts(matcher: CounterpartMatcher, text: string, countries: string[]) {
  const refs: CounterpartRef[] = [];
  const warnings: { key: string; params: ImportMessage["params"] }[] = [];
  const names = (ids: number[], locale: "zh-CN" | "en") =>
    ids.map((id) => bodyFullName(matcher.entry(id)!, locale)).join(locale === "en" ? ", " : "、");
  for (const r of matcher.resolveText(text)) {
    if (r.kind === "body") refs.push({ id: r.id });
    else if (r.kind === "ambiguous") {
      warnings.push({ key: "imports.warn.counterpart_ambiguous", params: { value: r.name, candidates_zh: names(r.ids, "zh-CN"), candidates_en: names(r.ids, "en") } });
    } else if (r.kind === "unknown") {
      const country = r.country ?? (countries.length === 1 ? countries[0]! : null);
      if (r.refused) warnings.push({ key: "imports.warn.counterpart_china", params: { value: r.name } });
      else if (!country) warnings.push({ key: "imports.warn.counterpart_no_country", params: { value: r.name } });
      else {
        const level = guessLevel(r.bare);
        refs.push({ create: { nameZh: r.name, countryCode: country, level } });
        const about = { value: r.name, country_zh: countryName(country, "zh-CN"), country_en: countryName(country, "en"), level_key: `counterparts.level.${level}` };
        // a likely misspelling of a registered name is said; a department of a registered province is not one
        const similar = matcher.similar(r.bare, country, { closeOnly: true });
        warnings.push(
          similar.length
            ? { key: "imports.warn.counterpart_new_similar", params: { ...about, similar_zh: names(similar, "zh-CN"), similar_en: names(similar, "en") } }
            : { key: "imports.warn.counterpart_new", params: about },
        );
      }
    }
  }
  return { refs, warnings };
}

/**
 * The activity form's rules and the database's on every row: sets each row's rule messages, fingerprint and
 * outcome, and returns the ActivityInput of every row that is ready.
 */
export async function applyRules(
  db: DB,
  user: Pick<SessionUser, "organization_path">,
  columns: Partial<Record<ImportField, string>>,
  rows: ImportRow[],
): Promise<Map<number, ActivityInput>> {
  const data = await loadRuleData(db);
  const inputs = new Map<number, ActivityInput>();
  const at = (field: ImportField) => ({ field, column: columns[field] ?? null });

  rows.forEach((row, index) => {
    const errors: ImportMessage[] = [];
    const warnings: ImportMessage[] = [];
    const parsedFields = new Set(row.parse.errors.map((m) => m.field));
    const error = (field: ImportField, key: string, params?: ImportMessage["params"]) => {
      if (!parsedFields.has(field) && !errors.some((e) => e.field === field)) errors.push({ ...at(field), key, params });
    };
    // A preview stored before a field existed reads as that field left empty.
    const v = { ...EMPTY_VALUES(), ...row.values };
    const schema = activityFormSchema.safeParse(v);
    const problems = { ...crossFieldErrors(v), ...(schema.success ? {} : fieldErrors(schema.error)) };
    for (const [formField, key] of Object.entries(problems)) {
      // A blank end date stands in for the start date: when the start cannot be read, the end is not a second error.
      if (formField === "end_date" && v.end_date === "" && parsedFields.has("start_date")) continue;
      if (key) error(FORM_FIELD_TO_IMPORT[formField] ?? (formField as ImportField), key);
    }
    const check = (field: "primary_plan_item" | "plan_items", code: string) => {
      const item = data.planByCode.get(code);
      if (!item) error(field, "errors.plan_item");
      else if (item.loggable !== 1) error(field, "errors.plan_item_not_loggable");
    };
    if (v.primary_plan_item) check("primary_plan_item", String(v.primary_plan_item));
    for (const code of v.plan_items as string[]) check("plan_items", code);

    const unitId = Number(v.organization_id);
    const unit = data.unitById.get(unitId);
    if (v.organization_id !== "" && !unit) error("organization", "imports.error.unit_unknown", { value: String(v.organization_id) });
    else if (unit && !withinUnit(user, unit.path)) error("organization", "errors.unit_forbidden");
    const start = String(v.start_date);
    if (unit && isoDateOk(start)) {
      const frozen = data.approved.some((r) => unit.path.startsWith(r.path) && r.start_date <= start && r.end_date >= start);
      if (frozen) error("start_date", "reports.frozen");
    }

    const counterparts =
      schema.success || !errors.some((e) => e.field === "counterpart_body")
        ? rowCounterparts(data.counterparts, String(v.counterpart_body).trim(), (v.countries as string[]).filter(isCountryCode))
        : { refs: [], warnings: [] };
    for (const w of counterparts.warnings) warnings.push({ ...at("counterpart_body"), ...w });

    row.rules = { errors, warnings };
    row.fingerprint = null;
    if (row.parse.errors.length || errors.length || !schema.success) {
      row.outcome = "error";
      return;
    }
    const form = schema.data;
    row.fingerprint = activityFingerprint(form.organization_id, form.title, form.start_date, form.type);
    row.outcome = "ready";
    inputs.set(index, {
      organizationId: form.organization_id,
      title: form.title,
      type: form.type,
      startDate: form.start_date,
      endDate: form.end_date,
      status: form.status,
      primaryPlanItemId: data.planByCode.get(form.primary_plan_item)!.id,
      otherPlanItemIds: form.plan_items.map((code) => data.planByCode.get(code)!.id),
      countries: form.countries,
      counterpartBody: form.counterpart_body,
      location: form.location,
      delegationsCount: form.delegations_count,
      participantsCount: form.participants_count,
      fundingCnyFen: form.funding_wan,
      fundingSource: form.funding_source,
      outcome: form.outcome,
      evidence: form.evidence_url.map((url, i) => ({ url, label: form.evidence_label[i] ?? "" })).filter((e) => e.url !== ""),
      partners: [...form.partner_units.map((organizationId) => ({ organizationId })), ...form.partner_departments.map((name) => ({ name }))],
      counterparts: counterparts.refs,
    });
  });

  // Rows already in the ledger (imported before, or logged by hand with the same unit, title, date and type),
  // and rows repeating an earlier row of the same file: recognised, reported, skipped.
  const ready = [...inputs.entries()];
  const imported = await findImportedFingerprints(db, ready.map(([i]) => rows[i]!.fingerprint!));
  const existing = await listActivitiesOnDates(
    db,
    ready.map(([, input]) => input.organizationId),
    ready.map(([, input]) => input.startDate),
  );
  const present = new Set([...imported, ...existing.map((a) => activityFingerprint(a.organization_id, a.title, a.start_date, a.type))]);
  const firstRow = new Map<string, number>();
  for (const [index] of ready) {
    const row = rows[index]!;
    const fp = row.fingerprint!;
    // a row that is skipped registers no body: its "will be registered" notes would mislead
    const skip = () => (row.rules.warnings = row.rules.warnings.filter((w) => !w.key.startsWith("imports.warn.counterpart_new")));
    if (present.has(fp)) {
      skip();
      row.outcome = "present";
      row.rules.warnings.push({ field: "title", column: columns.title ?? null, key: "imports.warn.present" });
      inputs.delete(index);
    } else if (firstRow.has(fp)) {
      skip();
      row.outcome = "repeated";
      row.rules.warnings.push({ field: "title", column: columns.title ?? null, key: "imports.warn.repeated", params: { row: firstRow.get(fp)! } });
      inputs.delete(index);
    } else firstRow.set(fp, row.row);
  }
  return inputs;
}

// ── 6. upload, preview, import ──────────────────────────────────────────────────────────────────────────────

interface StoredHeaders {
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

export type UploadResult = { ok: true; id: number } | { ok: false; refusal: Refusal };

/** Reads an uploaded file, checks every row, and keeps the result for the preview. Writes no activity. */
export async function previewUpload(db: DB, user: SessionUser, file: { name: string; bytes: Buffer }): Promise<UploadResult> {
  await pruneExpiredUploads(db);
  const read = await readSpreadsheet(file.bytes);
  if (!read.ok) return read;
  const { sheet } = read;
  const ctx = await loadMatchContext(db, user);
  const rows = sheet.rows.map((r) => normalizeRow(ctx, sheet.columns, r));
  const fields = fieldColumns(sheet.columns);
  await applyRules(db, user, fields, rows);
  const headers: StoredHeaders = {
    headers: sheet.columns.map((c) => c.header),
    columnFields: sheet.columns.map((c) => fieldsOfTarget(c.target)),
    fields,
  };
  const id = await createUpload(db, {
    user_id: user.id,
    file_name: file.name.slice(0, 255),
    file_sha256: createHash("sha256").update(file.bytes).digest("hex"),
    file_size_bytes: file.bytes.length,
    sheet_name: sheet.sheetName.slice(0, 100),
    header_row: sheet.headerRow,
    headers_json: JSON.stringify(headers),
    rows_json: JSON.stringify(rows),
    notes_json: JSON.stringify(sheet.notes),
    row_count: rows.length,
  });
  return { ok: true, id };
}

export function uploadRows(upload: Pick<UploadRow, "rows_json">): ImportRow[] {
  return JSON.parse(upload.rows_json) as ImportRow[];
}
export function uploadHeaders(upload: Pick<UploadRow, "headers_json">): StoredHeaders {
  return JSON.parse(upload.headers_json) as StoredHeaders;
}

export interface ImportResult {
  created: number;
  present: number;
  repeated: number;
  skippedErrors: number;
}

export type ImportOutcomeResult =
  | { status: "ok"; result: ImportResult }
  | { status: "not_found" }
  | { status: "has_errors"; errors: number }
  | { status: "failed" };

class HasErrors extends Error {
  constructor(readonly count: number) {
    super("has errors");
  }
}

/**
 * Imports an upload's rows: all of them (refused while any row has a blocking error) or only the valid ones.
 * The rows are checked again against the database and written in one transaction with their history entries;
 * any failure writes nothing.
 */
export async function importUpload(
  db: DB,
  user: SessionUser,
  uploadId: number,
  mode: ImportMode,
): Promise<ImportOutcomeResult> {
  const upload = await getUploadOf(db, user.id, uploadId);
  if (!upload) return { status: "not_found" };
  const { fields } = uploadHeaders(upload);
  const rows = uploadRows(upload);
  try {
    const result = await db.transaction().execute(async (trx) => {
      // Imports wait for each other, so one started at the same moment sees this one's rows as already present.
      await lockUntilCommit(trx, "activity-import");
      await waitForApprovals(trx);
      const inputs = await applyRules(trx, user, fields, rows);
      const errorRows = rows.filter((r) => r.outcome === "error").length;
      if (mode === "all" && errorRows > 0) throw new HasErrors(errorRows);
      const order = [...inputs.keys()].sort((a, b) => a - b);
      await insertActivitiesBatch(
        trx,
        order.map((i) => ({ input: inputs.get(i)!, fingerprint: rows[i]!.fingerprint })),
        user.id,
        { action: "activity.import" },
      );
      for (const i of order) rows[i]!.outcome = "imported";
      const result: ImportResult = {
        created: order.length,
        present: rows.filter((r) => r.outcome === "present").length,
        repeated: rows.filter((r) => r.outcome === "repeated").length,
        skippedErrors: errorRows,
      };
      await saveImportResult(trx, upload.id, { rows_json: JSON.stringify(rows), result_json: JSON.stringify(result) });
      return result;
    });
    return { status: "ok", result };
  } catch (error) {
    if (error instanceof HasErrors) return { status: "has_errors", errors: error.count };
    console.error("import failed; nothing was written", error);
    return { status: "failed" };
  }
}

// ── 7. what the preview page shows ──────────────────────────────────────────────────────────────────────────

export interface PreviewRow {
  row: number;
  title: string;
  outcome: ImportOutcome;
  errors: ImportMessage[];
  warnings: ImportMessage[];
}

export async function loadPreview(
  db: DB,
  user: SessionUser,
  uploadId: number,
  options: { view: "problems" | "all"; page: number; pageSize: number },
) {
  const upload = await getUploadOf(db, user.id, uploadId);
  if (!upload) return null;
  const rows = uploadRows(upload);
  const { headers, columnFields, fields } = uploadHeaders(upload);
  const counts = { total: rows.length, ready: 0, warned: 0, error: 0, present: 0, repeated: 0, imported: 0 };
  for (const r of rows) {
    counts[r.outcome]++;
    if (r.outcome === "ready" && r.parse.warnings.length + r.rules.warnings.length > 0) counts.warned++;
  }
  const problem = (r: ImportRow) =>
    (r.outcome !== "ready" && r.outcome !== "imported") || r.parse.warnings.length + r.rules.warnings.length > 0;
  const listed = options.view === "problems" ? rows.filter(problem) : rows;
  const page = Math.max(1, Math.min(options.page, Math.ceil(listed.length / options.pageSize) || 1));
  const slice = listed.slice((page - 1) * options.pageSize, page * options.pageSize);
  const earlier = await findImportedUploadOfFile(db, user.id, upload.file_sha256, upload.id);
  return {
    upload: {
      id: upload.id,
      fileName: upload.file_name,
      sheetName: upload.sheet_name,
      headerRow: upload.header_row,
      status: upload.status,
      createdAt: upload.created_at,
      importedAt: upload.imported_at,
      result: upload.result_json ? (JSON.parse(upload.result_json) as ImportResult) : null,
      earlierImportAt: earlier?.imported_at ?? null,
    },
    columns: headers.map((header, i) => ({ header, fields: columnFields[i] ?? [] })),
    notes: JSON.parse(upload.notes_json) as ImportMessage[],
    counts,
    view: options.view,
    page,
    pageSize: options.pageSize,
    listedTotal: listed.length,
    rows: slice.map(
      (r): PreviewRow => ({
        row: r.row,
        title: String(r.values.title ?? "").trim() || rawText(r.raw[headers.indexOf(fields.title ?? "")] ?? null),
        outcome: r.outcome,
        errors: [...r.parse.errors, ...r.rules.errors],
        warnings: [...r.parse.warnings, ...r.rules.warnings],
      }),
    ),
  };
}

export type ImportPreview = NonNullable<Awaited<ReturnType<typeof loadPreview>>>;

// The activity list as shown, as a workbook or a CSV file: the list page's URL filters and sort applied exactly as
// the page applies them (parsed and checked by loadActivityList, turned into SQL by activityListQuery), every
// matching row rather than one page, and the filters written in words under the title.
import { type ActivityFilter, activityListQuery } from "~/models/activity.server";
import { listPlanItems } from "~/models/plan-item.server";
import { type ActivityListData, loadActivityList } from "~/presenters/activity-list.server";
import { type Locale, type Translate, localName } from "~/i18n";
import { formatDate, formatDateTime, formatNumber, joinList } from "~/i18n/format";
import type { ActivityFilterParams } from "~/schemas/activity-filter";
import { todayInChina } from "~/utils/china-time";
import { countryName } from "~/utils/countries";
import type { DB } from "~/utils/db.server";
import {
  CSV_BOM,
  type CellValue,
  type ColumnKind,
  READ_BATCH,
  type SheetColumn,
  csvLine,
  excelDate,
  fenToWan,
  fileNamePart,
  labels,
  streamWorkbook,
  textStream,
} from "./excel-format.server";
import { type ExportActivity, type ExportFile, evidenceText, loadExportRows } from "./ledger-export.server";

export type ListExportRequest =
  | { ok: true; list: ActivityListData; filter: ActivityFilter }
  | { ok: false; status: 400; reason: "bad_filter"; params: string[] };

/**
 * The list page's filters from the URL. loadActivityList parses and checks them (a filter it would ignore makes
 * the export a 400: a file must not silently hold more than the user asked for) and resolve them into the
 * ActivityFilter the page reads with, so the file holds exactly the rows the page counts.
 */
export async function resolveListExport(db: DB, searchParams: URLSearchParams): Promise<ListExportRequest> {
  const list = await loadActivityList(db, searchParams);
  if (list.invalid.length) return { ok: false, status: 400, reason: "bad_filter", params: [...new Set(list.invalid)] };
  return { ok: true, list, filter: list.filter };
}

/** Each active filter in words: "单位（含下级）：西双版纳傣族自治州；类型：出访". */
export function describeFilters(list: ActivityListData, locale: Locale, t: Translate): string {
  const p = list.params;
  const { choices } = list;
  const parts: string[] = [];
  const add = (label: string, value: string) => parts.push(t("exports.list.filter_item", { label: t(label), value }));
  if (p.unit !== undefined) {
    const unit = choices.organizations.find((o) => o.id === p.unit);
    if (unit) add("filter.unit", localName(locale, unit.name_zh, unit.name_en));
  }
  if (p.pillar !== undefined) {
    const pillar = choices.pillars.find((x) => x.code === p.pillar);
    if (pillar) add("filter.pillar", `${pillar.code} ${localName(locale, pillar.title_zh, pillar.title_en)}`);
  }
  if (p.area !== undefined) {
    const area = choices.areas.find((a) => a.code === p.area);
    if (area) add("filter.area", localName(locale, area.name_zh, area.name_en));
  }
  if (p.item !== undefined) {
    const item = choices.planItems.find((x) => x.code === p.item);
    add("filter.plan_item", item ? `${item.code} ${localName(locale, item.title_zh, item.title_en)}` : p.item);
  }
  if (p.type) add("filter.type", t(`activity.type.${p.type}`));
  if (p.status) add("filter.status", t(`activity.status.${p.status}`));
  if (p.country) add("filter.country", countryName(p.country, locale));
  if (p.from) add("filter.from", formatDate(p.from, locale));
  if (p.to) add("filter.to", formatDate(p.to, locale));
  if (p.q) add("filter.q", t("exports.list.quoted", { text: p.q }));
  const filters = parts.length ? parts.join(t("exports.list.separator")) : t("exports.list.no_filters");
  return t("exports.list.filters", { filters, sort: t(`sort.${p.sort ?? "start_desc"}`) });
}

// ── the list's own query, every row ──────────────────────────────────────────────────────────────
//
// activityListQuery is the one place the list's filters and sorts become SQL: the export selects only the ids
// from it (every matching id in the list's order, in one pass), then reads the rows READ_BATCH ids at a time.
// A filter or a sort added to the list applies to the export without a change here.

/** The ids of every activity of the list, in the list's order. */
export async function listIds(db: DB, filter: ActivityFilter, sort: ActivityFilterParams["sort"]): Promise<number[]> {
  const rows = await activityListQuery(db, filter, sort).select("a.id").execute();
  return rows.map((r) => r.id);
}

/** A row of the list export: the same row every export writes. */
export type ListRow = ExportActivity;

/** Every row of the list in its order, READ_BATCH at a time. */
export async function* listRows(db: DB, request: Extract<ListExportRequest, { ok: true }>): AsyncGenerator<ListRow[]> {
  const [ids, plan] = await Promise.all([listIds(db, request.filter, request.list.params.sort), listPlanItems(db)]);
  for (let i = 0; i < ids.length; i += READ_BATCH) {
    yield await loadExportRows(db, ids.slice(i, i + READ_BATCH), plan);
  }
}

export function listColumns(t: Translate): SheetColumn[] {
  const c = (key: string, kind: ColumnKind, max?: number): SheetColumn => ({ header: t(key), kind, max });
  return [
    c("exports.col.serial", "serial"),
    c("activity.title", "long", 32),
    c("activity.type", "text", 14),
    c("activity.status", "text", 8),
    c("activity.start_date", "date"),
    c("activity.end_date", "date"),
    c("activity.organization", "text", 20),
    c("activity.primary_plan_item", "text", 22),
    c("activity.plan_items", "text", 22),
    c("activity.countries", "text", 16),
    c("activity.counterpart_body", "text", 22),
    c("activity.location", "text", 18),
    c("activity.delegations_count", "int"),
    c("activity.participants_count", "int"),
    c("activity.funding_wan", "wan"),
    c("activity.funding_source", "text", 16),
    c("activity.outcome", "long", 40),
    c("activity.evidence", "long", 30),
  ];
}

/** The cells of a list row; the labels and plan item names are looked up once per export. */
function listValuesOf(locale: Locale, t: Translate) {
  const typeLabel = labels(t, "activity.type.");
  const statusLabel = labels(t, "activity.status.");
  const planNames = new Map<string, string>();
  const plan = (p: ListRow["planItems"][number]) => {
    let name = planNames.get(p.code);
    if (name === undefined) planNames.set(p.code, (name = `${p.code} ${localName(locale, p.title_zh, p.title_en)}`));
    return name;
  };
  const plans = (r: ListRow, primary: boolean) => {
    let text = "";
    for (const p of r.planItems) if (p.primary === primary) text = text ? `${text}\n${plan(p)}` : plan(p);
    return text;
  };
  return (r: ListRow, serial: number): CellValue[] => [
    serial,
    r.title,
    typeLabel(r.type),
    statusLabel(r.status),
    excelDate(r.start_date),
    excelDate(r.end_date),
    locale === "en" && r.organization_name_en ? r.organization_name_en : r.organization_name_zh,
    plans(r, true),
    plans(r, false),
    r.countries.length ? joinList(r.countries.map((c) => countryName(c, locale)), locale) : "",
    r.counterpart_body,
    r.location,
    r.delegations_count,
    r.participants_count,
    fenToWan(r.funding_cny_fen),
    r.funding_source,
    r.outcome,
    evidenceText(r),
  ];
}

function fileNames(locale: Locale, t: Translate, today: string, extension: "xlsx" | "csv") {
  return {
    fileName: `${fileNamePart(t("exports.list.file"))}_${fileNamePart(formatDate(today, locale))}.${extension}`,
    asciiName: `activities_${today}.${extension}`,
  };
}

export async function exportActivityList(
  db: DB,
  request: Extract<ListExportRequest, { ok: true }>,
  input: { locale: Locale; t: Translate; now?: Date },
): Promise<ExportFile> {
  const { locale, t } = input;
  const now = input.now ?? new Date();
  const total = request.list.result.total;
  const columns = listColumns(t);
  const body = streamWorkbook(locale, t, async (book) => {
    const sheet = await book.sheet({
      name: t("exports.list.sheet"),
      title: t("exports.list.title"),
      notes: [
        describeFilters(request.list, locale, t),
        t("exports.list.count", { count: formatNumber(total, locale), time: formatDateTime(now.toISOString(), locale) }),
      ],
      columns,
      freezeColumns: 2,
    });
    const valuesOf = listValuesOf(locale, t);
    let serial = 0;
    for await (const batch of listRows(db, request)) {
      for (const row of batch) if (sheet.add(valuesOf(row, ++serial))) await sheet.flush();
    }
  });
  return { ...fileNames(locale, t, todayInChina(now), "xlsx"), body };
}

/** The same rows as CSV: UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting, formula-like text prefixed with '. */
export async function exportActivityListCsv(
  db: DB,
  request: Extract<ListExportRequest, { ok: true }>,
  input: { locale: Locale; t: Translate; now?: Date },
): Promise<ExportFile> {
  const { locale, t } = input;
  const now = input.now ?? new Date();
  const columns = listColumns(t);
  const kinds = columns.map((c) => c.kind);
  const total = request.list.result.total;
  async function* chunks(): AsyncGenerator<string> {
    // the same lines as above the workbook's header, so the file says what it holds
    yield CSV_BOM +
      csvLine([t("exports.list.title")]) +
      csvLine([describeFilters(request.list, locale, t)]) +
      csvLine([t("exports.list.count", { count: formatNumber(total, locale), time: formatDateTime(now.toISOString(), locale) })]) +
      csvLine(columns.map((c) => c.header));
    const valuesOf = listValuesOf(locale, t);
    let serial = 0;
    for await (const batch of listRows(db, request)) {
      let text = "";
      for (const row of batch) text += csvLine(valuesOf(row, ++serial), kinds);
      yield text;
    }
  }
  return { ...fileNames(locale, t, todayInChina(now), "csv"), body: textStream(chunks()) };
}

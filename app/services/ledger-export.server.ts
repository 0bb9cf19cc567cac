// The 工作台账: the spreadsheet a unit hands in — a header block (title, 填报单位, 报告期, 截至日期, 填报人, 联系电话,
// 审核人), then its activities grouped by plan item, a 合计 row and the block the office signs; a second sheet,
// 活动明细, lists the foreign-affairs details of the same activities. Exported for a unit and the units below it, or
// for all units, over a reporting period or a range of dates. Both sheets print on A4 landscape at 10 pt (their
// widths add up to a page), each row as tall as its wrapped text (see excel-format.server.ts).
//
// Sheet 1 has exactly the standard columns. Each plan item opens with a group row (一、二、…) carrying what belongs
// to the item; the activity rows below it (numbered 1, 2, … through the sheet) carry what belongs to the activity.
//   序号        group: 一、二、…            activity: 1, 2, 3 …
//   对应条款    the plan item's code, merged down over the group
//   重点任务    the plan item's title, merged down over the group
//   具体举措    activity: its title
//   量化目标    group: the indicators of the item (and below it) with the plan target and, for a period, its target
//   牵头单位    group: the unit(s) whose report speaks to the item; activity: the unit that logged it
//   配合单位    activity: its co-operating units and departments of our side (never the foreign counterpart,
//               which is on sheet 2)
//   完成时限    activity: its end date (a date)
//   进展情况    group: the report's 进展情况 for the item; activity: its outcome (成果)
//   完成进度    已完成 / 序时推进 / 滞后 / 未启动 (已取消), judged from dates and status, and for a group from its
//               activities and its rating (see activityCompletion, itemCompletion)
//   存在问题    group: the report's 存在问题, with its 需协调事项
//   下一步打算  group: the report's 下一步打算
//   佐证材料    activity: its evidence links, then its evidence files (each a download address on this site, from
//               the request's origin); the cell opens the first of them
//   预警        group: the reviewer's 红黄绿 rating of the item for the period, else the system's proposal marked
//               （建议）; the cell is filled in its colour. Only for a period (ratings are per period).
//   备注        left for the office (funding is on sheet 2)
// Sheet 2: 序号 (as on sheet 1) · 活动名称 · 活动类型 · 对方国家 · 对方机构 · 批次 · 人次 · 资金（万元） · 日期 · 地点 ·
// 成果文件, and a 合计 row; each activity is listed, and counted, once.
// 填报人 is the unit's reporter who drafted the report (blank until it is handed in, to be written by hand), never
// whoever downloads the file; 审核人 the reviewer who approved it.
// Where the report of a unit for the period is approved, its activities, narratives and the rating proposals come
// from the snapshot frozen at approval (of that unit or of a unit above it), whatever happened to the data since.
import type { Rating } from "../../db/schema";
import { type Locale, type Translate, localName } from "~/i18n";
import { formatDate, formatDateRange, formatNumber, formatWan, joinList } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { listPartners } from "~/models/activity.server";
import { listFilesOfActivities } from "~/models/evidence-file.server";
import { listIndicators, listPeriodTargets } from "~/models/indicator.server";
import { type OrganizationRow, getOrganization, listOrganizations } from "~/models/organization.server";
import { listReportItems } from "~/models/period-report.server";
import { type PlanItemRow, listPlanItems } from "~/models/plan-item.server";
import { listRatings } from "~/models/rating.server";
import { type PeriodRow, getPeriodByCode } from "~/models/reporting-period.server";
import { proposalsFor } from "~/services/rating-proposal.server";
import type { ReadSnapshot, SnapshotItem } from "~/schemas/report-snapshot";
import { readReportSnapshot } from "~/services/report-workflow.server";
import { ACTIVITY_STATUSES, isoDateOk } from "~/schemas/activity";
import type { SessionUser } from "~/utils/auth.server";
import { can } from "~/utils/permissions";
import { todayInChina } from "~/utils/china-time";
import { countryName } from "~/utils/countries";
import type { DB } from "~/utils/db.server";
import {
  type CellValue,
  READ_BATCH,
  type ExportBook,
  type SheetColumn,
  excelDate,
  exportError,
  fenToWan,
  fileNamePart,
  groupNumeral,
  isWebLink,
  labels,
  streamWorkbook,
} from "./excel-format.server";

// ── what is exported ────────────────────────────────────────────────────────────────────────────

export interface ExportScope {
  /** the unit and the units below it; null for all units */
  unit: OrganizationRow | null;
  period: PeriodRow | null;
  /** activities that start within [from, to] (the rule a period report gathers its activities by) */
  from: string | null;
  to: string | null;
}

export type ScopeResult = { ok: true; scope: ExportScope } | { ok: false; status: 400 | 404; reason: string; param?: string };

/**
 * Reads ?unit=&period= or ?unit=&from=&to= (each optional). A value that does not parse is a 400 naming the
 * parameter; a unit or period that does not exist is a 404.
 */
export async function resolveExportScope(
  db: DB,
  params: URLSearchParams,
  options: { allowUnit?: boolean; requirePeriod?: boolean } = {},
): Promise<ScopeResult> {
  const get = (key: string) => params.get(key)?.trim() || null;
  const unitParam = options.allowUnit === false ? null : get("unit");
  const periodParam = get("period");
  const from = get("from");
  const to = get("to");
  if (unitParam !== null && !/^[1-9]\d{0,9}$/.test(unitParam)) return { ok: false, status: 400, reason: "bad_param", param: "unit" };
  if (periodParam !== null && !/^\d{4}(-[QH][1-4])?$/.test(periodParam)) return { ok: false, status: 400, reason: "bad_param", param: "period" };
  if (from !== null && !isoDateOk(from)) return { ok: false, status: 400, reason: "bad_param", param: "from" };
  if (to !== null && !isoDateOk(to)) return { ok: false, status: 400, reason: "bad_param", param: "to" };
  if (from && to && to < from) return { ok: false, status: 400, reason: "bad_param", param: "to" };
  if (periodParam && (from || to)) return { ok: false, status: 400, reason: "period_and_dates" };
  if (options.requirePeriod && !periodParam) return { ok: false, status: 400, reason: "bad_param", param: "period" };
  const unit = unitParam ? await getOrganization(db, Number(unitParam)) : null;
  if (unitParam && !unit) return { ok: false, status: 404, reason: "not_found", param: "unit" };
  const period = periodParam ? await getPeriodByCode(db, periodParam) : null;
  if (periodParam && !period) return { ok: false, status: 404, reason: "not_found", param: "period" };
  return {
    ok: true,
    scope: {
      unit: unit ?? null,
      period: period ?? null,
      from: period ? period.start_date : from,
      to: period ? period.end_date : to,
    },
  };
}

/** The 400 or 404 of a scope that does not resolve. */
export function scopeError(result: Extract<ScopeResult, { ok: false }>, t: Translate): Response {
  const message =
    result.status === 404
      ? t("exports.errors.not_found")
      : result.reason === "period_and_dates"
        ? t("exports.errors.period_and_dates")
        : t("exports.errors.bad_param", { param: result.param ?? "" });
  return exportError(result.status, result.reason, message, result.param ? { param: result.param } : {});
}

/** The ledger of all units is the secretariat's; a unit's ledger anyone signed in may read (as they read the ledger). */
export function mayExportAllUnits(user: Pick<SessionUser, "role" | "organization_path">): boolean {
  return can(user, "ledger.export_all");
}

/**
 * The provinces, whose ledgers are the province-wide ones: offered, with the all-units ledger, to those who may
 * export it (to nobody else, as the all-units one is).
 */
export async function provinceLedgers(db: DB, user: Pick<SessionUser, "role" | "organization_path">) {
  if (!mayExportAllUnits(user)) return [];
  return (await listOrganizations(db)).filter((o) => o.kind === "province").map((o) => ({ id: o.id, name_zh: o.name_zh, name_en: o.name_en }));
}

// ── the activities, live or frozen ──────────────────────────────────────────────────────────────

export interface ExportActivity {
  id: number;
  title: string;
  type: string;
  status: string;
  start_date: string;
  end_date: string;
  counterpart_body: string;
  location: string;
  delegations_count: number | null;
  participants_count: number | null;
  funding_cny_fen: number | null;
  funding_source: string;
  outcome: string;
  organization_id: number;
  organization_name_zh: string;
  organization_name_en: string;
  organization_path: string;
  planItems: { code: string; title_zh: string; title_en: string; primary: boolean }[];
  countries: string[];
  evidence: { url: string; label: string }[];
  /** the row comes from an approved report's snapshot */
  frozen: boolean;
}

export interface PeriodReportInfo {
  id: number;
  status: string;
  organization_id: number;
  organization_path: string;
  name_zh: string;
  name_en: string;
  submitted_by_name: string | null;
  reviewed_by_name: string | null;
  submitted_at: string | null;
  /** the unit's reporter who drafted the report (the last to save it), else whoever submitted it */
  drafted_by_name: string | null;
  approvedAt: string | null;
  items: SnapshotItem[];
  /** the rating proposals frozen at approval (empty for a snapshot written before they were) */
  proposals: { plan_item_id: number; rating: Rating }[] | null;
}

function chunks<T>(list: T[], size = READ_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export interface PlanItemRef {
  code: string;
  title_zh: string;
  title_en: string;
  primary: boolean;
}

/** Which links of the activities to read (a query a batch each): a sheet that shows no evidence need not read it. */
export interface LinksWanted {
  countries?: boolean;
  evidence?: boolean;
  /** evidence files too, after the links, as site paths (/files/<id>) named by the file: for the ledger */
  files?: boolean;
}

/** Where an evidence file is downloaded, on this site; the ledger makes it absolute with the request's origin. */
export function evidenceFilePath(id: number): string {
  return `/files/${id}`;
}

/**
 * Countries, evidence and plan links of a batch of activities: one indexed query each, put in order here (the
 * lists are of one or two) rather than sorted by SQL. `plan` is the plan in order (listPlanItems); without it
 * the plan links are not read. Links not wanted are left empty.
 */
export async function loadLinks(db: DB, ids: number[], plan: PlanItemRow[] | null, wanted: LinksWanted = {}) {
  const [countries, evidence, links, files] = ids.length
    ? await Promise.all([
        wanted.countries !== false
          ? db.selectFrom("activity_countries").select(["activity_id", "country_code"]).where("activity_id", "in", ids).execute()
          : Promise.resolve([] as { activity_id: number; country_code: string }[]),
        wanted.evidence !== false
          ? db.selectFrom("activity_evidence").select(["activity_id", "url", "label", "sort_order"]).where("activity_id", "in", ids).execute()
          : Promise.resolve([] as { activity_id: number; url: string; label: string; sort_order: number }[]),
        plan
          ? db.selectFrom("activity_plan_items").select(["activity_id", "plan_item_id", "is_primary"]).where("activity_id", "in", ids).execute()
          : Promise.resolve([] as { activity_id: number; plan_item_id: number; is_primary: number }[]),
        wanted.files ? listFilesOfActivities(db, ids) : Promise.resolve([] as { id: number; activity_id: number | null; name: string }[]),
      ])
    : [[], [], [], []];
  const countriesOf = new Map<number, string[]>();
  for (const c of countries) {
    const list = countriesOf.get(c.activity_id);
    if (list) list.push(c.country_code);
    else countriesOf.set(c.activity_id, [c.country_code]);
  }
  for (const list of countriesOf.values()) if (list.length > 1) list.sort();
  const evidenceOf = new Map<number, typeof evidence>();
  for (const e of evidence) {
    const list = evidenceOf.get(e.activity_id);
    if (list) list.push(e);
    else evidenceOf.set(e.activity_id, [e]);
  }
  const filesOf = new Map<number, { url: string; label: string }[]>();
  for (const f of files) {
    const list = filesOf.get(f.activity_id!);
    const entry = { url: evidenceFilePath(f.id), label: f.name };
    if (list) list.push(entry);
    else filesOf.set(f.activity_id!, [entry]);
  }
  const order = new Map((plan ?? []).map((p, i) => [p.id, i]));
  const linksOf = new Map<number, typeof links>();
  for (const l of links) {
    const list = linksOf.get(l.activity_id);
    if (list) list.push(l);
    else linksOf.set(l.activity_id, [l]);
  }
  const none: never[] = [];
  /** Puts the activity's countries, evidence and plan links on it. */
  return (row: { id: number; countries?: string[]; evidence?: { url: string; label: string }[]; planItems?: PlanItemRef[] }) => {
    const id = row.id;
    row.countries = countriesOf.get(id) ?? none;
    const ev = evidenceOf.get(id);
    row.evidence = ev ? ev.sort((x, y) => x.sort_order - y.sort_order).map((e) => ({ url: e.url, label: e.label })) : none;
    const fl = filesOf.get(id);
    if (fl) row.evidence = [...row.evidence, ...fl];
    const ln = linksOf.get(id);
    row.planItems = ln
      ? ln
          .sort((x, y) => y.is_primary - x.is_primary || (order.get(x.plan_item_id) ?? 0) - (order.get(y.plan_item_id) ?? 0))
          .map((l): PlanItemRef => {
            const p = plan![order.get(l.plan_item_id)!]!;
            return { code: p.code, title_zh: p.title_zh, title_en: p.title_en, primary: l.is_primary === 1 };
          })
      : none;
  };
}

const LIVE_COLUMNS = [
  "a.id",
  "a.title",
  "a.type",
  "a.status",
  "a.start_date",
  "a.end_date",
  "a.counterpart_body",
  "a.location",
  "a.delegations_count",
  "a.participants_count",
  "a.funding_cny_fen",
  "a.funding_source",
  "a.outcome",
  "o.id as organization_id",
  "o.name_zh as organization_name_zh",
  "o.name_en as organization_name_en",
  "o.path as organization_path",
] as const;

export type LiveColumn = (typeof LIVE_COLUMNS)[number];
/** The field a column fills: "a.title" → title, "o.name_zh as organization_name_zh" → organization_name_zh. */
type FieldOf<C extends LiveColumn> = C extends `${string} as ${infer Alias}` ? Alias : C extends `${string}.${infer Field}` ? Field : never;
/** An activity as an export reads it: the fields of the columns it asks for (its id and start date always). */
export type ExportRow<C extends LiveColumn = LiveColumn> = Pick<ExportActivity, FieldOf<C> | "id" | "start_date" | "planItems" | "countries" | "evidence" | "frozen">;

/**
 * What an export reads of each live activity: the columns its sheets show (all of them unless it says) and which
 * links. A sheet that shows a third of the columns reads its rows in about three quarters of the time (the text is
 * decoded for every column read).
 */
export interface RowsWanted<C extends LiveColumn> extends LinksWanted {
  columns?: readonly C[];
}

/**
 * The live rows of a batch of activity ids, in the ids' order, with their links: what every export writes.
 * Ids deleted for good since they were read are skipped; each row object is completed in place (no copies of
 * 100,000 rows).
 */
export async function loadExportRows<C extends LiveColumn = LiveColumn>(
  db: DB,
  ids: number[],
  plan: PlanItemRow[] | null,
  wanted: RowsWanted<C> = {},
): Promise<ExportRow<C>[]> {
  const columns: readonly LiveColumn[] = wanted.columns ? [...new Set<LiveColumn>(["a.id", "a.start_date", ...wanted.columns])] : LIVE_COLUMNS;
  const [rows, links] = await Promise.all([
    db.selectFrom("activities as a").innerJoin("organizations as o", "o.id", "a.organization_id").select(columns).where("a.id", "in", ids).execute(),
    loadLinks(db, ids, plan, wanted),
  ]);
  const byId = new Map<number, (typeof rows)[number]>();
  for (const r of rows) byId.set(r.id, r);
  const out: ExportRow<C>[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) continue;
    const row = r as unknown as ExportRow<C>;
    links(row);
    row.frozen = false;
    out.push(row);
  }
  return out;
}

/** What 完成进度 is judged on: ISO dates, or the yyyymmdd numbers the source keeps (none is "" or 0). */
export interface ActivityDates<D extends string | number = string> {
  status: string;
  start_date: D;
  end_date: D;
}

/** An activity's status as a byte: its place in ACTIVITY_STATUSES (one past the end for anything else). */
const statusCode = (status: string) => {
  const i = (ACTIVITY_STATUSES as readonly string[]).indexOf(status);
  return i < 0 ? ACTIVITY_STATUSES.length : i;
};
/** Live rows read per query when the source opens (a few small fields each). */
const ORDER_PAGE = 5000;

/** "2023-06-30" → 20230630 (0 for none) */
const dayNumber = (iso: string | null) => (iso ? Number(iso.slice(0, 10).replace(/-/g, "")) || 0 : 0);

/** The report's drafter: the last user to save it (the unit's reporter), else whoever submitted it. */
async function draftedBy(db: DB, reportId: number, submittedBy: string | null): Promise<string | null> {
  const saved = await db
    .selectFrom("audit_log as l")
    .innerJoin("users as u", "u.id", "l.user_id")
    .select("u.display_name")
    .where("l.entity_type", "=", "period_report")
    .where("l.entity_id", "=", reportId)
    .where("l.action", "=", "report.save")
    .orderBy("l.id", "desc")
    .executeTakeFirst();
  return saved?.display_name ?? submittedBy;
}

/** Outcome, funding source and evidence of activities, for snapshots written before they were frozen. */
async function unfrozenFields(db: DB, ids: number[]) {
  const [extras, evidence] = await Promise.all([
    db.selectFrom("activities").select(["id", "outcome", "funding_source"]).where("id", "in", ids).execute(),
    db.selectFrom("activity_evidence").select(["activity_id", "url", "label"]).where("activity_id", "in", ids).orderBy("activity_id").orderBy("sort_order").execute(),
  ]);
  const out = new Map<number, { outcome: string; funding_source: string; evidence: { url: string; label: string }[] }>();
  for (const e of extras) out.set(e.id, { outcome: e.outcome, funding_source: e.funding_source, evidence: [] });
  for (const e of evidence) out.get(e.activity_id)?.evidence.push({ url: e.url, label: e.label });
  return out;
}

const byStartThenId = (x: { start_date: string; id: number }, y: { start_date: string; id: number }) =>
  x.start_date < y.start_date ? -1 : x.start_date > y.start_date ? 1 : x.id - y.id;

/**
 * The activities of a scope grouped by their primary plan item (in plan order), by start date then id within
 * an item. The live rows' ids are read first and put in that order (a few bytes an activity are kept); the rows
 * are then read READ_BATCH ids at a time. (Paging each item with a keyset on (start date, id) re-sorts what is
 * left of the item on every page and was half again as slow on 100,000 rows.) For a period, the parts of the
 * unit tree covered by an approved report are taken from its snapshot and merged in the same order; the live
 * query leaves those units out.
 */
export class ActivitySource {
  private constructor(
    private readonly db: DB,
    readonly scope: ExportScope,
    readonly planItems: PlanItemRow[],
    /** frozen rows per plan item id, sorted */
    private readonly frozenRows: Map<number, ExportActivity[]>,
    /** the live ids in export order, and where each plan item's run of them starts and ends */
    private readonly liveIds: Int32Array,
    private readonly liveRuns: Map<number, [number, number]>,
    /** per live id: its status (statusCode) and start and end dates as yyyymmdd numbers */
    private readonly liveStatus: Uint8Array,
    private readonly liveStart: Int32Array,
    private readonly liveEnd: Int32Array,
    /** the reports of the period within the scope, in unit order */
    readonly reports: PeriodReportInfo[],
    /** the approved reports whose snapshots supply rows */
    readonly frozenReports: PeriodReportInfo[],
  ) {}

  static async open(db: DB, scope: ExportScope): Promise<ActivitySource> {
    const planItems = await listPlanItems(db);
    const scopePath = scope.unit?.path ?? null;
    const reports: PeriodReportInfo[] = [];
    const frozenReports: PeriodReportInfo[] = [];
    const frozenRows = new Map<number, ExportActivity[]>();
    if (scope.period) {
      const rows = await db
        .selectFrom("period_reports as r")
        .innerJoin("organizations as o", "o.id", "r.organization_id")
        .leftJoin("users as s", "s.id", "r.submitted_by")
        .leftJoin("users as v", "v.id", "r.reviewed_by")
        .select([
          "r.id",
          "r.status",
          "r.organization_id",
          "o.path as organization_path",
          "o.name_zh",
          "o.name_en",
          "s.display_name as submitted_by_name",
          "v.display_name as reviewed_by_name",
          "r.submitted_at",
        ])
        .where("r.period_id", "=", scope.period.id)
        .orderBy("o.sort_order")
        .execute();
      const inScope = (path: string) => !scopePath || path.startsWith(scopePath);
      const snapshots = new Map<number, (ReadSnapshot & { approvedAt: string }) | null>();
      for (const r of rows) {
        const covers = inScope(r.organization_path) || (scopePath !== null && scopePath.startsWith(r.organization_path));
        if (!covers) continue;
        const snapshot = r.status === "approved" ? await readReportSnapshot(db, r.id) : null;
        snapshots.set(r.id, snapshot);
        const info: PeriodReportInfo = {
          ...r,
          drafted_by_name: await draftedBy(db, r.id, r.submitted_by_name),
          approvedAt: snapshot?.approvedAt ?? null,
          proposals: snapshot && snapshot.complete ? snapshot.proposals : null,
          items: snapshot ? snapshot.items : inScope(r.organization_path) ? await listReportItems(db, r.id) : [],
        };
        if (inScope(r.organization_path)) reports.push(info);
        if (snapshot) frozenReports.push(info);
      }
      // a snapshot of a unit covers the units below it: only the outermost approved reports supply rows
      const outermost = frozenReports.filter(
        (r) => !frozenReports.some((o) => o !== r && r.organization_path.startsWith(o.organization_path)),
      );
      frozenReports.splice(0, frozenReports.length, ...outermost);
      const idByCode = new Map(planItems.map((p) => [p.code, p.id]));
      for (const report of outermost) {
        const snapshot = snapshots.get(report.id)!;
        const activities = snapshot.activities.filter((a) => inScope(a.organization_path));
        for (const part of chunks(activities)) {
          // a snapshot written before the format had a version (see app/schemas/report-snapshot.ts) lacks the
          // outcome, funding source and evidence: only then are they read from the activity, which the freeze
          // keeps from being changed through the application
          const old = snapshot.complete ? null : await unfrozenFields(db, part.map((a) => a.id));
          for (const a of part) {
            const primary = a.planItems.find((p) => p.primary) ?? a.planItems[0];
            const itemId = primary ? idByCode.get(primary.code) : undefined;
            if (itemId === undefined) continue;
            const row: ExportActivity = {
              id: a.id,
              title: a.title,
              type: a.type,
              status: a.status,
              start_date: a.start_date,
              end_date: a.end_date,
              counterpart_body: a.counterpart_body,
              location: a.location,
              delegations_count: a.delegations_count,
              participants_count: a.participants_count,
              funding_cny_fen: a.funding_cny_fen,
              funding_source: old ? (old.get(a.id)?.funding_source ?? "") : a.funding_source,
              outcome: old ? (old.get(a.id)?.outcome ?? "") : a.outcome,
              organization_id: a.organization_id,
              organization_name_zh: a.organization_name_zh,
              organization_name_en: a.organization_name_en,
              organization_path: a.organization_path,
              planItems: a.planItems,
              countries: a.countries,
              evidence: [
                ...(old ? (old.get(a.id)?.evidence ?? []) : a.evidence),
                // the files listed at approval (none in a snapshot written before there were files)
                ...a.files.map((f) => ({ url: evidenceFilePath(f.id), label: f.name })),
              ],
              frozen: true,
            };
            const list = frozenRows.get(itemId);
            if (list) list.push(row);
            else frozenRows.set(itemId, [row]);
          }
        }
      }
      for (const list of frozenRows.values()) list.sort(byStartThenId);
    }
    const frozenPaths = frozenReports.map((r) => r.organization_path);
    let live = db
      .selectFrom("activities as a")
      .innerJoin("organizations as o", "o.id", "a.organization_id")
      .innerJoin("activity_plan_items as api", "api.activity_id", "a.id")
      .where("api.is_primary", "=", 1)
      .where("a.deleted_at", "is", null);
    if (scope.unit) live = live.where("o.path", "like", `${scope.unit.path}%`);
    if (scope.from) live = live.where("a.start_date", ">=", scope.from);
    if (scope.to) live = live.where("a.start_date", "<=", scope.to);
    for (const path of frozenPaths) live = live.where("o.path", "not like", `${path}%`);
    // The live rows are read in pages by id, the table's own order, so that the database reads its pages in
    // sequence and no page of rows outlives its query; they are put in plan item, start date and id order here.
    // (Sorted by the database, the rows were either held all at once, 100,000 objects alive while V8 sized its heap
    // for the rest of the export, or read one plan item at a time, jumping about the table: twice as slow.)
    const planIndex = new Map(planItems.map((p, i) => [p.id, i]));
    const ids: number[] = [];
    const items: number[] = [];
    // what 完成进度 needs of each live row, kept compact (a few bytes a row over the whole export)
    const statuses: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    for (let after = 0; ; ) {
      const page = await live
        .where("a.id", ">", after)
        .select(["a.id", "api.plan_item_id", "a.status", "a.start_date", "a.end_date"])
        .orderBy("a.id")
        .limit(ORDER_PAGE)
        .execute();
      if (page.length === 0) break;
      for (const row of page) {
        ids.push(row.id);
        items.push(planIndex.get(row.plan_item_id) ?? -1);
        statuses.push(statusCode(row.status));
        starts.push(dayNumber(row.start_date));
        ends.push(dayNumber(row.end_date));
      }
      after = page[page.length - 1]!.id;
    }
    const order = Uint32Array.from(ids.keys()).sort((x, y) => items[x]! - items[y]! || starts[x]! - starts[y]! || ids[x]! - ids[y]!);
    const liveIds = new Int32Array(order.length);
    const liveStatus = new Uint8Array(order.length);
    const liveStart = new Int32Array(order.length);
    const liveEnd = new Int32Array(order.length);
    const liveRuns = new Map<number, [number, number]>();
    order.forEach((from, i) => {
      liveIds[i] = ids[from]!;
      liveStatus[i] = statuses[from]!;
      liveStart[i] = starts[from]!;
      liveEnd[i] = ends[from]!;
      const itemId = planItems[items[from]!]?.id ?? -1;
      const run = liveRuns.get(itemId);
      if (run) run[1] = i + 1;
      else liveRuns.set(itemId, [i, i + 1]);
    });
    return new ActivitySource(db, scope, planItems, frozenRows, liveIds, liveRuns, liveStatus, liveStart, liveEnd, reports, frozenReports);
  }

  /**
   * 完成进度 on `asOf` of each activity of a plan item, frozen and live, without reading the rows (the live ones are
   * judged on the numbers kept for them, with no object or date string made per activity).
   */
  completionsOf(planItemId: number, asOf: string): Completion[] {
    const out = (this.frozenRows.get(planItemId) ?? []).map((a) => activityCompletion(a, asOf));
    const [from, to] = this.liveRuns.get(planItemId) ?? [0, 0];
    const asOfDay = dayNumber(asOf);
    const live: ActivityDates<number> = { status: "", start_date: 0, end_date: 0 };
    for (let i = from; i < to; i++) {
      live.status = ACTIVITY_STATUSES[this.liveStatus[i]!] ?? "";
      live.start_date = this.liveStart[i]!;
      live.end_date = this.liveEnd[i]!;
      out.push(activityCompletion(live, asOfDay));
    }
    return out;
  }

  /**
   * The rating proposals frozen with the approved report that covers the whole scope (the unit's own or one above
   * it); null when the scope is not wholly approved, or was approved before proposals were frozen.
   */
  frozenProposals(): { plan_item_id: number; rating: Rating }[] | null {
    const unit = this.scope.unit;
    if (!unit) return null;
    const covering = this.frozenReports.find((r) => unit.path.startsWith(r.organization_path));
    return covering?.proposals ?? null;
  }

  /** How many activities the export holds. */
  get size(): number {
    let n = this.liveIds.length;
    for (const list of this.frozenRows.values()) n += list.length;
    return n;
  }

  /**
   * The rows of one plan item in batches, frozen and live merged; nothing for an item without activities. The live
   * rows are read with the columns and links the caller shows (see RowsWanted); frozen rows have everything.
   */
  async *batches<C extends LiveColumn = LiveColumn>(
    planItemId: number,
    options: RowsWanted<C> & { planLinks?: boolean } = {},
  ): AsyncGenerator<ExportRow<C>[]> {
    const frozen = this.frozenRows.get(planItemId) ?? [];
    let f = 0;
    const [from, to] = this.liveRuns.get(planItemId) ?? [0, 0];
    for (let i = from; i < to; i += READ_BATCH) {
      const ids = Array.from(this.liveIds.subarray(i, Math.min(to, i + READ_BATCH)));
      const batch: ExportRow<C>[] = [];
      for (const row of await loadExportRows(this.db, ids, options.planLinks === false ? null : this.planItems, options)) {
        while (f < frozen.length && byStartThenId(frozen[f]!, row) < 0) batch.push(frozen[f++]!);
        batch.push(row);
      }
      yield batch;
    }
    for (; f < frozen.length; f += READ_BATCH) yield frozen.slice(f, f + READ_BATCH);
  }
}

// ── the ledger ──────────────────────────────────────────────────────────────────────────────────

/** Sheet 1, the 工作台账: the standard columns, in the standard order, with widths that print on A4 at 100%. */
export function ledgerColumns(t: Translate): SheetColumn[] {
  const c = (key: string, kind: SheetColumn["kind"], width: number): SheetColumn => ({ header: t(`exports.ledger.col.${key}`), kind, width });
  return [
    c("serial", "serial", 5),
    c("clause", "text", 8),
    c("task", "text", 12),
    c("measure", "long", 17),
    c("targets", "long", 13),
    c("lead", "text", 9),
    c("partner", "text", 7),
    c("deadline", "date", 14),
    c("progress", "long", 17),
    c("completion", "text", 7),
    c("problems", "long", 10),
    c("next_steps", "long", 10),
    c("evidence", "long", 10),
    c("warning", "text", 6),
    c("remarks", "text", 6),
  ];
}

/** What each sheet shows of an activity, read from the database (with its evidence for sheet 1, countries for 2). */
const LEDGER_ROW_COLUMNS = ["a.title", "a.status", "a.end_date", "a.outcome", "o.name_zh as organization_name_zh", "o.name_en as organization_name_en"] as const;
const DETAIL_ROW_COLUMNS = ["a.title", "a.type", "a.counterpart_body", "a.delegations_count", "a.participants_count", "a.funding_cny_fen", "a.location", "a.outcome"] as const;

export const LEDGER_WARNING_COLUMN = 13;
const CLAUSE = 1;
const TASK = 2;

/** Sheet 2, 活动明细: the foreign-affairs details of the same activities, numbered as on sheet 1. */
export function ledgerDetailColumns(t: Translate): SheetColumn[] {
  const c = (key: string, kind: SheetColumn["kind"], width: number): SheetColumn => ({ header: t(`exports.ledger.col.${key}`), kind, width });
  return [
    c("serial", "serial", 6),
    c("title", "long", 24),
    c("type", "text", 9),
    c("country", "text", 9),
    c("body", "text", 15),
    c("delegations", "int", 6),
    c("participants", "int", 6),
    c("funding", "wan", 10),
    c("date", "date", 14),
    c("location", "text", 10),
    c("outcome", "long", 26),
  ];
}

/** The country names of an activity, then its counterpart body: 老挝、泰国 / 老挝琅勃拉邦省. */
export function counterpartText(a: Pick<ExportActivity, "countries" | "counterpart_body">, locale: Locale): string {
  const countries = joinList(a.countries.map((c) => countryName(c, locale)), locale);
  return [countries, a.counterpart_body].filter(Boolean).join("\n");
}

export function evidenceText(a: Pick<ExportActivity, "evidence">): string {
  return a.evidence.map((e) => (e.label ? `${e.label} ${e.url}` : e.url)).join("\n");
}

/**
 * 佐证材料 as a link: the cell opens the first web address and shows every piece of evidence (a cell holds one
 * link; the others stay readable as text).
 */
function evidenceCell(a: Pick<ExportActivity, "evidence">, origin: string | null): CellValue {
  // an evidence file's site path becomes its address on the site the ledger was downloaded from
  const evidence = a.evidence.map((e) => (e.url.startsWith("/files/") && origin ? { url: `${origin}${e.url}`, label: e.label } : e));
  const first = evidence.find((e) => isWebLink(e.url));
  const text = evidence.map((e) => e.label || e.url).join("\n");
  return first ? { text, hyperlink: first.url } : evidenceText({ evidence });
}

export type Completion = "done" | "on_track" | "late" | "not_started" | "cancelled";

/**
 * 完成进度 of an activity on `asOf` (the period's end, or today if sooner): 已完成 when completed; under way, 序时推进
 * until its end date and 滞后 after it; planned, 未启动 until its start date and 滞后 after it; cancelled, 已取消.
 */
export function activityCompletion<D extends string | number>(a: ActivityDates<D>, asOf: D): Completion {
  switch (a.status) {
    case "completed":
      return "done";
    case "cancelled":
      return "cancelled";
    case "ongoing":
      return a.end_date && a.end_date < asOf ? "late" : "on_track";
    default:
      return a.start_date <= asOf ? "late" : "not_started";
  }
}

/**
 * 完成进度 of a plan item: 滞后 when its rating (or the proposal, which rests on the indicators' targets) is red or
 * an activity is behind; 未启动 when nothing has started; 已完成 when every activity is completed and no rating
 * says otherwise; else 序时推进.
 */
export function itemCompletion(activities: Completion[], rating: Rating | null): Completion {
  const live = activities.filter((c) => c !== "cancelled");
  if (rating === "red" || live.includes("late")) return "late";
  if (live.length === 0 || live.every((c) => c === "not_started")) return rating === "green" ? "on_track" : "not_started";
  if (live.every((c) => c === "done") && rating !== "yellow") return "done";
  return "on_track";
}

interface ItemNarrative {
  progress: string;
  problems: string;
  nextSteps: string;
  units: string[];
}

/** The narratives of the reports in scope per plan item id; several units' texts are each marked 【unit】. */
function narrativesByItem(reports: PeriodReportInfo[], locale: Locale, t: Translate): Map<number, ItemNarrative> {
  const parts = new Map<number, { unit: string; progress: string; problems: string; nextSteps: string }[]>();
  for (const report of reports) {
    const unit = localName(locale, report.name_zh, report.name_en);
    for (const item of report.items) {
      const problems = [item.problems, item.coordination ? t("exports.ledger.coordination", { text: item.coordination }) : ""].filter(Boolean).join("\n");
      if (!item.progress && !problems && !item.next_steps) continue;
      const list = parts.get(item.plan_item_id) ?? [];
      list.push({ unit, progress: item.progress, problems, nextSteps: item.next_steps });
      parts.set(item.plan_item_id, list);
    }
  }
  const out = new Map<number, ItemNarrative>();
  for (const [itemId, list] of parts) {
    const join = (field: "progress" | "problems" | "nextSteps") =>
      list
        .filter((p) => p[field])
        .map((p) => (list.length > 1 ? `${t("exports.ledger.unit_mark", { unit: p.unit })}${p[field]}` : p[field]))
        .join("\n");
    out.set(itemId, { progress: join("progress"), problems: join("problems"), nextSteps: join("nextSteps"), units: list.map((p) => p.unit) });
  }
  return out;
}

/** 量化目标 per plan item id: each indicator of the item or below it, with its plan target (and period target). */
async function targetsByItem(db: DB, items: PlanItemRow[], period: PeriodRow | null, locale: Locale, t: Translate) {
  const indicators = await listIndicators(db);
  const periodTargets = period ? await listPeriodTargets(db, indicators.map((i) => i.id), period.id) : [];
  const targetOf = new Map(periodTargets.map((p) => [p.indicator_id, p.target_value]));
  const out = new Map<number, string>();
  for (const item of items) {
    const lines = indicators
      .filter((i) => i.plan_item_path.startsWith(item.path))
      .map((i) => {
        const name = localName(locale, i.name_zh, i.name_en);
        const line = t("exports.ledger.target_line", { name, target: formatNumber(i.target_value, locale), unit: i.unit });
        const pt = targetOf.get(i.id);
        return pt === undefined ? line : `${line}${t("exports.ledger.period_target", { target: formatNumber(pt, locale), unit: i.unit })}`;
      });
    if (lines.length) out.set(item.id, lines.join("\n"));
  }
  return out;
}

/**
 * 预警 per plan item id for a period: the reviewer's rating, else the proposal marked （建议）. A ledger whose unit's
 * report is approved shows the proposals frozen with it (they rest on indicator progress, which moves with the data).
 */
async function warningsByItem(db: DB, period: PeriodRow | null, t: Translate, frozen: { plan_item_id: number; rating: Rating }[] | null) {
  const out = new Map<number, { text: string; rating: Rating }>();
  if (!period) return out;
  const [ratings, proposals] = await Promise.all([
    listRatings(db, period.id),
    frozen
      ? new Map(frozen.map((p) => [p.plan_item_id, { rating: p.rating }]))
      : proposalsFor(db, period).then((r) => r.proposals),
  ]);
  for (const [itemId, proposal] of proposals) {
    const rated = ratings.find((r) => r.plan_item_id === itemId);
    out.set(
      itemId,
      rated
        ? { text: t(`exports.warning.${rated.rating}`), rating: rated.rating }
        : { text: t("exports.warning.proposed", { rating: t(`exports.warning.${proposal.rating}`) }), rating: proposal.rating },
    );
  }
  return out;
}

export function scopeLabel(scope: ExportScope, locale: Locale, t: Translate): string {
  if (scope.period) return periodName(scope.period, locale);
  if (scope.from && scope.to) return formatDateRange(scope.from, scope.to, locale);
  if (scope.from) return t("exports.range.since", { date: formatDate(scope.from, locale) });
  if (scope.to) return t("exports.range.until", { date: formatDate(scope.to, locale) });
  return t("exports.range.all");
}

function scopeFileLabel(scope: ExportScope, locale: Locale, t: Translate): string {
  if (scope.period) return periodName(scope.period, locale);
  if (scope.from || scope.to) return t("exports.range.file", { from: scope.from ?? "", to: scope.to ?? "" });
  return t("exports.range.all");
}

export interface ExportFile {
  fileName: string;
  asciiName: string;
  body: ReadableStream<Uint8Array>;
}

export async function exportLedger(
  db: DB,
  input: {
    scope: ExportScope;
    locale: Locale;
    t: Translate;
    today?: string;
    /** who downloads: never written into the file (填报人 is who reported); accepted for callers that pass it */
    user?: Pick<SessionUser, "display_name">;
    /** the site the request came to (https://lmc.example.gov.cn): evidence files are linked there */
    origin?: string;
  },
): Promise<ExportFile> {
  const { scope, locale, t } = input;
  const origin = input.origin ?? null;
  const today = input.today ?? todayInChina();
  const source = await ActivitySource.open(db, scope);
  const [targets, warnings] = await Promise.all([
    targetsByItem(db, source.planItems, scope.period, locale, t),
    warningsByItem(db, scope.period, t, source.frozenProposals()),
  ]);
  const narratives = narrativesByItem(source.reports, locale, t);

  const unitName = scope.unit ? localName(locale, scope.unit.name_zh, scope.unit.name_en) : t("exports.ledger.all_units");
  const own = scope.unit ? source.reports.find((r) => r.organization_id === scope.unit!.id) : undefined;
  // 填报人 is who reported: nobody yet while the report is open (it is written by hand); 审核人 who approved it
  const handedIn = own && (own.status === "submitted" || own.status === "approved");
  const reporter = handedIn ? (own.drafted_by_name ?? "") : "";
  const reviewer = own?.status === "approved" ? (own.reviewed_by_name ?? "") : "";
  const asOf = [scope.to ?? today, today].sort()[0]!;
  const frozenNote = source.frozenReports.length
    ? t("exports.ledger.frozen_note", {
        units: joinList(source.frozenReports.map((r) => localName(locale, r.name_zh, r.name_en)), locale),
      })
    : null;
  const blank = t("exports.ledger.blank");

  const columns = ledgerColumns(t);
  const completionLabel = labels(t, "exports.ledger.completion.");
  const statusLabel = labels(t, "activity.status.");
  const typeLabel = labels(t, "activity.type.");
  const unitLabel = (a: Pick<ExportActivity, "organization_name_zh" | "organization_name_en">) =>
    locale === "en" && a.organization_name_en ? a.organization_name_en : a.organization_name_zh;
  const body = streamWorkbook(locale, t, writeLedgerSheets);
  async function writeLedgerSheets(book: ExportBook) {
    const sheet = await book.sheet({
      name: t("exports.ledger.sheet"),
      title: scope.unit ? t("exports.ledger.title", { unit: unitName }) : t("exports.ledger.title_all"),
      info: [
        [
          { text: t("exports.ledger.unit", { value: unitName }) },
          { text: t("exports.ledger.period", { value: scopeLabel(scope, locale, t) }) },
          { label: t("exports.ledger.as_of"), date: asOf },
        ],
        [
          { text: t("exports.ledger.reporter", { value: reporter }) },
          { text: t("exports.ledger.phone") },
          { text: t("exports.ledger.reviewer", { value: reviewer }) },
        ],
      ],
      notes: frozenNote ? [frozenNote] : [],
      columns,
    });
    const tally: Record<Completion, number> = { done: 0, on_track: 0, late: 0, not_started: 0, cancelled: 0 };
    let serial = 0;
    let group = 0;
    for (const item of source.planItems) {
      const narrative = narratives.get(item.id);
      const completions = source.completionsOf(item.id, asOf);
      // a group for every plan item with activities or with something the report says about it
      if (completions.length === 0 && !narrative) continue;
      const warning = warnings.get(item.id);
      for (const c of completions) tally[c]++;
      const section: CellValue[] = new Array(columns.length).fill(null);
      section[0] = groupNumeral(++group, locale);
      section[CLAUSE] = item.code;
      section[TASK] = localName(locale, item.title_zh, item.title_en);
      section[4] = targets.get(item.id) ?? null;
      section[5] = narrative ? joinList([...new Set(narrative.units)], locale) : null;
      section[8] = narrative?.progress ?? null;
      section[9] = completionLabel(itemCompletion(completions, warning?.rating ?? null));
      section[10] = narrative?.problems ?? null;
      section[11] = narrative?.nextSteps ?? null;
      section[LEDGER_WARNING_COLUMN] = warning?.text ?? null;
      // 对应条款 and 重点任务 are merged down over the item's group
      sheet.add(section, {
        kind: "section",
        marks: warning ? { [LEDGER_WARNING_COLUMN]: warning.rating } : {},
        spanDown: { columns: [CLAUSE, TASK], rows: 1 + completions.length },
      });
      for await (const batch of source.batches(item.id, { planLinks: false, countries: false, files: true, columns: LEDGER_ROW_COLUMNS })) {
        // 配合单位: the units and departments of our side that co-operate (frozen rows too: the freeze keeps them)
        const partners = new Map<number, string[]>();
        for (const p of await listPartners(db, batch.map((a) => a.id))) {
          const name = localName(locale, p.name_zh, p.name_en);
          const list = partners.get(p.activity_id);
          if (list) list.push(name);
          else partners.set(p.activity_id, [name]);
        }
        for (const a of batch) {
          const completion = activityCompletion(a, asOf);
          const due = sheet.add([
            ++serial,
            null,
            null,
            a.title,
            null,
            unitLabel(a),
            // never the foreign counterpart, which is on the 活动明细 sheet
            partners.has(a.id) ? joinList(partners.get(a.id)!, locale) : null,
            excelDate(a.end_date),
            a.outcome,
            completion === "cancelled" ? statusLabel(a.status) : completionLabel(completion),
            null,
            null,
            evidenceCell(a, origin),
            null,
            null,
          ]);
          if (due) await sheet.flush();
        }
      }
    }
    const total: CellValue[] = new Array(columns.length).fill(null);
    total[0] = t("exports.ledger.total");
    total[TASK] = t("exports.ledger.total_groups", { count: formatNumber(group, locale) });
    total[3] = t("exports.ledger.total_activities", { count: formatNumber(serial, locale) });
    total[8] = t("exports.ledger.total_progress", {
      done: formatNumber(tally.done, locale),
      on_track: formatNumber(tally.on_track, locale),
      late: formatNumber(tally.late, locale),
      not_started: formatNumber(tally.not_started, locale),
      cancelled: tally.cancelled ? t("exports.ledger.total_cancelled", { count: formatNumber(tally.cancelled, locale) }) : "",
    });
    sheet.add(total, { kind: "total" });
    const handedInOn = handedIn && own?.submitted_at ? formatDate(own.submitted_at.slice(0, 10), locale) : blank;
    sheet.addTrailer([
      [
        { text: t("exports.ledger.sign.unit", { value: scope.unit ? unitName : blank }) },
        { text: `${t("exports.ledger.sign.leader")}${blank}` },
        { text: t("exports.ledger.sign.reporter", { value: reporter || blank }) },
        { text: `${t("exports.ledger.sign.phone")}${blank}` },
        { text: t("exports.ledger.sign.date", { value: handedInOn }) },
      ],
    ]);

    // sheet 2: the foreign-affairs details of the same activities, in the same order and numbering. A streamed
    // workbook writes its sheets one after the other, so the rows are read a second time rather than held: the ids
    // and their order were fixed when the source opened (activities are never deleted for good), and frozen rows
    // come from the snapshot again, so each row keeps its 序号. Its 合计 adds up the rows this sheet lists.
    const detailSheet = await book.sheet({
      name: t("exports.ledger.details_sheet"),
      title: scope.unit ? t("exports.ledger.details_title", { unit: unitName }) : t("exports.ledger.details_title_all"),
      info: [
        [
          { text: t("exports.ledger.unit", { value: unitName }) },
          { text: t("exports.ledger.period", { value: scopeLabel(scope, locale, t) }) },
          { label: t("exports.ledger.as_of"), date: asOf },
        ],
      ],
      notes: [t("exports.ledger.details_note"), ...(frozenNote ? [frozenNote] : [])],
      columns: ledgerDetailColumns(t),
    });
    let listed = 0;
    let delegations = 0;
    let participants = 0;
    let fundingFen = 0;
    for (const item of source.planItems) {
      for await (const batch of source.batches(item.id, { planLinks: false, evidence: false, columns: DETAIL_ROW_COLUMNS })) {
        for (const a of batch) {
          const due = detailSheet.add([
            ++listed,
            a.title,
            typeLabel(a.type),
            joinList(a.countries.map((c) => countryName(c, locale)), locale),
            a.counterpart_body,
            a.delegations_count,
            a.participants_count,
            fenToWan(a.funding_cny_fen),
            excelDate(a.start_date),
            a.location,
            a.outcome,
          ]);
          delegations += a.delegations_count ?? 0;
          participants += a.participants_count ?? 0;
          fundingFen += a.funding_cny_fen ?? 0;
          if (due) await detailSheet.flush();
        }
      }
    }
    detailSheet.add(
      [t("exports.ledger.total"), t("exports.ledger.total_activities", { count: formatNumber(listed, locale) }), null, null, null, delegations, participants, fenToWan(fundingFen), null, null, null],
      { kind: "total" },
    );
  }

  const file = [fileNamePart(unitName), fileNamePart(scopeFileLabel(scope, locale, t)), t("exports.ledger.file")].join("_");
  const asciiScope = scope.period?.code ?? (scope.from || scope.to ? `${scope.from ?? "start"}_${scope.to ?? "today"}` : "all");
  return {
    fileName: `${file}.xlsx`,
    asciiName: `ledger_${scope.unit ? scope.unit.code : "all-units"}_${asciiScope}.xlsx`,
    body,
  };
}

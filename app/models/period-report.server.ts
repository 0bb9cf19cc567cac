// A unit's report for a reporting period: its narratives per plan item, the commitments it accounts for, and the
// frozen snapshot taken at each approval.
import { sql } from "kysely";
import type { ReportStatus } from "../../db/schema";
import type { DB } from "~/utils/db.server";
import { REPORTING_UNIT_KINDS } from "~/domain/reporting";


export function getReportFor(db: DB, organizationId: number, periodId: number) {
  return db
    .selectFrom("period_reports")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("period_id", "=", periodId)
    .executeTakeFirst();
}

export type ReportRow = NonNullable<Awaited<ReturnType<typeof getReportFor>>>;

export function listReports(db: DB, filter: { periodId?: number; status?: ReportStatus; organizationPath?: string } = {}) {
  let q = db
    .selectFrom("period_reports as r")
    .innerJoin("organizations as o", "o.id", "r.organization_id")
    .innerJoin("reporting_periods as p", "p.id", "r.period_id")
    .select([
      "r.id",
      "r.status",
      "r.organization_id",
      "r.period_id",
      "r.first_submitted_at",
      "r.submitted_at",
      "r.reviewed_at",
      "r.return_reason",
      "r.updated_at",
      "o.name_zh as organization_name_zh",
      "o.name_en as organization_name_en",
      "o.path as organization_path",
      "p.code as period_code",
      "p.kind as period_kind",
      "p.year as period_year",
      "p.seq as period_seq",
      "p.due_date",
      "p.end_date",
    ]);
  if (filter.periodId) q = q.where("r.period_id", "=", filter.periodId);
  if (filter.status) q = q.where("r.status", "=", filter.status);
  if (filter.organizationPath) q = q.where("o.path", "like", `${filter.organizationPath}%`);
  return q.orderBy("p.start_date", "desc").orderBy("o.sort_order").execute();
}

export function listReportItems(db: DB, reportId: number) {
  return db
    .selectFrom("report_items as ri")
    .innerJoin("plan_items as p", "p.id", "ri.plan_item_id")
    .select([
      "ri.id",
      "ri.plan_item_id",
      "p.code",
      "p.title_zh",
      "p.title_en",
      "ri.progress",
      "ri.problems",
      "ri.next_steps",
      "ri.coordination",
      "ri.return_reason",
    ])
    .where("ri.report_id", "=", reportId)
    .orderBy("p.sort_order")
    .execute();
}

export type ReportItemRow = Awaited<ReturnType<typeof listReportItems>>[number];

/** The 下一步打算 of the unit's previous report (same cadence) that this report must account for. */
export async function listCommitments(
  db: DB,
  organizationId: number,
  previousPeriodId: number | null,
  reportId: number | null,
) {
  if (!previousPeriodId) return [];
  const previous = await getReportFor(db, organizationId, previousPeriodId);
  if (!previous) return [];
  const items = (await listReportItems(db, previous.id)).filter((i) => i.next_steps.trim() !== "");
  const answers = reportId
    ? await db.selectFrom("report_commitments").selectAll().where("report_id", "=", reportId).execute()
    : [];
  return items.map((item) => {
    const answer = answers.find((a) => a.source_item_id === item.id);
    return {
      sourceItemId: item.id,
      code: item.code,
      title_zh: item.title_zh,
      title_en: item.title_en,
      nextSteps: item.next_steps,
      outcome: answer?.outcome ?? null,
      note: answer?.note ?? "",
    };
  });
}

export type Commitment = Awaited<ReturnType<typeof listCommitments>>[number];

export async function getLatestSnapshot<T>(db: DB, reportId: number): Promise<(T & { approvedAt: string }) | null> {
  const row = await db
    .selectFrom("report_snapshots")
    .select(["snapshot_json", "approved_at"])
    .where("report_id", "=", reportId)
    .orderBy("id", "desc")
    .executeTakeFirst();
  return row ? { ...(JSON.parse(row.snapshot_json) as T), approvedAt: row.approved_at } : null;
}

/**
 * The approved report that covers an activity of the unit at `organizationPath` dated `date`, if any: a report
 * of that unit or a unit above it, for a period containing the date. Such an activity is frozen.
 */
export function findApprovedReportCovering(db: DB, organizationPath: string, date: string) {
  return db
    .selectFrom("period_reports as r")
    .innerJoin("organizations as o", "o.id", "r.organization_id")
    .innerJoin("reporting_periods as p", "p.id", "r.period_id")
    .select(["r.id", "p.code as period_code", "o.name_zh as organization_name_zh", "o.name_en as organization_name_en"])
    .where("r.status", "=", "approved")
    .where("p.start_date", "<=", date)
    .where("p.end_date", ">=", date)
    .where(sql<boolean>`${organizationPath} like concat(o.path, '%')`)
    .executeTakeFirst();
}

/**
 * Units (of the kinds expected to report) × periods past their due date (as of `today`) whose report is not
 * submitted or approved: the overdue reports, as o (organizations), p (reporting_periods) and r (period_reports,
 * null when none was started). Every list of late units starts from it.
 */
export function overdueReportsQuery(db: DB, today: string) {
  return db
    .selectFrom("organizations as o")
    .innerJoin("reporting_periods as p", (join) => join.onTrue())
    .leftJoin("period_reports as r", (join) => join.onRef("r.organization_id", "=", "o.id").onRef("r.period_id", "=", "p.id"))
    .where("o.kind", "in", [...REPORTING_UNIT_KINDS])
    .where("p.due_date", "<", today)
    .where((eb) => eb.or([eb("r.id", "is", null), eb("r.status", "not in", ["submitted", "approved"])]));
}

/**
 * The overdue reports of the open periods, per period (newest first), with the units late in each and when they
 * were last reminded (催报): what the reviewer reminds in one action per period.
 */
export async function listLatePeriods(db: DB, today: string) {
  const rows = await overdueReportsQuery(db, today)
    .where("p.closed_at", "is", null)
    .select(["p.id as period_id", "p.code", "p.kind", "p.year", "p.seq", "p.due_date", "p.start_date", "o.id as organization_id", "o.name_zh", "o.name_en", "o.sort_order"])
    .execute();
  const reminded = await db
    .selectFrom("report_reminders")
    .select(["period_id", (eb) => eb.fn.max("sent_at").as("sent_at")])
    .groupBy("period_id")
    .execute();
  const lastOf = new Map(reminded.map((r) => [r.period_id, String(r.sent_at)]));
  const periods = new Map<number, { id: number; code: string; kind: string; year: number; seq: number; due_date: string; start_date: string; lastRemindedAt: string | null; units: { id: number; name_zh: string; name_en: string; sort_order: number }[] }>();
  for (const r of rows) {
    const period = periods.get(r.period_id) ?? { id: r.period_id, code: r.code, kind: r.kind, year: r.year, seq: r.seq, due_date: r.due_date, start_date: r.start_date, lastRemindedAt: lastOf.get(r.period_id) ?? null, units: [] };
    period.units.push({ id: r.organization_id, name_zh: r.name_zh, name_en: r.name_en, sort_order: r.sort_order });
    periods.set(r.period_id, period);
  }
  for (const p of periods.values()) p.units.sort((a, b) => a.sort_order - b.sort_order);
  return [...periods.values()].sort((a, b) => b.due_date.localeCompare(a.due_date) || b.start_date.localeCompare(a.start_date));
}

export type LatePeriod = Awaited<ReturnType<typeof listLatePeriods>>[number];

/**
 * The units (of the kinds expected to report) with at least one overdue period of any kind, as of `today`,
 * with how many periods each is overdue for. One grouped query: units × periods past due, minus the reports
 * that are submitted or approved.
 */
export async function listLateUnits(db: DB, today: string, options: { underPath?: string } = {}) {
  let q = overdueReportsQuery(db, today);
  if (options.underPath) q = q.where("o.path", "like", `${options.underPath}%`);
  const rows = await q
    .select(["o.id", "o.name_zh", "o.name_en", (eb) => eb.fn.count<number>("p.id").as("overdue_count")])
    .groupBy(["o.id", "o.name_zh", "o.name_en", "o.sort_order"])
    .orderBy("o.sort_order")
    .execute();
  return rows.map((r) => ({ ...r, overdue_count: Number(r.overdue_count) }));
}

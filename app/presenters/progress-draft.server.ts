// Shapes the pages of the drafted progress report (文字材料) and the two print views: the choices of unit and period,
// the draft in both languages with the account of its sources, a unit's period report laid out for A4, and the
// plan-wide progress report of a period.
import type { ReportStatus } from "../../db/schema";
import { inTreeOrder, listOrganizations } from "~/models/organization.server";
import { listPlanItems } from "~/models/plan-item.server";
import { listRatings } from "~/models/rating.server";
import { type PeriodRow, getPeriodByCode, listPeriods } from "~/models/reporting-period.server";
import { REPORTING_UNIT_KINDS, classifyReport } from "~/domain/reporting";
import { loadReportPage } from "~/presenters/period-report.server";
import { defaultProgressPeriod, listIndicatorsWithProgress } from "~/services/indicator-progress.server";
import { COUNTED_STATUSES, isCounted } from "~/domain/counting";
import {
  type Tally,
  type TypeTally,
  addToTally,
  coveringReports,
  draftProgressReport,
  emptyTally,
  listApprovedReports,
} from "~/services/progress-draft.server";
import { readReportSnapshot } from "~/services/report-workflow.server";
import { type Locale, type Translate, localName } from "~/i18n";
import { translator } from "~/i18n/translator.server";
import { periodName } from "~/i18n/periods";
import { fileNamePart } from "~/services/excel-format.server";
import { reportDocxBuffer } from "~/services/report-docx.server";
import { type SessionUser, badRequest, notFound } from "~/utils/auth.server";
import { chinaDateOf } from "~/utils/china-time";
import type { DB } from "~/utils/db.server";

/** The units a draft can be written for: those that report, and the province above them. */
const DRAFT_UNIT_KINDS = ["province", ...REPORTING_UNIT_KINDS] as const;

const UNIT_PARAM = /^[1-9]\d{0,9}$/;
const PERIOD_PARAM = /^\d{4}(-[QH][1-4])?$/;

async function draftUnits(db: DB) {
  const rows = (await listOrganizations(db)).filter((o) => (DRAFT_UNIT_KINDS as readonly string[]).includes(o.kind));
  return rows.length ? inTreeOrder(rows) : [];
}

function periodChoice(p: PeriodRow) {
  return { code: p.code, kind: p.kind, year: p.year, seq: p.seq };
}

// ── the drafts page ──────────────────────────────────────────────────────────────────────────────

/**
 * /drafts?unit=<id>&period=<code>. A parameter left out defaults to the user's own unit and the period to report
 * on, and the page drafts that choice at once; only a user with no unit to draft sees the form alone. A value that
 * is not an id or a period code is a 400 with the field marked; one that names no unit or period is a 404.
 */
export async function loadDraftsPage(db: DB, user: SessionUser, searchParams: URLSearchParams) {
  const [units, periods] = await Promise.all([draftUnits(db), listPeriods(db)]);
  const unitParam = searchParams.get("unit")?.trim() ?? "";
  const periodParam = searchParams.get("period")?.trim() ?? "";
  const invalid: string[] = [];
  if (unitParam && !UNIT_PARAM.test(unitParam)) invalid.push("unit");
  if (periodParam && !PERIOD_PARAM.test(periodParam)) invalid.push("period");

  const unit = unitParam && !invalid.includes("unit") ? units.find((u) => u.id === Number(unitParam)) : undefined;
  const period = periodParam && !invalid.includes("period") ? periods.find((p) => p.code === periodParam) : undefined;
  if (!invalid.length && ((unitParam && !unit) || (periodParam && !period))) throw notFound();

  // what the form shows preselected (the user's own unit, the period to report on) is what the page drafts: a page
  // whose selects are filled but that asks the user to choose is a dead end
  const own = units.find((u) => u.id === user.organization_id);
  const chosenUnit = unit ?? (unitParam ? undefined : own);
  const chosenPeriod = period ?? (periodParam ? undefined : defaultProgressPeriod(periods));
  const selected = { unit: chosenUnit?.id ?? null, period: chosenPeriod?.code ?? null };
  const draft = chosenUnit && chosenPeriod && !invalid.length ? await draftProgressReport(db, chosenUnit, chosenPeriod) : null;
  return {
    status: invalid.length ? 400 : 200,
    invalid,
    selected,
    choices: {
      units: units.map((u) => ({ id: u.id, name_zh: u.name_zh, name_en: u.name_en, depth: u.depth })),
      periods: periods.map(periodChoice),
    },
    draft: draft && chosenUnit && chosenPeriod
      ? {
          unit: { id: chosenUnit.id, name_zh: chosenUnit.name_zh, name_en: chosenUnit.name_en },
          period: periodChoice(chosenPeriod),
          zh: { text: draft.zh.text },
          en: { text: draft.en.text },
          sources: draft.sources,
          approvedReports: draft.data.approvedReports.map((r) => ({ name_zh: r.name_zh, name_en: r.name_en, approvedOn: chinaDateOf(r.approvedAt) })),
          reportStatus: draft.data.reportStatus,
        }
      : null,
  };
}

export type DraftsPageData = Awaited<ReturnType<typeof loadDraftsPage>>;

// ── the 文字材料 as a Word file ────────────────────────────────────────────────────────────────────

export type ReportDocxResult =
  | { ok: true; body: Buffer; fileName: string; asciiName: string }
  | { ok: false; status: 400 | 404; reason: string; message: string };

/**
 * /exports/report.docx?unit=<id>&period=<code>&lang=zh|en: the drafted report of a unit (with the units below it)
 * for a period as a Word file — a 公文 in Chinese, an ordinary report in English — from the same data as the
 * drafts page (an approved period's frozen snapshot). Everyone signed in reads every report. The messages are in
 * the user's language (`t`); the file's language is `lang` (Chinese unless "en").
 */
export async function loadReportDocx(db: DB, searchParams: URLSearchParams, t: Translate): Promise<ReportDocxResult> {
  const fail = (status: 400 | 404, reason: string, message: string): ReportDocxResult => ({ ok: false, status, reason, message });
  const unitParam = searchParams.get("unit")?.trim() ?? "";
  const periodParam = searchParams.get("period")?.trim() ?? "";
  const langParam = searchParams.get("lang")?.trim() ?? "zh";
  if (!unitParam || !periodParam) return fail(400, "missing", t("drafts.docx.errors.missing"));
  for (const [param, ok] of [
    ["unit", UNIT_PARAM.test(unitParam)],
    ["period", PERIOD_PARAM.test(periodParam)],
    ["lang", langParam === "zh" || langParam === "en"],
  ] as const) {
    if (!ok) return fail(400, "bad_param", t("drafts.docx.errors.bad_param", { param }));
  }
  const [units, period] = await Promise.all([draftUnits(db), getPeriodByCode(db, periodParam)]);
  const unit = units.find((u) => u.id === Number(unitParam));
  if (!unit || !period) return fail(404, "not_found", t("drafts.docx.errors.not_found"));
  // no rule keeps a signed-in user from a report: everyone signed in reads every unit's (README), and the route's
  // requireUser is the check

  const locale: Locale = langParam === "en" ? "en" : "zh-CN";
  const draft = await draftProgressReport(db, unit, period);
  const doc = locale === "en" ? draft.en : draft.zh;
  const title = doc.blocks.find((b) => b.kind === "title")?.text ?? "";
  const unitName = localName(locale, unit.name_zh, unit.name_en);
  // 云南省西双版纳傣族自治州: the province in front of a unit below it, as the documents name a unit
  const province = units.find((u) => u.kind === "province" && u.id !== unit.id && unit.path.startsWith(u.path));
  const fileUnit = locale === "en" || !province ? unitName : `${province.name_zh}${unitName}`;
  const tFile = translator(locale);
  const body = await reportDocxBuffer(doc, { title, creator: unitName });
  return {
    ok: true,
    body,
    fileName: `${[fileNamePart(fileUnit), fileNamePart(periodName(period, locale)), tFile("drafts.docx.file")].join("_")}.docx`,
    asciiName: `report_${unit.code}_${period.code}_${langParam}.docx`,
  };
}

// ── the print view of a unit's period report ─────────────────────────────────────────────────────

/** The report page's content for A4: its header block, sections, commitments, status and approval. */
export async function loadReportPrint(db: DB, user: SessionUser, unitParam: string | undefined, periodParam: string | undefined) {
  if (!unitParam || !UNIT_PARAM.test(unitParam) || !periodParam || !PERIOD_PARAM.test(periodParam)) throw badRequest();
  const page = await loadReportPage(db, user, unitParam, periodParam);
  const last = (actions: string[]) => page.history.find((h) => actions.includes(h.action));
  const submitted = last(["report.submit", "report.resubmit"]);
  const approved = page.report?.status === "approved" ? last(["report.approve"]) : undefined;
  return {
    unit: page.unit,
    period: page.period,
    report: page.report,
    approvedAt: page.approvedAt,
    late: page.late,
    submittedBy: submitted?.user_name ?? null,
    approvedBy: approved?.user_name ?? null,
    // an item only touched by an activity's secondary link, with no narrative, has nothing to print
    sections: page.sections
      .filter((s) => s.activities.length || s.progress || s.problems || s.nextSteps || s.coordination)
      .map((s) => ({
      code: s.code,
      title_zh: s.title_zh,
      title_en: s.title_en,
      activities: s.activities,
      progress: s.progress,
      problems: s.problems,
      nextSteps: s.nextSteps,
      coordination: s.coordination,
    })),
    commitments: page.commitments,
    activityCount: page.activityCount,
  };
}

export type ReportPrintData = Awaited<ReturnType<typeof loadReportPrint>>;

// ── the plan-wide progress report of a period ────────────────────────────────────────────────────

export interface ItemFigures {
  tally: Tally;
  /** how many of the counted activities come from approved reports' snapshots */
  approved: number;
}

/**
 * Per plan item (its primary one), the figures of the period over all units: from the frozen snapshots of the
 * topmost approved reports for their subtrees, and summed in SQL from the live ledger everywhere else.
 */
export async function periodFiguresByPlanItem(db: DB, period: PeriodRow): Promise<Map<string, ItemFigures>> {
  const figures = new Map<string, ItemFigures>();
  const at = (code: string) => {
    let f = figures.get(code);
    if (!f) figures.set(code, (f = { tally: emptyTally(), approved: 0 }));
    return f;
  };
  const covered: string[] = [];
  for (const report of coveringReports(await listApprovedReports(db, period.id), null)) {
    const snapshot = await readReportSnapshot(db, report.id);
    if (!snapshot) continue;
    covered.push(report.path);
    for (const a of snapshot.activities) {
      if (!isCounted(a.status)) continue;
      const code = a.planItems.find((p) => p.primary)?.code;
      if (!code) continue;
      const f = at(code);
      f.approved += 1;
      addToTally(f.tally, a.type, {
        count: 1,
        delegations: a.delegations_count ?? 0,
        participants: a.participants_count ?? 0,
        delegationsNoPeople: a.participants_count === null && a.delegations_count ? a.delegations_count : 0,
        fundingFen: a.funding_cny_fen ?? 0,
        funded: a.funding_cny_fen ? 1 : 0,
      });
    }
  }
  let query = db
    .selectFrom("activities as a")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .innerJoin("activity_plan_items as api", (join) => join.onRef("api.activity_id", "=", "a.id").on("api.is_primary", "=", 1))
    .innerJoin("plan_items as pi", "pi.id", "api.plan_item_id")
    .where("a.deleted_at", "is", null)
    .where("a.status", "in", [...COUNTED_STATUSES])
    .where("a.start_date", ">=", period.start_date)
    .where("a.start_date", "<=", period.end_date);
  for (const path of covered) query = query.where("o.path", "not like", `${path}%`);
  const rows = await query
    .select((eb) => [
      "pi.code",
      "a.type",
      eb.fn.count<number | string>("a.id").as("count"),
      eb.fn.sum<number | string | null>(eb.fn.coalesce("a.delegations_count", eb.lit(0))).as("delegations"),
      eb.fn.sum<number | string | null>(eb.fn.coalesce("a.participants_count", eb.lit(0))).as("participants"),
      eb.fn
        .sum<number | string | null>(eb.case().when("a.participants_count", "is", null).then(eb.fn.coalesce("a.delegations_count", eb.lit(0))).else(eb.lit(0)).end())
        .as("delegations_no_people"),
      eb.fn.sum<number | string | null>(eb.fn.coalesce("a.funding_cny_fen", eb.lit(0))).as("funding"),
      eb.fn
        .sum<number | string | null>(eb.case().when("a.funding_cny_fen", ">", 0).then(eb.lit(1)).else(eb.lit(0)).end())
        .as("funded"),
    ])
    .groupBy(["pi.code", "a.type"])
    .execute();
  for (const r of rows) {
    const part: TypeTally = {
      count: Number(r.count),
      delegations: Number(r.delegations ?? 0),
      participants: Number(r.participants ?? 0),
      delegationsNoPeople: Number(r.delegations_no_people ?? 0),
      fundingFen: Number(r.funding ?? 0),
      funded: Number(r.funded ?? 0),
    };
    addToTally(at(r.code).tally, r.type, part);
  }
  return figures;
}

/** /print/progress?period=<code>; without a period, the latest one that has ended. */
export async function loadProgressPrint(db: DB, periodParam: string | null, today: string) {
  let period: PeriodRow | undefined;
  if (periodParam === null || periodParam === "") {
    period = defaultProgressPeriod(await listPeriods(db), today);
  } else {
    if (!PERIOD_PARAM.test(periodParam)) throw badRequest();
    period = await getPeriodByCode(db, periodParam);
  }
  if (!period) throw notFound();

  const [planItems, figures, ratings, indicators, organizations, reports] = await Promise.all([
    listPlanItems(db),
    periodFiguresByPlanItem(db, period),
    listRatings(db, period.id),
    listIndicatorsWithProgress(db, period),
    listOrganizations(db),
    db
      .selectFrom("period_reports")
      .select(["organization_id", "status", "first_submitted_at", "reviewed_at"])
      .where("period_id", "=", period.id)
      .execute(),
  ]);

  const groups = planItems
    .filter((p) => p.kind === "pillar" || (p.kind === "section" && planItems.some((c) => c.kind === "support" && c.path.startsWith(p.path))))
    .map((group) => {
      const items = planItems
        .filter((p) => p.loggable === 1 && p.path.startsWith(group.path))
        .map((p) => {
          const f = figures.get(p.code);
          const rating = ratings.find((r) => r.plan_item_id === p.id);
          return {
            code: p.code,
            title_zh: p.title_zh,
            title_en: p.title_en,
            tally: f?.tally ?? emptyTally(),
            approved: f?.approved ?? 0,
            rating: rating ? { rating: rating.rating, proposed: rating.proposed_rating, comment: rating.comment } : null,
          };
        });
      const total = emptyTally();
      for (const item of items) for (const [type, part] of Object.entries(item.tally.byType)) addToTally(total, type, part);
      return {
        code: group.code,
        title_zh: group.title_zh,
        title_en: group.title_en,
        items,
        total,
        approved: items.reduce((sum, i) => sum + i.approved, 0),
        indicators: indicators.filter((row) => row.indicator.plan_item_path.startsWith(group.path)),
      };
    });
  const total = emptyTally();
  for (const g of groups) for (const [type, part] of Object.entries(g.total.byType)) addToTally(total, type, part);

  const units = inTreeOrder(organizations.filter((o) => (REPORTING_UNIT_KINDS as readonly string[]).includes(o.kind))).map((u) => {
    const report = reports.find((r) => r.organization_id === u.id);
    const state = classifyReport(report ? { status: report.status as ReportStatus, first_submitted_at: report.first_submitted_at } : undefined, period, today);
    return {
      id: u.id,
      name_zh: u.name_zh,
      name_en: u.name_en,
      depth: u.depth,
      status: state.status,
      firstSubmittedOn: state.firstSubmittedOn,
      approvedOn: report?.status === "approved" && report.reviewed_at ? chinaDateOf(report.reviewed_at) : null,
      overdue: state.overdue,
      lateSubmission: state.lateSubmission,
    };
  });
  const count = (status: string) => units.filter((u) => u.status === status).length;

  return {
    period,
    today,
    groups,
    total,
    approvedCount: groups.reduce((sum, g) => sum + g.approved, 0),
    ratings: {
      green: ratings.filter((r) => r.rating === "green").length,
      yellow: ratings.filter((r) => r.rating === "yellow").length,
      red: ratings.filter((r) => r.rating === "red").length,
    },
    units,
    unitSummary: {
      total: units.length,
      approved: count("approved"),
      submitted: count("submitted"),
      returned: count("returned"),
      draft: count("draft"),
      none: count("none"),
      overdue: units.filter((u) => u.overdue).length,
    },
  };
}

export type ProgressPrintData = Awaited<ReturnType<typeof loadProgressPrint>>;

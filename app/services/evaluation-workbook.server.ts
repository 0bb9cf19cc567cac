// The periodic evaluation workbook of a reporting period, for the evaluation meeting:
//   总览      by pillar and by priority area: activities, delegations, people, funding, indicator achievement and
//             the 红黄绿 ratings, with a total;
//   按条款    each plan item's indicators (baseline, targets, actuals, %), the proposal, the rating and comment;
//   按单位    each reporting unit: report status, on time or late, its activities by status;
//   活动明细  every activity of the period;
//   评估意见  each plan item's proposal with its reasons, the rating, the comment and who rated it.
// Activities are those that start within the period (as a period report gathers them); where a unit's report is
// approved they come from its frozen snapshot (ActivitySource), so the figures read as approved. The indicator
// actuals and the proposals are those of the indicators and evaluation pages (computed from the live ledger).
import { countryName } from "~/utils/countries";
import { type Locale, type Translate, localName } from "~/i18n";
import { formatDate, formatDateTime, joinList } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { listOrganizations } from "~/models/organization.server";
import { listPlanItemIdsByPriorityArea, listPriorityAreas } from "~/models/plan-item.server";
import type { PeriodRow } from "~/models/reporting-period.server";
import { loadEvaluation } from "~/presenters/evaluation.server";
import { isCounted } from "~/domain/counting";
import { classifyReport } from "~/domain/reporting";
import { buildSubmissionMatrix } from "~/presenters/monitoring.server";
import { listIndicatorsWithProgress } from "~/services/indicator-progress.server";
import { ACTIVITY_STATUSES } from "~/schemas/activity";
import { chinaDateOf, todayInChina } from "~/utils/china-time";
import type { DB } from "~/utils/db.server";
import { type CellValue, type ColumnKind, type Mark, type SheetColumn, excelDate, fenToWan, fileNamePart, streamWorkbook } from "./excel-format.server";
import { ActivitySource, type ExportActivity, type ExportFile, evidenceText } from "./ledger-export.server";

interface Tally {
  activities: number;
  delegations: number;
  participants: number;
  fundingFen: number;
}

const emptyTally = (): Tally => ({ activities: 0, delegations: 0, participants: 0, fundingFen: 0 });

function addTo(tally: Tally, a: ExportActivity) {
  tally.activities++;
  tally.delegations += a.delegations_count ?? 0;
  tally.participants += a.participants_count ?? 0;
  tally.fundingFen += a.funding_cny_fen ?? 0;
}


export async function exportEvaluation(
  db: DB,
  input: { period: PeriodRow; locale: Locale; t: Translate; today?: string; now?: Date },
): Promise<ExportFile> {
  const { period, locale, t } = input;
  const today = input.today ?? todayInChina();
  const now = input.now ?? new Date();
  const name = (zh: string, en: string) => localName(locale, zh, en);

  const source = await ActivitySource.open(db, { unit: null, period, from: period.start_date, to: period.end_date });
  const [evaluation, indicators, areas, areaItems, matrix, organizations] = await Promise.all([
    loadEvaluation(db, period),
    listIndicatorsWithProgress(db, period),
    listPriorityAreas(db),
    listPlanItemIdsByPriorityArea(db),
    buildSubmissionMatrix(db, { today, kind: period.kind, year: period.year }),
    listOrganizations(db),
  ]);
  const unitPath = new Map(organizations.map((o) => [o.id, o.path]));
  const planItems = source.planItems;
  const pathOfCode = new Map(planItems.map((p) => [p.code, p.path]));
  const pathOfId = new Map(planItems.map((p) => [p.id, p.path]));

  // the groups of the overview: the plan's pillars (and the 支撑体系 section) as the evaluation page groups them,
  // then the priority areas, each a list of plan paths whose activities, indicators and ratings it counts
  const groups: { kind: string; label: string; paths: string[] }[] = [];
  for (const row of evaluation.rows) {
    if (row.group && !groups.some((g) => g.label.startsWith(`${row.group!.code} `))) {
      groups.push({ kind: t("exports.evaluation.kind.pillar"), label: `${row.group.code} ${name(row.group.title_zh, row.group.title_en)}`, paths: [pathOfCode.get(row.group.code)!] });
    }
  }
  for (const area of areas) {
    const paths = (areaItems.get(area.id) ?? []).map((id) => pathOfId.get(id)).filter((p): p is string => !!p);
    groups.push({ kind: t("exports.evaluation.kind.area"), label: name(area.name_zh, area.name_en), paths });
  }
  const under = (paths: string[], path: string) => paths.some((p) => path.startsWith(p));

  // pass 1 over the period's activities: the tallies of the overview and of the units
  const groupTallies = groups.map(emptyTally);
  const total = emptyTally();
  /** the activities serving any priority area, each once */
  const areaTotal = emptyTally();
  const pillarTotal = emptyTally();
  const areaKind = t("exports.evaluation.kind.area");
  const byUnitPath = new Map<string, Record<string, number>>();
  for (const item of source.planItems) {
    for await (const batch of source.batches(item.id, { planLinks: true })) {
      for (const a of batch) {
        const counts = byUnitPath.get(a.organization_path) ?? {};
        counts[a.status] = (counts[a.status] ?? 0) + 1;
        byUnitPath.set(a.organization_path, counts);
        if (!isCounted(a.status)) continue;
        addTo(total, a);
        const linked = a.planItems.map((p) => pathOfCode.get(p.code)).filter((p): p is string => !!p);
        let inArea = false;
        let inPillar = false;
        groups.forEach((g, i) => {
          if (linked.some((path) => under(g.paths, path))) {
            addTo(groupTallies[i]!, a);
            if (g.kind === areaKind) inArea = true;
            else inPillar = true;
          }
        });
        if (inArea) addTo(areaTotal, a);
        if (inPillar) addTo(pillarTotal, a);
      }
    }
  }

  const indicatorSummary = (paths: string[] | null) => {
    const list = indicators.filter((i) => paths === null || under(paths, i.indicator.plan_item_path));
    const known = list.filter((i) => i.progress.percent !== null);
    return {
      count: list.length,
      average: known.length ? known.reduce((s, i) => s + i.progress.percent!, 0) / known.length / 100 : null,
      behind: known.filter((i) => i.progress.percent! < i.progress.expected * 100).length,
    };
  };
  const ratingSummary = (paths: string[] | null) => {
    const rows = evaluation.rows.filter((r) => paths === null || under(paths, pathOfId.get(r.id) ?? ""));
    const count = (rating: string) => rows.filter((r) => r.rating?.rating === rating).length;
    return [count("green"), count("yellow"), count("red"), rows.filter((r) => !r.rating).length];
  };

  const periodLabel = periodName(period, locale);
  const title = (sheet: string) => t("exports.evaluation.title", { period: periodLabel, sheet });
  const generated = t("exports.generated", { time: formatDateTime(now.toISOString(), locale) });
  const col = (key: string, kind: ColumnKind, max?: number): SheetColumn => ({ header: t(`exports.evaluation.col.${key}`), kind, max });
  const ratingText = (rating: string | undefined) => (rating ? t(`exports.warning.${rating}`) : t("exports.evaluation.not_rated"));

  const body = streamWorkbook(locale, t, async (book) => {
    // 总览
    let sheet = await book.sheet({
      name: t("exports.evaluation.sheet.overview"),
      title: title(t("exports.evaluation.sheet.overview")),
      notes: [generated, t("exports.evaluation.overview_note")],
      columns: [
        col("group_kind", "text", 10),
        col("group", "text", 30),
        col("activities", "int"),
        col("delegations", "int"),
        col("participants", "int"),
        col("funding", "wan"),
        col("indicators", "int"),
        col("average_percent", "percent"),
        col("behind", "int"),
        col("green", "int"),
        col("yellow", "int"),
        col("red", "int"),
        col("not_rated", "int"),
      ],
    });
    const tallyRow = (kind: string, label: string, tally: Tally, paths: string[] | null): CellValue[] => {
      const ind = indicatorSummary(paths);
      return [kind, label, tally.activities, tally.delegations, tally.participants, fenToWan(tally.fundingFen), ind.count, ind.average, ind.behind, ...ratingSummary(paths)];
    };
    // the groups overlap (an activity serving two items counts in each): each block ends with its distinct total,
    // an activity counted once, and the last row is every counted activity of the period once
    const pillarCount = groups.filter((g) => g.kind === t("exports.evaluation.kind.pillar")).length;
    for (const [i, g] of groups.entries()) {
      sheet.add(tallyRow(g.kind, g.label, groupTallies[i]!, g.paths));
      if (i === pillarCount - 1 && pillarCount < groups.length) {
        sheet.add(tallyRow(t("exports.evaluation.kind.subtotal"), t("exports.evaluation.total_pillars"), pillarTotal, groups.slice(0, pillarCount).flatMap((g) => g.paths)), { kind: "total" });
      }
    }
    if (pillarCount < groups.length) {
      const areaPaths = groups.slice(pillarCount).flatMap((g) => g.paths);
      sheet.add(tallyRow(t("exports.evaluation.kind.subtotal"), t("exports.evaluation.total_areas"), areaTotal, areaPaths), { kind: "total" });
    }
    sheet.add(tallyRow(t("exports.evaluation.kind.total"), t("exports.evaluation.total"), total, null), { kind: "total" });

    // 按条款
    sheet = await book.sheet({
      name: t("exports.evaluation.sheet.items"),
      title: title(t("exports.evaluation.sheet.items")),
      notes: [generated, t("exports.evaluation.items_note")],
      freezeColumns: 1,
      columns: [
        col("item", "text", 24),
        col("indicator", "text", 28),
        col("unit", "text", 8),
        col("baseline", "number"),
        col("target", "number"),
        col("period_target", "number"),
        col("actual_to_date", "number"),
        col("actual_in_period", "number"),
        col("percent", "percent"),
        col("period_percent", "percent"),
        col("expected", "percent"),
        col("proposed", "text", 10),
        col("rating", "text", 10),
        col("comment", "long", 40),
      ],
    });
    for (const row of evaluation.rows) {
      const path = pathOfId.get(row.id) ?? "";
      const item = `${row.code} ${name(row.title_zh, row.title_en)}`;
      const marks: Partial<Record<number, Mark>> = { 11: row.proposal.rating, ...(row.rating ? { 12: row.rating.rating } : {}) };
      const tail: CellValue[] = [ratingText(row.proposal.rating), ratingText(row.rating?.rating), row.rating?.comment ?? null];
      const own = indicators.filter((i) => i.indicator.plan_item_path.startsWith(path));
      if (own.length === 0) {
        sheet.add([item, t("exports.evaluation.no_indicator"), null, null, null, null, null, null, null, null, null, ...tail], { marks });
      }
      for (const { indicator: i, progress: p } of own) {
        const percent = (v: number | null) => (v === null ? null : v / 100);
        sheet.add(
          [item, name(i.name_zh, i.name_en), i.unit, p.baseline, p.target, p.periodTarget, p.actualToDate, p.actualInPeriod, percent(p.percent), percent(p.periodPercent), p.expected, ...tail],
          { marks },
        );
      }
    }

    // 按单位
    sheet = await book.sheet({
      name: t("exports.evaluation.sheet.units"),
      title: title(t("exports.evaluation.sheet.units")),
      notes: [generated, t("exports.evaluation.units_note", { due: formatDate(period.due_date, locale), today: formatDate(today, locale) })],
      freezeColumns: 1,
      columns: [
        col("unit_name", "text", 30),
        col("report_status", "text", 10),
        col("first_submitted", "date"),
        col("timeliness", "text", 12),
        col("unit_activities", "int"),
        ...ACTIVITY_STATUSES.map((s) => ({ header: t(`activity.status.${s}`), kind: "int" as const })),
      ],
    });
    for (const row of matrix.rows) {
      const cell = row.cells.find((c) => c.periodId === period.id) ?? classifyReport(undefined, period, today);
      const path = unitPath.get(row.unit.id)!;
      const counts: Record<string, number> = {};
      for (const [orgPath, c] of byUnitPath) {
        if (!orgPath.startsWith(path)) continue;
        for (const [status, n] of Object.entries(c)) counts[status] = (counts[status] ?? 0) + n;
      }
      const timeliness = cell.onTime
        ? t("exports.evaluation.on_time")
        : cell.lateSubmission
          ? t("exports.evaluation.late_submission")
          : cell.overdue
            ? t("exports.evaluation.overdue")
            : t("exports.evaluation.not_due");
      sheet.add(
        [
          `${"　".repeat(row.unit.depth)}${name(row.unit.name_zh, row.unit.name_en)}`,
          t(`reports.status.${cell.status}`),
          excelDate(cell.firstSubmittedOn),
          timeliness,
          ACTIVITY_STATUSES.reduce((s, status) => s + (counts[status] ?? 0), 0),
          ...ACTIVITY_STATUSES.map((s) => counts[s] ?? 0),
        ],
        cell.overdue || cell.lateSubmission ? { marks: { 3: cell.overdue ? "red" : "yellow" } } : {},
      );
    }

    // 活动明细
    sheet = await book.sheet({
      name: t("exports.evaluation.sheet.activities"),
      title: title(t("exports.evaluation.sheet.activities")),
      notes: [generated, t("exports.evaluation.activities_note")],
      freezeColumns: 2,
      columns: [
        col("serial", "serial"),
        col("title", "long", 32),
        col("primary_item", "text", 22),
        col("other_items", "text", 22),
        col("organization", "text", 18),
        col("type", "text", 14),
        col("status", "text", 8),
        col("start_date", "date"),
        col("end_date", "date"),
        col("countries", "text", 16),
        col("counterpart", "text", 22),
        col("location", "text", 18),
        col("delegations", "int"),
        col("participants", "int"),
        col("funding", "wan"),
        col("funding_source", "text", 16),
        col("outcome", "long", 40),
        col("evidence", "long", 30),
        col("source", "text", 12),
      ],
    });
    let serial = 0;
    const plan = (p: ExportActivity["planItems"][number]) => `${p.code} ${name(p.title_zh, p.title_en)}`;
    for (const item of source.planItems) {
      for await (const batch of source.batches(item.id)) {
        for (const a of batch) {
          const due = sheet.add([
            ++serial,
            a.title,
            a.planItems.filter((p) => p.primary).map(plan).join("\n"),
            a.planItems.filter((p) => !p.primary).map(plan).join("\n"),
            name(a.organization_name_zh, a.organization_name_en),
            t(`activity.type.${a.type}`),
            t(`activity.status.${a.status}`),
            excelDate(a.start_date),
            excelDate(a.end_date),
            joinList(a.countries.map((c) => countryName(c, locale)), locale),
            a.counterpart_body,
            a.location,
            a.delegations_count,
            a.participants_count,
            fenToWan(a.funding_cny_fen),
            a.funding_source,
            a.outcome,
            evidenceText(a),
            t(a.frozen ? "exports.evaluation.source.frozen" : "exports.evaluation.source.live"),
          ]);
          if (due) await sheet.flush();
        }
      }
    }

    // 评估意见
    sheet = await book.sheet({
      name: t("exports.evaluation.sheet.comments"),
      title: title(t("exports.evaluation.sheet.comments")),
      notes: [generated],
      freezeColumns: 1,
      columns: [
        col("item", "text", 24),
        col("proposed", "text", 10),
        col("reasons", "long", 44),
        col("rating", "text", 10),
        col("comment", "long", 40),
        col("override_reason", "long", 30),
        col("rated_by", "text", 16),
        col("rated_at", "date"),
      ],
    });
    for (const row of evaluation.rows) {
      sheet.add(
        [
          `${row.code} ${name(row.title_zh, row.title_en)}`,
          ratingText(row.proposal.rating),
          row.proposal.reasons.map((r) => t(r.key, r.params)).join("\n"),
          ratingText(row.rating?.rating),
          row.rating?.comment ?? null,
          row.rating?.overrideReason || null,
          row.rating?.ratedBy ?? null,
          row.rating ? excelDate(chinaDateOf(row.rating.ratedAt)) : null,
        ],
        { marks: { 1: row.proposal.rating, ...(row.rating ? { 3: row.rating.rating } : {}) } },
      );
    }
  });

  return {
    fileName: `${fileNamePart(periodLabel)}_${fileNamePart(t("exports.evaluation.file"))}.xlsx`,
    asciiName: `evaluation_${period.code}.xlsx`,
    body,
  };
}

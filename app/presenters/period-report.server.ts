// Shapes a unit's period report page: the report (or a blank draft), its activities grouped by plan item, the
// narratives, last period's commitments, what the user may do, and the history. An approved report is shown
// from its frozen snapshot, so it reads exactly as approved whatever happened to the ledger since.
import { listAuditForEntity } from "~/models/audit-log.server";
import { getOrganization } from "~/models/organization.server";
import { getLatestSnapshot, getReportFor, listCommitments, listReportItems } from "~/models/period-report.server";
import { listPlanItems } from "~/models/plan-item.server";
import { NARRATIVE_FIELDS, type NarrativeField, classifyReport } from "~/domain/reporting";
import { parseReturnedItems } from "~/schemas/returned-items";
import { getPeriodByCode, previousPeriodOf } from "~/models/reporting-period.server";
import { type ReportSnapshot, reportActivities, reportPermissions } from "~/services/report-workflow.server";
import { type SessionUser, notFound } from "~/utils/auth.server";
import { todayInChina } from "~/utils/china-time";
import type { DB } from "~/utils/db.server";

export async function requireReportContext(db: DB, unitParam: string | undefined, periodParam: string | undefined) {
  const unitId = unitParam && /^[1-9]\d{0,9}$/.test(unitParam) ? Number(unitParam) : null;
  const unit = unitId ? await getOrganization(db, unitId) : undefined;
  const period = periodParam && /^[\dA-Z-]{4,10}$/.test(periodParam) ? await getPeriodByCode(db, periodParam) : undefined;
  if (!unit || !period) throw notFound();
  return { unit, period };
}

export async function loadReportPage(db: DB, user: SessionUser, unitParam?: string, periodParam?: string) {
  const { unit, period } = await requireReportContext(db, unitParam, periodParam);
  const report = await getReportFor(db, unit.id, period.id);
  const previous = await previousPeriodOf(db, period);
  const snapshot =
    report?.status === "approved" ? await getLatestSnapshot<ReportSnapshot>(db, report.id) : null;
  const [items, commitments, activities, planItems, history] = await Promise.all([
    snapshot ? snapshot.items : report ? listReportItems(db, report.id) : Promise.resolve([] as ReportSnapshot["items"]),
    snapshot ? snapshot.commitments : listCommitments(db, unit.id, previous?.id ?? null, report?.id ?? null),
    snapshot ? snapshot.activities : reportActivities(db, unit, period),
    listPlanItems(db),
    report ? listAuditForEntity(db, "period_report", report.id) : Promise.resolve([] as Awaited<ReturnType<typeof listAuditForEntity>>),
  ]);

  // The plan items the report speaks to: those its activities serve and those it has narratives for.
  const touched = new Set<string>([
    ...activities.flatMap((a) => a.planItems.map((p) => p.code)),
    ...items.map((i) => i.code),
  ]);
  const sections = planItems
    .filter((p) => touched.has(p.code) && p.loggable === 1)
    .map((p) => {
      const item = items.find((i) => i.code === p.code);
      return {
        planItemId: p.id,
        code: p.code,
        title_zh: p.title_zh,
        title_en: p.title_en,
        activities: activities.filter((a) => a.planItems.find((l) => l.primary)?.code === p.code),
        related: activities.filter((a) => a.planItems.some((l) => !l.primary && l.code === p.code)).map((a) => a.id),
        progress: item?.progress ?? "",
        problems: item?.problems ?? "",
        nextSteps: item?.next_steps ?? "",
        coordination: item?.coordination ?? "",
        returnReason: item?.return_reason ?? null,
      };
    });

  const state = classifyReport(report, period, todayInChina());
  const planItemById = new Map(planItems.map((p) => [p.id, p]));
  return {
    unit: { id: unit.id, name_zh: unit.name_zh, name_en: unit.name_en, path: unit.path },
    period,
    report: report
      ? {
          id: report.id,
          status: report.status,
          version: report.version,
          submittedAt: report.submitted_at,
          reviewedAt: report.reviewed_at,
          returnReason: report.return_reason,
        }
      : null,
    approvedAt: snapshot?.approvedAt ?? null,
    /** overdue (not submitted by the due date) or first submitted after it: the monitoring page's definitions */
    late: state.overdue || state.lateSubmission,
    sections,
    addable: planItems
      .filter((p) => p.loggable === 1 && !touched.has(p.code))
      .map((p) => ({ id: p.id, code: p.code, title_zh: p.title_zh, title_en: p.title_en })),
    commitments,
    activityCount: activities.length,
    history: history.map((entry) => ({ ...entry, itemReasons: itemReasonsOf(entry.changes, planItemById) })),
    /** a resubmission beside what was returned, for the reviewer (null unless submitted after a return) */
    comparison:
      report?.status === "submitted" && report.returned_items_json
        ? compareWithReturned(parseReturnedItems(report.returned_items_json), items, planItemById)
        : null,
    can: reportPermissions(user, unit, period, report?.status ?? null),
    /** when the reporter handed the report to the leader (提交审签), while it waits for the sign-off */
    readyAt: report?.ready_at ?? null,
  };
}

type PlanItemNames = Map<number, { code: string; title_zh: string; title_en: string }>;

/** A return's item reasons as the history shows them: each with the plan item it is about. */
function itemReasonsOf(changes: Record<string, unknown>, planItems: PlanItemNames) {
  const items = changes.items && typeof changes.items === "object" ? (changes.items as Record<string, unknown>) : {};
  return Object.entries(items)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([id, reason]) => {
      const item = planItems.get(Number(id));
      return { code: item?.code ?? "", title_zh: item?.title_zh ?? "", title_en: item?.title_en ?? "", reason };
    });
}

/** The resubmitted narratives beside the returned ones, field by field: only the fields that changed. */
function compareWithReturned(
  returned: ReturnType<typeof parseReturnedItems>,
  current: { plan_item_id: number; code: string; progress: string; problems: string; next_steps: string; coordination: string }[],
  planItems: PlanItemNames,
) {
  const ids = [...new Set([...returned.items.map((i) => i.plan_item_id), ...current.map((i) => i.plan_item_id)])];
  const items = ids
    .map((id) => {
      const before = returned.items.find((i) => i.plan_item_id === id);
      const after = current.find((i) => i.plan_item_id === id);
      const changes = NARRATIVE_FIELDS.map((field: NarrativeField) => ({ field, before: before?.[field] ?? "", after: after?.[field] ?? "" })).filter(
        (c) => c.before.trim() !== c.after.trim(),
      );
      const item = planItems.get(id);
      return { planItemId: id, code: item?.code ?? before?.code ?? after?.code ?? "", title_zh: item?.title_zh ?? "", title_en: item?.title_en ?? "", changes };
    })
    .filter((i) => i.changes.length > 0);
  items.sort((a, b) => a.code.localeCompare(b.code, "en", { numeric: true }));
  return { returnedAt: returned.returned_at, items };
}

export type ReportPageData = Awaited<ReturnType<typeof loadReportPage>>;

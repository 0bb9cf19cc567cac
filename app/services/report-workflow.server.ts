// The review workflow of a unit's period report: draft → submitted → approved, or → returned (with reasons) →
// resubmitted; an approved report can be reopened with a reason. Every transition is checked against the acting
// user and the report's state, runs in one transaction and writes the audit log; approval freezes a snapshot.
// The unit's reporter hands a draft (or a fixed returned report) to the leader (提交审签, ready_at); the leader's
// sign-off checks that the report is complete (signOffGaps) and, through the page, that it was confirmed, as the
// reviewer's approval and return are. A return keeps the narratives as they were, for the reviewer's comparison.
import type { Transaction } from "kysely";
import type { Database, ReportStatus } from "../../db/schema";
import { listAllActivities } from "~/models/activity.server";
import { writeAudit } from "~/models/audit-log.server";
import { getLatestSnapshot, getReportFor, listCommitments, listReportItems } from "~/models/period-report.server";
import { listFilesOfActivities, listReportFiles } from "~/models/evidence-file.server";
import { type ReadSnapshot, type ReportSnapshot, type SnapshotActivity, type SnapshotFile, buildReportSnapshot, parseReportSnapshot } from "~/schemas/report-snapshot";
import { type PeriodRow, previousPeriodOf } from "~/models/reporting-period.server";
import { periodNotEnded, signOffGaps } from "~/domain/reporting";
import { buildReturnedItems } from "~/schemas/returned-items";
import { type SessionUser, can } from "~/utils/auth.server";
import { chinaDateOf, todayInChina } from "~/utils/china-time";
import type { DB } from "~/utils/db.server";
import { lockUntilCommit } from "~/utils/sql-dialect.server";
import { lockActivityWrites } from "~/services/freeze.server";
import { proposalsFor } from "~/services/rating-proposal.server";

export type ReportAction = "save" | "handover" | "submit" | "return" | "approve" | "reopen";

export interface ReportUnit {
  id: number;
  path: string;
  name_zh: string;
  name_en: string;
}

/** Who may do what to a report in its current state (the page shows these; the actions enforce them). */
export function reportPermissions(user: SessionUser, unit: ReportUnit, period: PeriodRow, status: ReportStatus | null) {
  const open = period.closed_at === null;
  const editable = status === null || status === "draft" || status === "returned";
  const target = { organization_path: unit.path };
  const reviews = can(user, "report.review", target);
  return {
    save: open && can(user, "report.save", target) && editable,
    handover: open && can(user, "report.handover", target) && editable,
    submit: open && can(user, "report.submit", target) && editable,
    return: reviews && status === "submitted",
    approve: reviews && status === "submitted",
    reopen: reviews && status === "approved",
  } satisfies Record<ReportAction, boolean>;
}

export type ReportPermissions = ReturnType<typeof reportPermissions>;

export interface NarrativeInput {
  planItemId: number;
  progress: string;
  problems: string;
  nextSteps: string;
  coordination: string;
}

export interface CommitmentInput {
  sourceItemId: number;
  outcome: "done" | "carried_over" | "dropped" | null;
  note: string;
}

/** What a step asks the user to confirm before it runs: the page shows it and posts again with confirm=yes. */
export type ConfirmKind = "submit" | "approve" | "return";

export type WorkflowResult =
  | { ok: true; reportId: number }
  | {
      ok: false;
      status: 400 | 409;
      error: string;
      /** the plan items whose 进展情况 is missing (a sign-off refused as incomplete) */
      missing?: string[];
      /** the step waits for the user's confirmation (and, for an early sign-off, confirmation of that too) */
      confirm?: { kind: ConfirmKind; early: boolean };
    };

/** The user's answer to a step's confirmation, as posted (absent when code, not a person, runs the step). */
export interface Confirmation {
  confirmed: boolean;
  /** for a sign-off before the period's end: the early submission confirmed too */
  early?: boolean;
}

/** A refusal thrown out of a workflow transaction, so that it rolls back whatever the step had written. */
class Refused extends Error {
  constructor(readonly result: WorkflowResult) {
    super("refused");
  }
}

/**
 * Runs a workflow step in a transaction that commits only when the step succeeds: a refusal ({ ok: false }) rolls
 * back everything the step wrote before deciding (the report row it created to look at, say), so a refused write
 * writes nothing.
 */
async function workflowTransaction(db: DB, step: (trx: Transaction<Database>) => Promise<WorkflowResult>): Promise<WorkflowResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const result = await step(trx);
      if (!result.ok) throw new Refused(result);
      return result;
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

/** The activities a report covers: those of the unit and the units below it that start within the period. */
export async function reportActivities(db: DB, unit: ReportUnit, period: PeriodRow) {
  return listAllActivities(db, { organizationPath: unit.path, startFrom: period.start_date, startTo: period.end_date }, "start_asc");
}

async function ensureReport(trx: Transaction<Database>, unitId: number, periodId: number) {
  const existing = await getReportFor(trx, unitId, periodId);
  if (existing) return existing;
  const now = new Date().toISOString();
  await trx
    .insertInto("period_reports")
    .values({
      organization_id: unitId,
      period_id: periodId,
      status: "draft",
      version: 1,
      first_submitted_at: null,
      submitted_at: null,
      submitted_by: null,
      reviewed_at: null,
      reviewed_by: null,
      return_reason: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return (await getReportFor(trx, unitId, periodId))!;
}

// Every change of a unit's period report takes this lock first, so two at the same moment (two instances, two
// tabs) run one after the other and the second sees what the first did: a stale version, a report already
// approved, the report row the first one created.
function lockReport(trx: Transaction<Database>, unit: ReportUnit, period: PeriodRow): Promise<void> {
  return lockUntilCommit(trx, `period-report:${unit.id}:${period.id}`);
}

/** Why the report cannot be signed off yet, if anything: empty, or plan items with activities lacking 进展情况. */
async function signOffRefusal(trx: Transaction<Database>, unit: ReportUnit, period: PeriodRow, reportId: number): Promise<WorkflowResult | null> {
  const [activities, items, accounts] = await Promise.all([
    reportActivities(trx, unit, period),
    listReportItems(trx, reportId),
    trx.selectFrom("report_commitments").select("id").where("report_id", "=", reportId).execute(),
  ]);
  const gaps = signOffGaps({
    activityItems: activities.flatMap((a) => a.planItems.filter((p) => p.primary).map((p) => p.code)),
    narratives: items,
    accounts: accounts.length,
  });
  if (gaps.empty) return { ok: false, status: 400, error: "reports.errors.empty" };
  if (gaps.missingProgress.length) return { ok: false, status: 400, error: "reports.errors.incomplete", missing: gaps.missingProgress };
  return null;
}

/** 提交审签: the reporter hands the complete draft (or the fixed returned report) to the unit's leader. */
export async function handoverReport(db: DB, user: SessionUser, unit: ReportUnit, period: PeriodRow): Promise<WorkflowResult> {
  return workflowTransaction(db, async (trx): Promise<WorkflowResult> => {
    await lockReport(trx, unit, period);
    const report = await ensureReport(trx, unit.id, period.id);
    if (!reportPermissions(user, unit, period, report.status).handover) return { ok: false, status: 409, error: "reports.errors.not_editable" };
    const refusal = await signOffRefusal(trx, unit, period, report.id);
    if (refusal) return refusal;
    const now = new Date().toISOString();
    await trx
      .updateTable("period_reports")
      .set({ ready_at: now, ready_by: user.id, version: report.version + 1, updated_at: now })
      .where("id", "=", report.id)
      .execute();
    await writeAudit(trx, {
      userId: user.id,
      action: "report.handover",
      entityType: "period_report",
      entityId: report.id,
      changes: { after_return: report.status === "returned" },
    });
    return { ok: true, reportId: report.id };
  });
}

/** The narratives as they stand, kept with a return so the resubmission can be compared with them. */
async function returnedItemsJson(trx: Transaction<Database>, reportId: number, now: string): Promise<string> {
  const items = await listReportItems(trx, reportId);
  return buildReturnedItems({
    returned_at: now,
    items: items.map((i) => ({ plan_item_id: i.plan_item_id, code: i.code, progress: i.progress, problems: i.problems, next_steps: i.next_steps, coordination: i.coordination })),
  });
}

/** Saves the narratives and the accounts of last period's commitments, from the version the user started from. */
export async function saveReport(
  db: DB,
  user: SessionUser,
  unit: ReportUnit,
  period: PeriodRow,
  input: { version: number; items: NarrativeInput[]; commitments: CommitmentInput[] },
): Promise<WorkflowResult> {
  return workflowTransaction(db, async (trx): Promise<WorkflowResult> => {
    await lockReport(trx, unit, period);
    // A form opened before the report existed carries version 0; once it exists, the version must match.
    const existed = await getReportFor(trx, unit.id, period.id);
    const report = existed ?? (await ensureReport(trx, unit.id, period.id));
    if (!reportPermissions(user, unit, period, report.status).save) return { ok: false, status: 409, error: "reports.errors.not_editable" };
    if ((existed ? existed.version : 0) !== input.version) return { ok: false, status: 409, error: "reports.errors.stale" };
    const now = new Date().toISOString();
    const existing = await listReportItems(trx, report.id);
    for (const item of input.items) {
      const empty = !item.progress && !item.problems && !item.nextSteps && !item.coordination;
      const row = existing.find((e) => e.plan_item_id === item.planItemId);
      if (row) {
        await trx
          .updateTable("report_items")
          .set({ progress: item.progress, problems: item.problems, next_steps: item.nextSteps, coordination: item.coordination })
          .where("id", "=", row.id)
          .execute();
      } else if (!empty) {
        await trx
          .insertInto("report_items")
          .values({
            report_id: report.id,
            plan_item_id: item.planItemId,
            progress: item.progress,
            problems: item.problems,
            next_steps: item.nextSteps,
            coordination: item.coordination,
            return_reason: null,
          })
          .execute();
      }
    }
    for (const c of input.commitments) {
      await trx.deleteFrom("report_commitments").where("report_id", "=", report.id).where("source_item_id", "=", c.sourceItemId).execute();
      if (c.outcome) {
        await trx.insertInto("report_commitments").values({ report_id: report.id, source_item_id: c.sourceItemId, outcome: c.outcome, note: c.note }).execute();
      }
    }
    await trx.updateTable("period_reports").set({ version: report.version + 1, updated_at: now }).where("id", "=", report.id).execute();
    await writeAudit(trx, {
      userId: user.id,
      action: "report.save",
      entityType: "period_report",
      entityId: report.id,
      changes: { items: input.items.length, commitments: input.commitments.filter((c) => c.outcome).length },
    });
    return { ok: true, reportId: report.id };
  });
}

/**
 * 签发报送: the leader submits the report. A sign-off by a person (`signOff` given, from the page) must find the
 * report complete and confirmed — and, before the period has ended, the early submission confirmed too.
 */
export async function submitReport(
  db: DB,
  user: SessionUser,
  unit: ReportUnit,
  period: PeriodRow,
  signOff?: Confirmation,
): Promise<WorkflowResult> {
  return workflowTransaction(db, async (trx): Promise<WorkflowResult> => {
    await lockReport(trx, unit, period);
    const report = await ensureReport(trx, unit.id, period.id);
    if (!reportPermissions(user, unit, period, report.status).submit) return { ok: false, status: 409, error: "reports.errors.not_submittable" };
    const previous = await previousPeriodOf(trx, period);
    const commitments = await listCommitments(trx, unit.id, previous?.id ?? null, report.id);
    if (commitments.some((c) => !c.outcome)) return { ok: false, status: 400, error: "reports.errors.commitments_open" };
    if (signOff) {
      const refusal = await signOffRefusal(trx, unit, period, report.id);
      if (refusal) return refusal;
      const early = periodNotEnded(period, todayInChina());
      if (!signOff.confirmed || (early && !signOff.early)) {
        return { ok: false, status: 400, error: early ? "reports.confirm.early_needed" : "reports.confirm.needed", confirm: { kind: "submit", early } };
      }
    }
    const now = new Date().toISOString();
    const wasReturned = report.status === "returned";
    await trx
      .updateTable("period_reports")
      .set({
        status: "submitted",
        version: report.version + 1,
        first_submitted_at: report.first_submitted_at ?? now,
        submitted_at: now,
        submitted_by: user.id,
        return_reason: null,
        ready_at: null,
        ready_by: null,
        updated_at: now,
      })
      .where("id", "=", report.id)
      .execute();
    // the item reasons of a return were answered by this submission; they stay in the audit log
    await trx.updateTable("report_items").set({ return_reason: null }).where("report_id", "=", report.id).execute();
    await writeAudit(trx, {
      userId: user.id,
      action: wasReturned ? "report.resubmit" : "report.submit",
      entityType: "period_report",
      entityId: report.id,
      changes: { late: chinaDateOf(now) > period.due_date },
    });
    return { ok: true, reportId: report.id };
  });
}

export async function returnReport(
  db: DB,
  user: SessionUser,
  unit: ReportUnit,
  period: PeriodRow,
  input: { reason: string; itemReasons: { planItemId: number; reason: string }[] },
  confirmation?: Confirmation,
): Promise<WorkflowResult> {
  const itemReasons = input.itemReasons.filter((r) => r.reason.trim() !== "");
  if (!input.reason.trim() && itemReasons.length === 0) return { ok: false, status: 400, error: "reports.errors.reason_required" };
  return workflowTransaction(db, async (trx): Promise<WorkflowResult> => {
    await lockReport(trx, unit, period);
    const report = await getReportFor(trx, unit.id, period.id);
    if (!report || !reportPermissions(user, unit, period, report.status).return) return { ok: false, status: 409, error: "reports.errors.not_reviewable" };
    if (confirmation && !confirmation.confirmed) return { ok: false, status: 400, error: "reports.confirm.needed", confirm: { kind: "return", early: false } };
    const now = new Date().toISOString();
    await trx
      .updateTable("period_reports")
      .set({
        status: "returned",
        version: report.version + 1,
        reviewed_at: now,
        reviewed_by: user.id,
        return_reason: input.reason.trim() || null,
        ready_at: null,
        ready_by: null,
        returned_items_json: await returnedItemsJson(trx, report.id, now),
        updated_at: now,
      })
      .where("id", "=", report.id)
      .execute();
    for (const r of itemReasons) {
      const existing = await trx
        .selectFrom("report_items")
        .select("id")
        .where("report_id", "=", report.id)
        .where("plan_item_id", "=", r.planItemId)
        .executeTakeFirst();
      if (existing) {
        await trx.updateTable("report_items").set({ return_reason: r.reason.trim() }).where("id", "=", existing.id).execute();
      } else {
        await trx
          .insertInto("report_items")
          .values({ report_id: report.id, plan_item_id: r.planItemId, progress: "", problems: "", next_steps: "", coordination: "", return_reason: r.reason.trim() })
          .execute();
      }
    }
    await writeAudit(trx, {
      userId: user.id,
      action: "report.return",
      entityType: "period_report",
      entityId: report.id,
      changes: { reason: input.reason.trim(), items: Object.fromEntries(itemReasons.map((r) => [r.planItemId, r.reason.trim()])) },
    });
    return { ok: true, reportId: report.id };
  });
}

export type { ReportSnapshot };

/**
 * The activities of a report as an approval freezes them: the report's rows (reportActivities) with everything the
 * exports and the draft show of them — outcome, funding source and evidence included — built field by field.
 */
export async function snapshotActivities(db: DB, unit: ReportUnit, period: PeriodRow): Promise<SnapshotActivity[]> {
  const rows = await reportActivities(db, unit, period);
  const out: SnapshotActivity[] = [];
  for (let i = 0; i < rows.length; i += 2000) {
    const part = rows.slice(i, i + 2000);
    const ids = part.map((a) => a.id);
    const [extras, evidence, files] = await Promise.all([
      db.selectFrom("activities").select(["id", "outcome", "funding_source"]).where("id", "in", ids).execute(),
      db
        .selectFrom("activity_evidence")
        .select(["activity_id", "url", "label"])
        .where("activity_id", "in", ids)
        .orderBy("activity_id")
        .orderBy("sort_order")
        .execute(),
      listFilesOfActivities(db, ids),
    ]);
    const extraOf = new Map(extras.map((e) => [e.id, e]));
    const filesOf = new Map<number, SnapshotFile[]>();
    for (const f of files) {
      const list = filesOf.get(f.activity_id!) ?? [];
      list.push({ id: f.id, name: f.name, content_type: f.content_type, size_bytes: f.size_bytes });
      filesOf.set(f.activity_id!, list);
    }
    const evidenceOf = new Map<number, { url: string; label: string }[]>();
    for (const e of evidence) {
      const list = evidenceOf.get(e.activity_id) ?? [];
      list.push({ url: e.url, label: e.label });
      evidenceOf.set(e.activity_id, list);
    }
    for (const a of part) {
      out.push({
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
        funding_source: extraOf.get(a.id)?.funding_source ?? "",
        outcome: extraOf.get(a.id)?.outcome ?? "",
        organization_id: a.organization_id,
        organization_name_zh: a.organization_name_zh,
        organization_name_en: a.organization_name_en,
        organization_path: a.organization_path,
        updated_at: a.updated_at,
        deleted_at: a.deleted_at,
        planItems: a.planItems.map((p) => ({ code: p.code, title_zh: p.title_zh, title_en: p.title_en, primary: p.primary })),
        countries: [...a.countries],
        evidence: evidenceOf.get(a.id) ?? [],
        files: filesOf.get(a.id) ?? [],
      });
    }
  }
  return out;
}

/**
 * The snapshot frozen at the report's latest approval, parsed and checked whatever version wrote it (see
 * app/schemas/report-snapshot.ts), with the time of the approval; null when it was never approved.
 */
export async function readReportSnapshot(db: DB, reportId: number): Promise<(ReadSnapshot & { approvedAt: string }) | null> {
  const stored = await getLatestSnapshot<Record<string, unknown>>(db, reportId);
  if (!stored) return null;
  const { approvedAt, ...raw } = stored;
  return { ...parseReportSnapshot(raw), approvedAt: String(approvedAt) };
}

export async function approveReport(db: DB, user: SessionUser, unit: ReportUnit, period: PeriodRow, confirmation?: Confirmation): Promise<WorkflowResult> {
  return workflowTransaction(db, (trx) => approveInTransaction(trx, user, unit, period, confirmation));
}

/**
 * Approves many reports as one: each exactly as approveReport does (its checks, the freeze, the snapshot, the audit
 * line), all in one transaction, so that one refused report (returned meanwhile, changed since the reviewer
 * confirmed) approves none of them. `expectedVersion` is the version the reviewer confirmed.
 */
export async function approveReports(
  db: DB,
  user: SessionUser,
  reports: { unit: ReportUnit; period: PeriodRow; expectedVersion: number }[],
): Promise<{ ok: true; reportIds: number[] } | { ok: false; status: 400 | 409; error: string }> {
  const reportIds: number[] = [];
  const result = await workflowTransaction(db, async (trx): Promise<WorkflowResult> => {
    for (const r of reports) {
      await lockReport(trx, r.unit, r.period);
      const current = await getReportFor(trx, r.unit.id, r.period.id);
      if (!current || current.version !== r.expectedVersion) return { ok: false, status: 409, error: "reports.errors.stale" };
      const one = await approveInTransaction(trx, user, r.unit, r.period);
      if (!one.ok) return one;
      reportIds.push(one.reportId);
    }
    return { ok: true, reportId: reportIds[0] ?? 0 };
  });
  return result.ok ? { ok: true, reportIds } : result;
}

/** The approval itself, inside the caller's transaction; the bulk approval confirmed the whole selection itself. */
async function approveInTransaction(
  trx: Transaction<Database>,
  user: SessionUser,
  unit: ReportUnit,
  period: PeriodRow,
  confirmation?: Confirmation,
): Promise<WorkflowResult> {
  {
    await lockReport(trx, unit, period);
    await lockActivityWrites(trx);
    const report = await getReportFor(trx, unit.id, period.id);
    if (!report || !reportPermissions(user, unit, period, report.status).approve) return { ok: false, status: 409, error: "reports.errors.not_reviewable" };
    if (confirmation && !confirmation.confirmed) return { ok: false, status: 400, error: "reports.confirm.needed", confirm: { kind: "approve", early: false } };
    const now = new Date().toISOString();
    const previous = await previousPeriodOf(trx, period);
    const items = await listReportItems(trx, report.id);
    const commitments = await listCommitments(trx, unit.id, previous?.id ?? null, report.id);
    const activities = await snapshotActivities(trx, unit, period);
    // the 预警 an approved ledger shows for items the reviewer has not rated: the proposal as it stood at approval
    const { proposals } = await proposalsFor(trx, period);
    const snapshotJson = buildReportSnapshot({
      items: items.map((i) => ({
        id: i.id,
        plan_item_id: i.plan_item_id,
        code: i.code,
        title_zh: i.title_zh,
        title_en: i.title_en,
        progress: i.progress,
        problems: i.problems,
        next_steps: i.next_steps,
        coordination: i.coordination,
        return_reason: i.return_reason,
      })),
      commitments: commitments.map((c) => ({
        sourceItemId: c.sourceItemId,
        code: c.code,
        title_zh: c.title_zh,
        title_en: c.title_en,
        nextSteps: c.nextSteps,
        outcome: c.outcome,
        note: c.note,
      })),
      activities,
      files: (await listReportFiles(trx, unit.id, period.id)).map((f) => ({ id: f.id, name: f.name, content_type: f.content_type, size_bytes: f.size_bytes })),
      proposals: [...proposals].map(([planItemId, proposal]) => ({ plan_item_id: planItemId, rating: proposal.rating })),
    });
    await trx
      .updateTable("period_reports")
      .set({ status: "approved", version: report.version + 1, reviewed_at: now, reviewed_by: user.id, return_reason: null, updated_at: now })
      .where("id", "=", report.id)
      .execute();
    await trx
      .insertInto("report_snapshots")
      .values({ report_id: report.id, approved_at: now, approved_by: user.id, snapshot_json: snapshotJson })
      .execute();
    await writeAudit(trx, {
      userId: user.id,
      action: "report.approve",
      entityType: "period_report",
      entityId: report.id,
      changes: { activities: activities.length, items: items.length },
    });
    return { ok: true, reportId: report.id };
  }
}

export async function reopenReport(
  db: DB,
  user: SessionUser,
  unit: ReportUnit,
  period: PeriodRow,
  reason: string,
): Promise<WorkflowResult> {
  if (!reason.trim()) return { ok: false, status: 400, error: "reports.errors.reason_required" };
  return workflowTransaction(db, async (trx): Promise<WorkflowResult> => {
    await lockReport(trx, unit, period);
    const report = await getReportFor(trx, unit.id, period.id);
    if (!report || !reportPermissions(user, unit, period, report.status).reopen) return { ok: false, status: 409, error: "reports.errors.not_reopenable" };
    const now = new Date().toISOString();
    await trx
      .updateTable("period_reports")
      .set({
        status: "returned",
        version: report.version + 1,
        reviewed_at: now,
        reviewed_by: user.id,
        return_reason: reason.trim(),
        ready_at: null,
        ready_by: null,
        returned_items_json: await returnedItemsJson(trx, report.id, now),
        updated_at: now,
      })
      .where("id", "=", report.id)
      .execute();
    await writeAudit(trx, { userId: user.id, action: "report.reopen", entityType: "period_report", entityId: report.id, changes: { reason: reason.trim() } });
    return { ok: true, reportId: report.id };
  });
}

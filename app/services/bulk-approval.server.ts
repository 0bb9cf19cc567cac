// Approving several submitted reports at once, from the monitoring matrix: the reviewer ticks cells, sees the list
// of what will be approved, and confirms once. Each report is approved by the workflow's own approval (checks,
// freeze, snapshot, audit line), all in one transaction: one report that changed since the list was shown approves
// none.
import type { ReportStatus } from "../../db/schema";
import { getReportFor } from "~/models/period-report.server";
import { getOrganization } from "~/models/organization.server";
import { type PeriodRow, getPeriodByCode } from "~/models/reporting-period.server";
import { type ReportUnit, approveReports } from "~/services/report-workflow.server";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";

/** At most this many reports in one confirmation (a matrix page shows fewer cells than this). */
export const BULK_APPROVE_MAX = 200;

/** One ticked cell: "unitId:periodCode", and on the confirmation form ":version" after it. */
const CELL = /^([1-9]\d{0,9}):([\dA-Z-]{4,10})(?::(\d{1,9}))?$/;

export interface SelectedCell {
  unitId: number;
  periodCode: string;
  /** the report version the reviewer confirmed (the confirmation form only) */
  version: number | null;
}

/** The ticked cells, or null when a value is not a cell at all, repeats, or there are too many (400). */
export function parseSelectedCells(values: string[]): SelectedCell[] | null {
  if (values.length > BULK_APPROVE_MAX) return null;
  const cells: SelectedCell[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    const m = CELL.exec(value);
    if (!m) return null;
    const key = `${m[1]}:${m[2]}`;
    if (seen.has(key)) return null;
    seen.add(key);
    cells.push({ unitId: Number(m[1]), periodCode: m[2]!, version: m[3] === undefined ? null : Number(m[3]) });
  }
  return cells;
}

export interface SelectedReport {
  unit: ReportUnit;
  period: PeriodRow;
  status: ReportStatus | "none";
  version: number;
  submittedAt: string | null;
  /** what the confirmation form carries back */
  value: string;
  approvable: boolean;
}

/** The reports behind the cells, as they are now; null when a unit or period does not exist (404). */
export async function loadSelectedReports(db: DB, cells: SelectedCell[]): Promise<SelectedReport[] | null> {
  const out: SelectedReport[] = [];
  for (const cell of cells) {
    const [org, period] = await Promise.all([getOrganization(db, cell.unitId), getPeriodByCode(db, cell.periodCode)]);
    if (!org || !period) return null;
    const report = await getReportFor(db, org.id, period.id);
    const version = report?.version ?? 0;
    out.push({
      unit: { id: org.id, path: org.path, name_zh: org.name_zh, name_en: org.name_en },
      period,
      status: report?.status ?? "none",
      version,
      submittedAt: report?.submitted_at ?? null,
      value: `${org.id}:${period.code}:${version}`,
      approvable: report?.status === "submitted",
    });
  }
  return out;
}

/**
 * Approves what the reviewer confirmed: every cell must carry the version shown to them. Nothing is approved when
 * one report cannot be (not submitted, or changed since): the answer says which.
 */
export async function approveSelected(
  db: DB,
  user: SessionUser,
  cells: SelectedCell[],
): Promise<{ ok: true; count: number } | { ok: false; status: 400 | 404 | 409; error: string }> {
  if (cells.length === 0) return { ok: false, status: 400, error: "bulk.approve.errors.none" };
  if (cells.some((c) => c.version === null)) return { ok: false, status: 400, error: "bulk.approve.errors.confirm" };
  const reports = await loadSelectedReports(db, cells);
  if (!reports) return { ok: false, status: 404, error: "bulk.approve.errors.not_found" };
  const result = await approveReports(
    db,
    user,
    reports.map((r, i) => ({ unit: r.unit, period: r.period, expectedVersion: cells[i]!.version! })),
  );
  if (!result.ok) {
    return { ok: false, status: result.status, error: result.error === "reports.errors.stale" ? "bulk.approve.errors.stale" : "bulk.approve.errors.not_submitted" };
  }
  return { ok: true, count: result.reportIds.length };
}

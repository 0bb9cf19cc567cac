// Approval freezes a report: the activities it covers cannot be changed (nor new ones slipped into its period)
// until a reviewer reopens it. The rule lives here, and every activity write asks it.
import { json } from "@remix-run/node";
import { findApprovedReportCovering } from "~/models/period-report.server";
import type { DB } from "~/utils/db.server";

export type FrozenBy = NonNullable<Awaited<ReturnType<typeof findApprovedReportCovering>>>;

/** The approved report covering an activity of the unit at `organizationPath` on any of the dates, if any. */
export async function frozenBy(db: DB, organizationPath: string, dates: string[]): Promise<FrozenBy | null> {
  for (const date of dates) {
    const report = await findApprovedReportCovering(db, organizationPath, date);
    if (report) return report;
  }
  return null;
}

/** 409 with the reason, rendered by the error boundary as "本期报告已审核通过，如需修改请联系审核员退回". */
export function frozenResponse(report: FrozenBy): Response {
  return json({ reason: "frozen", period: report.period_code, unit: report.organization_name_zh }, { status: 409 });
}

export async function requireNotFrozen(db: DB, organizationPath: string, dates: string[]): Promise<void> {
  const report = await frozenBy(db, organizationPath, dates);
  if (report) throw frozenResponse(report);
}

// 催报: a reviewer reminds every unit late for a period in one action. Each late unit gets a reminder row (shown
// in its inbox beside the overdue report, with the due date) and an audit row; all of them or none.
import { writeAudit } from "~/models/audit-log.server";
import { listLatePeriods } from "~/models/period-report.server";
import type { PeriodRow } from "~/models/reporting-period.server";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";

export type ReminderResult = { ok: true; units: number } | { ok: false; status: 400; error: string };

export async function remindLateUnits(db: DB, user: SessionUser, period: PeriodRow, today: string): Promise<ReminderResult> {
  return db.transaction().execute(async (trx): Promise<ReminderResult> => {
    const late = (await listLatePeriods(trx, today)).find((p) => p.id === period.id);
    if (!late || late.units.length === 0) return { ok: false, status: 400, error: "inbox.remind.none_late" };
    const now = new Date().toISOString();
    for (const unit of late.units) {
      const { id } = await trx
        .insertInto("report_reminders")
        .values({ organization_id: unit.id, period_id: period.id, sent_at: now, sent_by: user.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      await writeAudit(trx, {
        userId: user.id,
        action: "report.remind",
        entityType: "report_reminder",
        entityId: id,
        changes: { organization_id: unit.id, unit: unit.name_zh, period: period.code, due_date: period.due_date },
      });
    }
    return { ok: true, units: late.units.length };
  });
}

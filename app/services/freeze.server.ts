// Approval freezes a report: the activities it covers cannot be changed (nor new ones slipped into its period)
// until a reviewer reopens it. The rule lives here, and every activity write asks it.
import { json } from "@remix-run/node";
import type { WriteGuard } from "~/models/activity.server";
import { findApprovedReportCovering } from "~/models/period-report.server";
import type { Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { DB } from "~/utils/db.server";
import { lockUntilCommit } from "~/utils/sql-dialect.server";

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

// Activity writes check the freeze inside their own transaction, holding this lock shared; an approval holds it
// exclusively while it takes its snapshot. So a write either commits before the snapshot (and is in it) or sees
// the approval and is refused: never saved after the snapshot was taken. On SQLite the write transactions of the
// one connection already run one at a time; on PostgreSQL two instances need the lock.
const FREEZE_LOCK = "activity-freeze";

/** First thing in an approval's transaction: waits for activity writes in progress, and holds new ones back. */
export function lockActivityWrites(trx: Transaction<Database>): Promise<void> {
  return lockUntilCommit(trx, FREEZE_LOCK);
}

/** First thing in an activity write's transaction (the import's too): waits for an approval in progress. */
export function waitForApprovals(trx: Transaction<Database>): Promise<void> {
  return lockUntilCommit(trx, FREEZE_LOCK, { shared: true });
}

class Frozen extends Error {
  constructor(readonly report: FrozenBy) {
    super("frozen");
  }
}

/** A unit's activity dates that must not fall in an approved report. */
export interface FreezeScope {
  organizationPath: string;
  dates: string[];
}

/**
 * Runs an activity write whose transaction first checks, under the freeze lock, that none of `scopes` is frozen;
 * if one is, the write is rolled back and the approved report that froze it comes back instead.
 */
export async function unlessFrozen<T>(
  scopes: FreezeScope[],
  write: (guard: WriteGuard) => Promise<T>,
): Promise<{ frozen: FrozenBy } | { frozen: null; result: T }> {
  const guard: WriteGuard = async (trx) => {
    await waitForApprovals(trx);
    for (const scope of scopes) {
      const report = await frozenBy(trx, scope.organizationPath, scope.dates);
      if (report) throw new Frozen(report);
    }
  };
  try {
    return { frozen: null, result: await write(guard) };
  } catch (error) {
    if (error instanceof Frozen) return { frozen: error.report };
    throw error;
  }
}

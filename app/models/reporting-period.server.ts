// Reporting periods (quarter, half-year, year) with their due dates; closing a period stops all reporting in it.
import type { DB } from "~/utils/db.server";
import { writeAudit } from "./audit-log.server";

import type { PeriodKind } from "~/schemas/period-report";
import { lockUntilCommit } from "~/utils/sql-dialect.server";

export type { PeriodKind };
export { PERIOD_KINDS } from "~/schemas/period-report";
/** The plan runs 2023-2027; periods are generated for its reporting years. */
export const PLAN_START = "2023-01-01";
export const PLAN_END = "2027-12-31";

const columns = ["id", "code", "kind", "year", "seq", "start_date", "end_date", "due_date", "closed_at"] as const;

export function listPeriods(db: DB, kind?: PeriodKind) {
  let q = db.selectFrom("reporting_periods").select(columns);
  if (kind) q = q.where("kind", "=", kind);
  return q.orderBy("start_date").orderBy("end_date", "desc").execute();
}

export type PeriodRow = Awaited<ReturnType<typeof listPeriods>>[number];

export function getPeriod(db: DB, id: number) {
  return db.selectFrom("reporting_periods").select(columns).where("id", "=", id).executeTakeFirst();
}

export function getPeriodByCode(db: DB, code: string) {
  return db.selectFrom("reporting_periods").select(columns).where("code", "=", code).executeTakeFirst();
}

function lastDay(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0));
  return d.toISOString().slice(0, 10);
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The periods of one kind in a year, with their dates: quarters, halves or the whole year. */
export function periodsOfYear(kind: PeriodKind, year: number, dueDays: number) {
  const spans: [number, number][] =
    kind === "quarter" ? [[1, 3], [4, 6], [7, 9], [10, 12]] : kind === "half" ? [[1, 6], [7, 12]] : [[1, 12]];
  return spans.map(([from, to], i) => {
    const seq = i + 1;
    const code = kind === "quarter" ? `${year}-Q${seq}` : kind === "half" ? `${year}-H${seq}` : `${year}`;
    const end = lastDay(year, to);
    return { code, kind, year, seq, start_date: `${year}-${String(from).padStart(2, "0")}-01`, end_date: end, due_date: addDays(end, dueDays) };
  });
}

/** Creates every missing period of the kind for the years; existing ones are left as they are. */
export async function generatePeriods(
  db: DB,
  input: { kind: PeriodKind; fromYear: number; toYear: number; dueDays: number },
  actorId: number | null,
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await lockUntilCommit(trx, "reporting-periods");
    const created: string[] = [];
    for (let year = input.fromYear; year <= input.toYear; year++) {
      for (const period of periodsOfYear(input.kind, year, input.dueDays)) {
        const exists = await trx.selectFrom("reporting_periods").select("id").where("code", "=", period.code).executeTakeFirst();
        if (exists) continue;
        const { id } = await trx
          .insertInto("reporting_periods")
          .values({ ...period, closed_at: null, closed_by: null, created_at: new Date().toISOString() })
          .returning("id")
          .executeTakeFirstOrThrow();
        await writeAudit(trx, { userId: actorId, action: "period.create", entityType: "period", entityId: id, changes: period });
        created.push(period.code);
      }
    }
    return created;
  });
}

export async function setPeriodDueDate(db: DB, id: number, dueDate: string, actorId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("reporting_periods").select("due_date").where("id", "=", id).executeTakeFirstOrThrow();
    await trx.updateTable("reporting_periods").set({ due_date: dueDate }).where("id", "=", id).execute();
    await writeAudit(trx, { userId: actorId, action: "period.due_date", entityType: "period", entityId: id, changes: { due_date: [before.due_date, dueDate] } });
  });
}

/** Closes (or reopens) a period; the reason is mandatory and kept in the audit log. */
export async function setPeriodClosed(db: DB, id: number, closed: boolean, reason: string, actorId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("reporting_periods")
      .set({ closed_at: closed ? new Date().toISOString() : null, closed_by: closed ? actorId : null })
      .where("id", "=", id)
      .execute();
    await writeAudit(trx, { userId: actorId, action: closed ? "period.close" : "period.reopen", entityType: "period", entityId: id, changes: { reason } });
  });
}

/** The period of the same kind that follows this one, if it exists. */
export function nextPeriodOf(db: DB, period: { kind: string; end_date: string }) {
  return db
    .selectFrom("reporting_periods")
    .select(columns)
    .where("kind", "=", period.kind as PeriodKind)
    .where("start_date", ">", period.end_date)
    .orderBy("start_date")
    .executeTakeFirst();
}

export function previousPeriodOf(db: DB, period: { kind: string; start_date: string }) {
  return db
    .selectFrom("reporting_periods")
    .select(columns)
    .where("kind", "=", period.kind as PeriodKind)
    .where("end_date", "<", period.start_date)
    .orderBy("end_date", "desc")
    .executeTakeFirst();
}

/** Fraction of the plan period (2023-2027) elapsed at a date, between 0 and 1. */
export function planElapsed(at: string): number {
  const start = Date.parse(`${PLAN_START}T00:00:00Z`);
  const end = Date.parse(`${PLAN_END}T00:00:00Z`) + 86_400_000;
  const t = Date.parse(`${at}T00:00:00Z`) + 86_400_000;
  return Math.min(1, Math.max(0, (t - start) / (end - start)));
}

// Closing a selection of planned activities whose dates have passed, in one action: the reporter's own units'
// only, each checked against the freeze, all in one transaction (one that cannot be closed closes none).
import { json } from "@remix-run/node";
import { type ClosingStatus, isClosable } from "~/domain/closing";
import { closePlannedActivity } from "~/models/activity.server";
import { frozenBy, frozenResponse, unlessFrozen } from "~/services/freeze.server";
import { type SessionUser, badRequest, can, forbidden, notFound } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";

class NoLongerPlanned extends Error {}

/** The rows of a list page the user may close now: planned, past, of their units, not frozen by an approval. */
export async function closableIds(
  db: DB,
  user: SessionUser,
  rows: { id: number; status: string; start_date: string; end_date: string; organization_path?: string; deleted_at?: string | null }[],
  today: string,
): Promise<number[]> {
  const out: number[] = [];
  for (const row of rows) {
    if (!row.organization_path || !isClosable(row, today) || !can(user, "activity.edit", { organization_path: row.organization_path })) continue;
    if (await frozenBy(db, row.organization_path, [row.start_date])) continue;
    out.push(row.id);
  }
  return out;
}

/**
 * Closes the activities as `status`. Throws the answer when it cannot: 404 for an unknown id, 403 for another
 * unit's activity, 400 for one that is not planned or not yet past, 409 when an approved report froze one or one
 * changed meanwhile. Returns how many were closed.
 */
export async function closeActivities(db: DB, user: SessionUser, ids: number[], status: ClosingStatus, today: string): Promise<number> {
  const rows = await db
    .selectFrom("activities as a")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .select(["a.id", "a.status", "a.start_date", "a.end_date", "a.deleted_at", "o.path as organization_path"])
    .where("a.id", "in", ids)
    .execute();
  if (rows.length !== ids.length || rows.some((r) => r.deleted_at)) throw notFound();
  for (const row of rows) if (!can(user, "activity.edit", row)) throw forbidden();
  if (!rows.every((r) => isClosable(r, today))) throw badRequest("not_closable");
  try {
    const done = await unlessFrozen(
      rows.map((r) => ({ organizationPath: r.organization_path, dates: [r.start_date] })),
      (guard) =>
        db.transaction().execute(async (trx) => {
          await guard(trx);
          for (const id of [...ids].sort((a, b) => a - b)) {
            if (!(await closePlannedActivity(trx, id, status, user.id))) throw new NoLongerPlanned();
          }
          return ids.length;
        }),
    );
    if (done.frozen) throw frozenResponse(done.frozen);
    return done.result;
  } catch (error) {
    if (error instanceof NoLongerPlanned) throw json({ reason: "stale" }, { status: 409 });
    throw error;
  }
}

// Likely duplicates in the ledger, for the reviewer: pairs the rule in app/domain/duplicates.ts finds, less those
// already dismissed; merging a pair into one activity (one lead, the other unit co-operating) or dismissing it.
import { type DuplicateCandidate, type DuplicatePair, findDuplicatePairs } from "~/domain/duplicates";
import { mergeActivityInto } from "~/models/activity.server";
import { writeAudit } from "~/models/audit-log.server";
import { type FrozenBy, unlessFrozen } from "~/services/freeze.server";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";

export const DUPLICATES_PAGE_SIZE = 20;

/** The rows the rule reads: live, not cancelled, naming a counterpart. One pass over the ledger. */
function candidateRows(db: DB, ids?: number[]): Promise<DuplicateCandidate[]> {
  let query = db
    .selectFrom("activities")
    .select(["id", "organization_id", "type", "start_date", "end_date", "counterpart_body"])
    .where("deleted_at", "is", null)
    .where("status", "<>", "cancelled")
    .where("counterpart_body", "<>", "");
  if (ids) query = query.where("id", "in", ids);
  return query.execute();
}

/** Every likely duplicate pair not yet dismissed, the most recent events first. */
export async function listDuplicatePairs(db: DB): Promise<{ pairs: DuplicatePair[] }> {
  const [rows, dismissed] = await Promise.all([
    candidateRows(db),
    db.selectFrom("duplicate_dismissals").select(["activity_id", "other_activity_id"]).execute(),
  ]);
  const pairs = findDuplicatePairs(rows);
  if (dismissed.length === 0) return { pairs };
  const gone = new Set(dismissed.map((d) => `${d.activity_id}-${d.other_activity_id}`));
  return { pairs: pairs.filter(([a, b]) => !gone.has(`${a}-${b}`)) };
}

/** What the page shows of each activity of a pair. */
async function pairDetails(db: DB, ids: number[]) {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("activities as a")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .select([
      "a.id",
      "a.title",
      "a.type",
      "a.status",
      "a.start_date",
      "a.end_date",
      "a.counterpart_body",
      "a.location",
      "a.delegations_count",
      "a.participants_count",
      "a.funding_cny_fen",
      "o.name_zh as organization_name_zh",
      "o.name_en as organization_name_en",
    ])
    .where("a.id", "in", ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export type DuplicateActivity = Awaited<ReturnType<typeof pairDetails>> extends Map<number, infer R> ? R : never;

/** One page of likely duplicates with what each side holds, and how many there are in all. */
export async function loadDuplicatesPage(db: DB, page: number) {
  const { pairs } = await listDuplicatePairs(db);
  const pages = Math.max(1, Math.ceil(pairs.length / DUPLICATES_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const shown = pairs.slice((current - 1) * DUPLICATES_PAGE_SIZE, current * DUPLICATES_PAGE_SIZE);
  const details = await pairDetails(db, [...new Set(shown.flat())]);
  return {
    total: pairs.length,
    page: current,
    pageSize: DUPLICATES_PAGE_SIZE,
    pairs: shown.map(([a, b]) => ({ a: details.get(a)!, b: details.get(b)! })),
  };
}

/** Do these two activities (still) make a likely duplicate pair? A merge or dismissal is only for those. */
async function isLikelyPair(db: DB, a: number, b: number): Promise<boolean> {
  return findDuplicatePairs(await candidateRows(db, [a, b])).length === 1;
}

export type MergeResult = { status: "ok" } | { status: "not_a_pair" } | { status: "frozen"; report: FrozenBy };

/**
 * Merges the duplicate into the activity kept, both still live and still a likely pair. Neither may lie in an
 * approved report: the freeze is checked under its lock in the same transaction.
 */
export async function mergeDuplicate(db: DB, keepId: number, duplicateId: number, actor: SessionUser): Promise<MergeResult> {
  if (!(await isLikelyPair(db, keepId, duplicateId))) return { status: "not_a_pair" };
  const both = await db
    .selectFrom("activities as a")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .select(["o.path", "a.start_date"])
    .where("a.id", "in", [keepId, duplicateId])
    .execute();
  const outcome = await unlessFrozen(
    both.map((a) => ({ organizationPath: a.path, dates: [a.start_date] })),
    (guard) =>
      db.transaction().execute(async (trx) => {
        await guard(trx);
        return mergeActivityInto(trx, keepId, duplicateId, actor.id);
      }),
  );
  if (outcome.frozen) return { status: "frozen", report: outcome.frozen };
  return outcome.result === "ok" ? { status: "ok" } : { status: "not_a_pair" };
}

/** Records that the two are not one event; they are not proposed again. */
export async function dismissDuplicate(db: DB, a: number, b: number, actor: SessionUser): Promise<boolean> {
  if (!(await isLikelyPair(db, a, b))) return false;
  const [first, second] = a < b ? [a, b] : [b, a];
  await db.transaction().execute(async (trx) => {
    const already = await trx
      .selectFrom("duplicate_dismissals")
      .select("activity_id")
      .where("activity_id", "=", first)
      .where("other_activity_id", "=", second)
      .executeTakeFirst();
    if (already) return;
    await trx
      .insertInto("duplicate_dismissals")
      .values({ activity_id: first, other_activity_id: second, dismissed_by: actor.id, dismissed_at: new Date().toISOString() })
      .execute();
    await writeAudit(trx, {
      userId: actor.id,
      action: "activity.not_duplicate",
      entityType: "activity",
      entityId: first,
      changes: { not_duplicate_of: [null, `#${second}`] },
    });
  });
  return true;
}

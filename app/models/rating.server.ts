// The reviewer's 红黄绿 rating of a plan item for a period, with the proposal it was made against.
import type { Transaction } from "kysely";
import type { Database, Rating } from "../../db/schema";
import type { DB } from "~/utils/db.server";
import { writeAudit } from "./audit-log.server";
import { lockUntilCommit } from "~/utils/sql-dialect.server";

export function listRatings(db: DB, periodId: number) {
  return db
    .selectFrom("plan_item_ratings as r")
    .leftJoin("users as u", "u.id", "r.rated_by")
    .select([
      "r.plan_item_id",
      "r.rating",
      "r.proposed_rating",
      "r.proposal_json",
      "r.comment",
      "r.override_reason",
      "r.rated_at",
      "u.display_name as rated_by_name",
    ])
    .where("r.period_id", "=", periodId)
    .execute();
}

export interface RatingInput {
  periodId: number;
  planItemId: number;
  rating: Rating;
  proposedRating: Rating;
  proposalJson: string;
  comment: string;
  overrideReason: string;
}

export async function saveRating(db: DB, input: RatingInput, actorId: number): Promise<void> {
  await db.transaction().execute((trx) => writeRating(trx, input, actorId));
}

/** Several ratings at once (accepting every proposal of a period): all of them, or none; one audit entry each. */
export async function saveRatings(db: DB, inputs: readonly RatingInput[], actorId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const input of inputs) await writeRating(trx, input, actorId);
  });
}

async function writeRating(trx: Transaction<Database>, input: RatingInput, actorId: number): Promise<void> {
  // Two ratings of the same item at once: the second waits and updates the row the first inserted.
  await lockUntilCommit(trx, `rating:${input.periodId}:${input.planItemId}`);
  const now = new Date().toISOString();
  const values = {
    rating: input.rating,
    proposed_rating: input.proposedRating,
    proposal_json: input.proposalJson,
    comment: input.comment,
    override_reason: input.overrideReason,
    rated_by: actorId,
    rated_at: now,
  };
  const existing = await trx
    .selectFrom("plan_item_ratings")
    .select(["id", "rating", "comment"])
    .where("period_id", "=", input.periodId)
    .where("plan_item_id", "=", input.planItemId)
    .executeTakeFirst();
  if (existing) await trx.updateTable("plan_item_ratings").set(values).where("id", "=", existing.id).execute();
  else await trx.insertInto("plan_item_ratings").values({ period_id: input.periodId, plan_item_id: input.planItemId, ...values }).execute();
  await writeAudit(trx, {
    userId: actorId,
    action: "rating.save",
    entityType: "plan_item_rating",
    entityId: input.planItemId,
    changes: {
      period_id: input.periodId,
      rating: [existing?.rating ?? null, input.rating],
      proposed: input.proposedRating,
      comment: input.comment,
      override_reason: input.overrideReason,
    },
  });
}

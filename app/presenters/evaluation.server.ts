// The evaluation page of a period: every loggable plan item with the system's proposal and the reviewer's rating.
import { listRatings } from "~/models/rating.server";
import type { PeriodRow } from "~/models/reporting-period.server";
import { proposalsFor } from "~/services/rating-proposal.server";
import type { DB } from "~/utils/db.server";

export async function loadEvaluation(db: DB, period: PeriodRow) {
  const [{ items, loggable, proposals }, ratings] = await Promise.all([proposalsFor(db, period), listRatings(db, period.id)]);
  const pillarOf = (path: string) => items.find((p) => p.kind === "pillar" && path.startsWith(p.path)) ?? items.find((p) => p.kind === "section" && path.startsWith(p.path));
  const rows = loggable.map((item) => {
    const rating = ratings.find((r) => r.plan_item_id === item.id);
    const group = pillarOf(item.path);
    return {
      id: item.id,
      code: item.code,
      title_zh: item.title_zh,
      title_en: item.title_en,
      group: group ? { code: group.code, title_zh: group.title_zh, title_en: group.title_en } : null,
      proposal: proposals.get(item.id)!,
      rating: rating
        ? {
            rating: rating.rating,
            proposed: rating.proposed_rating,
            comment: rating.comment,
            overrideReason: rating.override_reason,
            ratedAt: rating.rated_at,
            ratedBy: rating.rated_by_name,
          }
        : null,
    };
  });
  const count = (r: string) => rows.filter((row) => row.rating?.rating === r).length;
  return {
    rows,
    summary: { green: count("green"), yellow: count("yellow"), red: count("red"), none: rows.filter((r) => !r.rating).length },
  };
}

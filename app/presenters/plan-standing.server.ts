// Where the plan stands, for the home page of those who follow the whole plan (reviewers, officials,
// administrators): the 红黄绿 ratings per pillar and per priority area, the indicators behind schedule and the units late with reports.
// Built from what the dashboard has already read (its rating, indicator and ranking charts), so the home page
// pays for no second scan; only when the dashboard's period has no rating yet does it ask which period has, and
// where items are still unrated it shows what the evaluation page proposes for them.
import type { Rating } from "../../db/schema";
import { listPriorityAreas } from "~/models/plan-item.server";
import { listRatings } from "~/models/rating.server";
import { type PeriodRow, getPeriodByCode } from "~/models/reporting-period.server";
import { type DashboardData, ratingChart } from "~/presenters/dashboard.server";
import { BEHIND, LAGGING, proposalsFor } from "~/services/rating-proposal.server";
import type { DB } from "~/utils/db.server";
import { subtreeOf } from "~/utils/sql-dialect.server";

/** How many indicators behind schedule and late units the home page lists; their detail pages list them all. */
export const STANDING_SHOWN = 5;

/** The latest period, ended by `asOf`, in which any plan item was rated. */
async function latestRatedPeriod(db: DB, asOf: string): Promise<PeriodRow | undefined> {
  return db
    .selectFrom("reporting_periods as p")
    .selectAll("p")
    .where("p.end_date", "<=", asOf)
    .where((eb) => eb.exists(eb.selectFrom("plan_item_ratings as r").select("r.id").whereRef("r.period_id", "=", "p.id")))
    .orderBy("p.end_date", "desc")
    .orderBy("p.start_date", "asc")
    .limit(1)
    .executeTakeFirst();
}

const ratedIn = (ratings: DashboardData["ratings"]) => ratings.rows.reduce((s, r) => s + r.green + r.yellow + r.red, 0);

export async function planStanding(db: DB, dashboard: DashboardData) {
  let ratings = dashboard.ratings;
  if (ratings.period && ratedIn(ratings) === 0) {
    const rated = await latestRatedPeriod(db, dashboard.today);
    if (rated) ratings = await ratingChart(db, rated);
  }

  // behind schedule: what the rating proposals call lagging (yellow) or behind (red) — below LAGGING of the share
  // of the plan's time elapsed at the end of the indicators' period
  const behind = dashboard.indicators.rows
    .flatMap((r) => {
      if (r.percent === null || r.expected <= 0 || r.percent >= 100) return [];
      const ratio = r.percent / 100 / r.expected;
      return ratio < LAGGING ? [{ ...r, ratio, light: (ratio < BEHIND ? "red" : "yellow") as Rating }] : [];
    })
    .sort((a, b) => a.ratio - b.ratio);

  const late = dashboard.ranking.rows.filter((r) => r.overdueCount > 0).sort((a, b) => b.overdueCount - a.overdueCount);

  const ratedPeriod = ratings.period ? await getPeriodByCode(db, ratings.period.code) : undefined;
  return {
    ratings: { ...ratings, rated: ratedIn(ratings), proposed: await proposedForUnrated(db, ratings), areas: await areaRatings(db, ratedPeriod) },
    indicators: { period: dashboard.indicators.period, lagging: LAGGING, behind: BEHIND, total: behind.length, rows: behind.slice(0, STANDING_SHOWN) },
    late: {
      kind: dashboard.ranking.kind,
      total: late.length,
      rows: late.slice(0, STANDING_SHOWN).map((r) => ({ id: r.id, name_zh: r.name_zh, name_en: r.name_en, overdueCount: r.overdueCount })),
    },
  };
}

/**
 * The ratings of the period per priority area: the loggable items of the area (the items linked to it and those
 * below them, each once) by their light, and how many are unrated. Areas with no loggable item are left out.
 */
async function areaRatings(db: DB, period: PeriodRow | undefined) {
  const inArea = () =>
    db
      .selectFrom("plan_item_priority_areas as pa")
      .innerJoin("plan_items as node", "node.id", "pa.plan_item_id")
      .innerJoin("plan_items as pi", (join) => join.on((eb) => eb("pi.path", "like", subtreeOf("node.path"))))
      .where("pi.loggable", "=", 1);
  const [areas, items, rated] = await Promise.all([
    listPriorityAreas(db),
    inArea()
      .select((eb) => ["pa.priority_area_id as area_id", eb.fn.count<number>("pi.id").distinct().as("n")])
      .groupBy("pa.priority_area_id")
      .execute(),
    period
      ? inArea()
          .innerJoin("plan_item_ratings as r", "r.plan_item_id", "pi.id")
          .where("r.period_id", "=", period.id)
          .select((eb) => ["pa.priority_area_id as area_id", "r.rating", eb.fn.count<number>("pi.id").distinct().as("n")])
          .groupBy(["pa.priority_area_id", "r.rating"])
          .execute()
      : [],
  ]);
  return areas.flatMap((area) => {
    const total = Number(items.find((i) => i.area_id === area.id)?.n ?? 0);
    if (total === 0) return [];
    const count = (rating: Rating) => Number(rated.find((r) => r.area_id === area.id && r.rating === rating)?.n ?? 0);
    const [green, yellow, red] = [count("green"), count("yellow"), count("red")];
    return [{ code: area.code, name_zh: area.name_zh, name_en: area.name_en, green, yellow, red, unrated: Math.max(0, total - green - yellow - red), items: total }];
  });
}

/** Per pillar group, the proposals of the items not yet rated in the period (none when every item is rated). */
async function proposedForUnrated(db: DB, ratings: DashboardData["ratings"]) {
  if (!ratings.period || ratings.rows.every((r) => r.unrated === 0)) return null;
  const period = await getPeriodByCode(db, ratings.period.code);
  if (!period) return null;
  const [{ items, loggable, proposals }, rated] = await Promise.all([proposalsFor(db, period), listRatings(db, period.id)]);
  const ratedIds = new Set(rated.map((r) => r.plan_item_id));
  const groups = new Map(items.filter((i) => ratings.rows.some((r) => r.code === i.code)).map((g) => [g.code, g.path]));
  return Object.fromEntries(
    ratings.rows.map((row) => {
      const path = groups.get(row.code) ?? "";
      const counts = { green: 0, yellow: 0, red: 0 };
      for (const item of loggable) {
        if (!path || ratedIds.has(item.id) || !item.path.startsWith(path)) continue;
        const p = proposals.get(item.id);
        if (p) counts[p.rating] += 1;
      }
      return [row.code, counts];
    }),
  );
}

export type PlanStanding = Awaited<ReturnType<typeof planStanding>>;

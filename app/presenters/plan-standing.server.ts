// Where the plan stands, for the home page of those who follow the whole plan (reviewers, officials,
// administrators): the 红黄绿 ratings per pillar, the indicators behind schedule and the units late with reports.
// Built from what the dashboard has already read (its rating, indicator and ranking charts), so the home page
// pays for no second scan; only when the dashboard's period has no rating yet does it ask which period has.
import { type DashboardData, ratingChart } from "~/presenters/dashboard.server";
import type { PeriodRow } from "~/models/reporting-period.server";
import type { DB } from "~/utils/db.server";

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

  // behind schedule: below the share of the plan's time elapsed at the end of the indicators' period
  const behind = dashboard.indicators.rows
    .filter((r) => r.percent !== null && r.percent < r.expected * 100)
    .sort((a, b) => a.percent! - a.expected * 100 - (b.percent! - b.expected * 100));

  const late = dashboard.ranking.rows.filter((r) => r.overdueCount > 0).sort((a, b) => b.overdueCount - a.overdueCount);

  return {
    ratings: { ...ratings, rated: ratedIn(ratings) },
    indicators: { period: dashboard.indicators.period, total: behind.length, rows: behind.slice(0, STANDING_SHOWN) },
    late: {
      kind: dashboard.ranking.kind,
      total: late.length,
      rows: late.slice(0, STANDING_SHOWN).map((r) => ({ id: r.id, name_zh: r.name_zh, name_en: r.name_en, overdueCount: r.overdueCount })),
    },
  };
}

export type PlanStanding = Awaited<ReturnType<typeof planStanding>>;

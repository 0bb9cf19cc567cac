// The dashboards: the plan-wide one (/dashboard, and the home page of reviewers, officials and administrators)
// and a unit's home page. Every figure is aggregated in SQL through the Kysely builder (portable to PostgreSQL:
// substr, concat, coalesce, count, sum only); this module only fills gaps (months without activity, groups
// without any) and puts the rows in order.
//
// What the activity charts count: live activities (not in the recycle bin) that are completed or under way —
// the monitoring pages' definition of "something done" — that START within the date range (the rule of the
// indicators and of the period reports, so a dashboard's 2023年上半年 agrees with the 2023年上半年 report and
// indicator figures). An activity linked to several plan items counts once per pillar / priority area it
// touches; people (participants, 人次) and money (fen) are summed over those distinct activities.
import { sql } from "kysely";
import { z } from "zod";
import type { Locale } from "~/i18n";
import { type OrganizationRow, listOrganizations, organizationDepth } from "~/models/organization.server";
import { listIndicators } from "~/models/indicator.server";
import { listPlanItemIdsByPriorityArea, listPlanItems, listPriorityAreas } from "~/models/plan-item.server";
import { PLAN_END, PLAN_START, type PeriodRow, listPeriods, planElapsed } from "~/models/reporting-period.server";
import { COUNTED_STATUSES } from "~/domain/counting";
import { ANY_AREA, PLANNED_BY_END, type TotalsQuery, areaGroup, lastDayOf, nodeGroup, previousMonth, splitByMonth, sumCoCountries, sumTotals, totalsAnswer, unitAtPath } from "~/models/activity-totals.server";
import { REPORTING_UNIT_KINDS } from "~/domain/reporting";
import { buildSubmissionMatrix, daysBetween, unitRates } from "~/presenters/monitoring.server";
import { isoDateOk } from "~/schemas/activity";
import { defaultProgressPeriod, indicatorsProgressByPeriod, listIndicatorsWithProgress } from "~/services/indicator-progress.server";
import { MEKONG_COUNTRIES, countryName, isCountryCode } from "~/utils/countries";
import type { DB } from "~/utils/db.server";
import { subtreeOf } from "~/utils/sql-dialect.server";

// ── the filter ─────────────────────────────────────────────────────────────────────────────────────

export interface DashboardScope {
  /** activities starting on or after this date */
  from?: string;
  /** activities starting on or before this date */
  to?: string;
  /** the unit and every unit below it */
  organizationPath?: string;
  /** activities with this counterpart country */
  country?: string;
}

const isoDate = z.string().refine(isoDateOk);
const filterShape = {
  period: z.string().regex(/^\d{4}(-[QH]\d)?$/),
  from: isoDate,
  to: isoDate,
  unit: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  country: z.string().refine(isCountryCode),
};
type FilterKey = keyof typeof filterShape;
export const DASHBOARD_FILTER_KEYS = Object.keys(filterShape) as FilterKey[];

function parseFilter(searchParams: URLSearchParams) {
  const params: { period?: string; from?: string; to?: string; unit?: number; country?: string } = {};
  const invalid: FilterKey[] = [];
  for (const key of DASHBOARD_FILTER_KEYS) {
    const value = searchParams.get(key)?.trim();
    if (!value) continue;
    const parsed = filterShape[key].safeParse(value);
    if (parsed.success) (params as Record<string, unknown>)[key] = parsed.data;
    else invalid.push(key);
  }
  return { params, invalid };
}

// ── the activity aggregates ───────────────────────────────────────────────────────────────────────
//
// Three queries cover every activity chart, each one pass over the scoped activities (measured with 100,000
// activities in bench/dashboard.bench.ts): per start month (which also gives the totals and the first and last
// month), per plan group (every pillar and priority area at once, from a per-activity row of flags), and per
// counterpart country.

/** The activities the charts count, narrowed by the scope. */
function scopedActivities(db: DB, scope: DashboardScope) {
  let q = db
    .selectFrom("activities as a")
    .where("a.deleted_at", "is", null)
    .where("a.status", "in", [...COUNTED_STATUSES]);
  if (scope.from) q = q.where("a.start_date", ">=", scope.from);
  if (scope.to) q = q.where("a.start_date", "<=", scope.to);
  if (scope.organizationPath) {
    const path = `${scope.organizationPath}%`;
    q = q.where("a.organization_id", "in", (eb) => eb.selectFrom("organizations as o").select("o.id").where("o.path", "like", path));
  }
  if (scope.country) {
    const { country } = scope;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("activity_countries as fc")
          .select("fc.activity_id")
          .whereRef("fc.activity_id", "=", "a.id")
          .where("fc.country_code", "=", country),
      ),
    );
  }
  return q;
}

export interface Totals {
  activities: number;
  /** 人次: participants summed (activities without a count add nothing) */
  people: number;
  /** 批: delegations summed */
  delegations: number;
  /** funding in fen (万元 × 1,000,000) */
  fundingFen: number;
}

const ZERO: Totals = { activities: 0, people: 0, delegations: 0, fundingFen: 0 };

const addTotals = (a: Totals, b: Totals): Totals => ({
  activities: a.activities + b.activities,
  people: a.people + b.people,
  delegations: a.delegations + b.delegations,
  fundingFen: a.fundingFen + b.fundingFen,
});

/** Totals per month of the start date ("2024-03"); only months with activities. */
async function totalsByMonth(db: DB, scope: DashboardScope): Promise<Map<string, Totals>> {
  const rows = await scopedActivities(db, scope)
    .select((eb) => [
      eb.fn<string>("substr", ["a.start_date", eb.lit(1), eb.lit(7)]).as("month"),
      eb.fn.countAll<number>().as("activities"),
      eb.fn.sum<number>(eb.fn.coalesce("a.participants_count", eb.lit(0))).as("people"),
      eb.fn.sum<number>(eb.fn.coalesce("a.delegations_count", eb.lit(0))).as("delegations"),
      eb.fn.sum<number>(eb.fn.coalesce("a.funding_cny_fen", eb.lit(0))).as("funding"),
    ])
    .groupBy((eb) => eb.fn<string>("substr", ["a.start_date", eb.lit(1), eb.lit(7)]))
    .execute();
  return new Map(
    rows.map((r) => [
      r.month,
      { activities: Number(r.activities), people: Number(r.people ?? 0), delegations: Number(r.delegations ?? 0), fundingFen: Number(r.funding ?? 0) },
    ]),
  );
}

/**
 * Totals per group of plan items (a pillar with everything below it; a priority area's items with everything
 * below them). An activity counts once in each group it touches, however many of the group's items it is linked
 * to. Each item of the groups gets a bit; grouped by activity, the sum of its links' bits is the set of items it
 * is linked to (a link is unique per activity and item, so the sum is an exact bitwise or), and the outer query
 * totals the activities per set of items — a few hundred sets, which are then added to every group they touch.
 * One pass over the scoped activities and their links, and one CASE per link, whatever the number of groups.
 */
async function totalsByItemGroup(db: DB, scope: DashboardScope, groups: number[][]): Promise<Totals[]> {
  const totals: Totals[] = groups.map(() => ({ ...ZERO }));
  const items = [...new Set(groups.flat())];
  if (items.length === 0) return totals;
  // 48 bits a mask: exact as a double and as a 64-bit integer (sums of bigint come back as numbers on PostgreSQL)
  const BITS = 48;
  const masks = Array.from({ length: Math.ceil(items.length / BITS) }, (_, m) => items.slice(m * BITS, (m + 1) * BITS));
  const perActivity = scopedActivities(db, scope)
    .innerJoin("activity_plan_items as api", "api.activity_id", "a.id")
    .select((eb) => [
      "a.id",
      "a.participants_count",
      "a.delegations_count",
      "a.funding_cny_fen",
      ...masks.map((ids, m) =>
        eb.fn
          .sum<number>(sql`case ${sql.ref("api.plan_item_id")} ${sql.join(ids.map((id, bit) => sql`when ${sql.lit(id)} then ${sql.lit(2 ** bit)}`), sql` `)} else 0 end`)
          .as(`m${m}`),
      ),
    ])
    .groupBy(["a.id", "a.participants_count", "a.delegations_count", "a.funding_cny_fen"]);
  const maskRefs = masks.map((_, m) => sql.ref<number>(`f.m${m}`));
  const rows = await db
    .selectFrom(perActivity.as("f"))
    .select((eb) => [
      ...maskRefs.map((ref, m) => ref.as(`m${m}`)),
      eb.fn.countAll<number>().as("activities"),
      eb.fn.sum<number>(eb.fn.coalesce("f.participants_count", eb.lit(0))).as("people"),
      eb.fn.sum<number>(eb.fn.coalesce("f.delegations_count", eb.lit(0))).as("delegations"),
      eb.fn.sum<number>(eb.fn.coalesce("f.funding_cny_fen", eb.lit(0))).as("funding"),
    ])
    .groupBy(maskRefs)
    .execute();
  for (const row of rows) {
    const linked = new Set<number>();
    masks.forEach((ids, m) => {
      const mask = Number((row as Record<string, unknown>)[`m${m}`]);
      ids.forEach((id, bit) => {
        if (Math.floor(mask / 2 ** bit) % 2 === 1) linked.add(id);
      });
    });
    const t: Totals = {
      activities: Number(row.activities),
      people: Number(row.people ?? 0),
      delegations: Number(row.delegations ?? 0),
      fundingFen: Number(row.funding ?? 0),
    };
    groups.forEach((ids, i) => {
      if (ids.some((id) => linked.has(id))) totals[i] = addTotals(totals[i]!, t);
    });
  }
  return totals;
}

/** Distinct activities per counterpart country (an activity with two countries counts for each). */
async function activitiesByCountry(db: DB, scope: DashboardScope): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("activity_countries as ac")
    .where("ac.activity_id", "in", scopedActivities(db, scope).select("a.id"))
    .select((eb) => ["ac.country_code", eb.fn.countAll<number>().as("n")])
    .groupBy("ac.country_code")
    .execute();
  return new Map(rows.map((r) => [r.country_code, Number(r.n)]));
}

/**
 * The three aggregates of the charts for a scope: the whole months of its range from the running totals
 * (app/models/activity-totals.server.ts), the part-months at either end (a range from the 5th, say) and what the
 * totals do not hold (a unit's groups or countries within one country) counted from the activities, then added
 * up. The numbers are those of counting every activity of the range; only the work differs.
 */
/**
 * Within one country: its activities, and of them those naming each other country — from the totals where they keep
 * them (every unit together, and the units of the tree's top two levels), else counted from a county's activities.
 */
async function countriesWithin(db: DB, kept: TotalsQuery & { country: string }, whole: DashboardScope): Promise<Map<string, number>> {
  const others = await sumCoCountries(db, kept);
  if (!others) return activitiesByCountry(db, whole);
  const own = (await sumTotals(db, kept, [])).reduce((n, r) => n + r.activities, 0);
  return new Map([[kept.country, own], ...others]);
}

async function chartTotals(db: DB, scope: DashboardScope, groups: number[][], groupKeys: string[]) {
  const organizationId = scope.organizationPath !== undefined ? await unitAtPath(db, scope.organizationPath) : undefined;
  // a path that is no unit's: the totals do not hold it, and every month is counted from the activities
  const { months, edges } =
    scope.organizationPath !== undefined && organizationId === undefined ? { months: null, edges: [{ from: scope.from ?? "0000-01-01", to: scope.to ?? "9999-12-31" }] } : splitByMonth(scope.from, scope.to);
  const byMonth = new Map<string, Totals>();
  const byGroup: Totals[] = groups.map(() => ({ ...ZERO }));
  const byCountry = new Map<string, number>();
  const addMonth = (month: string, t: Totals) => byMonth.set(month, addTotals(byMonth.get(month) ?? ZERO, t));
  const addGroups = (ts: Totals[]) => ts.forEach((t, i) => (byGroup[i] = addTotals(byGroup[i]!, t)));
  const addCountry = (code: string, n: number) => byCountry.set(code, (byCountry.get(code) ?? 0) + n);

  const counted: DashboardScope[] = edges.map((edge) => ({ ...scope, ...edge }));
  if (months) {
    const kept = {
      organizationId,
      organizationPath: scope.organizationPath,
      country: scope.country,
      statuses: COUNTED_STATUSES,
      monthFrom: months.from,
      monthTo: months.to,
    };
    const whole: DashboardScope = { ...scope, from: months.from && `${months.from}-01`, to: months.to && lastDayOf(months.to) };
    const country = scope.country;
    const [perMonth, perGroup, perCountry] = await Promise.all([
      sumTotals(db, kept, ["month"]),
      totalsAnswer({ ...kept, groups: groupKeys })
        ? sumTotals(db, { ...kept, groups: groupKeys }, ["grp"]).then((rows) => groupKeys.map((key) => rows.find((r) => r.grp === key) ?? ZERO))
        : totalsByItemGroup(db, whole, groups),
      country
        ? countriesWithin(db, { ...kept, country }, whole)
        : sumTotals(db, kept, ["country"]).then((rows) => new Map(rows.map((r) => [r.country, r.activities]))),
    ]);
    for (const r of perMonth) addMonth(r.month, r);
    addGroups(perGroup);
    for (const [code, n] of perCountry) addCountry(code, n);
  }
  for (const part of counted) {
    const [perMonth, perGroup, perCountry] = await Promise.all([
      totalsByMonth(db, part),
      totalsByItemGroup(db, part, groups),
      activitiesByCountry(db, part),
    ]);
    for (const [month, t] of perMonth) addMonth(month, t);
    addGroups(perGroup);
    for (const [code, n] of perCountry) addCountry(code, n);
  }
  return { byMonth, byGroup, byCountry };
}

// ── the plan's groups ─────────────────────────────────────────────────────────────────────────────

type PlanNode = Awaited<ReturnType<typeof listPlanItems>>[number];

/**
 * The groups the charts compare "by pillar": the three pillars of 务实合作, and each section with loggable items
 * that holds no pillar (支撑体系) — the same grouping as the evaluation page.
 */
export function pillarGroups(items: PlanNode[]): PlanNode[] {
  const pillars = items.filter((p) => p.kind === "pillar");
  const sections = items.filter(
    (s) =>
      s.kind === "section" &&
      !pillars.some((p) => p.path.startsWith(s.path)) &&
      items.some((i) => i.loggable === 1 && i.path.startsWith(s.path)),
  );
  return items.filter((i) => pillars.includes(i) || sections.includes(i));
}

/** The ids of the plan items at or below any of the given paths. */
function itemsUnder(items: PlanNode[], paths: string[]): number[] {
  return items.filter((i) => paths.some((p) => i.path.startsWith(p))).map((i) => i.id);
}

// ── months ────────────────────────────────────────────────────────────────────────────────────────

function nextMonth(ym: string): string {
  const [y, m] = ym.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let ym = first; ym <= last; ym = nextMonth(ym)) out.push(ym);
  return out;
}

/** Beyond this many months the time chart counts per year. */
export const MAX_MONTHS = 72;

/**
 * The time series of a range from the per-month totals: every month (or year, beyond MAX_MONTHS) from the
 * range's start to its end, with zeros where nothing started. An open end — or a default one, `clipToToday` —
 * stops at the later of today and the last activity, so the plan period does not show years of empty months.
 */
function timeSeries(byMonth: Map<string, Totals>, scope: DashboardScope, today: string, clipToToday: boolean) {
  const withData = [...byMonth.keys()].sort();
  const first = scope.from?.slice(0, 7) ?? withData[0];
  if (!first) return { bucket: "month" as const, rows: [] };
  const lastData = withData.at(-1) ?? first;
  const openEnd = [today.slice(0, 7), lastData].sort().at(-1)!;
  const last = scope.to ? (clipToToday && openEnd < scope.to.slice(0, 7) ? openEnd : scope.to.slice(0, 7)) : openEnd;
  if (last < first) return { bucket: "month" as const, rows: [] };
  const months = monthsBetween(first, last);
  if (months.length <= MAX_MONTHS) {
    return { bucket: "month" as const, rows: months.map((key) => ({ key, ...(byMonth.get(key) ?? ZERO) })) };
  }
  const years = new Map<string, Totals>();
  for (const month of months) {
    const year = month.slice(0, 4);
    years.set(year, addTotals(years.get(year) ?? ZERO, byMonth.get(month) ?? ZERO));
  }
  return { bucket: "year" as const, rows: [...years.entries()].map(([key, t]) => ({ key, ...t })) };
}

// ── the sections of the dashboard ─────────────────────────────────────────────────────────────────

/** The activity charts of a scope: totals, by pillar, by priority area, over time, by counterpart country. */
export async function activityCharts(
  db: DB,
  scope: DashboardScope,
  options: { today: string; locale: Locale; clipToToday?: boolean },
) {
  const [items, areas, areaItems] = await Promise.all([listPlanItems(db), listPriorityAreas(db), listPlanItemIdsByPriorityArea(db)]);
  const pillars = pillarGroups(items);
  const pathOf = new Map(items.map((i) => [i.id, i.path]));
  const areaGroups = areas.map((a) => itemsUnder(items, (areaItems.get(a.id) ?? []).map((id) => pathOf.get(id)!).filter(Boolean)));
  const groups = [
    ...pillars.map((g) => itemsUnder(items, [g.path])),
    ...areaGroups,
    // the activities of any priority area, each once: the areas' distinct total (the areas cover part of the plan)
    [...new Set(areaGroups.flat())],
  ];
  const groupKeys = [...pillars.map((g) => nodeGroup(g.id)), ...areas.map((a) => areaGroup(a.id)), ANY_AREA];
  const { byMonth, byGroup, byCountry } = await chartTotals(db, scope, groups, groupKeys);
  // the five Mekong countries always (a zero is news), then the other countries with activity, most first
  const others = [...byCountry.entries()]
    .filter(([code]) => !(MEKONG_COUNTRIES as readonly string[]).includes(code))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const OTHERS_SHOWN = 15;
  return {
    totals: [...byMonth.values()].reduce(addTotals, ZERO),
    byPillar: pillars.map((g, i) => ({ code: g.code, title_zh: g.title_zh, title_en: g.title_en, ...byGroup[i]! })),
    byArea: areas.map((a, i) => ({ code: a.code, name_zh: a.name_zh, name_en: a.name_en, ...byGroup[pillars.length + i]! })),
    areaTotals: byGroup[pillars.length + areas.length]!,
    time: timeSeries(byMonth, scope, options.today, options.clipToToday ?? false),
    byCountry: [
      ...MEKONG_COUNTRIES.map((code) => ({ code, activities: byCountry.get(code) ?? 0 })),
      ...others.slice(0, OTHERS_SHOWN).map(([code, n]) => ({ code, activities: n })),
    ].map((c) => ({ ...c, name: countryName(c.code, options.locale) })),
    otherCountriesLeftOut: Math.max(0, others.length - OTHERS_SHOWN),
  };
}

export type ActivityCharts = Awaited<ReturnType<typeof activityCharts>>;

/** Each indicator's % of its plan target at the end of a period, and the share of the plan's time elapsed. */
export async function indicatorChart(db: DB, period: PeriodRow | undefined, scope: { organizationPath?: string }) {
  if (!period) return { period: null, elapsed: null, rows: [] };
  const rows = await listIndicatorsWithProgress(db, period, { organizationPath: scope.organizationPath });
  return {
    period: periodView(period),
    elapsed: rows[0]?.progress.expected ?? null,
    rows: rows.map(({ indicator: i, progress: p }) => ({
      id: i.id,
      code: i.code,
      name_zh: i.name_zh,
      name_en: i.name_en,
      unit: i.unit,
      source: i.source,
      percent: p.percent,
      expected: p.expected,
      actualToDate: p.actualToDate,
      target: p.target,
    })),
  };
}

/** The 红黄绿 ratings of a period: per pillar group, how many loggable items are green, yellow, red or unrated. */
export async function ratingChart(db: DB, period: PeriodRow | undefined) {
  const items = await listPlanItems(db);
  const groups = pillarGroups(items);
  if (!period || groups.length === 0) {
    return { period: period ? periodView(period) : null, rows: groups.map((g) => ({ ...groupView(g), green: 0, yellow: 0, red: 0, unrated: 0, items: 0 })) };
  }
  const groupIds = groups.map((g) => g.id);
  const underGroup = () =>
    db
      .selectFrom("plan_items as grp")
      .innerJoin("plan_items as pi", (join) =>
        join.on((eb) => eb("pi.path", "like", subtreeOf("grp.path"))),
      )
      .where("grp.id", "in", groupIds)
      .where("pi.loggable", "=", 1);
  const [loggable, rated] = await Promise.all([
    underGroup()
      .select((eb) => ["grp.id as group_id", eb.fn.count<number>("pi.id").as("n")])
      .groupBy("grp.id")
      .execute(),
    underGroup()
      .innerJoin("plan_item_ratings as r", "r.plan_item_id", "pi.id")
      .where("r.period_id", "=", period.id)
      .select((eb) => ["grp.id as group_id", "r.rating", eb.fn.count<number>("r.id").as("n")])
      .groupBy(["grp.id", "r.rating"])
      .execute(),
  ]);
  return {
    period: periodView(period),
    rows: groups.map((g) => {
      const count = (rating: string) => Number(rated.find((r) => r.group_id === g.id && r.rating === rating)?.n ?? 0);
      const total = Number(loggable.find((r) => r.group_id === g.id)?.n ?? 0);
      const green = count("green");
      const yellow = count("yellow");
      const red = count("red");
      return { ...groupView(g), green, yellow, red, unrated: Math.max(0, total - green - yellow - red), items: total };
    }),
  };
}

/**
 * Reporting units ranked by the completeness and then the timeliness of their reports (the monitoring page's
 * definitions), over the periods of a kind that are due by `today` and end no later than `upTo`.
 */
export async function unitRanking(
  db: DB,
  options: { today: string; kind: PeriodRow["kind"]; upTo?: string; unitPath?: string },
) {
  const matrix = await buildSubmissionMatrix(db, { today: options.today, kind: options.kind, unitPath: options.unitPath });
  const ends = new Map((await listPeriods(db, options.kind)).map((p) => [p.code, p.end_date]));
  const rows = matrix.rows.map((row, order) => {
    const cells = options.upTo ? row.cells.filter((c) => (ends.get(c.periodCode) ?? "") <= options.upTo!) : row.cells;
    const rates = unitRates(cells);
    return { id: row.unit.id, name_zh: row.unit.name_zh, name_en: row.unit.name_en, order, ...rates };
  });
  const rank = (v: number | null) => (v === null ? -1 : v);
  rows.sort(
    (a, b) => rank(b.completeness) - rank(a.completeness) || rank(b.timeliness) - rank(a.timeliness) || a.order - b.order,
  );
  return { kind: options.kind, rows: rows.map(({ order: _order, late: _late, ...r }) => r) };
}

function periodView(p: Pick<PeriodRow, "code" | "kind" | "year" | "seq" | "start_date" | "end_date">) {
  return { code: p.code, kind: p.kind, year: p.year, seq: p.seq, start_date: p.start_date, end_date: p.end_date };
}

function groupView(g: PlanNode) {
  return { code: g.code, title_zh: g.title_zh, title_en: g.title_en };
}

// ── the plan-wide dashboard page ──────────────────────────────────────────────────────────────────

/** The units that can be chosen: every unit of ours (not the foreign counterpart bodies), in tree order. */
function unitChoices(organizations: OrganizationRow[]) {
  const ours = organizations.filter((o) => o.kind !== "foreign_body");
  const ids = new Set(ours.map((o) => o.id));
  const children = new Map<number | null, OrganizationRow[]>();
  for (const o of ours) {
    const parent = o.parent_id !== null && ids.has(o.parent_id) ? o.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), o]);
  }
  const out: { id: number; name_zh: string; name_en: string; depth: number; path: string }[] = [];
  const walk = (parent: number | null) => {
    for (const o of children.get(parent) ?? []) {
      out.push({ id: o.id, name_zh: o.name_zh, name_en: o.name_en, depth: organizationDepth(o.path), path: o.path });
      walk(o.id);
    }
  };
  walk(null);
  return out;
}

/** The countries that can be chosen: the five Mekong countries, then every other country named by an activity. */
async function countryChoicesInUse(db: DB, locale: Locale) {
  const rows = await db.selectFrom("activity_countries").select("country_code").distinct().execute();
  const used = rows.map((r) => r.country_code).filter((c) => !(MEKONG_COUNTRIES as readonly string[]).includes(c));
  const collator = new Intl.Collator(locale === "en" ? "en" : "zh-CN");
  const others = used.map((code) => ({ code, name: countryName(code, locale) })).sort((a, b) => collator.compare(a.name, b.name));
  return [...MEKONG_COUNTRIES.map((code) => ({ code, name: countryName(code, locale) })), ...others];
}

/**
 * The plan-wide dashboard: the URL's filters resolved, every chart's numbers, and the choices of the filters.
 * A period sets the date range (and the period of the indicator and rating charts); otherwise the from/to dates
 * do, and the indicators and ratings are those of the latest period ended by then. With no dates at all, the
 * range is the plan period (2023–2027).
 */
export async function loadDashboard(db: DB, searchParams: URLSearchParams, options: { today: string; locale: Locale }) {
  const { today, locale } = options;
  const { params, invalid } = parseFilter(searchParams);
  const reject = (key: FilterKey) => {
    invalid.push(key);
    delete params[key];
  };
  const [periods, organizations, countries] = await Promise.all([
    listPeriods(db),
    listOrganizations(db),
    countryChoicesInUse(db, locale),
  ]);
  const units = unitChoices(organizations);

  const period = params.period ? periods.find((p) => p.code === params.period) : undefined;
  if (params.period && !period) reject("period");
  if (!period && params.from && params.to && params.to < params.from) reject("to");
  const unit = params.unit !== undefined ? units.find((u) => u.id === params.unit) : undefined;
  if (params.unit !== undefined && !unit) reject("unit");

  const from = period ? period.start_date : params.from ?? (params.to ? undefined : PLAN_START);
  const to = period ? period.end_date : params.to ?? (params.from ? undefined : PLAN_END);
  const scope: DashboardScope = { from, to, organizationPath: unit?.path, country: params.country };

  // the period of the indicator and rating charts
  const asOf = to && to < today ? to : today;
  const progressPeriod = period ?? defaultProgressPeriod(periods.filter((p) => p.end_date <= asOf), asOf);
  const kinds = [...new Set(periods.map((p) => p.kind))];
  const rankingKind = progressPeriod?.kind ?? (kinds.includes("half") ? "half" : kinds[0] ?? "half");

  const [activities, indicators, ratings, ranking] = await Promise.all([
    // the default range (the plan period) stops its months at today; a range the user chose is shown whole
    activityCharts(db, scope, { today, locale, clipToToday: !period && !params.to }),
    indicatorChart(db, progressPeriod, { organizationPath: unit?.path }),
    ratingChart(db, progressPeriod),
    unitRanking(db, { today, kind: rankingKind, upTo: period?.end_date, unitPath: unit?.path }),
  ]);

  return {
    params: {
      period: period?.code ?? null,
      from: period ? null : params.from ?? null,
      to: period ? null : params.to ?? null,
      unit: unit?.id ?? null,
      country: params.country ?? null,
    },
    invalid,
    status: invalid.length ? 400 : 200,
    today,
    range: { from: from ?? null, to: to ?? null, planPeriod: from === PLAN_START && to === PLAN_END },
    unit: unit ? { id: unit.id, name_zh: unit.name_zh, name_en: unit.name_en } : null,
    country: params.country ? { code: params.country, name: countryName(params.country, locale) } : null,
    activities,
    indicators,
    ratings,
    ranking,
    choices: {
      periods: periods.map((p) => ({ code: p.code, kind: p.kind, year: p.year, seq: p.seq })),
      units: units.map(({ path: _path, ...u }) => u),
      countries,
    },
  };
}

export type DashboardData = Awaited<ReturnType<typeof loadDashboard>>;

// ── a unit's home page ────────────────────────────────────────────────────────────────────────────

/**
 * The period a unit reports on now: of the kind units report in (half-years when there are any), the earliest
 * one that has started and whose report is not yet past due; after the last one, the last one.
 */
export function currentPeriod(periods: readonly PeriodRow[], today: string): PeriodRow | undefined {
  const kinds = [...new Set(periods.map((p) => p.kind))];
  const kind = kinds.includes("half") ? "half" : kinds[0];
  const ofKind = periods.filter((p) => p.kind === kind).sort((a, b) => a.start_date.localeCompare(b.start_date));
  return (
    ofKind.filter((p) => p.start_date <= today && p.due_date >= today).sort((a, b) => a.due_date.localeCompare(b.due_date))[0] ??
    ofKind.filter((p) => p.start_date <= today).at(-1) ??
    ofKind[0]
  );
}

/** The activities of a unit (and the units below it) still marked 计划 after their end date, latest end first. */
export async function plannedPastEnd(db: DB, organizationPath: string, today: string, limit = 20) {
  const base = plannedPastEndQuery(db, organizationPath, today);
  const [total, rows] = await Promise.all([
    countPlannedPastEnd(db, organizationPath, today, base),
    base
      .select(["a.id", "a.title", "a.start_date", "a.end_date", "o.name_zh as organization_name_zh", "o.name_en as organization_name_en"])
      .orderBy("a.end_date", "desc")
      .orderBy("a.id", "desc")
      .limit(limit)
      .execute(),
  ]);
  return {
    total,
    rows: rows.map((r) => ({ ...r, daysPast: daysBetween(r.end_date, today) })),
  };
}

function plannedPastEndQuery(db: DB, organizationPath: string, today: string) {
  return db
    .selectFrom("activities as a")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .where("a.deleted_at", "is", null)
    .where("a.status", "=", "planned")
    .where("a.end_date", "<", today)
    .where("o.path", "like", `${organizationPath}%`);
}
type PlannedPastEndQuery = ReturnType<typeof plannedPastEndQuery>;

/**
 * How many of a unit's activities are still planned past their end: the whole months before today's from the kept
 * totals (planned activities by end month, in the unit's rows), this month's days counted from the rows; every
 * month counted from the rows for a path no unit has.
 */
async function countPlannedPastEnd(db: DB, organizationPath: string, today: string, pastEnd: PlannedPastEndQuery) {
  const unit = await unitAtPath(db, organizationPath);
  const counted = unit === undefined ? pastEnd : pastEnd.where("a.end_date", ">=", `${today.slice(0, 7)}-01`);
  const [days, months] = await Promise.all([
    counted.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow().then((r) => Number(r.n)),
    unit === undefined
      ? 0
      : sumTotals(db, { organizationId: unit, statuses: [PLANNED_BY_END], monthTo: previousMonth(today.slice(0, 7)) }, []).then(
          (r) => r[0]?.activities ?? 0,
        ),
  ]);
  return days + months;
}

/** A unit's report for the current period: its state and the days left until it is due. */
export async function currentReport(db: DB, unit: { id: number; kind: string }, today: string) {
  const period = currentPeriod(await listPeriods(db), today);
  if (!period) return null;
  const report = await db
    .selectFrom("period_reports")
    .select(["status", "return_reason", "submitted_at"])
    .where("organization_id", "=", unit.id)
    .where("period_id", "=", period.id)
    .executeTakeFirst();
  return {
    period: { ...periodView(period), due_date: period.due_date, closed: period.closed_at !== null },
    status: report?.status ?? ("none" as const),
    returnReason: report?.return_reason ?? null,
    daysLeft: daysBetween(today, period.due_date),
    reports: (REPORTING_UNIT_KINDS as readonly string[]).includes(unit.kind),
  };
}

/** The indicators of a plan item, each one's % of its plan target at the end of every period so far. */
export async function planItemIndicatorTrend(db: DB, planItem: { path: string }, today: string) {
  const indicators = await listIndicators(db, { planPath: planItem.path });
  if (indicators.length === 0) return { periods: [], series: [] };
  const all = await listPeriods(db);
  const latest = defaultProgressPeriod(all, today);
  if (!latest) return { periods: [], series: [] };
  const periods = all.filter((p) => p.kind === latest.kind && p.start_date <= today).sort((a, b) => a.start_date.localeCompare(b.start_date));
  const series = (await indicatorsProgressByPeriod(db, indicators, periods)).map(({ indicator, byPeriod }) => ({
    id: indicator.id,
    code: indicator.code,
    name_zh: indicator.name_zh,
    name_en: indicator.name_en,
    unit: indicator.unit,
    points: byPeriod.map(({ progress }) => ({ percent: progress.percent, actualToDate: progress.actualToDate })),
  }));
  return {
    periods: periods.map((p) => ({ code: p.code, kind: p.kind, year: p.year, seq: p.seq, elapsed: planElapsed(p.end_date) })),
    series,
  };
}


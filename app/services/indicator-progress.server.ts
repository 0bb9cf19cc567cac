// How far an indicator has come: its actual value (computed from the activity ledger, or entered by units) for a
// period and the plan to date, and its % of the plan target and of the period's target, with the share of the
// plan's time elapsed beside it. The plan target is always the indicator's own target_value: period targets are
// compared with period actuals only, and are never added up into a plan target.
import type { DB } from "~/utils/db.server";
import { lastDayOf, sumTypeTotals, unitAtPath } from "~/models/activity-totals.server";
import { type IndicatorRow, getIndicator, listIndicators, listPeriodTargets } from "~/models/indicator.server";
import { PLAN_START, listPeriods, planElapsed } from "~/models/reporting-period.server";
import type { IndicatorCounting } from "~/schemas/indicator-counting";
import { isRegisterMeasure, registerLevelChanges } from "~/domain/sister-cities";
import { listCountedRelationships } from "~/models/sister-city.server";

export interface ProgressPeriod {
  id: number;
  kind: string;
  start_date: string;
  end_date: string;
}

/** What the maths needs of an indicator. */
export interface ProgressIndicator {
  id: number;
  plan_item_id: number;
  baseline_value: number;
  baseline_year: number;
  target_value: number;
  direction: "up" | "down";
  measure: "stock" | "flow";
  source: "computed" | "entered";
  computation: string | null;
  counting: IndicatorCounting;
}

export interface ProgressScope {
  /** only units at or below this organization path ("/1/12/") */
  organizationPath?: string;
}

export interface IndicatorProgress {
  baseline: number;
  /** the plan target: the indicator's own, never derived from period targets */
  target: number;
  /** the target set for this period, or null when none was set */
  periodTarget: number | null;
  /** stock: the level at the end of the period; flow: the total from the plan start to the end of the period */
  actualToDate: number | null;
  /** stock: the change over the period; flow: the quantity within the period */
  actualInPeriod: number | null;
  /** % of the plan target (0–100 when on the way; may exceed 100 or go below 0); null when it has no meaning */
  percent: number | null;
  /** % of the period target; null when the period has none */
  periodPercent: number | null;
  /** the share of the plan's time elapsed at the end of the period, 0..1 (a fraction, not a %) */
  expected: number;
}

// ---------------------------------------------------------------------------------------------------------------
// The maths: pure functions, unit-tested with known numbers.

/**
 * % of a target. up+stock: (actual-baseline)/(target-baseline); down+stock: (baseline-actual)/(baseline-target);
 * up+flow: actual/target; down+flow: 100 while actual ≤ target, else target/actual. null where the ratio has no
 * meaning (no actual, target equal to the baseline, a zero target to grow towards) — never NaN or Infinity.
 */
export function percentOfTarget(args: {
  direction: "up" | "down";
  measure: "stock" | "flow";
  baseline: number;
  target: number;
  actual: number | null;
}): number | null {
  const { direction, measure, baseline, target, actual } = args;
  if (actual === null || !Number.isFinite(actual) || !Number.isFinite(target) || !Number.isFinite(baseline)) return null;
  let result: number;
  if (measure === "stock") {
    const span = direction === "up" ? target - baseline : baseline - target;
    if (span === 0) return null;
    result = ((direction === "up" ? actual - baseline : baseline - actual) / span) * 100;
  } else if (direction === "up") {
    if (target === 0) return null;
    result = (actual / target) * 100;
  } else {
    // At or under a ceiling is fully achieved; above it, the further above, the lower the %.
    if (actual <= target) return 100;
    result = (target / actual) * 100;
  }
  return Number.isFinite(result) ? result : null;
}

/** The plan and period % and the expected share, from actuals already known. */
export function progressFrom(
  indicator: Pick<ProgressIndicator, "direction" | "measure" | "baseline_value" | "target_value">,
  period: Pick<ProgressPeriod, "end_date">,
  actuals: { actualToDate: number | null; actualInPeriod: number | null; periodTarget: number | null },
): IndicatorProgress {
  const { direction, measure } = indicator;
  const baseline = indicator.baseline_value;
  const target = indicator.target_value;
  const percent = percentOfTarget({ direction, measure, baseline, target, actual: actuals.actualToDate });
  const periodPercent =
    actuals.periodTarget === null
      ? null
      : percentOfTarget({
          direction,
          measure,
          baseline,
          target: actuals.periodTarget,
          // a level is compared with the level the period aimed for; a flow with what the period was to deliver
          actual: measure === "stock" ? actuals.actualToDate : actuals.actualInPeriod,
        });
  return {
    baseline,
    target,
    periodTarget: actuals.periodTarget,
    actualToDate: actuals.actualToDate,
    actualInPeriod: actuals.actualInPeriod,
    percent,
    periodPercent,
    expected: planElapsed(period.end_date),
  };
}

/**
 * The period a progress page opens on: the latest one that has ended by `today` (of two ending the same day, the
 * longer), else the first one. `periods` in any order.
 */
export function defaultProgressPeriod<T extends { start_date: string; end_date: string }>(
  periods: readonly T[],
  today: string = new Date().toISOString().slice(0, 10),
): T | undefined {
  const ended = periods
    .filter((p) => p.end_date <= today)
    .sort((a, b) => (a.end_date === b.end_date ? a.start_date.localeCompare(b.start_date) : b.end_date.localeCompare(a.end_date)));
  if (ended[0]) return ended[0];
  return [...periods].sort((a, b) => a.start_date.localeCompare(b.start_date) || b.end_date.localeCompare(a.end_date))[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Actuals from the ledger.

/** What the ledger holds for one indicator in one month (activities starting in that month). */
interface MonthTotals {
  count: number;
  participants: number;
  delegations: number;
  fundingFen: number;
}

/** indicator id → "YYYY-MM" → totals. */
export type LedgerMonths = Map<number, Map<string, MonthTotals>>;

type CountedIndicator = Pick<ProgressIndicator, "id" | "plan_item_id" | "source" | "counting" | "computation" | "baseline_year">;

/**
 * The plan items whose activities an indicator counts (an activity linked to any of them, primary or not), or null
 * when the plan item does not matter. `items` are every plan node with its path.
 */
export function countedPlanItems(
  indicator: Pick<CountedIndicator, "plan_item_id" | "counting">,
  items: readonly { id: number; code: string; path: string }[],
): number[] | null {
  const { scope, codes } = indicator.counting.items;
  if (scope === "any") return null;
  if (scope === "item") return [indicator.plan_item_id];
  const roots =
    scope === "subtree"
      ? items.filter((i) => i.id === indicator.plan_item_id).map((i) => i.path)
      : items.filter((i) => codes.includes(i.code)).map((i) => i.path);
  return items.filter((i) => roots.some((root) => i.path.startsWith(root))).map((i) => i.id);
}

/**
 * The ledger's totals for the indicators, per month, as each one's definition says (its types, statuses, plan
 * items and counterpart countries), over the activities of the scope's units. Indicators with the same plan-item
 * and country filters share ONE grouped query (per activity type, status and month); each takes the rows of its
 * types and statuses. An activity counts once per indicator, however many of its items or countries match (the
 * filters are EXISTS tests, not joins). Every range the progress maths needs falls on month boundaries, so month
 * totals add up to exact range totals, and one query serves every period of a page.
 */
export async function loadLedgerMonths(
  db: DB,
  indicators: readonly CountedIndicator[],
  scope: ProgressScope = {},
  /** the last day any caller will add up to (the latest period's end): later activities are not read */
  until?: string,
): Promise<LedgerMonths> {
  const months: LedgerMonths = new Map(indicators.map((i) => [i.id, new Map()]));
  await loadRegisterMonths(db, indicators, months, scope);
  const computed = indicators.filter((i) => i.source === "computed" && !isRegisterMeasure(i.computation));
  if (computed.length === 0) return months;
  const planItems = computed.some((i) => i.counting.items.scope !== "any")
    ? await db.selectFrom("plan_items").select(["id", "code", "path"]).execute()
    : [];

  // Indicators that filter alike, read together.
  const groups = new Map<string, { items: number[] | null; countries: string[]; members: CountedIndicator[] }>();
  for (const indicator of computed) {
    const items = countedPlanItems(indicator, planItems);
    const countries = [...indicator.counting.countries].sort();
    const key = JSON.stringify([items && [...items].sort((a, b) => a - b), countries]);
    const group = groups.get(key) ?? { items, countries, members: [] };
    group.members.push(indicator);
    groups.set(key, group);
  }

  // the kept totals per type answer an indicator of any item and country, over whole months, for a unit's subtree
  const unit = scope.organizationPath !== undefined ? await unitAtPath(db, scope.organizationPath) : undefined;
  const kept = (scope.organizationPath === undefined || unit !== undefined) && (!until || until === lastDayOf(until.slice(0, 7)));
  for (const group of groups.values()) {
    const statuses = [...new Set(group.members.flatMap((i) => i.counting.statuses))];
    const rows =
      kept && group.items === null && group.countries.length === 0
        ? await keptRows(db, { statuses, organizationId: unit, until })
        : await ledgerRows(db, { items: group.items, countries: group.countries, statuses, scope, until });
    for (const indicator of group.members) {
      const { types, statuses: counted } = indicator.counting;
      const byMonth = months.get(indicator.id)!;
      for (const row of rows) {
        if (types.length && !(types as readonly string[]).includes(row.type)) continue;
        if (!(counted as readonly string[]).includes(row.status)) continue;
        const sum = byMonth.get(row.month) ?? { count: 0, participants: 0, delegations: 0, fundingFen: 0 };
        byMonth.set(row.month, {
          count: sum.count + Number(row.count),
          participants: sum.participants + Number(row.participants ?? 0),
          delegations: sum.delegations + Number(row.delegations ?? 0),
          fundingFen: sum.fundingFen + Number(row.funding ?? 0),
        });
      }
    }
  }
  return months;
}

/**
 * The indicators that count the sister-city register (pairs, countries, pairs in Southeast Asia) take its changes
 * after their baseline year, month by month, as their `count` (domain/sister-cities.ts says how): the maths below
 * then adds them to the baseline exactly as it adds the ledger's. The relationships of the scope's units, any
 * body country the definition names.
 */
async function loadRegisterMonths(db: DB, indicators: readonly CountedIndicator[], months: LedgerMonths, scope: ProgressScope) {
  const register = indicators.filter((i) => i.source === "computed" && isRegisterMeasure(i.computation));
  if (register.length === 0) return;
  const relationships = await listCountedRelationships(db, scope);
  for (const indicator of register) {
    if (!isRegisterMeasure(indicator.computation)) continue;
    const byMonth = months.get(indicator.id)!;
    for (const [month, change] of registerLevelChanges(relationships, indicator.computation, indicator.baseline_year, indicator.counting.countries)) {
      byMonth.set(month, { count: change, participants: 0, delegations: 0, fundingFen: 0 });
    }
  }
}

/**
 * ledgerRows for an indicator of any plan item and any country, from the running totals per activity type
 * (activity_type_totals): the same rows, read from a few thousand kept totals instead of the activities.
 */
async function keptRows(db: DB, filter: { statuses: string[]; organizationId?: number; until?: string }) {
  const rows = await sumTypeTotals(db, { organizationId: filter.organizationId, statuses: filter.statuses, monthTo: filter.until?.slice(0, 7) });
  return rows
    .filter((r) => r.activities !== 0)
    .map((r) => ({ type: r.type, status: r.status, month: r.month, count: r.activities, participants: r.people, delegations: r.delegations, funding: r.fundingFen }))
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
}

/** The live activities of the scope that pass the filters, totalled per type, status and month, in month order. */
async function ledgerRows(
  db: DB,
  filter: { items: number[] | null; countries: string[]; statuses: string[]; scope: ProgressScope; until?: string },
) {
  if (filter.items && filter.items.length === 0) return [];
  let query = db.selectFrom("activities as a").where("a.deleted_at", "is", null).where("a.status", "in", filter.statuses);
  if (filter.until) query = query.where("a.start_date", "<=", filter.until);
  if (filter.scope.organizationPath) {
    query = query
      .innerJoin("organizations as o", "o.id", "a.organization_id")
      .where("o.path", "like", `${filter.scope.organizationPath}%`);
  }
  const items = filter.items;
  if (items) {
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom("activity_plan_items as api").select("api.activity_id").whereRef("api.activity_id", "=", "a.id").where("api.plan_item_id", "in", items)),
    );
  }
  if (filter.countries.length) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("activity_countries as ac").select("ac.activity_id").whereRef("ac.activity_id", "=", "a.id").where("ac.country_code", "in", filter.countries),
      ),
    );
  }
  const rows = await query
    .select((eb) => [
      "a.type",
      "a.status",
      eb.fn<string>("substr", ["a.start_date", eb.lit(1), eb.lit(7)]).as("month"),
      eb.fn.countAll<number | string>().as("count"),
      eb.fn.sum<number | string | null>(eb.fn.coalesce("a.participants_count", eb.lit(0))).as("participants"),
      eb.fn.sum<number | string | null>(eb.fn.coalesce("a.delegations_count", eb.lit(0))).as("delegations"),
      eb.fn.sum<number | string | null>(eb.fn.coalesce("a.funding_cny_fen", eb.lit(0))).as("funding"),
    ])
    .groupBy(["a.type", "a.status", (eb) => eb.fn("substr", ["a.start_date", eb.lit(1), eb.lit(7)])])
    .execute();
  // in month order, as ledgerActual adds them up (floating-point sums of 万元 depend on the order)
  return rows.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
}

/** The indicator's measure of the activities in [from, to], and the part starting on or after `inFrom`. */
function ledgerActual(
  indicator: ProgressIndicator,
  months: Map<string, MonthTotals>,
  range: { from: string; inFrom: string; to: string },
): { total: number; inPeriod: number } {
  const from = range.from.slice(0, 7);
  const inFrom = range.inFrom.slice(0, 7);
  const to = range.to.slice(0, 7);
  const measure = (m: MonthTotals) => {
    switch (indicator.computation) {
      case "sum_participants":
        return m.participants;
      case "sum_delegations":
        return m.delegations;
      case "sum_funding":
        return m.fundingFen / 1_000_000; // money is held in fen; the indicator counts 万元
      default:
        return m.count;
    }
  };
  let total = 0;
  let inPeriod = 0;
  for (const [month, totals] of months) {
    if (month < from || month > to) continue;
    const value = measure(totals);
    total += value;
    if (month >= inFrom) inPeriod += value;
  }
  return { total, inPeriod };
}

function computedActuals(indicator: ProgressIndicator, period: ProgressPeriod, months: Map<string, MonthTotals>) {
  if (indicator.measure === "flow") {
    const { total, inPeriod } = ledgerActual(indicator, months, { from: PLAN_START, inFrom: period.start_date, to: period.end_date });
    return { actualToDate: total, actualInPeriod: inPeriod };
  }
  // A level: the baseline plus what the ledger added after the baseline year.
  const addedFrom = `${indicator.baseline_year + 1}-01-01`;
  const inFrom = period.start_date > addedFrom ? period.start_date : addedFrom;
  const { total, inPeriod } = ledgerActual(indicator, months, { from: addedFrom, inFrom, to: period.end_date });
  return { actualToDate: indicator.baseline_value + total, actualInPeriod: inPeriod };
}

// ---------------------------------------------------------------------------------------------------------------
// Actuals entered by units.

async function enteredActuals(db: DB, indicator: ProgressIndicator, period: ProgressPeriod, scope: ProgressScope) {
  let query = db
    .selectFrom("indicator_values as v")
    .innerJoin("reporting_periods as p", "p.id", "v.period_id")
    .innerJoin("organizations as o", "o.id", "v.organization_id")
    .select(["v.organization_id", "v.value", "v.period_id", "v.entered_at", "p.kind", "p.start_date", "p.end_date"])
    .where("v.indicator_id", "=", indicator.id)
    .where("p.end_date", "<=", period.end_date);
  if (scope.organizationPath) query = query.where("o.path", "like", `${scope.organizationPath}%`);
  const rows = await query.execute();

  // Units enter what their period added (a flow: its quantity; a level: what was added to it, e.g. new pairs).
  // Periods of one kind do not overlap, so adding them up counts nothing twice. A level is the baseline plus the
  // additions since the baseline year, exactly as a computed level is: a province-wide baseline is never compared
  // with the sum of a few units' own totals.
  const from = indicator.measure === "flow" ? PLAN_START : `${indicator.baseline_year + 1}-01-01`;
  const sameKind = rows.filter((r) => r.kind === period.kind && r.start_date >= from);
  const inPeriod = sameKind.filter((r) => r.period_id === period.id);
  const added = sameKind.length ? sameKind.reduce((sum, r) => sum + r.value, 0) : null;
  return {
    actualToDate: indicator.measure === "flow" ? added : added === null ? null : indicator.baseline_value + added,
    actualInPeriod: inPeriod.length ? inPeriod.reduce((sum, r) => sum + r.value, 0) : null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Progress.

async function progressWithTarget(
  db: DB,
  indicator: ProgressIndicator,
  period: ProgressPeriod,
  periodTarget: number | null,
  scope: ProgressScope,
  ledger: LedgerMonths,
): Promise<IndicatorProgress> {
  const actuals =
    indicator.source === "computed"
      ? computedActuals(indicator, period, ledger.get(indicator.id) ?? new Map())
      : await enteredActuals(db, indicator, period, scope);
  return progressFrom(indicator, period, { ...actuals, periodTarget });
}

export async function indicatorProgress(
  db: DB,
  indicator: ProgressIndicator,
  period: ProgressPeriod,
  scope: ProgressScope = {},
): Promise<IndicatorProgress> {
  const [target] = await listPeriodTargets(db, [indicator.id], period.id);
  const ledger = await loadLedgerMonths(db, [indicator], scope, period.end_date);
  return progressWithTarget(db, indicator, period, target?.target_value ?? null, scope, ledger);
}

export interface IndicatorWithProgress {
  indicator: IndicatorRow;
  progress: IndicatorProgress;
}

async function progressOf(db: DB, indicators: IndicatorRow[], period: ProgressPeriod, scope: ProgressScope) {
  const targets = await listPeriodTargets(
    db,
    indicators.map((i) => i.id),
    period.id,
  );
  const byIndicator = new Map(targets.map((t) => [t.indicator_id, t.target_value]));
  const ledger = await loadLedgerMonths(db, indicators, scope, period.end_date);
  const result: IndicatorWithProgress[] = [];
  for (const indicator of indicators) {
    result.push({
      indicator,
      progress: await progressWithTarget(db, indicator, period, byIndicator.get(indicator.id) ?? null, scope, ledger),
    });
  }
  return result;
}

/** The progress of every indicator attached to the plan node or one of its descendants, in plan order. */
export async function planItemIndicatorProgress(
  db: DB,
  planItem: { path: string },
  period: ProgressPeriod,
  scope: ProgressScope = {},
): Promise<IndicatorWithProgress[]> {
  return progressOf(db, await listIndicators(db, { planPath: planItem.path }), period, scope);
}

/** Every indicator with its progress, in plan order. */
export async function listIndicatorsWithProgress(
  db: DB,
  period: ProgressPeriod,
  scope: ProgressScope = {},
): Promise<IndicatorWithProgress[]> {
  return progressOf(db, await listIndicators(db), period, scope);
}

/** One indicator's progress for each of the periods (the detail page's table). */
export async function indicatorProgressByPeriod<P extends ProgressPeriod>(
  db: DB,
  indicatorId: number,
  periods: readonly P[],
  scope: ProgressScope = {},
): Promise<{ period: P; progress: IndicatorProgress }[]> {
  const indicator = await getIndicator(db, indicatorId);
  if (!indicator) return [];
  const [series] = await indicatorsProgressByPeriod(db, [indicator], periods, scope);
  return series!.byPeriod;
}

/**
 * Each indicator's progress for each of the periods (a trend chart): the period targets in one query and the
 * ledger in one grouped query for all of them.
 */
export async function indicatorsProgressByPeriod<I extends ProgressIndicator, P extends ProgressPeriod>(
  db: DB,
  indicators: readonly I[],
  periods: readonly P[],
  scope: ProgressScope = {},
): Promise<{ indicator: I; byPeriod: { period: P; progress: IndicatorProgress }[] }[]> {
  const targets = await listPeriodTargets(db, indicators.map((i) => i.id));
  const targetOf = new Map(targets.map((t) => [`${t.indicator_id}:${t.period_id}`, t.target_value]));
  const until = periods.reduce((latest, p) => (p.end_date > latest ? p.end_date : latest), "");
  const ledger = await loadLedgerMonths(db, indicators, scope, until || undefined);
  const result: { indicator: I; byPeriod: { period: P; progress: IndicatorProgress }[] }[] = [];
  for (const indicator of indicators) {
    const byPeriod: { period: P; progress: IndicatorProgress }[] = [];
    for (const period of periods) {
      const target = targetOf.get(`${indicator.id}:${period.id}`) ?? null;
      byPeriod.push({ period, progress: await progressWithTarget(db, indicator, period, target, scope, ledger) });
    }
    result.push({ indicator, byPeriod });
  }
  return result;
}

/**
 * What a plan item's page shows of its indicators: their progress in the period the indicators page opens on
 * (the latest ended one). An empty list when the item has no indicators or there are no periods.
 */
export async function planItemIndicatorsForPage(
  db: DB,
  planItem: { path: string },
  today?: string,
): Promise<{ period: { code: string; kind: string; year: number; seq: number } | null; rows: IndicatorWithProgress[] }> {
  const period = defaultProgressPeriod(await listPeriods(db), today);
  if (!period) return { period: null, rows: [] };
  return {
    period: { code: period.code, kind: period.kind, year: period.year, seq: period.seq },
    rows: await planItemIndicatorProgress(db, planItem, period),
  };
}

/**
 * What a 口径 counts for one unit (with the units below it) in one period: activities, 批次, 人次 and 万元 of the
 * activities starting in the period — the administrator's form shows it beside the definition being edited.
 */
export async function countingPreview(
  db: DB,
  definition: Pick<ProgressIndicator, "plan_item_id" | "counting" | "computation">,
  period: ProgressPeriod,
  scope: ProgressScope,
): Promise<{ activities: number; delegations: number; participants: number; fundingWan: number; value: number }> {
  const indicator: ProgressIndicator = {
    ...definition,
    id: 0,
    source: "computed",
    baseline_value: 0,
    // a register measure: what the register changed from the period's first year on (the value counts the period)
    baseline_year: Number(period.start_date.slice(0, 4)) - 1,
    target_value: 0,
    direction: "up",
    measure: "flow",
  };
  const months = (await loadLedgerMonths(db, [indicator], scope, period.end_date)).get(0)!;
  const from = period.start_date.slice(0, 7);
  const to = period.end_date.slice(0, 7);
  const total = { count: 0, participants: 0, delegations: 0, fundingFen: 0 };
  for (const [month, m] of months) {
    if (month < from || month > to) continue;
    total.count += m.count;
    total.participants += m.participants;
    total.delegations += m.delegations;
    total.fundingFen += m.fundingFen;
  }
  const { inPeriod } = ledgerActual(indicator, months, { from: period.start_date, inFrom: period.start_date, to: period.end_date });
  return {
    activities: total.count,
    delegations: total.delegations,
    participants: total.participants,
    fundingWan: total.fundingFen / 1_000_000,
    value: inPeriod,
  };
}

/**
 * The indicators that count the sister-city register, with their value on `today` (the published baseline plus the
 * register's changes since its baseline year, by the same maths as every period's): the register page's headline.
 */
export async function registerIndicatorValues(db: DB, today: string): Promise<{ indicator: IndicatorRow; value: number }[]> {
  const indicators = (await listIndicators(db)).filter((i) => i.source === "computed" && isRegisterMeasure(i.computation));
  const months = await loadLedgerMonths(db, indicators, {}, today);
  const now: ProgressPeriod = { id: 0, kind: "day", start_date: today, end_date: today };
  return indicators.map((indicator) => ({ indicator, value: computedActuals(indicator, now, months.get(indicator.id) ?? new Map()).actualToDate }));
}

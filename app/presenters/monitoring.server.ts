// The secretariat's monitoring views: the submission matrix (units × periods, with completeness and timeliness
// per unit) and the coverage map (plan items × units and × counterpart countries). Everything that depends on
// "today" takes it as an ISO date, so the same data gives the same answer in tests and on any server clock.
//
// The reporting rules (due, overdue, on time, late unit) live in ~/domain/reporting.ts.
import { COUNTED_STATUSES } from "~/domain/counting";
import { type CellState, REPORTING_UNIT_KINDS, classifyReport } from "~/domain/reporting";
import { z } from "zod";
import type { ReportStatus } from "../../db/schema";
import { inTreeOrder } from "~/models/organization.server";
import { PERIOD_KINDS, type PeriodKind, type PeriodRow, listPeriods } from "~/models/reporting-period.server";
import { listPlanItems } from "~/models/plan-item.server";
import { ACTIVITY_TYPES, isoDateOk } from "~/schemas/activity";
import { MEKONG_COUNTRIES } from "~/utils/countries";
import { chinaDateOf } from "~/utils/china-time";
import type { DB } from "~/utils/db.server";
import { subtreeOf } from "~/utils/sql-dialect.server";

/** Units whose subtree can be chosen in the matrix filter. */
const SCOPE_UNIT_KINDS = ["province", "prefecture", "county"] as const;

// The China-time helpers live in ~/utils/china-time; re-exported for the pages and tests that import them here.
export { chinaDateOf, daysBetween, todayInChina } from "~/utils/china-time";

// ── the submission matrix ─────────────────────────────────────────────────────────────────────────

export interface UnitRates {
  /** periods whose due date has passed */
  dueCount: number;
  submittedCount: number;
  onTimeCount: number;
  overdueCount: number;
  /** null when no period is due yet */
  completeness: number | null;
  timeliness: number | null;
  late: boolean;
}

export function unitRates(cells: readonly CellState[]): UnitRates {
  const due = cells.filter((c) => c.duePassed);
  const submittedCount = due.filter((c) => c.status === "submitted" || c.status === "approved").length;
  const onTimeCount = due.filter((c) => c.onTime).length;
  const overdueCount = cells.filter((c) => c.overdue).length;
  return {
    dueCount: due.length,
    submittedCount,
    onTimeCount,
    overdueCount,
    completeness: due.length ? submittedCount / due.length : null,
    timeliness: due.length ? onTimeCount / due.length : null,
    late: overdueCount > 0,
  };
}

/** The units of the given kinds, optionally only those at or below `underPath`, in tree order. */
async function listUnitsInTreeOrder(db: DB, kinds: readonly string[], underPath?: string) {
  let q = db
    .selectFrom("organizations")
    .select(["id", "parent_id", "path", "kind", "code", "name_zh", "name_en"])
    .where("kind", "in", [...kinds]);
  if (underPath) q = q.where("path", "like", `${underPath}%`);
  const rows = await q.orderBy("sort_order").execute();
  return rows.length ? inTreeOrder(rows) : [];
}

export async function buildSubmissionMatrix(
  db: DB,
  options: { today: string; kind: PeriodKind; year?: number; unitPath?: string },
) {
  const { today } = options;
  const periods = (await listPeriods(db, options.kind)).filter(
    (p) => p.start_date <= today && (options.year === undefined || p.year === options.year),
  );
  const units = await listUnitsInTreeOrder(db, REPORTING_UNIT_KINDS, options.unitPath);
  const reports =
    periods.length && units.length
      ? await db
          .selectFrom("period_reports")
          .select(["organization_id", "period_id", "status", "first_submitted_at", "submitted_at"])
          .where("period_id", "in", periods.map((p) => p.id))
          .where("organization_id", "in", units.map((u) => u.id))
          .execute()
      : [];
  const byKey = new Map(reports.map((r) => [`${r.organization_id}:${r.period_id}`, r]));
  const rows = units.map((unit) => {
    const cells = periods.map((period) => ({
      periodId: period.id,
      periodCode: period.code,
      dueDate: period.due_date,
      ...classifyReport(byKey.get(`${unit.id}:${period.id}`), period, today),
    }));
    return {
      unit: { id: unit.id, code: unit.code, kind: unit.kind, name_zh: unit.name_zh, name_en: unit.name_en, depth: unit.depth },
      cells,
      ...unitRates(cells),
    };
  });
  const totals = unitRates(rows.flatMap((r) => r.cells));
  return {
    today,
    periods: periods.map((p) => ({ id: p.id, code: p.code, kind: p.kind, year: p.year, seq: p.seq, due_date: p.due_date, closed: p.closed_at !== null })),
    rows,
    totals: { ...totals, unitCount: rows.length, lateUnitCount: rows.filter((r) => r.late).length },
  };
}

export type SubmissionMatrix = Awaited<ReturnType<typeof buildSubmissionMatrix>>;

// ── URL parameters ────────────────────────────────────────────────────────────────────────────────

/** Reads the named parameters: empty means "not set"; a value that does not parse is named in `invalid`. */
function parseParams<S extends z.ZodRawShape>(shape: S, params: URLSearchParams) {
  const out: Partial<{ [K in keyof S]: z.infer<S[K]> }> = {};
  const invalid: string[] = [];
  for (const key of Object.keys(shape) as (keyof S & string)[]) {
    const value = params.get(key)?.trim();
    if (!value) continue;
    const parsed = shape[key]!.safeParse(value);
    if (parsed.success) out[key] = parsed.data;
    else invalid.push(key);
  }
  return { params: out, invalid };
}

const periodKind = z.string().refine((v): v is PeriodKind => (PERIOD_KINDS as readonly string[]).includes(v));

const matrixShape = {
  kind: periodKind,
  year: z.coerce.number().int().min(1950).max(2100),
  unit: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
};

/** The /monitoring page: the URL's filters resolved, the matrix, and the choices for the filters. */
export async function loadSubmissionMatrixPage(db: DB, searchParams: URLSearchParams, today: string) {
  const { params, invalid } = parseParams(matrixShape, searchParams);
  const reject = (key: keyof typeof matrixShape) => {
    invalid.push(key);
    delete params[key];
  };
  const allPeriods = await listPeriods(db);
  const kinds = PERIOD_KINDS.filter((k) => allPeriods.some((p) => p.kind === k));
  if (params.kind && !kinds.includes(params.kind)) reject("kind");
  const kind: PeriodKind = params.kind ?? (kinds.includes("half") ? "half" : kinds[0] ?? "half");
  const years = [...new Set(allPeriods.filter((p) => p.kind === kind && p.start_date <= today).map((p) => p.year))];
  if (params.year !== undefined && !years.includes(params.year)) reject("year");
  const scopeUnits = await listUnitsInTreeOrder(db, SCOPE_UNIT_KINDS);
  const unit = params.unit !== undefined ? scopeUnits.find((u) => u.id === params.unit) : undefined;
  if (params.unit !== undefined && !unit) reject("unit");
  const built = await buildSubmissionMatrix(db, { today, kind, year: params.year, unitPath: unit?.path });
  // newest period first: the current periods (the ones a reviewer acts on) open on screen, beside the unit; the
  // rates do not depend on the order
  const matrix = {
    ...built,
    periods: [...built.periods].reverse(),
    rows: built.rows.map((row) => ({ ...row, cells: [...row.cells].reverse() })),
  };
  return {
    params: { kind, year: params.year ?? null, unit: unit?.id ?? null },
    invalid,
    status: invalid.length ? 400 : 200,
    matrix,
    choices: {
      kinds,
      years,
      units: scopeUnits.map((u) => ({ id: u.id, name_zh: u.name_zh, name_en: u.name_en, depth: u.depth })),
    },
  };
}

// ── the coverage map ──────────────────────────────────────────────────────────────────────────────

const isoDate = z.string().refine(isoDateOk);

const coverageShape = {
  from: isoDate,
  to: isoDate,
  kind: periodKind,
  period: z.string().regex(/^\d{4}(-[QH]\d)?$/),
  type: z.enum(ACTIVITY_TYPES),
};

export interface CoverageFilter {
  from?: string;
  to?: string;
  type?: string;
}

/** Live activities × loggable plan items (each counting the activities linked to it or to an item below it). */
function liveActivitiesByItem(db: DB, filter: CoverageFilter) {
  let q = db
    .selectFrom("plan_items as node")
    .innerJoin("plan_items as linked", (join) =>
      join.on((eb) => eb("linked.path", "like", subtreeOf("node.path"))),
    )
    .innerJoin("activity_plan_items as api", "api.plan_item_id", "linked.id")
    .innerJoin("activities as a", "a.id", "api.activity_id")
    .where("node.loggable", "=", 1)
    .where("a.deleted_at", "is", null)
    .where("a.status", "in", [...COUNTED_STATUSES]);
  // the same overlap rule as the activity list's date filter, so a cell's link lists what the cell counts
  if (filter.from) q = q.where("a.end_date", ">=", filter.from);
  if (filter.to) q = q.where("a.start_date", "<=", filter.to);
  if (filter.type) q = q.where("a.type", "=", filter.type);
  return q;
}

/**
 * The counts of the coverage map, aggregated in SQL: per loggable item, distinct live activities in total, per
 * prefecture-level unit (the unit and every unit below it), per Mekong country, and with any other country.
 */
export async function buildCoverage(db: DB, filter: CoverageFilter) {
  const base = liveActivitiesByItem(db, filter);
  const [totals, byUnit, byCountry, other, otherByCountry] = await Promise.all([
    base
      .select(["node.id as item_id", (eb) => eb.fn.count<number>("a.id").distinct().as("n")])
      .groupBy("node.id")
      .execute(),
    base
      .innerJoin("organizations as o", "o.id", "a.organization_id")
      .innerJoin("organizations as pref", (join) =>
        join.on((eb) => eb("o.path", "like", subtreeOf("pref.path"))),
      )
      .where("pref.kind", "=", "prefecture")
      .select(["node.id as item_id", "pref.id as unit_id", (eb) => eb.fn.count<number>("a.id").distinct().as("n")])
      .groupBy(["node.id", "pref.id"])
      .execute(),
    base
      .innerJoin("activity_countries as ac", "ac.activity_id", "a.id")
      .where("ac.country_code", "in", [...MEKONG_COUNTRIES])
      .select(["node.id as item_id", "ac.country_code", (eb) => eb.fn.count<number>("a.id").distinct().as("n")])
      .groupBy(["node.id", "ac.country_code"])
      .execute(),
    base
      .innerJoin("activity_countries as ac", "ac.activity_id", "a.id")
      .where("ac.country_code", "not in", [...MEKONG_COUNTRIES])
      .select(["node.id as item_id", (eb) => eb.fn.count<number>("a.id").distinct().as("n")])
      .groupBy("node.id")
      .execute(),
    base
      .innerJoin("activity_countries as ac", "ac.activity_id", "a.id")
      .where("ac.country_code", "not in", [...MEKONG_COUNTRIES])
      .select(["node.id as item_id", "ac.country_code", (eb) => eb.fn.count<number>("a.id").distinct().as("n")])
      .groupBy(["node.id", "ac.country_code"])
      .orderBy("ac.country_code")
      .execute(),
  ]);
  const nested = (rows: { item_id: number; key: string | number; n: number | string | bigint }[]) => {
    const out: Record<string, Record<string, number>> = {};
    for (const r of rows) (out[String(r.item_id)] ??= {})[String(r.key)] = Number(r.n);
    return out;
  };
  const byCountryAll = nested([
    ...byCountry.map((r) => ({ item_id: r.item_id, key: r.country_code, n: r.n })),
    ...other.map((r) => ({ item_id: r.item_id, key: "other", n: r.n })),
  ]);
  return {
    totals: Object.fromEntries(totals.map((r) => [String(r.item_id), Number(r.n)])) as Record<string, number>,
    byUnit: nested(byUnit.map((r) => ({ item_id: r.item_id, key: r.unit_id, n: r.n }))),
    byCountry: byCountryAll,
    otherCountries: nested(otherByCountry.map((r) => ({ item_id: r.item_id, key: r.country_code, n: r.n }))),
  };
}

/** The /monitoring/coverage page: filters resolved, the plan rows with their group headings, the columns, the counts. */
export async function loadCoveragePage(db: DB, searchParams: URLSearchParams) {
  const { params, invalid } = parseParams(coverageShape, searchParams);
  const reject = (key: keyof typeof coverageShape) => {
    invalid.push(key);
    delete params[key];
  };
  const [allPeriods, planItems, prefectures] = await Promise.all([
    listPeriods(db),
    listPlanItems(db),
    listUnitsInTreeOrder(db, ["prefecture"]),
  ]);
  const kinds = PERIOD_KINDS.filter((k) => allPeriods.some((p) => p.kind === k));
  let period: PeriodRow | undefined;
  if (params.period) {
    period = allPeriods.find((p) => p.code === params.period);
    if (!period) reject("period");
  }
  if (params.kind && !kinds.includes(params.kind)) reject("kind");
  const kind: PeriodKind = period?.kind ?? params.kind ?? (kinds.includes("half") ? "half" : kinds[0] ?? "half");
  // a chosen period sets the date range; otherwise the from/to typed in
  const from = period ? period.start_date : params.from;
  let to = period ? period.end_date : params.to;
  if (!period && from && to && to < from) {
    reject("to");
    to = undefined;
  }
  const filter: CoverageFilter = { from, to, type: params.type };
  const counts = await buildCoverage(db, filter);

  // the loggable items, each under the headings (pillar, section, grouping item) it sits in
  const byId = new Map(planItems.map((p) => [p.id, p]));
  const shown = new Set<number>();
  for (const item of planItems) {
    if (!item.loggable) continue;
    for (let node: typeof item | undefined = item; node; node = node.parent_id ? byId.get(node.parent_id) : undefined) shown.add(node.id);
  }
  const rows = planItems
    .filter((p) => shown.has(p.id))
    .map((p) => ({ id: p.id, code: p.code, kind: p.kind, depth: p.depth, title_zh: p.title_zh, title_en: p.title_en, loggable: p.loggable === 1 }));
  const loggable = rows.filter((r) => r.loggable);
  return {
    params: { from: from ?? null, to: to ?? null, kind, period: period?.code ?? null, type: params.type ?? null },
    invalid,
    status: invalid.length ? 400 : 200,
    rows,
    units: prefectures.map((u) => ({ id: u.id, name_zh: u.name_zh, name_en: u.name_en })),
    countries: [...MEKONG_COUNTRIES],
    counts,
    summary: {
      items: loggable.length,
      itemsWithoutActivity: loggable.filter((r) => !counts.totals[String(r.id)]).length,
    },
    choices: {
      kinds,
      periods: allPeriods.filter((p) => p.kind === kind).map((p) => ({ code: p.code, kind: p.kind, year: p.year, seq: p.seq })),
      types: [...ACTIVITY_TYPES],
    },
  };
}

export type CoveragePage = Awaited<ReturnType<typeof loadCoveragePage>>;

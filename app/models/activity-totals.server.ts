// The ledger's running totals (docs/decisions/019-totals-kept-with-the-ledger.md): how many live activities, people,
// delegations and funding there are per unit, month of the start date, status, counterpart country and plan group,
// kept in the same transaction as every write of an activity, so the pages add up a few thousand rows instead of
// scanning a million activities. Every activity write of the model goes through keepTotals (or addTotalsOf for new
// rows); rebuildTotals (npm run db:rebuild-totals) recomputes them from the ledger and verifyTotals checks them
// against a count in SQL.
//
// A key: organization_id (a unit: the activities led by it or by a unit below it; 0 = every unit), country ('' = any),
// grp ('' = any; 'n:<id>' = linked to the plan node or an item below it; 'a:<id>' = to a priority area's items or
// below them; '*' = to any priority area; with a country, 'c:<code>' = naming that other country too), status, month
// ("2024-03"). An activity counts once per group and per country, however many of the group's items it is linked to
// (the counting rule: an activity is never counted twice). Unit 0 holds every group and country together, and each
// country's other countries; a unit's own rows hold the groups of the plan's top two levels (sections and pillars)
// and the priority areas. The units of the tree's top two levels (crossKept: a province, a prefecture) hold them per
// country too, and each country's other countries; a unit further down (a county) holds either a group or a country,
// never both — its pages count its few activities for both. A unit's rows hold its whole subtree (an activity counts
// in the rows of its lead unit and of every unit above it), so a page of a unit reads that unit's rows only, however
// many units are below it. Planned activities are also kept by the month of their end date, as status
// PLANNED_BY_END, for unit 0 and no country (what "planned past its date" counts per plan node) and in every unit's
// rows with no group (a unit's planned activities past their date).
//
// Stored in the order a save writes them (migration 2026-12-11T1620): keyed (unit, status, month, country, group),
// clustered on it on SQLite, so one save's ~45 keys sit in a few pages; the readers go through a second index
// (unit, group, status, country, month), which a save writes only for a key that is new.
//
// Beside it, activity_type_totals: the same four figures per lead unit (0 = every unit), activity type, status and
// month, with no group or country — what the indicators count (types × statuses over a unit's subtree), small
// enough (a few thousand rows for every unit) that a page adds up every indicator for every period from it.
import { CompiledQuery, type Transaction, sql } from "kysely";
import type { ActivityTotalsTable, ActivityTypeTotalsTable, Database } from "../../db/schema";
import { type DB, reusedStatement } from "~/utils/db.server";

export const ALL_UNITS = 0;
/** The deepest plan node (0 = section, 1 = pillar) whose group is kept per unit. */
export const UNIT_GROUP_DEPTH = 1;

export const nodeGroup = (planItemId: number) => `n:${planItemId}`;
export const areaGroup = (priorityAreaId: number) => `a:${priorityAreaId}`;
export const ANY_AREA = "*";
/** The group of a country's activities that also name another country: with country LA, 'c:TH' = LA and TH. */
export const coCountryGroup = (country: string) => `c:${country}`;
const CO_COUNTRY_FROM = "c:";
const CO_COUNTRY_TO = "c;"; // the character after ':' — every 'c:…' sorts between the two

/**
 * Whether the rows of the unit at this path hold a country and a group together (and the other countries of a
 * country): the top two levels of the units' tree (provinces, prefectures and their peers), whose subtrees are
 * large. A unit deeper down (a county) is small enough that its pages count its activities for such a question;
 * keeping them for every county would multiply the table by its number of counties.
 */
export const CROSS_UNIT_LEVELS = 2;
export function crossKept(organizationPath: string): boolean {
  return organizationPath.split("/").filter(Boolean).length <= CROSS_UNIT_LEVELS;
}
/**
 * The status of the rows that hold planned activities by the month of their end date: unit 0 per group, and every
 * unit with no group; any country.
 */
export const PLANNED_BY_END = "planned-by-end";

/** What the totals count of one activity. */
export interface ActivityFact {
  organizationId: number;
  type: string;
  month: string;
  endMonth: string;
  status: string;
  live: boolean;
  people: number;
  delegations: number;
  fundingFen: number;
  itemIds: number[];
  countries: string[];
}

interface PlanIndex {
  /** for each plan item, the nodes it counts in (itself and its ancestors) with their depth */
  nodesOf: Map<number, { id: number; depth: number }[]>;
  /** for each plan item, the priority areas it counts in */
  areasOf: Map<number, number[]>;
  /** for each unit, the units whose rows it counts in: itself and every unit above it */
  unitsOf: Map<number, number[]>;
  /** for each unit, those of unitsOf whose rows also hold a country and a group together (crossKept) */
  crossUnitsOf: Map<number, number[]>;
}

async function readPlanIndex(db: DB): Promise<PlanIndex> {
  const [items, areaItems, units] = await Promise.all([
    db.selectFrom("plan_items").select(["id", "path", "depth"]).execute(),
    db
      .selectFrom("plan_item_priority_areas as pa")
      .innerJoin("plan_items as pi", "pi.id", "pa.plan_item_id")
      .select(["pa.priority_area_id as areaId", "pi.path"])
      .execute(),
    db.selectFrom("organizations").select(["id", "path"]).execute(),
  ]);
  const unitsOf = new Map(units.map((u) => [u.id, units.filter((above) => u.path.startsWith(above.path)).map((above) => above.id)]));
  const crossUnitsOf = new Map(
    units.map((u) => [u.id, units.filter((above) => u.path.startsWith(above.path) && crossKept(above.path)).map((above) => above.id)]),
  );
  const nodesOf = new Map<number, { id: number; depth: number }[]>();
  const areasOf = new Map<number, number[]>();
  for (const item of items) {
    nodesOf.set(item.id, items.filter((node) => item.path.startsWith(node.path)).map((node) => ({ id: node.id, depth: node.depth })));
    areasOf.set(item.id, [...new Set(areaItems.filter((a) => item.path.startsWith(a.path)).map((a) => a.areaId))]);
  }
  return { nodesOf, areasOf, unitsOf, crossUnitsOf };
}

/**
 * The plan index of each database (keyed by its Kysely adapter, which a database shares with its transactions)
 * with the plan_shape_version it was read at. Triggers change that version on every write of plan items, their
 * priority areas or units (migration 2026-12-11T1500), so one tiny read per save says whether the index still
 * holds, in every instance, whoever changed the plan: this is the one rule of when it is read again.
 */
const planIndexCache = new WeakMap<object, { version: string; index: PlanIndex }>();

const versionQueries = new WeakMap<object, CompiledQuery>();

async function planIndex(db: DB): Promise<PlanIndex> {
  const key = db.getExecutor().adapter;
  // the same tiny statement at every save: built once per database, its prepared statement kept on SQLite
  let versionQuery = versionQueries.get(key);
  if (versionQuery === undefined) {
    const compiled = db.selectFrom("plan_shape_version").select("version").where("id", "=", 1).compile();
    versionQuery = CompiledQuery.raw(reusedStatement(compiled.sql), [...compiled.parameters]);
    versionQueries.set(key, versionQuery);
  }
  const row = (await db.executeQuery<{ version: number | string }>(versionQuery)).rows[0];
  const version = row ? String(row.version) : undefined;
  const cached = planIndexCache.get(key);
  if (version !== undefined && cached?.version === version) return cached.index;
  const index = await readPlanIndex(db);
  if (version !== undefined) planIndexCache.set(key, { version, index });
  return index;
}

/**
 * What the totals count of a live activity written from these values (an ActivityInput): what a save writes, so the
 * save need not read it back. The links are those the writes make: the primary item and the others, countries once.
 */
export function factOfInput(input: {
  organizationId: number;
  type: string;
  startDate: string;
  endDate: string;
  status: string;
  participantsCount: number | null;
  delegationsCount: number | null;
  fundingCnyFen: number | null;
  primaryPlanItemId: number;
  otherPlanItemIds: readonly number[];
  countries: readonly string[];
}): ActivityFact {
  return {
    organizationId: input.organizationId,
    type: input.type,
    month: input.startDate.slice(0, 7),
    endMonth: input.endDate.slice(0, 7),
    status: input.status,
    live: true,
    people: Number(input.participantsCount ?? 0),
    delegations: Number(input.delegationsCount ?? 0),
    fundingFen: Number(input.fundingCnyFen ?? 0),
    itemIds: [...new Set([input.primaryPlanItemId, ...input.otherPlanItemIds])],
    countries: [...new Set(input.countries)],
  };
}

/** What the totals count of an activity as read with its links (getActivity): no need to read it again. */
export function factOfActivity(a: {
  organization_id: number;
  type: string;
  start_date: string;
  end_date: string;
  status: string;
  deleted_at: string | null;
  participants_count: number | null;
  delegations_count: number | null;
  funding_cny_fen: number | null;
  planItems: readonly { id: number }[];
  countries: readonly string[];
}): ActivityFact {
  return {
    organizationId: a.organization_id,
    type: a.type,
    month: a.start_date.slice(0, 7),
    endMonth: a.end_date.slice(0, 7),
    status: a.status,
    live: a.deleted_at === null,
    people: Number(a.participants_count ?? 0),
    delegations: Number(a.delegations_count ?? 0),
    fundingFen: Number(a.funding_cny_fen ?? 0),
    itemIds: a.planItems.map((p) => p.id),
    countries: [...a.countries],
  };
}

const READ_BATCH = 1000;

async function readFacts(db: DB, ids: number[]): Promise<Map<number, ActivityFact>> {
  const facts = new Map<number, ActivityFact>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += READ_BATCH) {
    const batch = unique.slice(i, i + READ_BATCH);
    const [rows, links, countries] = await Promise.all([
      db
        .selectFrom("activities")
        .select(["id", "organization_id", "type", "start_date", "end_date", "status", "deleted_at", "participants_count", "delegations_count", "funding_cny_fen"])
        .where("id", "in", batch)
        .execute(),
      db.selectFrom("activity_plan_items").select(["activity_id", "plan_item_id"]).where("activity_id", "in", batch).execute(),
      db.selectFrom("activity_countries").select(["activity_id", "country_code"]).where("activity_id", "in", batch).execute(),
    ]);
    // the links are added below
    for (const r of rows) facts.set(r.id, factOfActivity({ ...r, planItems: [], countries: [] }));
    for (const l of links) facts.get(l.activity_id)?.itemIds.push(l.plan_item_id);
    for (const c of countries) facts.get(c.activity_id)?.countries.push(c.country_code);
  }
  return facts;
}

type Delta = Map<string, [number, number, number, number]>;

/** What a write moves: the keys of activity_totals, and those of activity_type_totals. */
interface Deltas {
  totals: Delta;
  types: Delta;
}

const newDeltas = (): Deltas => ({ totals: new Map(), types: new Map() });

/** What one activity, or several that count alike, add to a key: activities, people, delegations, funding. */
type Weight = readonly [number, number, number, number];

function addTo(delta: Delta, key: string, w: Weight): void {
  const v = delta.get(key);
  if (v === undefined) {
    delta.set(key, [w[0], w[1], w[2], w[3]]);
    return;
  }
  v[0] += w[0];
  v[1] += w[1];
  v[2] += w[2];
  v[3] += w[3];
}

/** Adds (sign 1) or takes away (sign -1) one activity's share of every key it counts in. */
function addFact(deltas: Deltas, fact: ActivityFact, plan: PlanIndex, sign: 1 | -1): void {
  if (!fact.live) return;
  addWeighted(deltas, fact, plan, [sign, sign * fact.people, sign * fact.delegations, sign * fact.fundingFen]);
}

/**
 * Adds many activities' shares: those that count in the same keys (same unit, type, status, months, plan items and
 * countries — everything of a fact but its sums) are added up first and their keys walked once with the sum, by the
 * one rule (addWeighted). An import's rows share their keys often (a unit's month, type, items and countries).
 */
function addFacts(deltas: Deltas, facts: Iterable<ActivityFact>, plan: PlanIndex, sign: 1 | -1): void {
  const alike = new Map<string, { fact: ActivityFact; w: [number, number, number, number] }>();
  for (const fact of facts) {
    if (!fact.live) continue;
    const keyOf = `${fact.organizationId}\t${fact.type}\t${fact.status}\t${fact.month}\t${fact.endMonth}\t${[...new Set(fact.itemIds)].sort((a, b) => a - b).join(",")}\t${[...new Set(fact.countries)].sort().join(",")}`;
    const group = alike.get(keyOf);
    if (group === undefined) alike.set(keyOf, { fact, w: [sign, sign * fact.people, sign * fact.delegations, sign * fact.fundingFen] });
    else {
      group.w[0] += sign;
      group.w[1] += sign * fact.people;
      group.w[2] += sign * fact.delegations;
      group.w[3] += sign * fact.fundingFen;
    }
  }
  for (const { fact, w } of alike.values()) addWeighted(deltas, fact, plan, w);
}

/** The rule: every key an activity counts in, each moved by `w`. */
function addWeighted(deltas: Deltas, fact: ActivityFact, plan: PlanIndex, w: Weight): void {
  const units = plan.unitsOf.get(fact.organizationId) ?? [fact.organizationId];
  for (const org of [ALL_UNITS, ...units]) addTo(deltas.types, `${org}\t${fact.type}\t${fact.status}\t${fact.month}`, w);
  const delta = deltas.totals;
  // the groups it counts in, each once, and whether a unit's own rows keep that group
  const groups = new Map<string, boolean>([["", true]]);
  for (const itemId of fact.itemIds) {
    for (const node of plan.nodesOf.get(itemId) ?? []) groups.set(nodeGroup(node.id), node.depth <= UNIT_GROUP_DEPTH);
    const areas = plan.areasOf.get(itemId) ?? [];
    for (const area of areas) groups.set(areaGroup(area), true);
    if (areas.length) groups.set(ANY_AREA, true);
  }
  const cross = plan.crossUnitsOf.get(fact.organizationId) ?? [];
  const named = [...new Set(fact.countries)];
  const countries = ["", ...named];
  const tail = `\t${fact.status}\t${fact.month}`;
  const add = (org: number, country: string, grp: string) => addTo(delta, `${org}\t${country}\t${grp}${tail}`, w);
  for (const [grp, perUnit] of groups) {
    for (const country of countries) {
      add(ALL_UNITS, country, grp);
      if (!perUnit) continue;
      // a unit's rows hold a group or a country; those of the top levels (crossKept) both together
      for (const unit of grp === "" || country === "" ? units : cross) add(unit, country, grp);
    }
    if (fact.status === "planned") addTo(delta, `${ALL_UNITS}\t\t${grp}\t${PLANNED_BY_END}\t${fact.endMonth}`, w);
  }
  // a planned one by its end month also in its units' rows (any group, any country): a unit's planned activities
  // past their date, on its home page
  if (fact.status === "planned") for (const unit of units) addTo(delta, `${unit}\t\t\t${PLANNED_BY_END}\t${fact.endMonth}`, w);
  // with each country, the other countries it names (a dashboard within one country shows them)
  for (const country of named) {
    for (const other of named) {
      if (other === country) continue;
      for (const unit of [ALL_UNITS, ...cross]) add(unit, country, coCountryGroup(other));
    }
  }
}

const UPSERT_BATCH = 400;

const SUM_COLUMNS = ["activities", "people", "delegations", "funding_fen"] as const;
const KEY_COLUMNS = {
  activity_totals: ["organization_id", "country", "grp", "status", "month"],
  activity_type_totals: ["organization_id", "type", "status", "month"],
} as const;
type TotalsTableName = keyof typeof KEY_COLUMNS;

/** The upsert of `rows` rows into a totals table, built by the query builder (the same SQL on SQLite and PostgreSQL). */
function upsertQuery(trx: Transaction<Database>, table: TotalsTableName, rows: Record<string, number | string>[]) {
  return trx
    .insertInto(table)
    .values(rows as never)
    .onConflict((oc) =>
      oc.columns([...KEY_COLUMNS[table]] as never).doUpdateSet((eb) =>
        Object.fromEntries(SUM_COLUMNS.map((c) => [c, eb(sql.ref(`${table}.${c}`), "+", sql.ref(`excluded.${c}`))])) as never,
      ),
    );
}

/**
 * The SQL of an upsert of n rows, per database (its Kysely adapter) and table: the builder's own output, compiled
 * once per size. Compiling a many-row upsert costs more than running it (0.5 ms for 66 rows, a form save's keys),
 * and a save runs two; the text depends only on the number of rows, the values go in as parameters, row by row in
 * the columns' order (what the builder binds for rows whose keys come in one order). On SQLite its prepared
 * statement is kept too (reusedStatement): parsing it cost about as much as running it.
 */
const upsertSql = new WeakMap<object, Map<string, string>>();

async function upsertTotals(trx: Transaction<Database>, table: TotalsTableName, delta: Delta): Promise<void> {
  const columns = [...KEY_COLUMNS[table], ...SUM_COLUMNS];
  const adapter = trx.getExecutor().adapter;
  const texts = upsertSql.get(adapter) ?? new Map<string, string>();
  upsertSql.set(adapter, texts);
  const run = async (rows: number, parameters: (number | string)[]) => {
    const key = `${table}:${rows}`;
    let text = texts.get(key);
    if (text === undefined) {
      const placeholders = Array.from({ length: rows }, () => Object.fromEntries(columns.map((c) => [c, 0])));
      text = reusedStatement(upsertQuery(trx, table, placeholders).compile().sql);
      texts.set(key, text);
    }
    await trx.executeQuery(CompiledQuery.raw(text, parameters));
  };
  // the parameters row by row in the columns' order: a key's parts (its tab-separated string, in KEY_COLUMNS'
  // order, the unit a number), then its four sums; keys that moved nothing are left out
  let parameters: (number | string)[] = [];
  let rows = 0;
  for (const [key, v] of delta) {
    if (v[0] === 0 && v[1] === 0 && v[2] === 0 && v[3] === 0) continue;
    const parts = key.split("\t");
    parameters.push(Number(parts[0]));
    for (let i = 1; i < parts.length; i++) parameters.push(parts[i]!);
    parameters.push(v[0], v[1], v[2], v[3]);
    if (++rows === UPSERT_BATCH) {
      await run(rows, parameters);
      parameters = [];
      rows = 0;
    }
  }
  if (rows > 0) await run(rows, parameters);
}

async function applyDelta(trx: Transaction<Database>, deltas: Deltas): Promise<void> {
  await upsertTotals(trx, "activity_totals", deltas.totals);
  await upsertTotals(trx, "activity_type_totals", deltas.types);
}

/**
 * The benchmark's switch (bench/import.bench.ts): the same writes with the totals left alone, to price keeping
 * them. The app never turns it off; a database written with it off needs `npm run db:rebuild-totals`.
 */
export const totalsKeeping = { enabled: true };

/**
 * Whether two facts count the same in every total: every field of a fact is what addFact counts, so equal fields
 * (the links as sets) give the same keys and sums.
 */
function sameCount(a: ActivityFact, b: ActivityFact | undefined): boolean {
  if (b === undefined) return false;
  const set = (xs: readonly (number | string)[]) => [...new Set(xs)].sort().join(",");
  return (Object.keys(a) as (keyof ActivityFact)[]).every((k) => {
    const x = a[k];
    const y = b[k];
    return Array.isArray(x) && Array.isArray(y) ? set(x) === set(y) : x === y;
  });
}

/**
 * Runs a write of the given activities and moves the totals by what it changed: their share before the write is
 * taken away, their share after it added, in the write's transaction. Every write of existing activities goes
 * through here (form save, merge, delete, restore, a change of status).
 */
export async function keepTotals<T>(
  trx: Transaction<Database>,
  activityIds: number[],
  write: () => Promise<T>,
  known: {
    /** the activities as they are before the write, when the caller has just read them (factOfActivity) */
    before?: Map<number, ActivityFact>;
    /**
     * what the write left, when it knows without reading it back: the facts of the activities it wrote
     * (factOfInput), or "unchanged" when it wrote none of them; left out, they are read again
     */
    written?: (result: T) => Map<number, ActivityFact> | "unchanged";
  } = {},
): Promise<T> {
  if (!totalsKeeping.enabled) return write();
  const before = known.before ?? (await readFacts(trx, activityIds));
  const result = await write();
  const written = known.written?.(result);
  if (written === "unchanged") return result;
  const after = written ?? (await readFacts(trx, activityIds));
  // an edit of what the totals do not count (a title, a place, evidence) moves no total: nothing to write
  if (after.size === before.size && [...after].every(([id, fact]) => sameCount(fact, before.get(id)))) return result;
  const plan = await planIndex(trx);
  const delta = newDeltas();
  for (const fact of before.values()) addFact(delta, fact, plan, -1);
  for (const fact of after.values()) addFact(delta, fact, plan, 1);
  await applyDelta(trx, delta);
  return result;
}

/**
 * Adds activities just inserted (with their links) to the totals, in the insert's transaction, from what was
 * written (factOfInput of each): the new rows are not read back.
 */
export async function addTotalsOf(trx: Transaction<Database>, facts: readonly ActivityFact[]): Promise<void> {
  if (!totalsKeeping.enabled) return;
  const plan = await planIndex(trx);
  const delta = newDeltas();
  addFacts(delta, facts, plan, 1);
  await applyDelta(trx, delta);
}

/**
 * What making staged activities live (an import's last step, activity-batch.server.ts) will add to the totals,
 * taken while they are staged — from what was just written (factOfInput of each), or read by id — so the last step
 * only applies it: `sign` -1 takes back the share of staged rows dropped before going live. Accumulates into `delta`.
 */
export async function stagedTotalsDelta(
  db: DB,
  staged: { ids: number[] } | { written: readonly ActivityFact[] },
  sign: 1 | -1,
  delta: TotalsDelta,
): Promise<void> {
  const plan = await planIndex(db);
  if ("written" in staged) {
    addFacts(delta, staged.written.map((fact) => ({ ...fact, live: true })), plan, sign);
    return;
  }
  for (let i = 0; i < staged.ids.length; i += READ_BATCH) {
    addFacts(delta, [...(await readFacts(db, staged.ids.slice(i, i + READ_BATCH))).values()].map((fact) => ({ ...fact, live: true })), plan, sign);
  }
}

/** Applies a delta of stagedTotalsDelta, in the transaction that makes those activities live. */
export function addTotalsDelta(trx: Transaction<Database>, delta: TotalsDelta): Promise<void> {
  return applyDelta(trx, delta);
}

export type TotalsDelta = Deltas;

/** An empty delta, for stagedTotalsDelta to accumulate into. */
export const emptyTotalsDelta = newDeltas;

// ── rebuilt from the ledger ───────────────────────────────────────────────────────────────────────


/** Each lead unit with every unit whose rows its activities count in: itself and the units above it. */
const unitsAbove = sql`
    select lead.id as lead_id, u.id as unit_id,
           case when length(u.path) - length(replace(u.path, '/', '')) - 1 <= ${sql.lit(CROSS_UNIT_LEVELS)} then 1 else 0 end as cross_kept
      from organizations lead
      join organizations u on lead.path like concat(u.path, '%')`;
/** The totals as the ledger says they are, in SQL (the migration's fill): what verifyTotals compares with. */
function totalsSelect() {
  const groups = sql`
    select a.id as activity_id, '' as grp, 1 as per_unit from activities a where a.deleted_at is null
    union all
    select distinct api.activity_id, concat('n:', cast(node.id as text)), case when node.depth <= ${sql.lit(UNIT_GROUP_DEPTH)} then 1 else 0 end
      from activity_plan_items api
      join plan_items pi on pi.id = api.plan_item_id
      join plan_items node on pi.path like concat(node.path, '%')
    union all
    select distinct api.activity_id, concat('a:', cast(pa.priority_area_id as text)), 1
      from activity_plan_items api
      join plan_items pi on pi.id = api.plan_item_id
      join plan_items area_item on pi.path like concat(area_item.path, '%')
      join plan_item_priority_areas pa on pa.plan_item_id = area_item.id
    union all
    select distinct api.activity_id, '*', 1
      from activity_plan_items api
      join plan_items pi on pi.id = api.plan_item_id
      join plan_items area_item on pi.path like concat(area_item.path, '%')
      join plan_item_priority_areas pa on pa.plan_item_id = area_item.id`;
  const countries = sql`
    select a.id as activity_id, '' as country from activities a where a.deleted_at is null
    union all
    select ac.activity_id, ac.country_code from activity_countries ac`;
  const sums = sql`count(*) as activities, sum(coalesce(a.participants_count, 0)) as people,
    sum(coalesce(a.delegations_count, 0)) as delegations, sum(coalesce(a.funding_cny_fen, 0)) as funding_fen`;
  return sql<ActivityTotalsTable>`
    select ${sql.lit(ALL_UNITS)} as organization_id, c.country, g.grp, a.status, substr(a.start_date, 1, 7) as month, ${sums}
      from activities a
      join (${groups}) g on g.activity_id = a.id
      join (${countries}) c on c.activity_id = a.id
     where a.deleted_at is null
     group by c.country, g.grp, a.status, substr(a.start_date, 1, 7)
    union all
    select u.unit_id, c.country, g.grp, a.status, substr(a.start_date, 1, 7) as month, ${sums}
      from activities a
      join (${unitsAbove}) u on u.lead_id = a.organization_id
      join (${groups}) g on g.activity_id = a.id
      join (${countries}) c on c.activity_id = a.id
     where a.deleted_at is null and g.per_unit = 1 and (g.grp = '' or c.country = '' or u.cross_kept = 1)
     group by u.unit_id, c.country, g.grp, a.status, substr(a.start_date, 1, 7)
    union all
    select o.unit_id, c1.country_code, concat('c:', c2.country_code), a.status, substr(a.start_date, 1, 7) as month, ${sums}
      from activities a
      join (select id as lead_id, ${sql.lit(ALL_UNITS)} as unit_id from organizations
            union all
            select lead_id, unit_id from (${unitsAbove}) above where cross_kept = 1) o on o.lead_id = a.organization_id
      join activity_countries c1 on c1.activity_id = a.id
      join activity_countries c2 on c2.activity_id = a.id and c2.country_code <> c1.country_code
     where a.deleted_at is null
     group by o.unit_id, c1.country_code, c2.country_code, a.status, substr(a.start_date, 1, 7)
    union all
    select ${sql.lit(ALL_UNITS)}, '', g.grp, ${sql.lit(PLANNED_BY_END)}, substr(a.end_date, 1, 7) as month, ${sums}
      from activities a
      join (${groups}) g on g.activity_id = a.id
     where a.deleted_at is null and a.status = 'planned'
     group by g.grp, substr(a.end_date, 1, 7)
    union all
    select u.unit_id, '', '', ${sql.lit(PLANNED_BY_END)}, substr(a.end_date, 1, 7) as month, ${sums}
      from activities a
      join (${unitsAbove}) u on u.lead_id = a.organization_id
     where a.deleted_at is null and a.status = 'planned'
     group by u.unit_id, substr(a.end_date, 1, 7)`;
}


/**
 * Replaces every total by the ledger's count, in one transaction: the activities are read in id order, a batch at
 * a time, and counted with the same rule as the writes (addFact); verifyTotals checks the result against the SQL
 * count, a separate implementation of the rule.
 */
export async function rebuildTotals(db: DB): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("activity_totals").execute();
    await trx.deleteFrom("activity_type_totals").execute();
    const plan = await planIndex(trx);
    const delta = newDeltas();
    let lastId = 0;
    for (;;) {
      const ids = (
        await trx.selectFrom("activities").select("id").where("id", ">", lastId).where("deleted_at", "is", null).orderBy("id").limit(REBUILD_BATCH).execute()
      ).map((r) => r.id);
      if (ids.length === 0) break;
      addFacts(delta, (await readFacts(trx, ids)).values(), plan, 1);
      lastId = ids.at(-1)!;
    }
    await applyDelta(trx, delta);
  });
}

const REBUILD_BATCH = 5000;

export interface TotalsMismatch {
  key: string;
  kept: [number, number, number, number];
  counted: [number, number, number, number];
}

/** activity_type_totals as the ledger says they are, in SQL (the migration's fill). */
function typeTotalsSelect() {
  const sums = sql`count(*) as activities, sum(coalesce(a.participants_count, 0)) as people,
    sum(coalesce(a.delegations_count, 0)) as delegations, sum(coalesce(a.funding_cny_fen, 0)) as funding_fen`;
  return sql<ActivityTypeTotalsTable>`
    select ${sql.lit(ALL_UNITS)} as organization_id, a.type, a.status, substr(a.start_date, 1, 7) as month, ${sums}
      from activities a where a.deleted_at is null
     group by a.type, a.status, substr(a.start_date, 1, 7)
    union all
    select u.unit_id, a.type, a.status, substr(a.start_date, 1, 7) as month, ${sums}
      from activities a
      join (${unitsAbove}) u on u.lead_id = a.organization_id
     where a.deleted_at is null
     group by u.unit_id, a.type, a.status, substr(a.start_date, 1, 7)`;
}


/**
 * The keys whose kept totals differ from the ledger's count (rows at zero are the same as no row), in both tables:
 * a key of activity_type_totals starts with "type\t".
 */
export async function verifyTotals(db: DB): Promise<TotalsMismatch[]> {
  const [kept, counted, keptTypes, countedTypes] = await Promise.all([
    db.selectFrom("activity_totals").selectAll().execute(),
    totalsSelect().execute(db).then((r) => r.rows),
    db.selectFrom("activity_type_totals").selectAll().execute(),
    typeTotalsSelect().execute(db).then((r) => r.rows),
  ]);
  const asMap = (rows: (ActivityTotalsTable | ActivityTypeTotalsTable)[]) => {
    const map = new Map<string, [number, number, number, number]>();
    for (const r of rows) {
      const v: [number, number, number, number] = [Number(r.activities), Number(r.people), Number(r.delegations), Number(r.funding_fen)];
      if (v.every((x) => x === 0)) continue;
      map.set("type" in r ? `type\t${r.organization_id}\t${r.type}\t${r.status}\t${r.month}` : `${r.organization_id}\t${r.country}\t${r.grp}\t${r.status}\t${r.month}`, v);
    }
    return map;
  };
  const a = asMap([...kept, ...keptTypes]);
  const b = asMap([...counted, ...countedTypes]);
  const out: TotalsMismatch[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key) ?? [0, 0, 0, 0];
    const y = b.get(key) ?? [0, 0, 0, 0];
    if (x.some((v, i) => v !== y[i])) out.push({ key, kept: x, counted: y });
  }
  return out;
}

// ── months ────────────────────────────────────────────────────────────────────────────────────────

function nextMonth(ym: string): string {
  const [y, m] = ym.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

export function lastDayOf(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0")}`;
}

export function previousMonth(ym: string): string {
  const [y, m] = ym.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/**
 * A range of start dates as the whole months inside it (open at an open end; null when there are none) and the
 * part-months at its ends, which do not overlap them nor each other.
 */
export function splitByMonth(from: string | undefined, to: string | undefined) {
  const edges: { from: string; to: string }[] = [];
  let first = from?.slice(0, 7);
  let last = to?.slice(0, 7);
  if (from && !from.endsWith("-01")) {
    const end = to && to < lastDayOf(from.slice(0, 7)) ? to : lastDayOf(from.slice(0, 7));
    edges.push({ from, to: end });
    first = nextMonth(from.slice(0, 7));
  }
  if (to && to !== lastDayOf(to.slice(0, 7))) {
    const start = `${to.slice(0, 7)}-01`;
    // a range within one month is all edge, and counted once
    if (!(from && from.slice(0, 7) === to.slice(0, 7) && edges.length)) edges.push({ from: from && from > start ? from : start, to });
    last = previousMonth(to.slice(0, 7));
  }
  const months = first !== undefined && last !== undefined && first > last ? null : { from: first, to: last };
  return { months, edges };
}

// ── read ──────────────────────────────────────────────────────────────────────────────────────────

export interface TotalsQuery {
  /** the unit whose subtree is counted; left out: every unit */
  organizationId?: number;
  /** that unit's path: whether its rows hold a group and a country together (crossKept) */
  organizationPath?: string;
  /** '' or left out: any country */
  country?: string;
  /** the groups wanted; left out: [''] (any) */
  groups?: string[];
  statuses: readonly string[];
  /** first and last month ("2024-03") of the start date, inclusive */
  monthFrom?: string;
  monthTo?: string;
}

/**
 * Whether the kept totals answer a query: a unit's rows hold a group or a country, both together only for the units
 * of the tree's top levels (crossKept).
 */
export function totalsAnswer(q: Pick<TotalsQuery, "organizationId" | "organizationPath" | "country" | "groups">): boolean {
  if (q.organizationId === undefined) return true;
  const grouped = (q.groups ?? [""]).some((g) => g !== "");
  return !(grouped && q.country) || (q.organizationPath !== undefined && crossKept(q.organizationPath));
}

/**
 * Of the live activities of a query's country (which must be given), how many name each other country too, from the
 * kept totals: what a dashboard within one country shows by country. Null when the totals do not hold it (a unit
 * below the top levels).
 */
export async function sumCoCountries(db: DB, q: Omit<TotalsQuery, "groups">): Promise<Map<string, number> | null> {
  if (!q.country) throw new Error("sumCoCountries needs a country");
  if (!totalsAnswer({ ...q, groups: [CO_COUNTRY_FROM] })) return null;
  let query = db
    .selectFrom("activity_totals as t")
    .where("t.organization_id", "=", q.organizationId ?? ALL_UNITS)
    .where("t.country", "=", q.country)
    .where("t.grp", ">=", CO_COUNTRY_FROM)
    .where("t.grp", "<", CO_COUNTRY_TO)
    .where("t.status", "in", [...q.statuses]);
  if (q.monthFrom) query = query.where("t.month", ">=", q.monthFrom);
  if (q.monthTo) query = query.where("t.month", "<=", q.monthTo);
  const rows = await query.select((eb) => ["t.grp", eb.fn.sum<number>("t.activities").as("activities")]).groupBy("t.grp").execute();
  return new Map(rows.filter((r) => Number(r.activities) !== 0).map((r) => [r.grp.slice(CO_COUNTRY_FROM.length), Number(r.activities)]));
}

export interface KeptTotals {
  activities: number;
  people: number;
  delegations: number;
  fundingFen: number;
}

/** Sums the kept totals of a query, per the given columns (grp, country, month, status). */
export async function sumTotals<K extends "grp" | "country" | "month" | "status">(
  db: DB,
  q: TotalsQuery,
  by: K[],
): Promise<(KeptTotals & Record<K, string>)[]> {
  if (!totalsAnswer(q)) throw new Error("the kept totals do not hold a group and a country for one unit");
  const byCountry = (by as string[]).includes("country");
  let query = db
    .selectFrom("activity_totals as t")
    // grouped by country: the rows of each country; otherwise those of the one asked for ('' = any)
    .where("t.country", byCountry ? "<>" : "=", byCountry ? "" : q.country ?? "")
    .where("t.grp", "in", q.groups ?? [""])
    .where("t.status", "in", [...q.statuses]);
  query = query.where("t.organization_id", "=", q.organizationId ?? ALL_UNITS);
  if (q.monthFrom) query = query.where("t.month", ">=", q.monthFrom);
  if (q.monthTo) query = query.where("t.month", "<=", q.monthTo);
  const columns = by.map((c) => `t.${c}` as const);
  const rows = await query
    .select((eb) => [
      ...columns,
      eb.fn.sum<number>("t.activities").as("activities"),
      eb.fn.sum<number>("t.people").as("people"),
      eb.fn.sum<number>("t.delegations").as("delegations"),
      eb.fn.sum<number>("t.funding_fen").as("funding_fen"),
    ])
    .$if(columns.length > 0, (qb) => qb.groupBy(columns))
    .execute();
  return rows.map((r) => {
    const row = r as unknown as Record<string, unknown>;
    const out: Record<string, unknown> = {
      activities: Number(row.activities ?? 0),
      people: Number(row.people ?? 0),
      delegations: Number(row.delegations ?? 0),
      fundingFen: Number(row.funding_fen ?? 0),
    };
    for (const c of by) out[c] = String(row[c]);
    return out as KeptTotals & Record<K, string>;
  });
}

/**
 * Sums activity_type_totals per type, status and month: the live activities of a unit's subtree (left out: every
 * unit) whose start month is at most `monthTo`.
 */
export async function sumTypeTotals(db: DB, q: { organizationId?: number; statuses: readonly string[]; monthTo?: string }) {
  let query = db
    .selectFrom("activity_type_totals as t")
    .where("t.status", "in", [...q.statuses])
    .where("t.organization_id", "=", q.organizationId ?? ALL_UNITS);
  if (q.monthTo) query = query.where("t.month", "<=", q.monthTo);
  const rows = await query
    .select((eb) => [
      "t.type",
      "t.status",
      "t.month",
      eb.fn.sum<number>("t.activities").as("activities"),
      eb.fn.sum<number>("t.people").as("people"),
      eb.fn.sum<number>("t.delegations").as("delegations"),
      eb.fn.sum<number>("t.funding_fen").as("funding_fen"),
    ])
    .groupBy(["t.type", "t.status", "t.month"])
    .execute();
  return rows.map((r) => ({
    type: r.type,
    status: r.status,
    month: r.month,
    activities: Number(r.activities ?? 0),
    people: Number(r.people ?? 0),
    delegations: Number(r.delegations ?? 0),
    fundingFen: Number(r.funding_fen ?? 0),
  }));
}

/**
 * The unit whose rows hold the subtree at a path (the kept totals' organization_id); undefined when no unit has
 * that path (then the totals do not answer, and the caller counts the rows).
 */
export async function unitAtPath(db: DB, organizationPath: string): Promise<number | undefined> {
  return (await db.selectFrom("organizations").select("id").where("path", "=", organizationPath).executeTakeFirst())?.id;
}

// The ledger's running totals (docs/decisions/019-totals-kept-with-the-ledger.md): how many live activities, people,
// delegations and funding there are per unit, month of the start date, status, counterpart country and plan group,
// kept in the same transaction as every write of an activity, so the pages add up a few thousand rows instead of
// scanning a million activities. Every activity write of the model goes through keepTotals (or addTotalsOf for new
// rows); rebuildTotals (npm run db:rebuild-totals) recomputes them from the ledger and verifyTotals checks them
// against a count in SQL.
//
// A key: organization_id (the lead unit; 0 = every unit), country ('' = any), grp ('' = any; 'n:<id>' = linked to
// the plan node or an item below it; 'a:<id>' = to a priority area's items or below them; '*' = to any priority
// area), status, month ("2024-03"). An activity counts once per group and per country, however many of the group's
// items it is linked to (the counting rule: an activity is never counted twice). Unit 0 holds every group and
// country together; a unit's own rows hold either a group (of the plan's top two levels: sections and pillars) or
// a country, never both — the pages that need both for one unit count its rows instead.
import { type Transaction, sql } from "kysely";
import type { Database } from "../../db/schema";
import type { DB } from "~/utils/db.server";

export const ALL_UNITS = 0;
/** The deepest plan node (0 = section, 1 = pillar) whose group is kept per unit. */
export const UNIT_GROUP_DEPTH = 1;

export const nodeGroup = (planItemId: number) => `n:${planItemId}`;
export const areaGroup = (priorityAreaId: number) => `a:${priorityAreaId}`;
export const ANY_AREA = "*";

/** What the totals count of one activity. */
interface Fact {
  organizationId: number;
  month: string;
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
}

async function planIndex(db: DB): Promise<PlanIndex> {
  const [items, areaItems] = await Promise.all([
    db.selectFrom("plan_items").select(["id", "path", "depth"]).execute(),
    db
      .selectFrom("plan_item_priority_areas as pa")
      .innerJoin("plan_items as pi", "pi.id", "pa.plan_item_id")
      .select(["pa.priority_area_id as areaId", "pi.path"])
      .execute(),
  ]);
  const nodesOf = new Map<number, { id: number; depth: number }[]>();
  const areasOf = new Map<number, number[]>();
  for (const item of items) {
    nodesOf.set(item.id, items.filter((node) => item.path.startsWith(node.path)).map((node) => ({ id: node.id, depth: node.depth })));
    areasOf.set(item.id, [...new Set(areaItems.filter((a) => item.path.startsWith(a.path)).map((a) => a.areaId))]);
  }
  return { nodesOf, areasOf };
}

const READ_BATCH = 1000;

async function readFacts(db: DB, ids: number[]): Promise<Map<number, Fact>> {
  const facts = new Map<number, Fact>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += READ_BATCH) {
    const batch = unique.slice(i, i + READ_BATCH);
    const [rows, links, countries] = await Promise.all([
      db
        .selectFrom("activities")
        .select(["id", "organization_id", "start_date", "status", "deleted_at", "participants_count", "delegations_count", "funding_cny_fen"])
        .where("id", "in", batch)
        .execute(),
      db.selectFrom("activity_plan_items").select(["activity_id", "plan_item_id"]).where("activity_id", "in", batch).execute(),
      db.selectFrom("activity_countries").select(["activity_id", "country_code"]).where("activity_id", "in", batch).execute(),
    ]);
    for (const r of rows) {
      facts.set(r.id, {
        organizationId: r.organization_id,
        month: r.start_date.slice(0, 7),
        status: r.status,
        live: r.deleted_at === null,
        people: Number(r.participants_count ?? 0),
        delegations: Number(r.delegations_count ?? 0),
        fundingFen: Number(r.funding_cny_fen ?? 0),
        itemIds: [],
        countries: [],
      });
    }
    for (const l of links) facts.get(l.activity_id)?.itemIds.push(l.plan_item_id);
    for (const c of countries) facts.get(c.activity_id)?.countries.push(c.country_code);
  }
  return facts;
}

type Delta = Map<string, [number, number, number, number]>;

/** Adds (sign 1) or takes away (sign -1) one activity's share of every key it counts in. */
function addFact(delta: Delta, fact: Fact, plan: PlanIndex, sign: 1 | -1): void {
  if (!fact.live) return;
  // the groups it counts in, each once, and whether a unit's own rows keep that group
  const groups = new Map<string, boolean>([["", true]]);
  for (const itemId of fact.itemIds) {
    for (const node of plan.nodesOf.get(itemId) ?? []) groups.set(nodeGroup(node.id), node.depth <= UNIT_GROUP_DEPTH);
    const areas = plan.areasOf.get(itemId) ?? [];
    for (const area of areas) groups.set(areaGroup(area), true);
    if (areas.length) groups.set(ANY_AREA, true);
  }
  const countries = ["", ...new Set(fact.countries)];
  const add = (org: number, country: string, grp: string) => {
    const key = `${org}\t${country}\t${grp}\t${fact.status}\t${fact.month}`;
    const v = delta.get(key) ?? [0, 0, 0, 0];
    v[0] += sign;
    v[1] += sign * fact.people;
    v[2] += sign * fact.delegations;
    v[3] += sign * fact.fundingFen;
    delta.set(key, v);
  };
  for (const [grp, perUnit] of groups) {
    for (const country of countries) {
      add(ALL_UNITS, country, grp);
      if (perUnit && (grp === "" || country === "")) add(fact.organizationId, country, grp);
    }
  }
}

const UPSERT_BATCH = 400;

async function applyDelta(trx: Transaction<Database>, delta: Delta): Promise<void> {
  const rows = [...delta.entries()]
    .filter(([, v]) => v.some((x) => x !== 0))
    .map(([key, [activities, people, delegations, funding_fen]]) => {
      const [org, country, grp, status, month] = key.split("\t") as [string, string, string, string, string];
      return { organization_id: Number(org), country, grp, status, month, activities, people, delegations, funding_fen };
    });
  for (let i = 0; i < rows.length; i += UPSERT_BATCH) {
    await trx
      .insertInto("activity_totals")
      .values(rows.slice(i, i + UPSERT_BATCH))
      .onConflict((oc) =>
        oc.columns(["organization_id", "country", "grp", "status", "month"]).doUpdateSet((eb) => ({
          activities: eb("activity_totals.activities", "+", eb.ref("excluded.activities")),
          people: eb("activity_totals.people", "+", eb.ref("excluded.people")),
          delegations: eb("activity_totals.delegations", "+", eb.ref("excluded.delegations")),
          funding_fen: eb("activity_totals.funding_fen", "+", eb.ref("excluded.funding_fen")),
        })),
      )
      .execute();
  }
}

/**
 * Runs a write of the given activities and moves the totals by what it changed: their share before the write is
 * taken away, their share after it added, in the write's transaction. Every write of existing activities goes
 * through here (form save, merge, delete, restore, a change of status).
 */
export async function keepTotals<T>(trx: Transaction<Database>, activityIds: number[], write: () => Promise<T>): Promise<T> {
  const [plan, before] = await Promise.all([planIndex(trx), readFacts(trx, activityIds)]);
  const result = await write();
  const after = await readFacts(trx, activityIds);
  const delta: Delta = new Map();
  for (const fact of before.values()) addFact(delta, fact, plan, -1);
  for (const fact of after.values()) addFact(delta, fact, plan, 1);
  await applyDelta(trx, delta);
  return result;
}

/** Adds activities just inserted (with their links) to the totals, in the insert's transaction. */
export async function addTotalsOf(trx: Transaction<Database>, activityIds: number[]): Promise<void> {
  const plan = await planIndex(trx);
  const delta: Delta = new Map();
  for (let i = 0; i < activityIds.length; i += READ_BATCH) {
    for (const fact of (await readFacts(trx, activityIds.slice(i, i + READ_BATCH))).values()) addFact(delta, fact, plan, 1);
  }
  await applyDelta(trx, delta);
}

/**
 * What making staged activities live (an import's last step, activity-batch.server.ts) will add to the totals,
 * read while they are staged, so the last step only applies it: `sign` -1 takes back the share of staged rows
 * dropped before going live. Accumulates into `delta`.
 */
export async function stagedTotalsDelta(db: DB, activityIds: number[], sign: 1 | -1, delta: TotalsDelta): Promise<void> {
  const plan = await planIndex(db);
  for (let i = 0; i < activityIds.length; i += READ_BATCH) {
    for (const fact of (await readFacts(db, activityIds.slice(i, i + READ_BATCH))).values()) addFact(delta, { ...fact, live: true }, plan, sign);
  }
}

/** Applies a delta of stagedTotalsDelta, in the transaction that makes those activities live. */
export function addTotalsDelta(trx: Transaction<Database>, delta: TotalsDelta): Promise<void> {
  return applyDelta(trx, delta);
}

export type TotalsDelta = Delta;

// ── rebuilt from the ledger ───────────────────────────────────────────────────────────────────────

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
  return sql<TotalsRow>`
    select ${sql.lit(ALL_UNITS)} as organization_id, c.country, g.grp, a.status, substr(a.start_date, 1, 7) as month, ${sums}
      from activities a
      join (${groups}) g on g.activity_id = a.id
      join (${countries}) c on c.activity_id = a.id
     where a.deleted_at is null
     group by c.country, g.grp, a.status, substr(a.start_date, 1, 7)
    union all
    select a.organization_id, c.country, g.grp, a.status, substr(a.start_date, 1, 7) as month, ${sums}
      from activities a
      join (${groups}) g on g.activity_id = a.id
      join (${countries}) c on c.activity_id = a.id
     where a.deleted_at is null and g.per_unit = 1 and (g.grp = '' or c.country = '')
     group by a.organization_id, c.country, g.grp, a.status, substr(a.start_date, 1, 7)`;
}

interface TotalsRow {
  organization_id: number;
  country: string;
  grp: string;
  status: string;
  month: string;
  activities: number;
  people: number;
  delegations: number;
  funding_fen: number;
}

/**
 * Replaces every total by the ledger's count, in one transaction: the activities are read in id order, a batch at
 * a time, and counted with the same rule as the writes (addFact); verifyTotals checks the result against the SQL
 * count, a separate implementation of the rule.
 */
export async function rebuildTotals(db: DB): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("activity_totals").execute();
    const plan = await planIndex(trx);
    const delta: Delta = new Map();
    let lastId = 0;
    for (;;) {
      const ids = (
        await trx.selectFrom("activities").select("id").where("id", ">", lastId).where("deleted_at", "is", null).orderBy("id").limit(REBUILD_BATCH).execute()
      ).map((r) => r.id);
      if (ids.length === 0) break;
      for (const fact of (await readFacts(trx, ids)).values()) addFact(delta, fact, plan, 1);
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

/** The keys whose kept totals differ from the ledger's count (rows at zero are the same as no row). */
export async function verifyTotals(db: DB): Promise<TotalsMismatch[]> {
  const [kept, counted] = await Promise.all([
    db.selectFrom("activity_totals").selectAll().execute(),
    totalsSelect().execute(db).then((r) => r.rows),
  ]);
  const asMap = (rows: TotalsRow[]) => {
    const map = new Map<string, [number, number, number, number]>();
    for (const r of rows) {
      const v: [number, number, number, number] = [Number(r.activities), Number(r.people), Number(r.delegations), Number(r.funding_fen)];
      if (v.every((x) => x === 0)) continue;
      map.set(`${r.organization_id}\t${r.country}\t${r.grp}\t${r.status}\t${r.month}`, v);
    }
    return map;
  };
  const a = asMap(kept);
  const b = asMap(counted);
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

function previousMonth(ym: string): string {
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
  /** the lead units counted (a unit's subtree); left out: every unit */
  organizationIds?: number[];
  /** '' or left out: any country */
  country?: string;
  /** the groups wanted; left out: [''] (any) */
  groups?: string[];
  statuses: readonly string[];
  /** first and last month ("2024-03") of the start date, inclusive */
  monthFrom?: string;
  monthTo?: string;
}

/** Whether the kept totals answer a query: a unit's rows hold a group or a country, not both. */
export function totalsAnswer(q: Pick<TotalsQuery, "organizationIds" | "country" | "groups">): boolean {
  if (q.organizationIds === undefined) return true;
  const grouped = (q.groups ?? [""]).some((g) => g !== "");
  return !(grouped && q.country);
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
  if (q.organizationIds && q.organizationIds.length === 0) return [];
  const byCountry = (by as string[]).includes("country");
  let query = db
    .selectFrom("activity_totals as t")
    // grouped by country: the rows of each country; otherwise those of the one asked for ('' = any)
    .where("t.country", byCountry ? "<>" : "=", byCountry ? "" : q.country ?? "")
    .where("t.grp", "in", q.groups ?? [""])
    .where("t.status", "in", [...q.statuses]);
  query = q.organizationIds ? query.where("t.organization_id", "in", q.organizationIds) : query.where("t.organization_id", "=", ALL_UNITS);
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

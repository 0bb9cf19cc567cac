// The activity ledger: reads with the list filters, and writes that keep links, history and versions together.
import { type ExpressionBuilder, type RawBuilder, type Transaction, sql } from "kysely";
import type { Database } from "../../db/schema";
import type { DB } from "~/utils/db.server";
import type { ActivitySort } from "~/schemas/activity-filter";
import { activityColumns, insertActivitiesBatch } from "./activity-batch.server";
import { diffFields, writeAudit } from "./audit-log.server";
import { type CounterpartRef, counterpartsOfActivities, replaceActivityCounterparts, resolveCounterpartRefs } from "./counterpart.server";
import { onPostgres, subtreeOf } from "~/utils/sql-dialect.server";
import { SEARCHED_COLUMNS, type SearchScope, indexActivitySearch, searchCandidates, termTokens } from "./activity-search.server";
import { UNIT_GROUP_DEPTH, factOfActivity, factOfInput, keepTotals, nodeGroup, sumTotals, totalsAnswer, unitAtPath } from "./activity-totals.server";
import { ACTIVITY_STATUSES } from "~/schemas/activity";

export interface ActivityInput {
  organizationId: number;
  title: string;
  type: string;
  startDate: string;
  endDate: string;
  status: string;
  primaryPlanItemId: number;
  otherPlanItemIds: number[];
  countries: string[];
  counterpartBody: string;
  location: string;
  delegationsCount: number | null;
  participantsCount: number | null;
  fundingCnyFen: number | null;
  fundingSource: string;
  outcome: string;
  evidence: { url: string; label: string }[];
  /**
   * 配合单位: units of our tree or Chinese departments by name that co-operate; the lead is organizationId.
   * Left out, an activity has none (a write that omits it clears them).
   */
  partners?: ActivityPartnerInput[];
  /**
   * The bodies of the counterpart register that counterpartBody names, in its order; a new body is registered with
   * the write. Left out, an activity names none (counterpartBody stays the written description either way).
   */
  counterparts?: CounterpartRef[];
}

/** One co-operating unit: a unit of the tree, or a department named in words. */
export type ActivityPartnerInput = { organizationId: number; name?: undefined } | { organizationId?: undefined; name: string };

export interface ActivityFilter {
  /** the unit and every unit below it */
  organizationPath?: string;
  /**
   * Activities a unit (and the units below it) leads or co-operates on (配合): what the unit sees in its list and
   * ledger. With `partnerOnly`, only those it co-operates on without leading them.
   */
  involvingPath?: string;
  partnerOnly?: boolean;
  /** plan node paths: the node and its descendants; several are AND-ed (e.g. a pillar and an item) */
  planPaths?: string[];
  /** plan item ids of a priority area (matched with their descendants) */
  planItemIdsAny?: number[];
  type?: string;
  status?: string;
  country?: string;
  from?: string;
  to?: string;
  /** activities that start within [startFrom, startTo]: how a period report gathers its activities */
  startFrom?: string;
  startTo?: string;
  q?: string;
  deleted?: boolean;
}


type AEB = ExpressionBuilder<Database & { a: Database["activities"]; o: Database["organizations"] }, "a" | "o">;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * How a text search uses its index: `scope`, the units and country a caller's own conditions narrow to (the
 * filter's own by default); `indexed: false` leaves the index out (the LIKE alone, row by row in the list's order:
 * the quicker way to a first page when the term is in many rows, see searchIsSelective).
 */
interface SearchUse {
  scope?: SearchScope;
  indexed?: boolean;
}

function whereFilter(eb: AEB, f: ActivityFilter, postgres: boolean, search: SearchUse = {}) {
  // An import's staged rows are in the recycle bin's state until the import ends (activity-batch.server.ts): the
  // live list passes them by with the deleted rows, the recycle bin by their mark.
  const conditions = [
    f.deleted ? eb.and([eb("a.deleted_at", "is not", null), eb("a.import_pending", "is", null)]) : eb("a.deleted_at", "is", null),
  ];
  if (f.organizationPath) conditions.push(eb("o.path", "like", `${f.organizationPath}%`));
  if (f.involvingPath) {
    const led = eb("o.path", "like", `${f.involvingPath}%`);
    const partnered = eb.exists(
      eb
        .selectFrom("activity_partners as ap")
        .innerJoin("organizations as po", "po.id", "ap.organization_id")
        .select(sql.lit(1).as("one"))
        .whereRef("ap.activity_id", "=", "a.id")
        .where("po.path", "like", `${f.involvingPath}%`),
    );
    conditions.push(f.partnerOnly ? eb.and([eb.not(led), partnered]) : eb.or([led, partnered]));
  }
  for (const path of f.planPaths ?? []) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom("activity_plan_items as api")
          .innerJoin("plan_items as pi", "pi.id", "api.plan_item_id")
          .select(sql.lit(1).as("one"))
          .whereRef("api.activity_id", "=", "a.id")
          .where("pi.path", "like", `${path}%`),
      ),
    );
  }
  if (f.planItemIdsAny) {
    const ids = f.planItemIdsAny.length ? f.planItemIdsAny : [-1];
    conditions.push(
      eb.exists(
        eb
          .selectFrom("activity_plan_items as api")
          .innerJoin("plan_items as pi", "pi.id", "api.plan_item_id")
          .innerJoin("plan_items as area_item", (join) =>
            join.on((j) =>
              j("pi.path", "like", subtreeOf("area_item.path")),
            ),
          )
          .select(sql.lit(1).as("one"))
          .whereRef("api.activity_id", "=", "a.id")
          .where("area_item.id", "in", ids),
      ),
    );
  }
  if (f.type) conditions.push(eb("a.type", "=", f.type));
  if (f.status) conditions.push(eb("a.status", "=", f.status));
  if (f.country) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom("activity_countries as ac")
          .select(sql.lit(1).as("one"))
          .whereRef("ac.activity_id", "=", "a.id")
          .where("ac.country_code", "=", f.country),
      ),
    );
  }
  // An activity is in a date range when the two overlap.
  if (f.from) conditions.push(eb("a.end_date", ">=", f.from));
  if (f.to) conditions.push(eb("a.start_date", "<=", f.to));
  if (f.startFrom) conditions.push(eb("a.start_date", ">=", f.startFrom));
  if (f.startTo) conditions.push(eb("a.start_date", "<=", f.startTo));
  if (f.q) {
    // The index narrows to the activities holding every piece of the term (with the unit and country filters
    // inside it: activity-search.server.ts); the LIKE below decides, so the index never changes what is found.
    const terms = termTokens(f.q);
    if (terms && search.indexed !== false) conditions.push(eb("a.id", "in", searchCandidates(eb, postgres, terms, search.scope ?? scopeOf(f))));
    const pattern = `%${escapeLike(f.q.toLowerCase())}%`;
    conditions.push(
      eb.or(SEARCHED_COLUMNS.map((col) => sql<boolean>`lower(${sql.ref(`a.${col}`)}) like ${pattern} escape '\\'`)),
    );
  }
  return eb.and(conditions);
}

/** The unit and country filters as the search index holds them. */
function scopeOf(f: ActivityFilter): SearchScope {
  if (f.involvingPath !== undefined && f.partnerOnly) return { organizationPath: f.organizationPath, partnerPath: f.involvingPath, country: f.country };
  return { organizationPath: f.organizationPath, involvingPath: f.involvingPath, country: f.country };
}

/**
 * The activity list's query: the activities matching a filter, joined to their lead unit (`o`), in the list's
 * order (ties broken by id, newest first). The one place the list's filters and sorts become SQL; the list page,
 * its exports and every reader of "all the activities of …" start from it and add their own select (Kysely's
 * reusable-helpers recipe).
 */
export function activityListQuery(db: DB, filter: ActivityFilter, sort: ActivitySort = "start_desc", search?: SearchUse) {
  const query = activityFilterQuery(db, filter, search);
  return orderBySort(query, sort).orderBy("a.id", "desc");
}

/**
 * The rows matching a filter, without an order: what a count or an aggregate starts from.
 */
function activityFilterQuery(db: DB, filter: ActivityFilter, search?: SearchUse) {
  return db
    .selectFrom("activities as a")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .where((eb) => whereFilter(eb, filter, onPostgres(db), search));
}

/** A search's index offers at most this many candidates for the first page to be read through it. */
const PAGE_BY_INDEX_MAX = 4000;
/** … and at most this many for a count that stops (countActivities' atMost) to be read through it. */
const COUNT_BY_INDEX_MAX = 200_000;

/**
 * Whether a filter's text search is better served through its index than by reading rows in order: true when the
 * index offers at most `max` candidates in the filter's scope (counted up to there, inside the index), or when the
 * filter has no term the index serves. A term in many rows finds its first page, and its first thousand matches,
 * sooner by walking the rows than by reading and sorting every candidate. On PostgreSQL its planner decides.
 */
async function searchIsSelective(db: DB, filter: ActivityFilter, max: number): Promise<boolean> {
  const terms = filter.q ? termTokens(filter.q) : null;
  if (!terms || onPostgres(db)) return true;
  const candidates = searchCandidates(db as never, false, terms, scopeOf(filter));
  const { rows } = await sql<{ n: number }>`select count(*) as n from (select 1 from ${candidates} as c limit ${max + 1}) as probe`.execute(db);
  return Number(rows[0]?.n ?? 0) <= max;
}

type ListQuery = ReturnType<typeof activityFilterQuery>;

function orderBySort<Q extends ListQuery>(query: Q, sort: ActivitySort): Q {
  switch (sort) {
    case "start_asc":
      return query.orderBy("a.start_date", "asc") as Q;
    case "title":
      return query.orderBy("a.title", "asc") as Q;
    case "participants":
      return query.orderBy(sql`coalesce(a.participants_count, -1)`, "desc") as Q;
    case "funding":
      return query.orderBy(sql`coalesce(a.funding_cny_fen, -1)`, "desc") as Q;
    case "updated":
      return query.orderBy("a.updated_at", "desc") as Q;
    default:
      return query.orderBy("a.start_date", "desc") as Q;
  }
}

const LIST_COLUMNS = [
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
  "a.updated_at",
  "a.deleted_at",
  "o.id as organization_id",
  "o.name_zh as organization_name_zh",
  "o.name_en as organization_name_en",
  "o.path as organization_path",
] as const;

/** Rows of the list read at once: far below both databases' limits on bound parameters. */
export const LIST_READ_BATCH = 1000;

/** The plan items and countries of a batch of list rows, grouped by activity (one lookup each, not a scan). */
async function withLinks<R extends { id: number }>(db: DB, rows: R[]) {
  const ids = rows.map((r) => r.id);
  const [links, countries] = ids.length
    ? await Promise.all([
        db
          .selectFrom("activity_plan_items as api")
          .innerJoin("plan_items as pi", "pi.id", "api.plan_item_id")
          .select(["api.activity_id", "api.is_primary", "pi.code", "pi.title_zh", "pi.title_en"])
          .where("api.activity_id", "in", ids)
          .orderBy("pi.sort_order")
          .execute(),
        db
          .selectFrom("activity_countries")
          .select(["activity_id", "country_code"])
          .where("activity_id", "in", ids)
          .orderBy("country_code")
          .execute(),
      ])
    : [[], []];
  const itemsOf = new Map<number, typeof links>();
  for (const l of links) (itemsOf.get(l.activity_id) ?? itemsOf.set(l.activity_id, []).get(l.activity_id)!).push(l);
  const countriesOf = new Map<number, string[]>();
  for (const c of countries) (countriesOf.get(c.activity_id) ?? countriesOf.set(c.activity_id, []).get(c.activity_id)!).push(c.country_code);
  return rows.map((r) => ({
    ...r,
    planItems: (itemsOf.get(r.id) ?? [])
      .sort((x, y) => y.is_primary - x.is_primary)
      .map((l) => ({ code: l.code, title_zh: l.title_zh, title_en: l.title_en, primary: l.is_primary === 1 })),
    countries: countriesOf.get(r.id) ?? [],
  }));
}

export async function listActivities(
  db: DB,
  filter: ActivityFilter,
  options: { sort?: ActivitySort; page?: number; pageSize?: number } = {},
) {
  const pageSize = options.pageSize ?? 25;
  const page = Math.max(1, options.page ?? 1);
  const rows = await activityListQuery(db, filter, options.sort)
    .select(LIST_COLUMNS)
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  // A page that is neither full nor past the end is the last one: it gives the total, and the count (another pass
  // over every matching activity, the whole table for a text search) is not needed.
  const total = rows.length > 0 && rows.length < pageSize ? (page - 1) * pageSize + rows.length : await countActivities(db, filter);
  return { total, page, pageSize, rows: await withLinks(db, rows) };
}

/** The column a sort orders by (before the id that breaks ties), and whether it runs upwards. */
function sortKey(sort: ActivitySort): { key: RawBuilder<string | number>; ascending: boolean } {
  switch (sort) {
    case "start_asc":
      return { key: sql<string>`a.start_date`, ascending: true };
    case "title":
      return { key: sql<string>`a.title`, ascending: true };
    case "participants":
      return { key: sql<number>`coalesce(a.participants_count, -1)`, ascending: false };
    case "funding":
      return { key: sql<number>`coalesce(a.funding_cny_fen, -1)`, ascending: false };
    case "updated":
      return { key: sql<string>`a.updated_at`, ascending: false };
    default:
      return { key: sql<string>`a.start_date`, ascending: false };
  }
}

/**
 * One page of the list after a given row (keyset pagination): the rows that come after `afterId` in the list's
 * order, read from where that row stands in the index instead of counting past every row before it (an OFFSET
 * reads them all). With `beforeId`, the rows just before that row instead (the previous page), in the list's order.
 * Without either, the first page. An id that is no activity's gives no rows.
 */
export async function listActivitiesAfter(
  db: DB,
  filter: ActivityFilter,
  options: { sort?: ActivitySort; afterId?: number; beforeId?: number; pageSize?: number } = {},
) {
  const sort = options.sort ?? "start_desc";
  const { key, ascending } = sortKey(sort);
  const fromId = options.afterId ?? options.beforeId;
  const backwards = options.afterId === undefined && options.beforeId !== undefined;
  // a term in many rows: its page is met sooner row by row in the list's order than by sorting every candidate
  const search = { indexed: await searchIsSelective(db, filter, PAGE_BY_INDEX_MAX) };
  let query = backwards
    ? activityFilterQuery(db, filter, search).select(LIST_COLUMNS).orderBy(key, ascending ? "desc" : "asc").orderBy("a.id", "asc")
    : activityListQuery(db, filter, sort, search).select(LIST_COLUMNS);
  if (fromId !== undefined) {
    const from = await db.selectFrom("activities as a").select(key.as("k")).where("a.id", "=", fromId).executeTakeFirst();
    if (!from) return [];
    // after: further along the list's order (ties: a smaller id); before: the other way
    const further = backwards ? (ascending ? "<" : ">") : ascending ? ">" : "<";
    query = query.where((eb) => eb.or([eb(key, further, from.k), eb.and([eb(key, "=", from.k), eb("a.id", backwards ? ">" : "<", fromId)])]));
  }
  const rows = await query.limit(options.pageSize ?? 25).execute();
  return withLinks(db, backwards ? rows.reverse() : rows);
}

/**
 * Every activity matching a filter, in the list's order, LIST_READ_BATCH rows at a time (keyset pages, each
 * starting where the last ended). Never truncated, and no IN list longer than a batch.
 */
export async function* activityBatches(db: DB, filter: ActivityFilter, sort: ActivitySort = "start_desc") {
  let afterId: number | undefined;
  for (;;) {
    const rows = await listActivitiesAfter(db, filter, { sort, afterId, pageSize: LIST_READ_BATCH });
    if (rows.length) yield rows;
    if (rows.length < LIST_READ_BATCH) return;
    afterId = rows.at(-1)!.id;
  }
}

/** Every activity matching a filter, in the list's order (see activityBatches). */
export async function listAllActivities(db: DB, filter: ActivityFilter, sort: ActivitySort = "start_desc") {
  const all: ActivityListRow[] = [];
  for await (const batch of activityBatches(db, filter, sort)) all.push(...batch);
  return all;
}

export type ActivityListRow = Awaited<ReturnType<typeof listActivities>>["rows"][number];

/**
 * How many activities match a filter, without reading them. With `atMost`, counting stops past that many: the
 * answer is then atMost + 1, "more than atMost" (a text search's count reads its matches to check them, and a
 * common word matches a large share of a million rows).
 */
export async function countActivities(db: DB, filter: ActivityFilter, options: { atMost?: number } = {}): Promise<number> {
  const kept = await countFromTotals(db, filter);
  if (kept !== null) return options.atMost === undefined ? kept : Math.min(kept, options.atMost + 1);
  // what a unit leads (often from the totals) and, apart, what it only co-operates on (read from the partner links)
  if (filter.involvingPath !== undefined && filter.organizationPath === undefined) {
    const { involvingPath, partnerOnly, ...rest } = filter;
    const partnered = await countPartnerOnly(db, rest, involvingPath, options.atMost);
    const total = partnerOnly ? partnered : partnered + (await countActivities(db, { ...rest, organizationPath: involvingPath }, options));
    return options.atMost === undefined ? total : Math.min(total, options.atMost + 1);
  }
  // a count that stops, of a term in many rows: its first matches are met sooner row by row than through the index
  const indexed = options.atMost === undefined || (await searchIsSelective(db, filter, COUNT_BY_INDEX_MAX));
  return countUpTo(db, activityFilterQuery(db, filter, { indexed }), options.atMost);
}

/** The rows of a query counted, or atMost + 1 when there are more than atMost. */
async function countUpTo(db: DB, query: ListQuery, atMost: number | undefined): Promise<number> {
  if (atMost === undefined) {
    const row = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    return Number(row.total);
  }
  const row = await db
    .selectFrom(query.select(sql.lit(1).as("one")).limit(atMost + 1).as("r"))
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Activities matching a filter that a unit's subtree co-operates on (配合) without leading them. */
async function countPartnerOnly(db: DB, filter: ActivityFilter, path: string, atMost?: number): Promise<number> {
  const query = activityFilterQuery(db, filter, { scope: { ...scopeOf(filter), partnerPath: path } })
    .where("a.id", "in", (eb) =>
      eb
        .selectFrom("activity_partners as ap")
        .innerJoin("organizations as po", "po.id", "ap.organization_id")
        .select("ap.activity_id")
        .where("po.path", "like", `${path}%`),
    )
    .where("o.path", "not like", `${path}%`);
  return countUpTo(db, query, atMost);
}

/**
 * The count of a filter from the running totals, when they hold it: live activities, by unit subtree, status,
 * counterpart country and one plan node (the list's most used filters, and no filter at all). Null otherwise.
 */
async function countFromTotals(db: DB, filter: ActivityFilter): Promise<number | null> {
  const { organizationPath, status, country, planPaths = [], deleted, ...others } = filter;
  if (deleted || planPaths.length > 1 || Object.values(others).some((v) => v !== undefined && v !== false)) return null;
  const [organizationId, node] = await Promise.all([
    organizationPath !== undefined ? unitAtPath(db, organizationPath) : undefined,
    planPaths[0] !== undefined ? db.selectFrom("plan_items").select(["id", "depth"]).where("path", "=", planPaths[0]).executeTakeFirst() : undefined,
  ]);
  if (planPaths[0] !== undefined && !node) return null;
  if (organizationPath !== undefined && organizationId === undefined) return null;
  const groups = node ? [nodeGroup(node.id)] : [""];
  // a unit's own rows keep the plan's top two levels only
  if (organizationId !== undefined && node && node.depth > UNIT_GROUP_DEPTH) return null;
  const query = { organizationId, organizationPath, country, groups, statuses: status ? [status] : ACTIVITY_STATUSES };
  if (!totalsAnswer(query)) return null;
  const [row] = await sumTotals(db, query, []);
  return row?.activities ?? 0;
}

/** One activity with everything the detail page and the edit form show; includes deleted ones, not staged ones. */
export async function getActivity(db: DB, id: number) {
  const activity = await db
    .selectFrom("activities as a")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .leftJoin("users as creator", "creator.id", "a.created_by")
    .leftJoin("users as updater", "updater.id", "a.updated_by")
    .selectAll("a")
    .select([
      "o.name_zh as organization_name_zh",
      "o.name_en as organization_name_en",
      "o.path as organization_path",
      "creator.display_name as created_by_name",
      "updater.display_name as updated_by_name",
    ])
    .where("a.id", "=", id)
    .where("a.import_pending", "is", null)
    .executeTakeFirst();
  if (!activity) return undefined;
  const [planItems, countries, evidence, partners, counterparts] = await Promise.all([
    db
      .selectFrom("activity_plan_items as api")
      .innerJoin("plan_items as pi", "pi.id", "api.plan_item_id")
      .select(["pi.id", "pi.code", "pi.title_zh", "pi.title_en", "api.is_primary"])
      .where("api.activity_id", "=", id)
      .orderBy("api.is_primary", "desc")
      .orderBy("pi.sort_order")
      .execute(),
    db
      .selectFrom("activity_countries")
      .select("country_code")
      .where("activity_id", "=", id)
      .orderBy("country_code")
      .execute(),
    db
      .selectFrom("activity_evidence")
      .select(["url", "label"])
      .where("activity_id", "=", id)
      .orderBy("sort_order")
      .execute(),
    listPartners(db, [id]),
    counterpartsOfActivities(db, [id]),
  ]);
  return {
    ...activity,
    planItems: planItems.map((p) => ({ ...p, primary: p.is_primary === 1 })),
    countries: countries.map((c) => c.country_code),
    evidence,
    partners: partners.map(({ activity_id: _, ...p }) => p),
    counterparts: counterparts.map(({ activity_id: _, ...c }) => c),
  };
}

export type ActivityDetail = NonNullable<Awaited<ReturnType<typeof getActivity>>>;

/** What the history records of an activity: its fields in the user's terms (plan codes, not ids). */
export async function activitySnapshot(db: DB, id: number) {
  const a = await getActivity(db, id);
  return a && snapshotOf(a);
}

function snapshotOf(a: ActivityDetail) {
  return {
    organization_id: a.organization_id,
    title: a.title,
    type: a.type,
    start_date: a.start_date,
    end_date: a.end_date,
    status: a.status,
    primary_plan_item: a.planItems.find((p) => p.primary)?.code ?? null,
    plan_items: a.planItems.filter((p) => !p.primary).map((p) => p.code),
    countries: a.countries,
    counterpart_body: a.counterpart_body,
    location: a.location,
    delegations_count: a.delegations_count,
    participants_count: a.participants_count,
    funding_cny_fen: a.funding_cny_fen,
    funding_source: a.funding_source,
    outcome: a.outcome,
    evidence: a.evidence.map((e) => (e.label ? `${e.label} ${e.url}` : e.url)),
    // a unit by its id (the history names it in the reader's language), a department by the name it was given
    partners: a.partners.map((p) => p.organization_id ?? p.name_zh),
    // the register's bodies the text names, by id (the history names them in the reader's language)
    counterparts: a.counterparts.map((c) => c.id),
  };
}

/**
 * The 配合单位 of the given activities in their order: a unit's names (and id), or a department's name in both
 * languages (a department has only the name it was given).
 */
export async function listPartners(db: DB, activityIds: number[]) {
  if (activityIds.length === 0) return [];
  const rows = await db
    .selectFrom("activity_partners as ap")
    .leftJoin("organizations as o", "o.id", "ap.organization_id")
    .select(["ap.activity_id", "ap.organization_id", "ap.name", "o.name_zh", "o.name_en", "o.path"])
    .where("ap.activity_id", "in", activityIds)
    .orderBy("ap.activity_id")
    .orderBy("ap.sort_order")
    .execute();
  return rows.map((r) => ({
    activity_id: r.activity_id,
    organization_id: r.organization_id,
    organization_path: r.path,
    name_zh: r.name_zh ?? r.name,
    name_en: r.name_en ?? r.name,
  }));
}

export type ActivityPartner = Omit<Awaited<ReturnType<typeof listPartners>>[number], "activity_id">;

/** The partner rows an input names, deduplicated, without the lead unit itself. */
export function partnerRows(activityId: number, input: ActivityInput) {
  const seen = new Set<string>();
  const rows: { activity_id: number; organization_id: number | null; name: string; sort_order: number }[] = [];
  for (const p of input.partners ?? []) {
    const key = p.organizationId !== undefined ? `#${p.organizationId}` : p.name.trim();
    if (!key || seen.has(key) || p.organizationId === input.organizationId) continue;
    seen.add(key);
    rows.push({ activity_id: activityId, organization_id: p.organizationId ?? null, name: p.name?.trim() ?? "", sort_order: rows.length });
  }
  return rows;
}

async function replaceLinks(trx: Transaction<Database>, activityId: number, input: ActivityInput, actorId: number | null) {
  await trx.deleteFrom("activity_plan_items").where("activity_id", "=", activityId).execute();
  await trx.deleteFrom("activity_countries").where("activity_id", "=", activityId).execute();
  await trx.deleteFrom("activity_evidence").where("activity_id", "=", activityId).execute();
  await trx.deleteFrom("activity_partners").where("activity_id", "=", activityId).execute();
  const others = [...new Set(input.otherPlanItemIds)].filter((id) => id !== input.primaryPlanItemId);
  await trx
    .insertInto("activity_plan_items")
    .values([
      { activity_id: activityId, plan_item_id: input.primaryPlanItemId, is_primary: 1 },
      ...others.map((id) => ({ activity_id: activityId, plan_item_id: id, is_primary: 0 })),
    ])
    .execute();
  const countries = [...new Set(input.countries)];
  if (countries.length) {
    await trx
      .insertInto("activity_countries")
      .values(countries.map((country_code) => ({ activity_id: activityId, country_code })))
      .execute();
  }
  if (input.evidence.length) {
    await trx
      .insertInto("activity_evidence")
      .values(input.evidence.map((e, i) => ({ activity_id: activityId, url: e.url, label: e.label, sort_order: i })))
      .execute();
  }
  const partners = partnerRows(activityId, input);
  if (partners.length) await trx.insertInto("activity_partners").values(partners).execute();
  await replaceActivityCounterparts(trx, activityId, await resolveCounterpartRefs(trx, input.counterparts ?? [], actorId));
  // the row and its links as they now stand: an edit and a merge come through here
  await indexActivitySearch(trx, [activityId]);
}

/** Runs first inside an activity write's transaction and may refuse it by throwing (e.g. unlessFrozen's check). */
export type WriteGuard = (trx: Transaction<Database>) => Promise<void>;

/** Logs one activity (with its links and history) in its own transaction; returns its id. */
export async function createActivity(
  db: DB,
  input: ActivityInput,
  actorId: number | null,
  options: { seedKey?: string; action?: string; guard?: WriteGuard } = {},
): Promise<number> {
  const [id] = await db.transaction().execute(async (trx) => {
    await options.guard?.(trx);
    return insertActivitiesBatch(trx, [{ input, fingerprint: null, seedKey: options.seedKey }], actorId, {
      action: options.action ?? "activity.create",
    });
  });
  return id!;
}

export type UpdateResult = { status: "ok"; version: number } | { status: "stale" } | { status: "not_found" };

/**
 * Saves an edit made from version `expectedVersion`. If someone saved in between, nothing is written and the
 * caller learns it is stale: no update is silently lost.
 */
class NothingChanged extends Error {}

export async function updateActivity(
  db: DB,
  id: number,
  expectedVersion: number,
  input: ActivityInput,
  actorId: number,
  guard?: WriteGuard,
): Promise<UpdateResult> {
  try {
    return await saveUpdate(db, id, expectedVersion, input, actorId, guard);
  } catch (error) {
    // A save that changes nothing is rolled back: no new version, no history entry, no false conflict elsewhere.
    if (error instanceof NothingChanged) return { status: "ok", version: expectedVersion };
    throw error;
  }
}

function saveUpdate(db: DB, id: number, expectedVersion: number, input: ActivityInput, actorId: number, guard?: WriteGuard) {
  return db.transaction().execute(async (trx): Promise<UpdateResult> => {
    await guard?.(trx);
    // the activity is read once, for its history and its totals; an edit writes the input as it is (or nothing,
    // when stale): the totals need not read it again
    const current = await getActivity(trx, id);
    return keepTotals(trx, [id], () => saveUpdateWrites(trx, id, expectedVersion, input, actorId, current), {
      before: new Map(current ? [[id, factOfActivity(current)]] : []),
      written: (result) => (result.status === "ok" ? new Map([[id, factOfInput(input)]]) : "unchanged"),
    });
  });
}

async function saveUpdateWrites(
  trx: Transaction<Database>,
  id: number,
  expectedVersion: number,
  input: ActivityInput,
  actorId: number,
  current: ActivityDetail | undefined,
): Promise<UpdateResult> {
  if (!current) return { status: "not_found" } as const;
  const before = snapshotOf(current);
  const result = await trx
    .updateTable("activities")
    .set({ ...activityColumns(input), version: expectedVersion + 1, updated_by: actorId, updated_at: new Date().toISOString() })
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return { status: "stale" } as const;
  await replaceLinks(trx, id, input, actorId);
  const changes = diffFields(before, (await activitySnapshot(trx, id))!);
  if (Object.keys(changes).length === 0) throw new NothingChanged();
  await writeAudit(trx, { userId: actorId, action: "activity.update", entityType: "activity", entityId: id, changes });
  return { status: "ok", version: expectedVersion + 1 } as const;
}

/**
 * Makes two logged copies of one event one activity: `keepId` stays, with the duplicate's unit (and its 配合单位)
 * as co-operating units and the duplicate's countries, plan items and evidence added; its own figures stand. The
 * duplicate goes to the recycle bin. Both histories say so, each naming the other. Runs in the caller's
 * transaction (the freeze check comes first there).
 */
export async function mergeActivityInto(
  trx: Transaction<Database>,
  keepId: number,
  duplicateId: number,
  actorId: number,
): Promise<"ok" | "not_found"> {
  return keepTotals(trx, [keepId, duplicateId], () => mergeWrites(trx, keepId, duplicateId, actorId));
}

async function mergeWrites(trx: Transaction<Database>, keepId: number, duplicateId: number, actorId: number): Promise<"ok" | "not_found"> {
  const [keep, duplicate] = await Promise.all([getActivity(trx, keepId), getActivity(trx, duplicateId)]);
  if (!keep || !duplicate || keepId === duplicateId || keep.deleted_at || duplicate.deleted_at) return "not_found";
  const primary = keep.planItems.find((p) => p.primary) ?? keep.planItems[0]!;
  const evidenceUrls = new Set(keep.evidence.map((e) => e.url));
  const asPartner = (p: ActivityPartner): ActivityPartnerInput =>
    p.organization_id !== null ? { organizationId: p.organization_id } : { name: p.name_zh };
  const input: ActivityInput = {
    organizationId: keep.organization_id,
    title: keep.title,
    type: keep.type,
    startDate: keep.start_date,
    endDate: keep.end_date,
    status: keep.status,
    primaryPlanItemId: primary.id,
    otherPlanItemIds: [...keep.planItems, ...duplicate.planItems].map((p) => p.id).filter((id) => id !== primary.id),
    countries: [...new Set([...keep.countries, ...duplicate.countries])],
    counterpartBody: keep.counterpart_body,
    location: keep.location,
    delegationsCount: keep.delegations_count,
    participantsCount: keep.participants_count,
    fundingCnyFen: keep.funding_cny_fen,
    fundingSource: keep.funding_source,
    outcome: keep.outcome,
    evidence: [...keep.evidence, ...duplicate.evidence.filter((e) => !evidenceUrls.has(e.url))],
    partners: [...keep.partners.map(asPartner), { organizationId: duplicate.organization_id }, ...duplicate.partners.map(asPartner)],
    // the register's bodies either record names, each once
    counterparts: [...new Set([...keep.counterparts, ...duplicate.counterparts].map((c) => c.id))].map((id) => ({ id })),
  };
  const before = await activitySnapshot(trx, keepId);
  const now = new Date().toISOString();
  await trx
    .updateTable("activities")
    .set((eb) => ({ updated_by: actorId, updated_at: now, version: eb("version", "+", 1) }))
    .where("id", "=", keepId)
    .execute();
  await replaceLinks(trx, keepId, input, actorId);
  const changes = diffFields(before!, (await activitySnapshot(trx, keepId))!);
  const label = (a: { id: number; title: string; organization_name_zh: string }) => `#${a.id} ${a.title}（${a.organization_name_zh}）`;
  await writeAudit(trx, {
    userId: actorId,
    action: "activity.merge",
    entityType: "activity",
    entityId: keepId,
    changes: { ...changes, merged_from: [null, label(duplicate)] },
  });
  await trx
    .updateTable("activities")
    .set((eb) => ({ deleted_at: now, deleted_by: actorId, updated_at: now, updated_by: actorId, version: eb("version", "+", 1) }))
    .where("id", "=", duplicateId)
    .execute();
  await writeAudit(trx, {
    userId: actorId,
    action: "activity.merged",
    entityType: "activity",
    entityId: duplicateId,
    changes: { merged_into: [null, label(keep)] },
  });
  return "ok";
}

/** Moves an activity to the recycle bin. Nothing is destroyed; restoreActivity brings it back. */
export async function deleteActivity(db: DB, id: number, actorId: number, guard?: WriteGuard): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await guard?.(trx);
    const now = new Date().toISOString();
    const result = await keepTotals(trx, [id], () =>
      trx
        .updateTable("activities")
        .set((eb) => ({ deleted_at: now, deleted_by: actorId, updated_at: now, updated_by: actorId, version: eb("version", "+", 1) }))
        .where("id", "=", id)
        .where("deleted_at", "is", null)
        .executeTakeFirst(),
    );
    if (Number(result.numUpdatedRows) === 0) return false;
    await writeAudit(trx, { userId: actorId, action: "activity.delete", entityType: "activity", entityId: id });
    return true;
  });
}

export async function restoreActivity(db: DB, id: number, actorId: number, guard?: WriteGuard): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await guard?.(trx);
    const now = new Date().toISOString();
    const result = await keepTotals(trx, [id], () =>
      trx
        .updateTable("activities")
        .set((eb) => ({ deleted_at: null, deleted_by: null, updated_at: now, updated_by: actorId, version: eb("version", "+", 1) }))
        .where("id", "=", id)
        .where("deleted_at", "is not", null)
        .where("import_pending", "is", null)
        .executeTakeFirst(),
    );
    if (Number(result.numUpdatedRows) === 0) return false;
    await writeAudit(trx, { userId: actorId, action: "activity.restore", entityType: "activity", entityId: id });
    return true;
  });
}

/**
 * Sets a planned activity's status (closing it as done or cancelled), inside the caller's transaction, with the
 * history entry an edit of the status would write. False when it is no longer planned (changed meanwhile).
 */
export async function closePlannedActivity(
  trx: Transaction<Database>,
  id: number,
  status: "completed" | "cancelled",
  actorId: number,
): Promise<boolean> {
  let updated = 0;
  // the running totals move with the status (activity-totals.server.ts)
  await keepTotals(trx, [id], async () => {
    const result = await trx
      .updateTable("activities")
      .set((eb) => ({ status, updated_by: actorId, updated_at: new Date().toISOString(), version: eb("version", "+", 1) }))
      .where("id", "=", id)
      .where("status", "=", "planned")
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    updated = Number(result.numUpdatedRows);
  });
  if (updated === 0) return false;
  await writeAudit(trx, { userId: actorId, action: "activity.update", entityType: "activity", entityId: id, changes: { status: ["planned", status] } });
  return true;
}

// The sister-city register (docs/decisions/015-sister-city-register.md): relationships between our units and the
// counterpart register's bodies, their stages, and the ledger's exchanges that classify them. Every write leaves
// one audit entry (entity "sister_city") in the same transaction: that is the relationship's history.
import type { Transaction } from "kysely";
import type { Database, SisterCity } from "../../db/schema";
import { COUNTED_STATUSES } from "~/domain/counting";
import { SISTER_CITY_UNIT_KINDS } from "~/domain/sister-cities";
import type { DB } from "~/utils/db.server";
import { diffFields, writeAudit } from "./audit-log.server";

/** What a form or the seed says of a relationship's stage: its stage columns, as stored. */
export type SisterCityStageFields = Pick<
  SisterCity,
  | "stage"
  | "consensus_on"
  | "consensus_document"
  | "consensus_url"
  | "letter_of_intent_on"
  | "letter_of_intent_document"
  | "letter_of_intent_url"
  | "established_on"
  | "established_document"
  | "established_url"
  | "ended_on"
  | "note"
>;

export const STAGE_COLUMNS = [
  "stage",
  "consensus_on",
  "consensus_document",
  "consensus_url",
  "letter_of_intent_on",
  "letter_of_intent_document",
  "letter_of_intent_url",
  "established_on",
  "established_document",
  "established_url",
  "ended_on",
  "note",
] as const satisfies readonly (keyof SisterCityStageFields)[];

function stageOf(row: SisterCityStageFields): SisterCityStageFields {
  return Object.fromEntries(STAGE_COLUMNS.map((c) => [c, row[c]])) as unknown as SisterCityStageFields;
}

// ── reads ───────────────────────────────────────────────────────────────────────────────────────

function selectRelationships(db: DB) {
  return db
    .selectFrom("sister_cities as s")
    .innerJoin("organizations as o", "o.id", "s.organization_id")
    .innerJoin("counterparts as c", "c.id", "s.counterpart_id")
    .select([
      "s.id",
      "s.organization_id",
      "s.counterpart_id",
      ...STAGE_COLUMNS.map((c) => `s.${c}` as const),
      "s.created_at",
      "s.updated_at",
      "o.path as organization_path",
      "o.name_zh as unit_name_zh",
      "o.name_en as unit_name_en",
      "o.kind as unit_kind",
      "c.country_code",
      "c.level as body_level",
      "c.name_zh as body_name_zh",
      "c.name_en as body_name_en",
    ]);
}

export type SisterCityRow = Awaited<ReturnType<ReturnType<typeof selectRelationships>["execute"]>>[number];

/** Every relationship (of the units at or below `organizationPath`), our units in tree order, then by body. */
export function listSisterCities(db: DB, filter: { organizationPath?: string; counterpartId?: number } = {}): Promise<SisterCityRow[]> {
  let query = selectRelationships(db);
  if (filter.organizationPath) query = query.where("o.path", "like", `${filter.organizationPath}%`);
  if (filter.counterpartId !== undefined) query = query.where("s.counterpart_id", "=", filter.counterpartId);
  return query.orderBy("o.sort_order").orderBy("c.country_code").orderBy("c.name_zh").orderBy("s.id").execute();
}

export function getSisterCity(db: DB, id: number): Promise<SisterCityRow | undefined> {
  return selectRelationships(db).where("s.id", "=", id).executeTakeFirst();
}

/** What the register's indicators count: each relationship's stage, dates and country, in a unit's subtree. */
export function listCountedRelationships(db: DB, scope: { organizationPath?: string } = {}) {
  let query = db
    .selectFrom("sister_cities as s")
    .innerJoin("counterparts as c", "c.id", "s.counterpart_id")
    .select(["s.stage", "s.established_on", "s.ended_on", "c.country_code"]);
  if (scope.organizationPath) {
    query = query.innerJoin("organizations as o", "o.id", "s.organization_id").where("o.path", "like", `${scope.organizationPath}%`);
  }
  return query.execute();
}

/** Our units that can hold a relationship (province, prefecture, county), in the seed's order. */
export function listSisterCityUnits(db: DB) {
  return db
    .selectFrom("organizations")
    .select(["id", "parent_id", "path", "kind", "name_zh", "name_en"])
    .where("kind", "in", SISTER_CITY_UNIT_KINDS)
    .orderBy("sort_order")
    .execute();
}

// ── the ledger's exchanges ──────────────────────────────────────────────────────────────────────

function exchanges(db: DB, today: string) {
  return db
    .selectFrom("activity_counterparts as ac")
    .innerJoin("activities as a", "a.id", "ac.activity_id")
    .where("a.deleted_at", "is", null)
    .where("a.status", "in", COUNTED_STATUSES)
    .where("a.start_date", "<=", today);
}

/**
 * The latest exchange (start of a counted activity, up to today) and the number in the window, per body and per
 * unit of ours leading them — from which a relationship takes those of its unit's subtree.
 */
export function exchangesByBodyAndUnit(db: DB, window: { from: string; today: string }, counterpartIds?: number[]) {
  let query = exchanges(db, window.today)
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .select((eb) => [
      "ac.counterpart_id",
      "o.path as organization_path",
      eb.fn.max("a.start_date").as("last_exchange"),
      eb.fn.sum<number | string>(eb.case().when("a.start_date", ">=", window.from).then(1).else(0).end()).as("recent"),
    ])
    .groupBy(["ac.counterpart_id", "o.path"]);
  if (counterpartIds) query = query.where("ac.counterpart_id", "in", counterpartIds.length ? counterpartIds : [0]);
  return query.execute();
}

/** The number of exchanges in the window per body, any unit of ours (the 开辟 candidates are read from it). */
export function exchangeCountsByBody(db: DB, window: { from: string; today: string }) {
  return exchanges(db, window.today)
    .where("a.start_date", ">=", window.from)
    .select((eb) => ["ac.counterpart_id", eb.fn.countAll<number | string>().as("exchanges"), eb.fn.max("a.start_date").as("last_exchange")])
    .groupBy("ac.counterpart_id")
    .execute();
}

/** The exchanges of a unit's subtree with a body in the window, newest first. */
export function listExchanges(db: DB, counterpartId: number, organizationPath: string, window: { from: string; today: string }) {
  return exchanges(db, window.today)
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .where("ac.counterpart_id", "=", counterpartId)
    .where("o.path", "like", `${organizationPath}%`)
    .where("a.start_date", ">=", window.from)
    .select(["a.id", "a.title", "a.type", "a.status", "a.start_date", "a.end_date", "o.name_zh as unit_name_zh", "o.name_en as unit_name_en"])
    .orderBy("a.start_date", "desc")
    .orderBy("a.id", "desc")
    .execute();
}

// ── writes ──────────────────────────────────────────────────────────────────────────────────────

export type CreateResult = { status: "ok"; id: number } | { status: "exists"; id: number };

/** Adds a relationship (one per unit and body), audited as sister_city.create (or .seed). */
export async function createSisterCity(
  db: DB,
  input: { organizationId: number; counterpartId: number; seedKey?: string } & SisterCityStageFields,
  actorId: number | null,
): Promise<CreateResult> {
  return db.transaction().execute(async (trx): Promise<CreateResult> => {
    const existing = await trx
      .selectFrom("sister_cities")
      .select("id")
      .where("organization_id", "=", input.organizationId)
      .where("counterpart_id", "=", input.counterpartId)
      .executeTakeFirst();
    if (existing) return { status: "exists", id: existing.id };
    const now = new Date().toISOString();
    const row = { organization_id: input.organizationId, counterpart_id: input.counterpartId, ...stageOf(input) };
    const { id } = await trx
      .insertInto("sister_cities")
      .values({ ...row, seed_key: input.seedKey ?? null, created_by: actorId, updated_by: actorId, created_at: now, updated_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { userId: actorId, action: input.seedKey ? "sister_city.seed" : "sister_city.create", entityType: "sister_city", entityId: id, changes: row });
    return { status: "ok", id };
  });
}

/** Saves a relationship's stage, dates, documents and end; the changes go in its history. */
export async function updateSisterCityStage(db: DB, id: number, fields: SisterCityStageFields, actorId: number): Promise<"ok" | "unchanged" | "not_found"> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("sister_cities").select(STAGE_COLUMNS).where("id", "=", id).executeTakeFirst();
    if (!before) return "not_found";
    const after = stageOf(fields);
    const changes = diffFields(stageOf(before), after);
    if (Object.keys(changes).length === 0) return "unchanged";
    await trx.updateTable("sister_cities").set({ ...after, updated_by: actorId, updated_at: new Date().toISOString() }).where("id", "=", id).execute();
    await writeAudit(trx, { userId: actorId, action: "sister_city.update", entityType: "sister_city", entityId: id, changes });
    return "ok";
  });
}

/**
 * When a duplicate body is merged into the one kept, its relationships follow it — except one whose unit already
 * has a relationship with the kept body, which stays with the duplicate (its page shows the merge) for a person to
 * reconcile. Each move is recorded in the relationship's history.
 */
export async function moveSisterCitiesOnMerge(trx: Transaction<Database>, duplicateId: number, keptId: number, actorId: number): Promise<number[]> {
  const kept = new Set(
    (await trx.selectFrom("sister_cities").select("organization_id").where("counterpart_id", "=", keptId).execute()).map((r) => r.organization_id),
  );
  const rows = await trx.selectFrom("sister_cities").select(["id", "organization_id"]).where("counterpart_id", "=", duplicateId).execute();
  const moved: number[] = [];
  for (const row of rows) {
    if (kept.has(row.organization_id)) continue;
    await trx.updateTable("sister_cities").set({ counterpart_id: keptId, updated_at: new Date().toISOString() }).where("id", "=", row.id).execute();
    await writeAudit(trx, { userId: actorId, action: "sister_city.update", entityType: "sister_city", entityId: row.id, changes: { counterpart_id: [duplicateId, keptId] } });
    moved.push(row.id);
  }
  return moved;
}

/** Bodies of the counterpart register by id, with what a list of candidates shows of them. */
export function listBodies(db: DB, ids: number[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom("counterparts").select(["id", "country_code", "level", "name_zh", "name_en"]).where("id", "in", ids).where("merged_into", "is", null).execute();
}

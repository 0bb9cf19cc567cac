// The counterpart register: foreign bodies, the other spellings they are found by, the activities that name them,
// and the writes that keep them one entry per body (create, alias, edit, merge), each with its history entry.
import type { Transaction } from "kysely";
import type { Database } from "../../db/schema";
import {
  CounterpartMatcher,
  type CounterpartLevel,
  type RegisterEntry,
  counterpartKey,
  keysOfName,
  splitCountry,
} from "~/domain/counterparts";
import { COUNTED_STATUSES } from "~/domain/counting";
import type { DB } from "~/utils/db.server";
import { lockUntilCommit } from "~/utils/sql-dialect.server";
import { diffFields, writeAudit } from "./audit-log.server";
import { moveSisterCitiesOnMerge } from "./sister-city.server";

const BODY_COLUMNS = ["id", "code", "country_code", "level", "name_zh", "name_en", "name_local", "merged_into", "created_at"] as const;

// ── reads ───────────────────────────────────────────────────────────────────────────────────────

/** Every body not merged away, with its other spellings: what names are resolved against. */
export async function loadRegisterEntries(db: DB): Promise<(RegisterEntry & { level: string })[]> {
  const [bodies, aliases] = await Promise.all([
    db
      .selectFrom("counterparts")
      .select(["id", "country_code", "level", "name_zh", "name_en", "name_local"])
      .where("merged_into", "is", null)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("counterpart_aliases as al")
      .innerJoin("counterparts as c", "c.id", "al.counterpart_id")
      .select(["al.counterpart_id", "al.name"])
      .where("c.merged_into", "is", null)
      .orderBy("al.id")
      .execute(),
  ]);
  const byBody = new Map<number, string[]>();
  for (const a of aliases) byBody.set(a.counterpart_id, [...(byBody.get(a.counterpart_id) ?? []), a.name]);
  return bodies.map((b) => ({ ...b, aliases: byBody.get(b.id) ?? [] }));
}

export async function loadCounterpartMatcher(db: DB): Promise<CounterpartMatcher> {
  return new CounterpartMatcher(await loadRegisterEntries(db));
}

/** One body (merged or not) with its other spellings; undefined when there is none. */
export async function getCounterpart(db: DB, id: number) {
  const body = await db.selectFrom("counterparts").select(BODY_COLUMNS).where("id", "=", id).executeTakeFirst();
  if (!body) return undefined;
  const aliases = await db
    .selectFrom("counterpart_aliases")
    .select(["id", "name"])
    .where("counterpart_id", "=", id)
    .orderBy("id")
    .execute();
  return { ...body, aliases };
}

export type CounterpartDetail = NonNullable<Awaited<ReturnType<typeof getCounterpart>>>;

/**
 * The register: every body not merged away, with how many live activities name it and the day of its last
 * contact (the latest start of a completed or ongoing one).
 */
export async function listCounterpartsWithCounts(db: DB) {
  const rows = await db
    .selectFrom("counterparts as c")
    .leftJoin("activity_counterparts as ac", "ac.counterpart_id", "c.id")
    .leftJoin("activities as a", (join) => join.onRef("a.id", "=", "ac.activity_id").on("a.deleted_at", "is", null))
    .where("c.merged_into", "is", null)
    .groupBy(["c.id", "c.code", "c.country_code", "c.level", "c.name_zh", "c.name_en", "c.name_local"])
    .select(["c.id", "c.code", "c.country_code", "c.level", "c.name_zh", "c.name_en", "c.name_local"])
    .select((eb) => [
      eb.fn.count<number>("a.id").distinct().as("activity_count"),
      eb.fn
        .max<string | null>(eb.case().when("a.status", "in", [...COUNTED_STATUSES]).then(eb.ref("a.start_date")).end())
        .as("last_contact"),
    ])
    .orderBy("c.id")
    .execute();
  return rows.map((r) => ({ ...r, activity_count: Number(r.activity_count), last_contact: r.last_contact ?? null }));
}

export type RegisterRow = Awaited<ReturnType<typeof listCounterpartsWithCounts>>[number];

/** The bodies the given activities name, in the order they name them. */
export async function counterpartsOfActivities(db: DB, activityIds: number[]) {
  if (activityIds.length === 0) return [];
  const out: {
    activity_id: number;
    id: number;
    country_code: string;
    level: string;
    name_zh: string;
    name_en: string;
  }[] = [];
  const ids = [...new Set(activityIds)];
  for (let i = 0; i < ids.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom("activity_counterparts as ac")
        .innerJoin("counterparts as c", "c.id", "ac.counterpart_id")
        .select(["ac.activity_id", "c.id", "c.country_code", "c.level", "c.name_zh", "c.name_en"])
        .where("ac.activity_id", "in", ids.slice(i, i + 500))
        .orderBy("ac.activity_id")
        .orderBy("ac.sort_order")
        .execute()),
    );
  }
  return out;
}

/** Names of bodies by id, merged ones included (a history entry may name a body merged since). */
export async function counterpartNamesById(db: DB, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("counterparts")
    .select(["id", "country_code", "name_zh", "name_en"])
    .where("id", "in", [...new Set(ids)])
    .execute();
}

/** The live activities naming a body, newest first, with their lead units. */
export function listCounterpartActivities(db: DB, id: number) {
  return db
    .selectFrom("activity_counterparts as ac")
    .innerJoin("activities as a", "a.id", "ac.activity_id")
    .innerJoin("organizations as o", "o.id", "a.organization_id")
    .select([
      "a.id",
      "a.title",
      "a.type",
      "a.status",
      "a.start_date",
      "a.end_date",
      "a.participants_count",
      "o.id as organization_id",
      "o.name_zh as organization_name_zh",
      "o.name_en as organization_name_en",
    ])
    .where("ac.counterpart_id", "=", id)
    .where("a.deleted_at", "is", null)
    .orderBy("a.start_date", "desc")
    .orderBy("a.id", "desc")
    .execute();
}

// ── writes ──────────────────────────────────────────────────────────────────────────────────────

export interface NewCounterpart {
  /** as written; a leading country that is the body's own is left out of the stored name */
  nameZh: string;
  countryCode: string;
  level: CounterpartLevel;
  nameEn?: string;
  nameLocal?: string;
}

/**
 * What an activity names: a registered body (optionally with the spelling that was used for it, kept as its
 * alias), or a body to register with the activity (asked for and confirmed on the form, or announced on an
 * import's preview).
 */
export type CounterpartRef = { id: number; alias?: string } | { create: NewCounterpart };

/** The key an alias is stored under: its folded form without the body's own country. */
function storedKey(name: string, country: string): string {
  const keys = keysOfName(name, country);
  return keys[keys.length - 1] ?? "";
}

/** The name to store: without a leading (or trailing) mention of the body's own country. */
function bareName(name: string, country: string): string {
  const split = splitCountry(name);
  return (split.country === country ? split.rest : name).trim();
}

export async function createCounterpart(trx: Transaction<Database>, input: NewCounterpart, actorId: number | null): Promise<number> {
  const now = new Date().toISOString();
  const row = {
    code: null,
    country_code: input.countryCode,
    level: input.level,
    name_zh: bareName(input.nameZh, input.countryCode),
    name_en: input.nameEn?.trim() ?? "",
    name_local: input.nameLocal?.trim() ?? "",
    created_by: actorId,
    created_at: now,
    updated_at: now,
  };
  const { id } = await trx.insertInto("counterparts").values(row).returning("id").executeTakeFirstOrThrow();
  const { created_at: _, updated_at: __, created_by: ___, code: ____, ...changes } = row;
  await writeAudit(trx, { userId: actorId, action: "counterpart.create", entityType: "counterpart", entityId: id, changes });
  return id;
}

/** Adds another spelling to a body unless it is already one of its names; says whether it did. */
export async function addAlias(trx: Transaction<Database>, id: number, name: string, actorId: number | null, audit = true): Promise<boolean> {
  const body = await trx.selectFrom("counterparts").select(["country_code", "name_zh", "name_en", "name_local"]).where("id", "=", id).executeTakeFirst();
  const written = name.trim();
  if (!body || !counterpartKey(written)) return false;
  const key = storedKey(written, body.country_code);
  const own = [body.name_zh, body.name_en, body.name_local].flatMap((n) => (n ? keysOfName(n, body.country_code) : []));
  if (own.includes(key)) return false;
  const exists = await trx.selectFrom("counterpart_aliases").select("id").where("counterpart_id", "=", id).where("name_key", "=", key).executeTakeFirst();
  if (exists) return false;
  await trx
    .insertInto("counterpart_aliases")
    .values({ counterpart_id: id, name: written, name_key: key, created_by: actorId, created_at: new Date().toISOString() })
    .execute();
  if (audit) await writeAudit(trx, { userId: actorId, action: "counterpart.alias_add", entityType: "counterpart", entityId: id, changes: { alias: written } });
  return true;
}

/**
 * The ids of the bodies a list of references names, registering the new ones: a new body that the register holds
 * by now (someone registered it meanwhile, or an earlier row of the same import) is not registered twice.
 * `cache` carries the bodies registered across several calls of one transaction.
 */
export async function resolveCounterpartRefs(
  trx: Transaction<Database>,
  refs: readonly CounterpartRef[],
  actorId: number | null,
  cache: Map<string, number> = new Map(),
): Promise<number[]> {
  if (refs.length === 0) return [];
  let matcher: CounterpartMatcher | null = null;
  const ids: number[] = [];
  for (const ref of refs) {
    let id: number;
    if ("id" in ref) {
      // a body merged since it was chosen answers with the one it was merged into (each id is looked up once)
      const known = cache.get(`#${ref.id}`);
      if (known !== undefined) id = known;
      else {
        const body = await trx.selectFrom("counterparts").select(["id", "merged_into"]).where("id", "=", ref.id).executeTakeFirst();
        if (!body) throw new Error(`counterpart ${ref.id} does not exist`);
        id = body.merged_into ?? body.id;
        cache.set(`#${ref.id}`, id);
      }
      if (ref.alias) await addAlias(trx, id, ref.alias, actorId);
    } else {
      const { countryCode, nameZh } = ref.create;
      const key = `${countryCode}|${counterpartKey(bareName(nameZh, countryCode))}`;
      const known = cache.get(key);
      if (known !== undefined) id = known;
      else {
        if (!matcher) {
          // two writers registering the same new body at once: the second waits, then finds the first's
          await lockUntilCommit(trx, "counterpart-register");
          matcher = await loadCounterpartMatcher(trx);
        }
        const found = matcher.resolveName(nameZh);
        const same = found.kind === "body" && matcher.entry(found.id)?.country_code === countryCode ? found.id : undefined;
        id = same ?? (await createCounterpart(trx, ref.create, actorId));
        cache.set(key, id);
      }
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** An activity's links, replaced by the given bodies in order (inside the activity write's transaction). */
export async function replaceActivityCounterparts(trx: Transaction<Database>, activityId: number, ids: readonly number[]): Promise<void> {
  await trx.deleteFrom("activity_counterparts").where("activity_id", "=", activityId).execute();
  if (ids.length) {
    await trx
      .insertInto("activity_counterparts")
      .values(ids.map((counterpart_id, sort_order) => ({ activity_id: activityId, counterpart_id, sort_order })))
      .execute();
  }
}

export interface CounterpartEdit {
  countryCode: string;
  level: CounterpartLevel;
  nameZh: string;
  nameEn: string;
  nameLocal: string;
  aliases: string[];
}

/** The names and spellings of an edit that another body (not merged away, same country) already goes by. */
export async function nameConflicts(db: DB, id: number, edit: Pick<CounterpartEdit, "countryCode" | "nameZh" | "nameEn" | "nameLocal" | "aliases">) {
  const matcher = new CounterpartMatcher((await loadRegisterEntries(db)).filter((e) => e.id !== id && e.country_code === edit.countryCode));
  const conflicts: { name: string; otherId: number }[] = [];
  for (const name of [edit.nameZh, edit.nameEn, edit.nameLocal, ...edit.aliases]) {
    if (!name.trim()) continue;
    const found = matcher.resolveName(name);
    if (found.kind === "body") conflicts.push({ name, otherId: found.id });
  }
  return conflicts;
}

/** Saves a reviewer's edit of a body (names, country, level, other spellings), with the changes in its history. */
export async function updateCounterpart(db: DB, id: number, edit: CounterpartEdit, actorId: number): Promise<"ok" | "not_found" | "unchanged"> {
  return db.transaction().execute(async (trx) => {
    const before = await getCounterpart(trx, id);
    if (!before || before.merged_into !== null) return "not_found";
    const nameZh = bareName(edit.nameZh, edit.countryCode);
    const aliases = [...new Map(edit.aliases.map((a) => a.trim()).filter(Boolean).map((a) => [storedKey(a, edit.countryCode), a])).values()];
    const snapshot = (b: { country_code: string; level: string; name_zh: string; name_en: string; name_local: string }, list: string[]) => ({
      country_code: b.country_code,
      level: b.level,
      name_zh: b.name_zh,
      name_en: b.name_en,
      name_local: b.name_local,
      aliases: list,
    });
    const after = { country_code: edit.countryCode, level: edit.level, name_zh: nameZh, name_en: edit.nameEn.trim(), name_local: edit.nameLocal.trim() };
    const changes = diffFields(snapshot(before, before.aliases.map((a) => a.name)), snapshot(after, aliases));
    if (Object.keys(changes).length === 0) return "unchanged";
    await trx.updateTable("counterparts").set({ ...after, updated_at: new Date().toISOString() }).where("id", "=", id).execute();
    await trx.deleteFrom("counterpart_aliases").where("counterpart_id", "=", id).execute();
    for (const alias of aliases) await addAlias(trx, id, alias, actorId, false);
    await writeAudit(trx, { userId: actorId, action: "counterpart.update", entityType: "counterpart", entityId: id, changes });
    return "ok";
  });
}

export type MergeResult =
  | { status: "ok"; activities: number[]; aliases: string[] }
  | { status: "not_found" }
  | { status: "same" }
  | { status: "other_country" };

/**
 * Merges a duplicate entry into the one kept: the duplicate's activities and spellings (its own names among them)
 * move to the kept body, and the duplicate answers with the kept one from then on. Both histories record it.
 */
export async function mergeCounterparts(db: DB, keptId: number, duplicateId: number, actorId: number): Promise<MergeResult> {
  if (keptId === duplicateId) return { status: "same" };
  return db.transaction().execute(async (trx): Promise<MergeResult> => {
    const kept = await getCounterpart(trx, keptId);
    const duplicate = await getCounterpart(trx, duplicateId);
    if (!kept || !duplicate || kept.merged_into !== null || duplicate.merged_into !== null) return { status: "not_found" };
    if (kept.country_code !== duplicate.country_code) return { status: "other_country" };

    // links: an activity naming both keeps one link, to the kept body
    const moved = (
      await trx.selectFrom("activity_counterparts").select("activity_id").where("counterpart_id", "=", duplicateId).orderBy("activity_id").execute()
    ).map((r) => r.activity_id);
    await trx
      .deleteFrom("activity_counterparts")
      .where("counterpart_id", "=", duplicateId)
      .where("activity_id", "in", (eb) => eb.selectFrom("activity_counterparts").select("activity_id").where("counterpart_id", "=", keptId))
      .execute();
    await trx.updateTable("activity_counterparts").set({ counterpart_id: keptId }).where("counterpart_id", "=", duplicateId).execute();

    // sister-city relationships follow the body (docs/decisions/015-sister-city-register.md)
    await moveSisterCitiesOnMerge(trx, duplicateId, keptId, actorId);

    // spellings: the duplicate's aliases and its own names become the kept body's other spellings
    await trx.deleteFrom("counterpart_aliases").where("counterpart_id", "=", duplicateId).execute();
    const aliases: string[] = [];
    for (const name of [duplicate.name_zh, duplicate.name_en, duplicate.name_local, ...duplicate.aliases.map((a) => a.name)]) {
      if (name && (await addAlias(trx, keptId, name, actorId, false))) aliases.push(name);
    }

    const now = new Date().toISOString();
    await trx.updateTable("counterparts").set({ merged_into: keptId, updated_at: now }).where("id", "=", duplicateId).execute();
    // entries merged into the duplicate earlier now answer with the kept body directly
    await trx.updateTable("counterparts").set({ merged_into: keptId, updated_at: now }).where("merged_into", "=", duplicateId).execute();

    const named = (b: CounterpartDetail) => ({ id: b.id, country_code: b.country_code, name_zh: b.name_zh, name_en: b.name_en });
    await writeAudit(trx, {
      userId: actorId,
      action: "counterpart.merge",
      entityType: "counterpart",
      entityId: keptId,
      changes: { merged: named(duplicate), activities: moved, aliases },
    });
    await writeAudit(trx, {
      userId: actorId,
      action: "counterpart.merged_into",
      entityType: "counterpart",
      entityId: duplicateId,
      changes: { merged_into: named(kept), activities: moved },
    });
    return { status: "ok", activities: moved, aliases };
  });
}

// The one way new activities are written: the row, its plan item, country, evidence, partner and counterpart links
// (registering the new bodies it names), and a history entry holding its snapshot, inside a transaction the caller
// holds. The spreadsheet import writes thousands at once (links and history go in as multi-row inserts instead of
// a dozen round trips per activity); createActivity is a batch of one.
import { type ActivityInput, partnerRows } from "./activity.server";
import { type TotalsDelta, addTotalsDelta, addTotalsOf, emptyTotalsDelta, factOfInput, stagedTotalsDelta } from "./activity-totals.server";
import { type CounterpartRef, resolveCounterpartRefs } from "./counterpart.server";
import { SEARCHED_COLUMNS, type SearchedActivity, addToSearchIndex, unindexActivitySearch } from "./activity-search.server";
import type { Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { DB } from "~/utils/db.server";
import { executeRowsQuery } from "~/utils/rows-query.server";

export interface BatchActivity {
  input: ActivityInput;
  /** the spreadsheet row's fingerprint, so a second import of the same row is recognised */
  fingerprint: string | null;
  /** the demo seed's key, so seeding twice changes nothing */
  seedKey?: string | null;
}

/** An ActivityInput as the activities table's columns (shared with updates). */
export function activityColumns(input: ActivityInput) {
  return {
    organization_id: input.organizationId,
    title: input.title,
    type: input.type,
    start_date: input.startDate,
    end_date: input.endDate,
    status: input.status,
    counterpart_body: input.counterpartBody,
    location: input.location,
    delegations_count: input.delegationsCount,
    participants_count: input.participantsCount,
    funding_cny_fen: input.fundingCnyFen,
    funding_source: input.fundingSource,
    outcome: input.outcome,
  };
}

/** What the search index holds of an activity, as its input writes it (partners and countries as written). */
function searchedOfInput(input: ActivityInput, pathOf: Map<number, string>): SearchedActivity {
  const columns = activityColumns(input);
  return {
    texts: SEARCHED_COLUMNS.map((c) => columns[c]),
    unitPath: pathOf.get(input.organizationId) ?? "",
    partnerPaths: partnerRows(0, input).flatMap((p) => (p.organization_id === null ? [] : [pathOf.get(p.organization_id) ?? ""])),
    countries: [...new Set(input.countries)],
  };
}

// Rows per multi-row insert: well under SQLite's and PostgreSQL's limits on bound parameters.
const CHUNK = 500;
// Activities per multi-row insert (20 columns each).
const ACTIVITY_CHUNK = 200;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

type LinkTable = "activity_plan_items" | "activity_countries" | "activity_evidence" | "activity_partners" | "activity_counterparts" | "audit_log";

/** Inserts rows into a link table (or the history), a chunk per multi-row insert built once per size. */
function insertRows<T extends Record<string, unknown>>(trx: Transaction<Database>, table: LinkTable, rows: T[]): Promise<void> {
  return insertChunked(rows, (chunk) =>
    executeRowsQuery(trx, `insert ${table}`, chunk, (c) => trx.insertInto(table).values(c as never), chunk.length === CHUNK),
  );
}

type AuditRow = {
  at: string;
  user_id: number | null;
  action: string;
  entity_type: string;
  entity_id: number;
  changes_json: string;
};

/** The history entry's snapshot of a new activity, before its counterparts are known. */
type Snapshot = Record<string, unknown>;

interface Written {
  ids: number[];
  /** per activity, its snapshot (counterparts filled in where they were linked) */
  snapshots: Snapshot[];
  /** the activities whose counterparts wait for a later step (staged rows naming bodies to register) */
  deferred: { index: number; refs: readonly CounterpartRef[] }[];
}

/**
 * Writes the activities and their links, in order, inside the caller's transaction. A staged write marks them as
 * the import's (invisible, see stageActivities) and leaves the registering of new counterpart bodies for later.
 */
async function writeActivities(
  trx: Transaction<Database>,
  activities: BatchActivity[],
  actorId: number | null,
  now: string,
  stagedFor: number | null,
): Promise<Written> {
  const planItems = new Map(
    (await trx.selectFrom("plan_items").select(["id", "code", "sort_order"]).execute()).map((p) => [p.id, p]),
  );
  const ids: number[] = [];
  for (let i = 0; i < activities.length; i += ACTIVITY_CHUNK) {
    const values = activities.slice(i, i + ACTIVITY_CHUNK).map(({ input, fingerprint, seedKey }) => ({
      ...activityColumns(input),
      version: 1,
      seed_key: seedKey ?? null,
      import_fingerprint: fingerprint,
      created_by: actorId,
      updated_by: actorId,
      created_at: now,
      updated_at: now,
      // staged: in the recycle bin's state, so every reader of live activities passes it by until the import ends
      deleted_at: stagedFor === null ? null : now,
      import_pending: stagedFor,
    }));
    const { rows: inserted } = await executeRowsQuery(
      trx,
      "insert activities returning id",
      values,
      (v) => trx.insertInto("activities").values(v as typeof values).returning("id"),
      values.length === ACTIVITY_CHUNK,
    );
    // A multi-row insert numbers its rows in the order of its values (SQLite's rowid, PostgreSQL's identity are
    // both drawn row after row), whatever order RETURNING lists them in.
    ids.push(...inserted.map((r) => r.id).sort((a, b) => a - b));
  }

  const links: { activity_id: number; plan_item_id: number; is_primary: number }[] = [];
  const countries: { activity_id: number; country_code: string }[] = [];
  const evidence: { activity_id: number; url: string; label: string; sort_order: number }[] = [];
  const partners: ReturnType<typeof partnerRows> = [];
  const counterparts: { activity_id: number; counterpart_id: number; sort_order: number }[] = [];
  /** bodies registered (or looked up) by this batch: two rows naming the same body look it up once */
  const registered = new Map<string, number>();
  const snapshots: Snapshot[] = [];
  const deferred: Written["deferred"] = [];
  const code = (pid: number) => {
    const item = planItems.get(pid);
    if (!item) throw new Error(`plan item ${pid} does not exist`);
    return item;
  };

  for (const [index, { input }] of activities.entries()) {
    const id = ids[index]!;
    const others = [...new Set(input.otherPlanItemIds)].filter((pid) => pid !== input.primaryPlanItemId);
    links.push({ activity_id: id, plan_item_id: input.primaryPlanItemId, is_primary: 1 });
    for (const pid of others) links.push({ activity_id: id, plan_item_id: pid, is_primary: 0 });
    const codes = [...new Set(input.countries)];
    for (const country_code of codes) countries.push({ activity_id: id, country_code });
    input.evidence.forEach((e, i) => evidence.push({ activity_id: id, url: e.url, label: e.label, sort_order: i }));
    const partnersOfThis = partnerRows(id, input);
    partners.push(...partnersOfThis);
    const refs = input.counterparts ?? [];
    let counterpartIds: number[] | null = null;
    if (stagedFor !== null && refs.some((r) => "create" in r)) deferred.push({ index, refs });
    else {
      counterpartIds = await resolveCounterpartRefs(trx, refs, actorId, registered);
      counterpartIds.forEach((counterpart_id, sort_order) => counterparts.push({ activity_id: id, counterpart_id, sort_order }));
    }

    // The same snapshot, key for key, that createActivity records (see snapshot() in activity.server.ts).
    snapshots.push({
      organization_id: input.organizationId,
      title: input.title,
      type: input.type,
      start_date: input.startDate,
      end_date: input.endDate,
      status: input.status,
      primary_plan_item: code(input.primaryPlanItemId).code,
      plan_items: others
        .map(code)
        .sort((a, b) => a.sort_order - b.sort_order)
        .map((p) => p.code),
      countries: [...codes].sort(),
      counterpart_body: input.counterpartBody,
      location: input.location,
      delegations_count: input.delegationsCount,
      participants_count: input.participantsCount,
      funding_cny_fen: input.fundingCnyFen,
      funding_source: input.fundingSource,
      outcome: input.outcome,
      evidence: input.evidence.map((e) => (e.label ? `${e.label} ${e.url}` : e.url)),
      partners: partnersOfThis.map((p) => p.organization_id ?? p.name),
      counterparts: counterpartIds,
    });
  }

  await insertRows(trx, "activity_plan_items", links);
  await insertRows(trx, "activity_countries", countries);
  await insertRows(trx, "activity_evidence", evidence);
  await insertRows(trx, "activity_partners", partners);
  await insertRows(trx, "activity_counterparts", counterparts);
  const unitIds = [...new Set(activities.flatMap(({ input }) => [input.organizationId, ...(input.partners ?? []).flatMap((p) => (p.organizationId === undefined ? [] : [p.organizationId]))]))];
  const pathOf = new Map<number, string>();
  for (let i = 0; i < unitIds.length; i += CHUNK) {
    for (const o of await trx.selectFrom("organizations").select(["id", "path"]).where("id", "in", unitIds.slice(i, i + CHUNK)).execute()) pathOf.set(o.id, o.path);
  }
  await addToSearchIndex(trx, activities.map(({ input }, index) => ({ id: ids[index]!, activity: searchedOfInput(input, pathOf) })));
  return { ids, snapshots, deferred };
}

function auditRows(ids: number[], snapshots: (Snapshot | string)[], actorId: number | null, action: string, now: string): AuditRow[] {
  return ids.map((id, i) => {
    const snapshot = snapshots[i];
    return {
      at: now,
      user_id: actorId,
      action,
      entity_type: "activity",
      entity_id: id,
      changes_json: typeof snapshot === "string" ? snapshot : JSON.stringify(snapshot),
    };
  });
}

/**
 * Inserts the activities in order and returns their ids. Opens no transaction: it takes the caller's, so one
 * failure anywhere rolls every activity back.
 */
export async function insertActivitiesBatch(
  trx: Transaction<Database>,
  activities: BatchActivity[],
  actorId: number | null,
  options: { action: string },
): Promise<number[]> {
  if (activities.length === 0) return [];
  const now = new Date().toISOString();
  const { ids, snapshots } = await writeActivities(trx, activities, actorId, now, null);
  const audit = auditRows(ids, snapshots, actorId, options.action, now);
  await insertRows(trx, "audit_log", audit);
  // what was written, as written: no need to read the new rows back
  await addTotalsOf(trx, activities.map((a) => factOfInput(a.input)));
  return ids;
}

// ── staged: a big import in short transactions (docs/decisions/022-imports-staged-in-short-transactions.md) ──

/** A staged activity, as the import's last step needs it. */
export interface StagedActivity {
  id: number;
  /**
   * its history entry's snapshot, when its history entry is written as it is published: as JSON (kept as a
   * string), or, for a deferred activity, an object whose counterparts are filled in then; null when the entry was
   * written as it was staged
   */
  snapshot: Snapshot | string | null;
  /** counterpart references whose new bodies are registered when it is published */
  deferredRefs: readonly CounterpartRef[] | null;
}

/**
 * Writes a chunk of an import's activities and their links, staged: marked with the upload's id and in the
 * recycle bin's state, so no page, count, total, export or duplicate check sees them, and without totals. New
 * counterpart bodies they name are not registered yet. What they will add to the totals is added to `totals`, for
 * the last step to apply. With `history`, the history entries of those that name no new body are written now (only
 * an activity's own page shows them, and a staged activity has none); the others' when they are published.
 * publishStagedActivities makes them live; removeStagedActivities takes them away, history entries and all.
 */
export async function stageActivities(
  trx: Transaction<Database>,
  uploadId: number,
  activities: BatchActivity[],
  actorId: number | null,
  totals: TotalsDelta = emptyTotalsDelta(),
  history?: { action: string },
): Promise<StagedActivity[]> {
  if (activities.length === 0) return [];
  const now = new Date().toISOString();
  const { ids, snapshots, deferred } = await writeActivities(trx, activities, actorId, now, uploadId);
  // what was written, as written: the staged rows are not read back
  await stagedTotalsDelta(trx, { written: activities.map((a) => factOfInput(a.input)) }, 1, totals);
  const later = new Map(deferred.map((d) => [d.index, d.refs]));
  const staged: StagedActivity[] = ids.map((id, i) => {
    const refs = later.get(i);
    if (refs) return { id, snapshot: snapshots[i]!, deferredRefs: refs };
    return { id, snapshot: history ? null : JSON.stringify(snapshots[i]), deferredRefs: null };
  });
  if (history) {
    const written = [...staged.keys()].filter((i) => staged[i]!.snapshot === null);
    const audit = auditRows(written.map((i) => ids[i]!), written.map((i) => snapshots[i]!), actorId, history.action, now);
    await insertRows(trx, "audit_log", audit);
  }
  return staged;
}

/**
 * The import's last step, in its transaction: registers the new counterpart bodies the staged rows name and
 * links them, makes every staged row of the upload live at once, adds them to the totals (`totals`, gathered while
 * they were staged) and writes their history entries. `staged` is every row still staged for the upload (the ones
 * discarded meanwhile left out).
 */
export async function publishStagedActivities(
  trx: Transaction<Database>,
  uploadId: number,
  staged: StagedActivity[],
  actorId: number | null,
  options: { action: string; totals: TotalsDelta },
): Promise<void> {
  const now = new Date().toISOString();
  const registered = new Map<string, number>();
  const counterparts: { activity_id: number; counterpart_id: number; sort_order: number }[] = [];
  for (const s of staged) {
    if (!s.deferredRefs) continue;
    const ids = await resolveCounterpartRefs(trx, s.deferredRefs, actorId, registered);
    ids.forEach((counterpart_id, sort_order) => counterparts.push({ activity_id: s.id, counterpart_id, sort_order }));
    if (s.snapshot !== null && typeof s.snapshot !== "string") s.snapshot.counterparts = ids;
  }
  await insertRows(trx, "activity_counterparts", counterparts);
  const published = await trx
    .updateTable("activities")
    .set({ deleted_at: null, import_pending: null, created_at: now, updated_at: now })
    .where("import_pending", "=", uploadId)
    .executeTakeFirst();
  if (Number(published.numUpdatedRows) !== staged.length) {
    throw new Error(`expected ${staged.length} staged activities of upload ${uploadId}, found ${published.numUpdatedRows}`);
  }
  // the history entries not written as they were staged
  const unwritten = staged.filter((s): s is StagedActivity & { snapshot: Snapshot | string } => s.snapshot !== null);
  await insertRows(trx, "audit_log", auditRows(unwritten.map((s) => s.id), unwritten.map((s) => s.snapshot), actorId, options.action, now));
  await addTotalsDelta(trx, options.totals);
}

const LINK_TABLES = ["activity_plan_items", "activity_countries", "activity_evidence", "activity_partners", "activity_counterparts"] as const;

/**
 * Deletes staged activities (never live ones) with their links, in the caller's transaction; their share is taken
 * back from the import's `totals` when given.
 */
export async function discardStagedActivities(trx: Transaction<Database>, ids: number[], totals?: TotalsDelta): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const staged = (
      await trx.selectFrom("activities").select("id").where("id", "in", chunk).where("import_pending", "is not", null).execute()
    ).map((r) => r.id);
    if (staged.length === 0) continue;
    if (totals) await stagedTotalsDelta(trx, { ids: staged }, -1, totals);
    for (const table of LINK_TABLES) await trx.deleteFrom(table).where("activity_id", "in", staged).execute();
    await unindexActivitySearch(trx, staged);
    // history entries written as they were staged
    await trx.deleteFrom("audit_log").where("entity_type", "=", "activity").where("entity_id", "in", staged).execute();
    await trx.deleteFrom("activities").where("id", "in", staged).execute();
  }
}

/**
 * Removes the rows an import staged (of one upload, or of any: what an import that died left behind), a chunk per
 * short transaction, so others' writes go on between them. Returns how many were removed.
 */
export async function removeStagedActivities(db: DB, uploadId: number | null): Promise<number> {
  let removed = 0;
  for (;;) {
    let query = db.selectFrom("activities").select("id").where("import_pending", "is not", null);
    if (uploadId !== null) query = query.where("import_pending", "=", uploadId);
    // in the order of the index of staged rows (partial: it holds them only), so a ledger with none is not scanned
    const ids = (await query.orderBy("import_pending").orderBy("id").limit(1000).execute()).map((r) => r.id);
    if (ids.length === 0) return removed;
    await db.transaction().execute((trx) => discardStagedActivities(trx, ids));
    removed += ids.length;
    await new Promise(setImmediate);
  }
}

/**
 * Live activities written or changed since a moment (saved by others while an import was staging): their unit,
 * title, start date and type, and the fingerprint of the row they were imported from.
 */
export function listActivitiesChangedSince(db: DB, since: string) {
  return db
    .selectFrom("activities")
    .select(["organization_id", "title", "type", "start_date", "import_fingerprint"])
    .where("updated_at", ">=", since)
    .where("deleted_at", "is", null)
    .execute();
}

/** Of the given fingerprints, those a live activity was imported with. */
export async function findImportedFingerprints(db: DB, fingerprints: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const unique = [...new Set(fingerprints)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .selectFrom("activities")
      .select("import_fingerprint")
      .where("import_fingerprint", "in", unique.slice(i, i + CHUNK))
      .where("deleted_at", "is", null)
      .execute();
    for (const r of rows) if (r.import_fingerprint) found.add(r.import_fingerprint);
  }
  return found;
}

/**
 * Live activities of the given units starting on any of the given dates: what a spreadsheet row could be a copy
 * of even when it was logged through the form.
 */
export async function listActivitiesOnDates(db: DB, organizationIds: number[], startDates: string[]) {
  const units = [...new Set(organizationIds)];
  const dates = [...new Set(startDates)];
  if (units.length === 0 || dates.length === 0) return [];
  const rows: { organization_id: number; title: string; type: string; start_date: string }[] = [];
  for (let u = 0; u < units.length; u += CHUNK) {
    for (let d = 0; d < dates.length; d += CHUNK) {
      rows.push(
        ...(await db
          .selectFrom("activities")
          .select(["organization_id", "title", "type", "start_date"])
          .where("organization_id", "in", units.slice(u, u + CHUNK))
          .where("start_date", "in", dates.slice(d, d + CHUNK))
          .where("deleted_at", "is", null)
          .execute()),
      );
    }
  }
  return rows;
}

// The one way new activities are written: the row, its plan item, country, evidence, partner and counterpart links
// (registering the new bodies it names), and a history entry holding its snapshot, inside a transaction the caller
// holds. The spreadsheet import writes thousands at once (links and history go in as multi-row inserts instead of
// a dozen round trips per activity); createActivity is a batch of one.
import { type ActivityInput, partnerRows } from "./activity.server";
import { addTotalsOf } from "./activity-totals.server";
import { resolveCounterpartRefs } from "./counterpart.server";
import type { Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { DB } from "~/utils/db.server";

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

// Rows per multi-row insert: well under SQLite's and PostgreSQL's limits on bound parameters.
const CHUNK = 500;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
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
  const planItems = new Map(
    (await trx.selectFrom("plan_items").select(["id", "code", "sort_order"]).execute()).map((p) => [p.id, p]),
  );
  const now = new Date().toISOString();
  const ids: number[] = [];
  const links: { activity_id: number; plan_item_id: number; is_primary: number }[] = [];
  const countries: { activity_id: number; country_code: string }[] = [];
  const evidence: { activity_id: number; url: string; label: string; sort_order: number }[] = [];
  const partners: ReturnType<typeof partnerRows> = [];
  const counterparts: { activity_id: number; counterpart_id: number; sort_order: number }[] = [];
  /** bodies registered by this batch: two rows naming the same new body register it once */
  const registered = new Map<string, number>();
  const audit: {
    at: string;
    user_id: number | null;
    action: string;
    entity_type: string;
    entity_id: number;
    changes_json: string;
  }[] = [];

  for (const { input, fingerprint, seedKey } of activities) {
    const { id } = await trx
      .insertInto("activities")
      .values({
        ...activityColumns(input),
        version: 1,
        seed_key: seedKey ?? null,
        import_fingerprint: fingerprint,
        created_by: actorId,
        updated_by: actorId,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids.push(id);

    const others = [...new Set(input.otherPlanItemIds)].filter((pid) => pid !== input.primaryPlanItemId);
    links.push({ activity_id: id, plan_item_id: input.primaryPlanItemId, is_primary: 1 });
    for (const pid of others) links.push({ activity_id: id, plan_item_id: pid, is_primary: 0 });
    const codes = [...new Set(input.countries)];
    for (const country_code of codes) countries.push({ activity_id: id, country_code });
    input.evidence.forEach((e, i) => evidence.push({ activity_id: id, url: e.url, label: e.label, sort_order: i }));
    const partnersOfThis = partnerRows(id, input);
    partners.push(...partnersOfThis);
    const counterpartIds = await resolveCounterpartRefs(trx, input.counterparts ?? [], actorId, registered);
    counterpartIds.forEach((counterpart_id, sort_order) => counterparts.push({ activity_id: id, counterpart_id, sort_order }));

    const code = (pid: number) => {
      const item = planItems.get(pid);
      if (!item) throw new Error(`plan item ${pid} does not exist`);
      return item;
    };
    // The same snapshot, key for key, that createActivity records (see snapshot() in activity.server.ts).
    const snapshot = {
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
    };
    audit.push({
      at: now,
      user_id: actorId,
      action: options.action,
      entity_type: "activity",
      entity_id: id,
      changes_json: JSON.stringify(snapshot),
    });
  }

  await insertChunked(links, (chunk) => trx.insertInto("activity_plan_items").values(chunk).execute());
  await insertChunked(countries, (chunk) => trx.insertInto("activity_countries").values(chunk).execute());
  await insertChunked(evidence, (chunk) => trx.insertInto("activity_evidence").values(chunk).execute());
  await insertChunked(partners, (chunk) => trx.insertInto("activity_partners").values(chunk).execute());
  await insertChunked(counterparts, (chunk) => trx.insertInto("activity_counterparts").values(chunk).execute());
  await insertChunked(audit, (chunk) => trx.insertInto("audit_log").values(chunk).execute());
  await addTotalsOf(trx, ids);
  return ids;
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

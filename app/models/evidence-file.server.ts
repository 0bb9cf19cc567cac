// Evidence files (佐证材料): their rows, and their bytes in a table of their own that only a download reads.
import type { Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { DB } from "~/utils/db.server";

/** What a page or an export shows of a file: never its bytes. */
const LISTED = ["id", "activity_id", "organization_id", "period_id", "name", "content_type", "size_bytes", "created_at", "deleted_at"] as const;

export type EvidenceFileRow = Awaited<ReturnType<typeof getEvidenceFile>> & {};

export function getEvidenceFile(db: DB, id: number) {
  return db.selectFrom("evidence_files").select(LISTED).where("id", "=", id).executeTakeFirst();
}

/** The files of an activity, oldest first; `deleted` lists the ones in the recycle bin instead. */
export function listActivityFiles(db: DB, activityId: number, options: { deleted?: boolean } = {}) {
  return db
    .selectFrom("evidence_files")
    .select(LISTED)
    .where("activity_id", "=", activityId)
    .where("deleted_at", options.deleted ? "is not" : "is", null)
    .orderBy("id")
    .execute();
}

/** The live files of many activities (an export's batch), oldest first. */
export function listFilesOfActivities(db: DB, activityIds: number[]) {
  if (activityIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("evidence_files")
    .select(["id", "activity_id", "name", "content_type", "size_bytes"])
    .where("activity_id", "in", activityIds)
    .where("deleted_at", "is", null)
    .orderBy("id")
    .execute();
}

/** The live files of a unit's report for a period, oldest first. */
export function listReportFiles(db: DB, organizationId: number, periodId: number) {
  return db
    .selectFrom("evidence_files")
    .select(LISTED)
    .where("activity_id", "is", null)
    .where("organization_id", "=", organizationId)
    .where("period_id", "=", periodId)
    .where("deleted_at", "is", null)
    .orderBy("id")
    .execute();
}

/**
 * Files in the recycle bin (the latest 200) of activities and reports of the units under `path` (all units
 * without it), with what they belonged to.
 */
export async function listDeletedFiles(db: DB, path: string | null) {
  let query = db
    .selectFrom("evidence_files as f")
    .leftJoin("activities as a", "a.id", "f.activity_id")
    .leftJoin("organizations as ao", "ao.id", "a.organization_id")
    .leftJoin("organizations as ro", "ro.id", "f.organization_id")
    .leftJoin("reporting_periods as p", "p.id", "f.period_id")
    .leftJoin("users as u", "u.id", "f.deleted_by")
    .select([
      "f.id",
      "f.name",
      "f.size_bytes",
      "f.deleted_at",
      "f.activity_id",
      "a.title as activity_title",
      "p.code as period_code",
      "ao.path as activity_unit_path",
      "ro.id as report_unit_id",
      "ro.path as report_unit_path",
      "ro.name_zh as report_unit_name_zh",
      "ro.name_en as report_unit_name_en",
      "u.display_name as deleted_by_name",
    ])
    .where("f.deleted_at", "is not", null)
    .orderBy("f.deleted_at", "desc")
    .orderBy("f.id", "desc")
    .limit(200);
  if (path) query = query.where((eb) => eb.or([eb("ao.path", "like", `${path}%`), eb("ro.path", "like", `${path}%`)]));
  const rows = await query.execute();
  return rows.map(({ activity_unit_path, report_unit_path, ...r }) => ({ ...r, organization_path: activity_unit_path ?? report_unit_path ?? "" }));
}

export interface NewEvidenceFile {
  activityId: number | null;
  organizationId: number | null;
  periodId: number | null;
  name: string;
  contentType: string;
  bytes: Buffer;
  sha256: string;
  createdBy: number;
}

export async function insertEvidenceFile(trx: Transaction<Database>, file: NewEvidenceFile): Promise<number> {
  const row = await trx
    .insertInto("evidence_files")
    .values({
      activity_id: file.activityId,
      organization_id: file.organizationId,
      period_id: file.periodId,
      name: file.name,
      content_type: file.contentType,
      size_bytes: file.bytes.length,
      sha256: file.sha256,
      created_by: file.createdBy,
      created_at: new Date().toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx.insertInto("evidence_file_contents").values({ file_id: row.id, bytes: file.bytes }).execute();
  return row.id;
}

/** Moves a file to the recycle bin (true), or leaves one already there (false). */
export async function markEvidenceFileDeleted(trx: Transaction<Database>, id: number, actorId: number): Promise<boolean> {
  const result = await trx
    .updateTable("evidence_files")
    .set({ deleted_at: new Date().toISOString(), deleted_by: actorId })
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Brings a file back from the recycle bin (true), or leaves one that is not in it (false). */
export async function markEvidenceFileRestored(trx: Transaction<Database>, id: number): Promise<boolean> {
  const result = await trx
    .updateTable("evidence_files")
    .set({ deleted_at: null, deleted_by: null })
    .where("id", "=", id)
    .where("deleted_at", "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The bytes of a file, for its download. */
export async function readEvidenceFileBytes(db: DB, id: number): Promise<Buffer | null> {
  const row = await db.selectFrom("evidence_file_contents").select("bytes").where("file_id", "=", id).executeTakeFirst();
  return row ? Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : null;
}

// Evidence files (佐证材料) on an activity or on a unit's period report: who may add, remove and restore them, and
// that an approved period keeps the ones it was approved with (docs/decisions/016-evidence-files.md). A file's
// type is what its bytes are (app/domain/evidence-files.ts); a removed file goes to the recycle bin.
import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { EVIDENCE_MAX_BYTES, EVIDENCE_MAX_MB, sniffEvidenceType } from "~/domain/evidence-files";
import { getActivity } from "~/models/activity.server";
import { writeAudit } from "~/models/audit-log.server";
import {
  type EvidenceFileRow,
  getEvidenceFile,
  insertEvidenceFile,
  markEvidenceFileDeleted,
  markEvidenceFileRestored,
} from "~/models/evidence-file.server";
import { getOrganization } from "~/models/organization.server";
import { getReportFor } from "~/models/period-report.server";
import { getPeriod, getPeriodByCode } from "~/models/reporting-period.server";
import { type FrozenBy, frozenBy, waitForApprovals } from "~/services/freeze.server";
import { type SessionUser, can } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";

/** Where a file belongs: an activity, or a unit's report for a period. */
export type EvidenceTarget = { kind: "activity"; activityId: number } | { kind: "report"; unitId: number; periodCode: string };

export interface EvidenceRefusal {
  status: 400 | 403 | 404 | 413 | 415;
  key: string;
  params?: Record<string, string | number>;
}

export type EvidenceOutcome = { ok: true; fileId: number; back: string } | { ok: false; refusal: EvidenceRefusal; back: string | null };

/** The owner of a file or an upload: its unit (for the permission), where its page is, and what freezes it. */
interface Owner {
  organizationPath: string;
  back: string;
  /** the approved report that keeps it as it is, or why it cannot change now (a report under review) */
  locked: (trx: DB) => Promise<EvidenceRefusal | null>;
  ability: "activity.edit" | "report.save";
  activityId: number | null;
  organizationId: number | null;
  periodId: number | null;
}

const frozenRefusal = (report: FrozenBy): EvidenceRefusal => ({
  status: 403,
  key: "evidence.refused.frozen",
  params: { period: report.period_code },
});

async function activityOwner(db: DB, activityId: number): Promise<Owner | null> {
  const activity = await getActivity(db, activityId);
  if (!activity) return null;
  return {
    organizationPath: activity.organization_path,
    back: `/activities/${activity.id}`,
    ability: "activity.edit",
    activityId: activity.id,
    organizationId: null,
    periodId: null,
    locked: async (trx) => {
      const report = await frozenBy(trx, activity.organization_path, [activity.start_date]);
      if (report) return frozenRefusal(report);
      const current = await trx.selectFrom("activities").select("deleted_at").where("id", "=", activity.id).executeTakeFirst();
      return current?.deleted_at ? { status: 403, key: "evidence.refused.activity_deleted" } : null;
    },
  };
}

async function reportOwner(db: DB, unitId: number, periodId: number, periodCode?: string): Promise<Owner | null> {
  const [unit, period] = await Promise.all([getOrganization(db, unitId), periodCode ? getPeriodByCode(db, periodCode) : getPeriod(db, periodId)]);
  if (!unit || !period) return null;
  return {
    organizationPath: unit.path,
    back: `/reports/${unit.id}/${period.code}`,
    ability: "report.save",
    activityId: null,
    organizationId: unit.id,
    periodId: period.id,
    locked: async (trx) => {
      const report = await getReportFor(trx, unit.id, period.id);
      if (report?.status === "approved") return { status: 403, key: "evidence.refused.frozen", params: { period: period.code } };
      if (report?.status === "submitted") return { status: 403, key: "evidence.refused.under_review" };
      // a closed period takes no more drafting (reportPermissions): nor files
      if (period.closed_at !== null) return { status: 403, key: "evidence.refused.period_closed" };
      return null;
    },
  };
}

/** The owner of an upload's target; null when it does not exist. */
export function targetOwner(db: DB, target: EvidenceTarget): Promise<Owner | null> {
  if (target.kind === "activity") return activityOwner(db, target.activityId);
  return reportOwner(db, target.unitId, 0, target.periodCode);
}

function fileOwner(db: DB, file: NonNullable<EvidenceFileRow>): Promise<Owner | null> {
  if (file.activity_id !== null) return activityOwner(db, file.activity_id);
  return reportOwner(db, file.organization_id!, file.period_id!);
}

/** May the user add files to the target at all (role and unit)? Asked before a byte of the upload is read. */
export async function mayUpload(db: DB, user: SessionUser, target: EvidenceTarget): Promise<{ owner: Owner } | { refusal: EvidenceRefusal }> {
  const owner = await targetOwner(db, target);
  if (!owner) return { refusal: { status: 404, key: "evidence.refused.not_found" } };
  if (!can(user, owner.ability, { organization_path: owner.organizationPath })) return { refusal: { status: 403, key: "evidence.refused.forbidden" } };
  return { owner };
}

/** Runs `write` in a transaction that first waits for an approval in progress and refuses a frozen owner. */
async function unlessLocked<T>(db: DB, owner: Owner, write: (trx: Transaction<Database>) => Promise<T>): Promise<{ refusal: EvidenceRefusal } | { result: T }> {
  class Locked extends Error {
    constructor(readonly refusal: EvidenceRefusal) {
      super("locked");
    }
  }
  try {
    return {
      result: await db.transaction().execute(async (trx) => {
        await waitForApprovals(trx);
        const refusal = await owner.locked(trx);
        if (refusal) throw new Locked(refusal);
        return write(trx);
      }),
    };
  } catch (error) {
    if (error instanceof Locked) return { refusal: error.refusal };
    throw error;
  }
}

/** A file name as shown and offered back: no path, no control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return (clean || "file").slice(0, 255);
}

/** Stores an uploaded file on its owner, once its content is known to be of a kind taken. */
export async function addEvidenceFile(
  db: DB,
  user: SessionUser,
  owner: Owner,
  upload: { name: string; bytes: Buffer },
): Promise<EvidenceOutcome> {
  const back = owner.back;
  if (upload.bytes.length === 0) return { ok: false, back, refusal: { status: 400, key: "evidence.refused.no_file" } };
  if (upload.bytes.length > EVIDENCE_MAX_BYTES) return { ok: false, back, refusal: { status: 413, key: "evidence.refused.too_large", params: { max_mb: EVIDENCE_MAX_MB } } };
  const name = cleanFileName(upload.name);
  const type = sniffEvidenceType(upload.bytes, name);
  if (!type) return { ok: false, back, refusal: { status: 415, key: "evidence.refused.type" } };
  const done = await unlessLocked(db, owner, async (trx) => {
    const id = await insertEvidenceFile(trx, {
      activityId: owner.activityId,
      organizationId: owner.organizationId,
      periodId: owner.periodId,
      name,
      contentType: type.contentType,
      bytes: upload.bytes,
      sha256: createHash("sha256").update(upload.bytes).digest("hex"),
      createdBy: user.id,
    });
    await writeAudit(trx, {
      userId: user.id,
      action: "evidence.upload",
      entityType: "evidence_file",
      entityId: id,
      changes: { activity_id: owner.activityId, organization_id: owner.organizationId, period_id: owner.periodId, name, content_type: type.contentType, size_bytes: upload.bytes.length },
    });
    return id;
  });
  if ("refusal" in done) return { ok: false, back, refusal: done.refusal };
  return { ok: true, fileId: done.result, back };
}

/** A file, the page it belongs to, and whether the user may remove or restore it now (its owner not frozen). */
export async function loadEvidenceFile(db: DB, user: SessionUser, id: number) {
  const file = await getEvidenceFile(db, id);
  if (!file) return null;
  const owner = await fileOwner(db, file);
  if (!owner) return null;
  return { file, owner, mayChange: can(user, owner.ability, { organization_path: owner.organizationPath }) };
}

/** Moves a file to the recycle bin, or brings it back from there; refused while its owner is frozen. */
export async function changeEvidenceFile(
  db: DB,
  user: SessionUser,
  id: number,
  intent: "delete" | "restore",
): Promise<EvidenceOutcome> {
  const loaded = await loadEvidenceFile(db, user, id);
  if (!loaded) return { ok: false, back: null, refusal: { status: 404, key: "evidence.refused.not_found" } };
  const { owner } = loaded;
  if (!loaded.mayChange) return { ok: false, back: owner.back, refusal: { status: 403, key: "evidence.refused.forbidden" } };
  const done = await unlessLocked(db, owner, async (trx) => {
    const changed = intent === "delete" ? await markEvidenceFileDeleted(trx, id, user.id) : await markEvidenceFileRestored(trx, id);
    if (changed) {
      await writeAudit(trx, {
        userId: user.id,
        action: intent === "delete" ? "evidence.delete" : "evidence.restore",
        entityType: "evidence_file",
        entityId: id,
        changes: { name: loaded.file.name, activity_id: owner.activityId, organization_id: owner.organizationId, period_id: owner.periodId },
      });
    }
    return changed;
  });
  if ("refusal" in done) return { ok: false, back: owner.back, refusal: done.refusal };
  return { ok: true, fileId: id, back: owner.back };
}

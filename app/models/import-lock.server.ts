// One import writes at a time per database (docs/decisions/020-imports-staged-in-short-transactions.md): a row of
// import_locks, the same on SQLite and PostgreSQL and across app instances. An import stages its rows in many short
// transactions, so the lock cannot be a transaction's; it is a row the import renews at every step, and one left
// unrenewed (the process died mid-import) is taken over by the next import, which removes the dead one's rows.
import { randomBytes } from "node:crypto";
import type { DB } from "~/utils/db.server";

const LOCK = "activity-import";
/** A lock not renewed for this long belongs to an import that is no longer running. */
export const IMPORT_LOCK_STALE_MS = 120_000;

export interface ImportLock {
  holder: string;
  uploadId: number;
}

/**
 * Takes the import lock for an upload, or null while a live import holds it. A stale holder's lock is taken over;
 * the caller then removes whatever rows that import had staged.
 */
export async function tryTakeImportLock(db: DB, uploadId: number, now = new Date()): Promise<ImportLock | null> {
  const holder = randomBytes(16).toString("hex");
  const at = now.toISOString();
  const inserted = await db
    .insertInto("import_locks")
    .values({ name: LOCK, holder, upload_id: uploadId, acquired_at: at, renewed_at: at })
    .onConflict((oc) => oc.column("name").doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    // compare-and-set: of two imports finding the same stale lock, one update matches
    const staleBefore = new Date(now.getTime() - IMPORT_LOCK_STALE_MS).toISOString();
    const taken = await db
      .updateTable("import_locks")
      .set({ holder, upload_id: uploadId, acquired_at: at, renewed_at: at })
      .where("name", "=", LOCK)
      .where("renewed_at", "<", staleBefore)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) return null;
  }
  return { holder, uploadId };
}

/** Renews the lock; false when it was lost (taken over after going stale), and the import must stop. */
export async function renewImportLock(db: DB, lock: ImportLock, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable("import_locks")
    .set({ renewed_at: now.toISOString() })
    .where("name", "=", LOCK)
    .where("holder", "=", lock.holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseImportLock(db: DB, lock: ImportLock): Promise<void> {
  await db.deleteFrom("import_locks").where("name", "=", LOCK).where("holder", "=", lock.holder).execute();
}

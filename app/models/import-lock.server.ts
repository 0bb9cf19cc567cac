// One import writes at a time per database (docs/decisions/022-imports-staged-in-short-transactions.md): a row of
// import_locks, the same on SQLite and PostgreSQL and across app instances. An import stages its rows in many short
// transactions, so the lock cannot be a transaction's; it is a row the import renews at every step, and one left
// unrenewed (the process died mid-import) is taken over by the next import, which removes the dead one's rows. A
// holder on the same machine whose process is gone (killed, crashed) is known dead at once.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
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
  const holder = `${hostname().slice(0, 30)}:${process.pid}:${randomBytes(8).toString("hex")}`;
  const at = now.toISOString();
  const inserted = await db
    .insertInto("import_locks")
    .values({ name: LOCK, holder, upload_id: uploadId, acquired_at: at, renewed_at: at })
    .onConflict((oc) => oc.column("name").doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    const current = await db.selectFrom("import_locks").select(["holder", "renewed_at"]).where("name", "=", LOCK).executeTakeFirst();
    if (!current) return null;
    const staleBefore = new Date(now.getTime() - IMPORT_LOCK_STALE_MS).toISOString();
    if (current.renewed_at >= staleBefore && !holderIsGone(current.holder)) return null;
    // compare-and-set: of two imports finding the same dead holder, one update matches
    const taken = await db
      .updateTable("import_locks")
      .set({ holder, upload_id: uploadId, acquired_at: at, renewed_at: at })
      .where("name", "=", LOCK)
      .where("holder", "=", current.holder)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) return null;
  }
  return { holder, uploadId };
}

/** True when the holder ran on this machine in a process that no longer exists. */
function holderIsGone(holder: string): boolean {
  const [host, pid] = holder.split(":");
  if (host !== hostname().slice(0, 30) || !pid || !/^\d+$/.test(pid)) return false;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    // EPERM: the process exists, owned by someone else
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
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

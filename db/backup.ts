// `npm run db:backup [-- DEST]`: a consistent copy of the live database through SQLite's online backup API,
// safe while the app is serving and writing (it reads one snapshot; writers are not stopped). The copy goes to
// DEST, or by default to backups/lmc-<timestamp>.db beside the database (data/backups/ for data/lmc.db); the
// copy is checked (PRAGMA integrity_check) and its path printed. Restoring: see README, "Backups and restore".
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import SQLite from "better-sqlite3";

export function defaultBackupPath(databasePath: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z").replace("T", "-");
  return join(dirname(resolve(databasePath)), "backups", `lmc-${stamp}.db`);
}

/** Copies the database at `source` to `destination` (which must not exist yet) and checks the copy. */
export async function backupDatabase(source: string, destination: string): Promise<{ path: string; pages: number }> {
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  if (existsSync(destination)) throw new Error(`${destination} exists already; a backup never overwrites a file`);
  mkdirSync(dirname(destination), { recursive: true });
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  const sqlite = new SQLite(source, { fileMustExist: true });
  let pages = 0;
  try {
    sqlite.pragma("busy_timeout = 5000");
    // All pages in one step: one read snapshot, so writes from other processes during the copy cannot make
    // SQLite restart it over and over (in WAL mode that read does not hold up the writers).
    const result = await sqlite.backup(partial, { progress: () => 0x7fffffff });
    pages = result.totalPages;
  } finally {
    sqlite.close();
  }
  const copy = new SQLite(partial, { fileMustExist: true });
  try {
    const problems = (copy.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.join() !== "ok") throw new Error(`the copy failed its integrity check: ${problems.slice(0, 5).join("; ")}`);
    // the copy stands alone: everything in its main file, nothing left in a log beside it
    copy.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    copy.close();
  }
  for (const suffix of ["-wal", "-shm"]) rmSync(partial + suffix, { force: true });
  renameSync(partial, destination);
  return { path: destination, pages };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const source = process.env.DATABASE_PATH || "data/lmc.db";
  if (source === ":memory:") throw new Error("DATABASE_PATH is :memory:; there is no file to back up");
  const destination = resolve(process.argv[2] ?? defaultBackupPath(source));
  const { path, pages } = await backupDatabase(source, destination);
  console.error(`backed up ${source} (${pages} pages), integrity ok`);
  console.log(path);
}

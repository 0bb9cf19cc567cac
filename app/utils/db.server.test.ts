// The SQLite connection's write-ahead log is copied into the database file by a background thread, not in the
// commits of the thread that answers requests; nothing is lost and closing leaves no log behind.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, expect, test } from "vitest";
import { createDatabase } from "./db.server";

const dir = mkdtempSync(join(tmpdir(), "lmc-checkpoints-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a commit leaves the log to the background thread, which copies it into the file soon after", async () => {
  const path = join(dir, "ledger.db");
  const db = createDatabase(path);
  try {
    // the connection checkpoints itself only far past SQLite's default of 1,000 pages
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    expect(rows[0]!.wal_autocheckpoint).toBeGreaterThan(1000);
    await sql`create table notes (body text)`.execute(db);
    const before = statSync(path).size;
    // about 2,000 pages in one transaction: SQLite's own setting would have checkpointed in this commit
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 4000; i++) await sql`insert into notes values (${`记录 ${i} `.repeat(120)})`.execute(trx);
    });
    const deadline = Date.now() + 5_000;
    while (statSync(path).size <= before + 4_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(path).size).toBeGreaterThan(before + 4_000_000);
  } finally {
    await db.destroy();
  }
  // closed: the log is gone and every row is in the file
  expect(existsSync(`${path}-wal`)).toBe(false);
  const again = createDatabase(path);
  try {
    const { rows } = await sql<{ n: number }>`select count(*) as n from notes`.execute(again);
    expect(rows[0]!.n).toBe(4000);
  } finally {
    await again.destroy();
  }
});

test("an in-memory database has no background thread and keeps SQLite's own checkpoints", async () => {
  const db = createDatabase(":memory:");
  try {
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    expect(rows[0]!.wal_autocheckpoint).toBe(1000);
  } finally {
    await db.destroy();
  }
});

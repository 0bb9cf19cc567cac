// Failed sign-ins, counted per account and per address in the database so every app instance sees them.
import type { DB } from "~/utils/db.server";

const WINDOW_MS = 15 * 60 * 1000;
/** Failures allowed in the window before each further try has to wait. */
const FREE_FAILURES = 3;
// Capped at a minute: enough to make guessing slow, short enough that nobody can lock a colleague out for long.
const MAX_DELAY_MS = 60 * 1000;

export async function recordFailedLogin(db: DB, keys: string[], now = new Date()): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto("login_attempts")
    .values(keys.map((key) => ({ key, attempted_at: at })))
    .execute();
}

export async function clearFailedLogins(db: DB, keys: string[]): Promise<void> {
  await db.deleteFrom("login_attempts").where("key", "in", keys).execute();
}

/**
 * How long the caller must still wait before another try, in ms (0 = may try now). After FREE_FAILURES failures
 * in the window the wait doubles with each failure: 1 s, 2 s, 4 s … up to a minute.
 */
export async function loginRetryDelay(db: DB, keys: string[], now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - WINDOW_MS).toISOString();
  const rows = await db
    .selectFrom("login_attempts")
    .select(["key", (eb) => eb.fn.countAll<number>().as("failures"), (eb) => eb.fn.max("attempted_at").as("last")])
    .where("key", "in", keys)
    .where("attempted_at", ">", since)
    .groupBy("key")
    .execute();
  let wait = 0;
  for (const row of rows) {
    const failures = Number(row.failures);
    if (failures < FREE_FAILURES) continue;
    const delay = Math.min(1000 * 2 ** (failures - FREE_FAILURES), MAX_DELAY_MS);
    const readyAt = new Date(String(row.last)).getTime() + delay;
    wait = Math.max(wait, readyAt - now.getTime());
  }
  return Math.max(0, wait);
}

export async function pruneLoginAttempts(db: DB, now = new Date()): Promise<void> {
  const before = new Date(now.getTime() - WINDOW_MS).toISOString();
  await db.deleteFrom("login_attempts").where("attempted_at", "<", before).execute();
}

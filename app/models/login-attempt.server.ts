// Sign-in attempts, counted per key in the database so every app instance sees them. A key is an account at an
// address ("user:wangli@203.0.113.9"), an address ("ip:203.0.113.9"), or an account alone ("user:wangli") where
// the address cannot be known. An attempt is recorded BEFORE its password is checked, in the same transaction as
// the check of the wait (beginAttempt), so parallel guesses cannot all slip through one window; a successful
// attempt is then taken back (forgetAttempt), a failed one stays and counts.
import type { Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { DB } from "~/utils/db.server";
import { lockUntilCommit } from "~/utils/sql-dialect.server";

const WINDOW_MS = 15 * 60 * 1000;
/**
 * Failures allowed in the window before each further try has to wait: an account at one address gets 3; an
 * address, which may be an office behind one gateway trying many accounts, gets 10.
 */
function freeFailures(key: string): number {
  return key.startsWith("ip:") ? 10 : 3;
}
// Capped at a minute: enough to make guessing slow, short enough that nobody is kept out for long.
const MAX_DELAY_MS = 60 * 1000;

async function recordFailedLogin(db: DB, keys: string[], now = new Date()): Promise<string> {
  const at = now.toISOString();
  await db
    .insertInto("login_attempts")
    .values(keys.map((key) => ({ key, attempted_at: at })))
    .execute();
  return at;
}

async function clearFailedLogins(db: DB, keys: string[]): Promise<void> {
  await db.deleteFrom("login_attempts").where("key", "in", keys).execute();
}

/**
 * How long the caller must still wait before another try, in ms (0 = may try now). After a key's free failures
 * in the window the wait doubles with each failure: 1 s, 2 s, 4 s … up to a minute.
 */
async function loginRetryDelay(db: DB, keys: string[], now = new Date()): Promise<number> {
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
    const free = freeFailures(row.key);
    if (failures < free) continue;
    const delay = Math.min(1000 * 2 ** (failures - free), MAX_DELAY_MS);
    const readyAt = new Date(String(row.last)).getTime() + delay;
    wait = Math.max(wait, readyAt - now.getTime());
  }
  return Math.max(0, wait);
}

/**
 * The gate before a password is checked: within the caller's transaction, and holding a lock per key (PostgreSQL;
 * SQLite's write transactions run one at a time anyway), either the wait that is still due, or the attempt is
 * recorded as a failure-to-be and may go ahead. Returns the wait in ms (0: recorded, go ahead) and the time stamp
 * of the recorded attempt, to take it back if the password was right.
 */
export async function beginAttempt(trx: Transaction<Database>, keys: string[], now = new Date()): Promise<{ waitMs: number; at: string }> {
  for (const key of [...keys].sort()) await lockUntilCommit(trx, `login:${key}`);
  const waitMs = await loginRetryDelay(trx, keys, now);
  if (waitMs > 0) return { waitMs, at: "" };
  return { waitMs: 0, at: await recordFailedLogin(trx, keys, now) };
}

/** Takes back an attempt that turned out right: its account's failures are forgiven, its address's row removed. */
export async function forgetAttempt(db: DB, accountKeys: string[], otherKeys: string[], at: string): Promise<void> {
  await clearFailedLogins(db, accountKeys);
  if (otherKeys.length) await db.deleteFrom("login_attempts").where("key", "in", otherKeys).where("attempted_at", "=", at).execute();
}

export async function pruneLoginAttempts(db: DB, now = new Date()): Promise<void> {
  const before = new Date(now.getTime() - WINDOW_MS).toISOString();
  await db.deleteFrom("login_attempts").where("attempted_at", "<", before).execute();
}

// Session rows: what the sessions table stores for an id (its hash), and ending a user's sessions. No cookie and
// no secret here, so scripts (user:create-admin) can end sessions without signing anything.
import { createHash } from "node:crypto";
import type { DB } from "~/utils/db.server";

/** What the sessions table stores for a session id: its SHA-256, never the id itself. */
export function sessionKey(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

/** Ends every session of a user (disabling, password change), except optionally one; returns how many ended. */
export async function endSessionsOfUser(trx: DB, userId: number, exceptId: string | null = null): Promise<number> {
  let query = trx.deleteFrom("sessions").where("user_id", "=", userId);
  if (exceptId) query = query.where("id", "!=", sessionKey(exceptId));
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

// Sign-in: one answer for a wrong name or a wrong password, the same cost for both, and a growing wait after
// repeated failures — per account at an address and per address, so that guesses from elsewhere never keep the
// owner out at their own desk. Every failure, every throttled try and every sign-in is in the audit log.
import { writeAudit } from "~/models/audit-log.server";
import { beginAttempt, forgetAttempt, pruneLoginAttempts } from "~/models/login-attempt.server";
import { getUserByUsername } from "~/models/user.server";
import type { DB } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { dummyPasswordHash, verifyPassword } from "~/utils/password.server";

export type SignInResult =
  | { status: "ok"; userId: number; locale: string }
  | { status: "invalid" }
  | { status: "throttled"; retryAfterSeconds: number };

/** How long the trail of sign-in events stays in the audit log. */
export const AUTH_AUDIT_DAYS = 90;

/**
 * The client's address, when it can be known: the socket's peer as our server passes it in the load context, or,
 * behind a reverse proxy (TRUST_PROXY=true), the first X-Forwarded-For entry the proxy set. A header is never
 * trusted otherwise: anyone could dodge the per-address count by inventing one.
 */
export function clientAddress(request: Request, context?: unknown): string | null {
  if (env.TRUST_PROXY === "true") {
    const forwarded = request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  const peer = (context as { clientAddress?: unknown } | undefined)?.clientAddress;
  return typeof peer === "string" && peer ? peer : null;
}

/**
 * The attempt's keys: the account at the address and the address; or, where no address is known, the account
 * alone (then anyone's guesses slow the account down — run behind our server or a proxy that says who is asking).
 */
export function attemptKeys(username: string, address: string | null): { account: string[]; other: string[] } {
  const name = username.toLowerCase();
  return address ? { account: [`user:${name}@${address}`], other: [`ip:${address}`] } : { account: [`user:${name}`], other: [] };
}

/** Gate, check, and account for one guess of a password: shared by sign-in and changing one's own password. */
export async function checkPasswordAttempt(
  db: DB,
  keys: { account: string[]; other: string[] },
  check: () => Promise<boolean>,
): Promise<{ status: "ok" } | { status: "wrong" } | { status: "throttled"; retryAfterSeconds: number }> {
  const all = [...keys.account, ...keys.other];
  const gate = await db.transaction().execute((trx) => beginAttempt(trx, all));
  if (gate.waitMs > 0) return { status: "throttled", retryAfterSeconds: Math.ceil(gate.waitMs / 1000) };
  if (!(await check())) return { status: "wrong" };
  await forgetAttempt(db, keys.account, keys.other, gate.at);
  return { status: "ok" };
}

export async function signIn(db: DB, username: string, password: string, address: string | null): Promise<SignInResult> {
  const user = await getUserByUsername(db, username);
  const result = await checkPasswordAttempt(db, attemptKeys(username, address), async () => {
    const ok = user ? await verifyPassword(password, user.password_hash) : (await verifyPassword(password, await dummyPasswordHash()), false);
    return ok && !!user && !user.disabled_at;
  });
  if (result.status !== "ok") {
    await writeAudit(db, {
      userId: null,
      action: result.status === "throttled" ? "auth.throttled" : "auth.sign_in_failed",
      entityType: "user",
      entityId: user?.id ?? null,
      changes: { username: username.slice(0, 100), address },
    });
    return result.status === "throttled" ? result : { status: "invalid" };
  }
  await pruneLoginAttempts(db);
  await pruneAuthAudit(db);
  return { status: "ok", userId: user!.id, locale: user!.locale };
}

/** The sign-in trail older than AUTH_AUDIT_DAYS leaves the audit log (the record of changes to data stays). */
export async function pruneAuthAudit(db: DB, now = new Date()): Promise<void> {
  const before = new Date(now.getTime() - AUTH_AUDIT_DAYS * 24 * 3600 * 1000).toISOString();
  await db.deleteFrom("audit_log").where("action", "like", "auth.%").where("at", "<", before).execute();
}

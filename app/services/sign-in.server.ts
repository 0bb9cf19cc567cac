// Sign-in: one answer for a wrong name or a wrong password, the same cost for both, and a growing wait after
// repeated failures, per account and per address.
import { getUserByUsername } from "~/models/user.server";
import { clearFailedLogins, loginRetryDelay, pruneLoginAttempts, recordFailedLogin } from "~/models/login-attempt.server";
import type { DB } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { dummyPasswordHash, verifyPassword } from "~/utils/password.server";

export type SignInResult =
  | { status: "ok"; userId: number; locale: string }
  | { status: "invalid" }
  | { status: "throttled"; retryAfterSeconds: number };

/**
 * The client's address, when it can be known. remix-serve does not pass the socket address to the app, and an
 * X-Forwarded-For header is only trustworthy behind a proxy that sets it (TRUST_PROXY=true); otherwise anyone
 * could dodge the per-address count by inventing one, or make everyone share one address.
 */
export function clientAddress(request: Request): string | null {
  if (env.TRUST_PROXY !== "true") return null;
  const forwarded = request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim();
  return forwarded || null;
}

export async function signIn(db: DB, username: string, password: string, address: string | null): Promise<SignInResult> {
  const keys = [`user:${username.toLowerCase()}`, ...(address ? [`ip:${address}`] : [])];
  const wait = await loginRetryDelay(db, keys);
  if (wait > 0) return { status: "throttled", retryAfterSeconds: Math.ceil(wait / 1000) };

  const user = await getUserByUsername(db, username);
  const ok = user
    ? await verifyPassword(password, user.password_hash)
    : (await verifyPassword(password, await dummyPasswordHash()), false);
  if (!user || !ok || user.disabled_at) {
    await recordFailedLogin(db, keys);
    return { status: "invalid" };
  }
  await clearFailedLogins(db, [`user:${username.toLowerCase()}`]);
  await pruneLoginAttempts(db);
  return { status: "ok", userId: user.id, locale: user.locale };
}

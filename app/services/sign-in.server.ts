// Sign-in: one answer for a wrong name or a wrong password, the same cost for both, and a growing wait after
// repeated failures, per account and per address.
import { getUserByUsername } from "~/models/user.server";
import { clearFailedLogins, loginRetryDelay, pruneLoginAttempts, recordFailedLogin } from "~/models/login-attempt.server";
import type { DB } from "~/utils/db.server";
import { dummyPasswordHash, verifyPassword } from "~/utils/password.server";

export type SignInResult =
  | { status: "ok"; userId: number; locale: string }
  | { status: "invalid" }
  | { status: "throttled"; retryAfterSeconds: number };

export function clientAddress(request: Request): string {
  const forwarded = request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("X-Real-IP") || "local";
}

export async function signIn(db: DB, username: string, password: string, address: string): Promise<SignInResult> {
  const keys = [`user:${username.toLowerCase()}`, `ip:${address}`];
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

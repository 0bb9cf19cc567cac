// Changing passwords and switching accounts off: each is one transaction that also ends the sessions the change
// makes stale and writes the audit log.
import { randomInt } from "node:crypto";
import { writeAudit } from "~/models/audit-log.server";
import { createUser, getUserByUsername, getUserPasswordHash, setUserDisabled, setUserPassword } from "~/models/user.server";
import type { Role } from "../../db/schema";
import type { SessionUser } from "~/utils/auth.server";
import type { DB } from "~/utils/db.server";
import { hashPassword, verifyPassword } from "~/utils/password.server";
import { endSessionsOfUser } from "~/models/session.server";
import { checkPasswordAttempt } from "./sign-in.server";

export type ChangeOwnPasswordResult =
  | { status: "ok" }
  | { status: "wrong_current" }
  | { status: "same_as_current" }
  | { status: "throttled"; retryAfterSeconds: number };

/**
 * The signed-in user replaces their password. Wrong current passwords count as failed sign-ins (a stolen session
 * must not become a way to guess the password). On success every session of the user ends; the caller starts a
 * fresh one for this browser.
 */
export async function changeOwnPassword(
  db: DB,
  user: Pick<SessionUser, "id" | "username">,
  currentPassword: string,
  newPassword: string,
): Promise<ChangeOwnPasswordResult> {
  // the account's own key, whatever the address: a stolen session must not guess faster from many places
  const row = await getUserPasswordHash(db, user.id);
  const attempt = await checkPasswordAttempt(db, { account: [`user:${user.username.toLowerCase()}`], other: [] }, async () =>
    row ? verifyPassword(currentPassword, row.password_hash) : false,
  );
  if (attempt.status === "throttled") return attempt;
  if (attempt.status === "wrong") return { status: "wrong_current" };
  if (currentPassword === newPassword) return { status: "same_as_current" };
  const hash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await setUserPassword(trx, user.id, hash, false);
    const ended = await endSessionsOfUser(trx, user.id);
    await writeAudit(trx, {
      userId: user.id,
      action: "user.password_changed",
      entityType: "user",
      entityId: user.id,
      changes: { sessions_ended: ended },
    });
  });
  return { status: "ok" };
}

/** An administrator disables (every session ends at once) or enables an account. */
export async function setUserEnabled(db: DB, actor: Pick<SessionUser, "id">, userId: number, enabled: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await setUserDisabled(trx, userId, !enabled);
    const ended = enabled ? 0 : await endSessionsOfUser(trx, userId);
    await writeAudit(trx, {
      userId: actor.id,
      action: enabled ? "user.enabled" : "user.disabled",
      entityType: "user",
      entityId: userId,
      changes: enabled ? {} : { sessions_ended: ended },
    });
  });
}

/** An administrator sets a temporary password: the user's sessions end and they must choose a new one. */
export async function setTemporaryPassword(db: DB, actor: Pick<SessionUser, "id">, userId: number, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await setUserPassword(trx, userId, hash, true);
    const ended = await endSessionsOfUser(trx, userId);
    await writeAudit(trx, {
      userId: actor.id,
      action: "user.password_reset",
      entityType: "user",
      entityId: userId,
      changes: { sessions_ended: ended },
    });
  });
}

/** An administrator creates an account with a temporary password; null when the username is taken. */
export async function createUserByAdmin(
  db: DB,
  actor: Pick<SessionUser, "id">,
  input: { username: string; displayName: string; role: Role; organizationId: number; password: string },
): Promise<number | null> {
  if (await getUserByUsername(db, input.username)) return null;
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const id = await createUser(trx, {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      organizationId: input.organizationId,
      passwordHash,
      mustChangePassword: true,
    });
    await writeAudit(trx, {
      userId: actor.id,
      action: "user.created",
      entityType: "user",
      entityId: id,
      changes: { username: input.username, role: input.role, organization_id: input.organizationId },
    });
    return id;
  });
}

/** Letters and digits that cannot be misread for each other (no 0/O, 1/l/I), for passwords read off a terminal. */
const ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A one-time password: 20 random characters in groups of five (about 115 bits), e.g. "k7Hq2-…". */
export function oneTimePassword(): string {
  const chars = Array.from({ length: 20 }, () => ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)]!);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join("")).join("-");
}

export type AdministratorResult =
  | { status: "created" | "reset"; userId: number; password: string }
  | { status: "exists" | "not_admin" | "unknown_unit" };

/**
 * The first administrator of a deployment (`npm run user:create-admin`), or a new one-time password for an
 * administrator who lost theirs (`reset`). The password is printed once by the command and must be replaced at
 * the first sign-in; the change is in the audit log with no acting user (it came from the server's shell).
 */
export async function createOrResetAdministrator(
  db: DB,
  input: { username: string; displayName: string; unitCode: string; reset: boolean },
): Promise<AdministratorResult> {
  const existing = await getUserByUsername(db, input.username);
  if (existing && !input.reset) return { status: "exists" };
  if (existing && existing.role !== "admin") return { status: "not_admin" };
  const password = oneTimePassword();
  const hash = await hashPassword(password);
  if (existing) {
    await db.transaction().execute(async (trx) => {
      await setUserPassword(trx, existing.id, hash, true);
      if (existing.disabled_at) await setUserDisabled(trx, existing.id, false);
      const ended = await endSessionsOfUser(trx, existing.id);
      await writeAudit(trx, {
        userId: null,
        action: "user.password_reset",
        entityType: "user",
        entityId: existing.id,
        changes: { sessions_ended: ended, by: "user:create-admin" },
      });
    });
    return { status: "reset", userId: existing.id, password };
  }
  const unit = await db.selectFrom("organizations").select("id").where("code", "=", input.unitCode).executeTakeFirst();
  if (!unit) return { status: "unknown_unit" };
  const userId = await db.transaction().execute(async (trx) => {
    const id = await createUser(trx, {
      username: input.username,
      displayName: input.displayName,
      role: "admin",
      organizationId: unit.id,
      passwordHash: hash,
      mustChangePassword: true,
    });
    await writeAudit(trx, {
      userId: null,
      action: "user.created",
      entityType: "user",
      entityId: id,
      changes: { username: input.username, role: "admin", organization_id: unit.id, by: "user:create-admin" },
    });
    return id;
  });
  return { status: "created", userId, password };
}

import type { Role } from "../../db/schema";
import type { DB } from "~/utils/db.server";

export function getUserById(db: DB, id: number) {
  return db
    .selectFrom("users")
    .innerJoin("organizations", "organizations.id", "users.organization_id")
    .select([
      "users.id",
      "users.username",
      "users.display_name",
      "users.role",
      "users.organization_id",
      "users.locale",
      "users.disabled_at",
      "users.must_change_password",
      "organizations.path as organization_path",
      "organizations.name_zh as organization_name_zh",
      "organizations.name_en as organization_name_en",
    ])
    .where("users.id", "=", id)
    .executeTakeFirst();
}

export function getUserByUsername(db: DB, username: string) {
  return db
    .selectFrom("users")
    .select(["id", "username", "password_hash", "disabled_at", "locale", "role"])
    .where("username", "=", username)
    .executeTakeFirst();
}

export async function createUser(
  db: DB,
  input: {
    username: string;
    displayName: string;
    passwordHash: string;
    role: Role;
    organizationId: number;
    mustChangePassword?: boolean;
  },
): Promise<number> {
  const row = await db
    .insertInto("users")
    .values({
      username: input.username,
      display_name: input.displayName,
      password_hash: input.passwordHash,
      role: input.role,
      organization_id: input.organizationId,
      locale: "zh-CN",
      created_at: new Date().toISOString(),
      must_change_password: input.mustChangePassword ? 1 : 0,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export function getUserPasswordHash(db: DB, id: number) {
  return db.selectFrom("users").select(["id", "password_hash"]).where("id", "=", id).executeTakeFirst();
}

/** Everyone, for the administrators' user list: unit, role, status and last sign-in. */
export function listUsersForAdmin(db: DB) {
  return db
    .selectFrom("users")
    .innerJoin("organizations", "organizations.id", "users.organization_id")
    .select([
      "users.id",
      "users.username",
      "users.display_name",
      "users.role",
      "users.disabled_at",
      "users.last_sign_in_at",
      "users.must_change_password",
      "organizations.name_zh as organization_name_zh",
      "organizations.name_en as organization_name_en",
      "organizations.path as organization_path",
    ])
    .orderBy("organizations.path")
    .orderBy("users.username")
    .execute();
}

export type AdminUserRow = Awaited<ReturnType<typeof listUsersForAdmin>>[number];

export async function recordSignIn(db: DB, userId: number, at = new Date()): Promise<void> {
  await db.updateTable("users").set({ last_sign_in_at: at.toISOString() }).where("id", "=", userId).execute();
}

export async function setUserDisabled(db: DB, userId: number, disabled: boolean): Promise<void> {
  await db
    .updateTable("users")
    .set({ disabled_at: disabled ? new Date().toISOString() : null })
    .where("id", "=", userId)
    .execute();
}

/** A new password hash; `temporary` when an administrator set it, so the user must choose their own next. */
export async function setUserPassword(db: DB, userId: number, passwordHash: string, temporary: boolean): Promise<void> {
  await db
    .updateTable("users")
    .set({
      password_hash: passwordHash,
      password_changed_at: new Date().toISOString(),
      must_change_password: temporary ? 1 : 0,
    })
    .where("id", "=", userId)
    .execute();
}

export async function setUserLocale(db: DB, userId: number, locale: string): Promise<void> {
  await db.updateTable("users").set({ locale }).where("id", "=", userId).execute();
}

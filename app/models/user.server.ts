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
    .select(["id", "username", "password_hash", "disabled_at", "locale"])
    .where("username", "=", username)
    .executeTakeFirst();
}

export async function createUser(
  db: DB,
  input: { username: string; displayName: string; passwordHash: string; role: Role; organizationId: number },
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
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setUserLocale(db: DB, userId: number, locale: string): Promise<void> {
  await db.updateTable("users").set({ locale }).where("id", "=", userId).execute();
}

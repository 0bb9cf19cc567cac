import type { DB } from "~/utils/db.server";

export function listOrganizations(db: DB) {
  return db
    .selectFrom("organizations")
    .select(["id", "code", "parent_id", "path", "kind", "name_zh", "name_en", "country_code"])
    .orderBy("sort_order")
    .execute();
}

export type OrganizationRow = Awaited<ReturnType<typeof listOrganizations>>[number];

export function getOrganization(db: DB, id: number) {
  return db
    .selectFrom("organizations")
    .select(["id", "code", "parent_id", "path", "kind", "name_zh", "name_en", "country_code"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Depth of a unit in the tree, from its path "/1/12/40/" (0 for a root). */
export function organizationDepth(path: string): number {
  return path.split("/").filter(Boolean).length - 1;
}

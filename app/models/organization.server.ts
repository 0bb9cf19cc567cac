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

/**
 * Units in tree order (each followed by the units below it, siblings in the order given), with their depth below
 * the shallowest of them, for indenting a list or a select. A unit whose parent is not among them starts a tree.
 */
export function inTreeOrder<T extends { id: number; parent_id: number | null; path: string }>(rows: T[]): (T & { depth: number })[] {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<number | null, T[]>();
  for (const row of rows) {
    const parent = row.parent_id !== null && ids.has(row.parent_id) ? row.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), row]);
  }
  const minDepth = Math.min(...rows.map((r) => organizationDepth(r.path)));
  const out: (T & { depth: number })[] = [];
  const walk = (parent: number | null) => {
    for (const row of children.get(parent) ?? []) {
      out.push({ ...row, depth: organizationDepth(row.path) - minDepth });
      walk(row.id);
    }
  };
  walk(null);
  return out;
}

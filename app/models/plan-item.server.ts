// The plan's objective tree. Paths ("/4/4.2/4.2.5/") make "this node and its descendants" one LIKE on an index.
import type { DB } from "~/utils/db.server";
import { subtreeOf } from "~/utils/sql-dialect.server";

const columns = [
  "plan_items.id",
  "plan_items.code",
  "plan_items.parent_id",
  "plan_items.path",
  "plan_items.depth",
  "plan_items.kind",
  "plan_items.title_zh",
  "plan_items.title_en",
  "plan_items.title_en_official",
  "plan_items.text_zh",
  "plan_items.text_en",
  "plan_items.loggable",
] as const;

export function listPlanItems(db: DB) {
  return db.selectFrom("plan_items").select(columns).orderBy("plan_items.sort_order").execute();
}

export type PlanItemRow = Awaited<ReturnType<typeof listPlanItems>>[number];

export function getPlanItemByCode(db: DB, code: string) {
  return db.selectFrom("plan_items").select(columns).where("code", "=", code).executeTakeFirst();
}

/**
 * For each plan node, how many live activities are logged against it or any of its descendants. An activity
 * linked to two items under the same node counts once for that node. The scope narrows to a unit subtree,
 * statuses, a window of start dates, or activities that should have ended before a date.
 */
export async function countActivitiesByPlanNode(
  db: DB,
  scope: { organizationPath?: string; statuses?: string[]; startFrom?: string; startTo?: string; endBefore?: string } = {},
): Promise<Map<number, number>> {
  let query = db
    .selectFrom("plan_items as node")
    .innerJoin("plan_items as linked", (join) =>
      join.on((eb) => eb("linked.path", "like", subtreeOf("node.path"))),
    )
    .innerJoin("activity_plan_items as api", "api.plan_item_id", "linked.id")
    .innerJoin("activities as a", "a.id", "api.activity_id")
    .where("a.deleted_at", "is", null);
  if (scope.organizationPath) {
    query = query
      .innerJoin("organizations as o", "o.id", "a.organization_id")
      .where("o.path", "like", `${scope.organizationPath}%`);
  }
  if (scope.statuses) query = query.where("a.status", "in", scope.statuses);
  if (scope.startFrom) query = query.where("a.start_date", ">=", scope.startFrom);
  if (scope.startTo) query = query.where("a.start_date", "<=", scope.startTo);
  if (scope.endBefore) query = query.where("a.end_date", "<", scope.endBefore);
  const rows = await query
    .select(["node.id as id", (eb) => eb.fn.count<number>("a.id").distinct().as("count")])
    .groupBy("node.id")
    .execute();
  return new Map(rows.map((r) => [r.id, Number(r.count)]));
}

/** For each priority area, how many distinct live activities are logged against its items or below them. */
export async function countActivitiesByPriorityArea(db: DB): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom("plan_item_priority_areas as pa")
    .innerJoin("plan_items as node", "node.id", "pa.plan_item_id")
    .innerJoin("plan_items as linked", (join) =>
      join.on((eb) => eb("linked.path", "like", subtreeOf("node.path"))),
    )
    .innerJoin("activity_plan_items as api", "api.plan_item_id", "linked.id")
    .innerJoin("activities as a", "a.id", "api.activity_id")
    .where("a.deleted_at", "is", null)
    .select(["pa.priority_area_id as id", (eb) => eb.fn.count<number>("a.id").distinct().as("count")])
    .groupBy("pa.priority_area_id")
    .execute();
  return new Map(rows.map((r) => [r.id, Number(r.count)]));
}

export function listPriorityAreas(db: DB) {
  return db.selectFrom("priority_areas").select(["id", "code", "name_zh", "name_en"]).orderBy("sort_order").execute();
}

export function getPriorityAreaByCode(db: DB, code: string) {
  return db
    .selectFrom("priority_areas")
    .select(["id", "code", "name_zh", "name_en"])
    .where("code", "=", code)
    .executeTakeFirst();
}

export async function listPlanItemIdsByPriorityArea(db: DB): Promise<Map<number, number[]>> {
  const rows = await db.selectFrom("plan_item_priority_areas").selectAll().execute();
  const byArea = new Map<number, number[]>();
  for (const row of rows) byArea.set(row.priority_area_id, [...(byArea.get(row.priority_area_id) ?? []), row.plan_item_id]);
  return byArea;
}

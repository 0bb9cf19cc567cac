// The plan's objective tree. Paths ("/4/4.2/4.2.5/") make "this node and its descendants" a prefix test.
import type { DB } from "~/utils/db.server";
import { ACTIVITY_STATUSES } from "~/schemas/activity";
import { PLANNED_BY_END, areaGroup, nodeGroup, previousMonth, splitByMonth, sumTotals } from "./activity-totals.server";

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
 * How many live activities are logged against each plan node (it or any of its descendants) and each priority
 * area (its items or below them), in one pass over the links. An activity linked to two items under the same
 * node or area counts once there. The scope narrows to a unit subtree, statuses, a window of start dates, or
 * activities that should have ended before a date.
 */
export async function countActivitiesInPlan(
  db: DB,
  scope: ActivityScope = {},
): Promise<{ byNode: Map<number, number>; byPriorityArea: Map<number, number> }> {
  const kept = await countFromTotals(db, scope);
  if (kept) return kept;
  const [items, areaItems, links] = await Promise.all([
    db.selectFrom("plan_items").select(["id", "path"]).execute(),
    db.selectFrom("plan_item_priority_areas as pa").innerJoin("plan_items as node", "node.id", "pa.plan_item_id").select(["pa.priority_area_id as areaId", "node.path"]).execute(),
    listLiveLinks(db, scope),
  ]);
  // a linked item counts for itself and every node (and area) whose path is a prefix of its own
  const nodesOfItem = new Map<number, number[]>();
  const areasOfItem = new Map<number, number[]>();
  for (const item of items) {
    nodesOfItem.set(item.id, items.filter((node) => item.path.startsWith(node.path)).map((node) => node.id));
    areasOfItem.set(item.id, [...new Set(areaItems.filter((area) => item.path.startsWith(area.path)).map((area) => area.areaId))]);
  }
  const byNode = new Map<number, number>();
  const byPriorityArea = new Map<number, number>();
  let current = -1;
  const seenNodes = new Set<number>();
  const seenAreas = new Set<number>();
  for (const link of links) {
    if (link.activityId !== current) {
      current = link.activityId;
      seenNodes.clear();
      seenAreas.clear();
    }
    countOnce(byNode, seenNodes, nodesOfItem.get(link.itemId));
    countOnce(byPriorityArea, seenAreas, areasOfItem.get(link.itemId));
  }
  return { byNode, byPriorityArea };
}

/**
 * countActivitiesInPlan from the running totals, when they hold the answer: every unit, whole months of start
 * dates (a period's), no end-date condition; or every unit's planned activities that should have ended before a
 * date (whole months of end dates from the totals, the days of the last month counted from the links). Null
 * otherwise.
 */
async function countFromTotals(db: DB, scope: ActivityScope): Promise<{ byNode: Map<number, number>; byPriorityArea: Map<number, number> } | null> {
  if (scope.organizationPath) return null;
  if (scope.endBefore) {
    if (scope.startFrom || scope.startTo || scope.endFrom || scope.statuses?.length !== 1 || scope.statuses[0] !== "planned") return null;
    const monthStart = `${scope.endBefore.slice(0, 7)}-01`;
    const [whole, days] = await Promise.all([
      groupTotals(db, { statuses: [PLANNED_BY_END], monthTo: previousMonth(scope.endBefore.slice(0, 7)) }),
      scope.endBefore > monthStart ? countActivitiesInPlan(db, { ...scope, endFrom: monthStart }) : null,
    ]);
    for (const [counts, more] of days ? ([[whole.byNode, days.byNode], [whole.byPriorityArea, days.byPriorityArea]] as const) : []) {
      for (const [id, n] of more) counts.set(id, (counts.get(id) ?? 0) + n);
    }
    return whole;
  }
  const { months, edges } = splitByMonth(scope.startFrom, scope.startTo);
  if (edges.length) return null;
  if (!months) return { byNode: new Map(), byPriorityArea: new Map() };
  return groupTotals(db, { statuses: scope.statuses ?? ACTIVITY_STATUSES, monthFrom: months.from, monthTo: months.to });
}

/** The kept totals of every plan node and priority area, for every unit and any country. */
async function groupTotals(db: DB, q: { statuses: readonly string[]; monthFrom?: string; monthTo?: string }) {
  const [items, areas] = await Promise.all([
    db.selectFrom("plan_items").select("id").execute(),
    db.selectFrom("priority_areas").select("id").execute(),
  ]);
  const byNode = new Map<number, number>();
  const byPriorityArea = new Map<number, number>();
  const rows = await sumTotals(db, { groups: [...items.map((i) => nodeGroup(i.id)), ...areas.map((a) => areaGroup(a.id))], ...q }, ["grp"]);
  for (const r of rows) {
    if (r.activities === 0) continue;
    const id = Number(r.grp.slice(2));
    (r.grp.startsWith("n:") ? byNode : byPriorityArea).set(id, r.activities);
  }
  return { byNode, byPriorityArea };
}

function countOnce(counts: Map<number, number>, seen: Set<number>, groups: number[] | undefined) {
  for (const group of groups ?? []) {
    if (seen.has(group)) continue;
    seen.add(group);
    counts.set(group, (counts.get(group) ?? 0) + 1);
  }
}

interface ActivityScope {
  organizationPath?: string;
  statuses?: readonly string[];
  startFrom?: string;
  startTo?: string;
  endBefore?: string;
  /** with endBefore: ended on or after this date (the days of a month the totals do not hold) */
  endFrom?: string;
}

/**
 * Every (activity, plan item) link of the live activities in scope, ordered by activity. Counting per node is
 * then one pass in memory: asking SQL to join each node to its subtree's links makes it scan the activities once
 * per node (2 s at 100,000 activities against 0.2 s for this one scan; bench/http.bench.ts measures /plan).
 */
function listLiveLinks(db: DB, scope: ActivityScope) {
  let query = db
    .selectFrom("activity_plan_items as api")
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
  if (scope.endFrom) query = query.where("a.end_date", ">=", scope.endFrom);
  return query.select(["api.activity_id as activityId", "api.plan_item_id as itemId"]).orderBy("api.activity_id").execute();
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

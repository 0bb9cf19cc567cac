// The plan as a tree with activity counts (each node counts its own and its descendants' activities).
import {
  countActivitiesInPlan,
  listPlanItemIdsByPriorityArea,
  listPlanItems,
  listPriorityAreas,
} from "~/models/plan-item.server";
import type { DB } from "~/utils/db.server";

export interface PlanTreeNode {
  id: number;
  code: string;
  kind: string;
  title_zh: string;
  title_en: string;
  title_en_official: boolean;
  loggable: boolean;
  count: number;
  areas: string[];
  children: PlanTreeNode[];
}

export async function loadPlanTree(db: DB) {
  const [items, { byNode: counts, byPriorityArea: areaCounts }, areas, areaItems] = await Promise.all([
    listPlanItems(db),
    countActivitiesInPlan(db),
    listPriorityAreas(db),
    listPlanItemIdsByPriorityArea(db),
  ]);
  const areasOfItem = new Map<number, string[]>();
  for (const area of areas) {
    for (const id of areaItems.get(area.id) ?? []) areasOfItem.set(id, [...(areasOfItem.get(id) ?? []), area.code]);
  }
  const nodes = new Map<number, PlanTreeNode>();
  const roots: PlanTreeNode[] = [];
  for (const item of items) {
    const node: PlanTreeNode = {
      id: item.id,
      code: item.code,
      kind: item.kind,
      title_zh: item.title_zh,
      title_en: item.title_en,
      title_en_official: item.title_en_official === 1,
      loggable: item.loggable === 1,
      count: counts.get(item.id) ?? 0,
      areas: areasOfItem.get(item.id) ?? [],
      children: [],
    };
    nodes.set(item.id, node);
    const parent = item.parent_id ? nodes.get(item.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const areaSummaries = areas.map((area) => {
    const ids = areaItems.get(area.id) ?? [];
    return {
      code: area.code,
      name_zh: area.name_zh,
      name_en: area.name_en,
      count: areaCounts.get(area.id) ?? 0,
      items: ids.map((id) => nodes.get(id)!).filter(Boolean).map((n) => ({ code: n.code, title_zh: n.title_zh, title_en: n.title_en, count: n.count })),
    };
  });
  return { roots, areas: areaSummaries };
}

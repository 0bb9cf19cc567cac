// Shapes the activity list page (and the plan item and recycle bin pages, which show the same list): the
// URL's filters resolved against the plan and the unit tree, one page of rows, and the choices for the filters.
import { type ActivityFilter, countActivities, listActivities } from "~/models/activity.server";
import { listOrganizations, organizationDepth } from "~/models/organization.server";
import { listPlanItemIdsByPriorityArea, listPlanItems, listPriorityAreas } from "~/models/plan-item.server";
import { type ActivityFilterParams, parseActivityFilter } from "~/schemas/activity-filter";
import type { DB } from "~/utils/db.server";

export const PAGE_SIZE = 25;

export async function loadActivityList(
  db: DB,
  searchParams: URLSearchParams,
  options: { deleted?: boolean; scopeOrganizationPath?: string; fixed?: Partial<ActivityFilterParams> } = {},
) {
  const { filter: parsedFilter, invalid } = parseActivityFilter(searchParams);
  const params: ActivityFilterParams = { ...parsedFilter, ...options.fixed };
  const reject = (key: keyof ActivityFilterParams) => {
    invalid.push(key);
    delete params[key];
  };

  const [organizations, planItems, areas, areaItems] = await Promise.all([
    listOrganizations(db),
    listPlanItems(db),
    listPriorityAreas(db),
    listPlanItemIdsByPriorityArea(db),
  ]);

  const filter: ActivityFilter = { deleted: options.deleted };
  if (options.scopeOrganizationPath) filter.organizationPath = options.scopeOrganizationPath;
  if (params.unit !== undefined) {
    const unit = organizations.find((o) => o.id === params.unit);
    if (!unit) reject("unit");
    // A unit's list holds what it leads and what it co-operates on (配合), the latter marked and not in its figures.
    else if (!filter.organizationPath) filter.involvingPath = unit.path;
    // Within a scope (the recycle bin of a reporter), a unit outside it narrows to nothing rather than widening.
    else if (unit.path.startsWith(filter.organizationPath)) filter.organizationPath = unit.path;
    else filter.organizationPath = `${filter.organizationPath}-none-`;
  }
  const planPaths: string[] = [];
  for (const key of ["item", "pillar"] as const) {
    const code = params[key];
    if (code === undefined) continue;
    const node = planItems.find((p) => p.code === code);
    if (!node || (key === "pillar" && node.kind !== "pillar")) reject(key);
    else planPaths.push(node.path);
  }
  filter.planPaths = planPaths;
  if (params.area !== undefined) {
    const area = areas.find((a) => a.code === params.area);
    if (!area) reject("area");
    else filter.planItemIdsAny = areaItems.get(area.id) ?? [];
  }
  if (params.from && params.to && params.to < params.from) reject("to");
  Object.assign(filter, {
    type: params.type,
    status: params.status,
    country: params.country,
    from: params.from,
    to: params.to,
    q: params.q,
  });

  let result = await listActivities(db, filter, { sort: params.sort, page: params.page, pageSize: PAGE_SIZE });
  const lastPage = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  if (result.page > lastPage) {
    params.page = lastPage;
    result = await listActivities(db, filter, { sort: params.sort, page: lastPage, pageSize: PAGE_SIZE });
  }
  // Of those, the ones the unit only co-operates on: said beside the total, since its figures leave them out.
  const partnerCount = filter.involvingPath && result.total > 0 ? await countActivities(db, { ...filter, partnerOnly: true }) : 0;
  return {
    params,
    invalid,
    /** the filters as the ledger's query takes them: what an export of this list reads */
    filter,
    /** the chosen unit's path: rows led outside it are ones it co-operates on */
    involvingPath: filter.involvingPath ?? null,
    partnerCount,
    /** 400 when a filter was ignored: the page still renders, with the message beside that filter */
    status: invalid.length ? 400 : 200,
    result,
    choices: {
      organizations: organizations.map((o) => ({
        id: o.id,
        name_zh: o.name_zh,
        name_en: o.name_en,
        depth: organizationDepth(o.path),
      })),
      planItems: planItems
        .filter((p) => p.kind !== "section" || p.code === "4" || p.code === "5")
        .map((p) => ({ code: p.code, title_zh: p.title_zh, title_en: p.title_en, depth: p.depth, kind: p.kind })),
      pillars: planItems
        .filter((p) => p.kind === "pillar")
        .map((p) => ({ code: p.code, title_zh: p.title_zh, title_en: p.title_en })),
      areas: areas.map((a) => ({ code: a.code, name_zh: a.name_zh, name_en: a.name_en })),
    },
  };
}

export type ActivityListData = Awaited<ReturnType<typeof loadActivityList>>;

// Shapes the activity list page (and the plan item and recycle bin pages, which show the same list): the
// URL's filters resolved against the plan and the unit tree, one page of rows, and the choices for the filters.
import { type ActivityFilter, countActivities, listActivities, listActivitiesAfter } from "~/models/activity.server";
import { listOrganizations, organizationDepth } from "~/models/organization.server";
import { listPlanItemIdsByPriorityArea, listPlanItems, listPriorityAreas } from "~/models/plan-item.server";
import { type ActivityFilterParams, parseActivityFilter } from "~/schemas/activity-filter";
import type { DB } from "~/utils/db.server";

export const PAGE_SIZE = 25;

/**
 * A list with a text search counts its matches up to this many and then says "more than": its count reads the
 * matching rows to check the term in them, and a common word matches a large share of a million activities.
 */
export const SEARCH_COUNT_LIMIT = 1000;

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

  const { result, cursors } = await listPage(db, filter, params);
  // Of those, the ones the unit only co-operates on: said beside the total, since its figures leave them out.
  const atMost = filter.q ? SEARCH_COUNT_LIMIT : undefined;
  const partnersCounted = filter.involvingPath && result.total > 0 ? await countActivities(db, { ...filter, partnerOnly: true }, { atMost }) : 0;
  const partnerCountAtLeast = atMost !== undefined && partnersCounted > atMost;
  const partnerCount = partnerCountAtLeast ? atMost : partnersCounted;
  return {
    params,
    invalid,
    /** the filters as the ledger's query takes them: what an export of this list reads */
    filter,
    /** the chosen unit's path: rows led outside it are ones it co-operates on */
    involvingPath: filter.involvingPath ?? null,
    partnerCount,
    /** the partner count is a lower bound: more than partnerCount (see SEARCH_COUNT_LIMIT) */
    partnerCountAtLeast,
    /** 400 when a filter was ignored: the page still renders, with the message beside that filter */
    status: invalid.length ? 400 : 200,
    result,
    /** the activities the previous and next pages' links start from (keyset paging), null where there is none */
    cursors,
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

/**
 * The page the URL asks for. The page links carry the activity the page starts after (`after`, with the page's
 * number to show) or ends before (`before`), so a page far down a million-row list is read from the index where
 * it starts (keyset), not by skipping every row above it; `page` alone (an older bookmark) still skips. The total
 * is counted apart (from the running totals where they hold the filter), never by reading the page's rows again.
 */
async function listPage(db: DB, filter: ActivityFilter, params: ActivityFilterParams) {
  const sort = params.sort;
  const keyset = params.after ?? params.before;
  const atMost = filter.q ? SEARCH_COUNT_LIMIT : undefined;
  const [counted, fetched] = await Promise.all([
    countActivities(db, filter, { atMost }),
    keyset !== undefined
      ? // one more row than a page: whether there is a page beyond it, in the direction read
        listActivitiesAfter(db, filter, { sort, afterId: params.after, beforeId: params.after === undefined ? params.before : undefined, pageSize: PAGE_SIZE + 1 })
      : null,
  ]);
  // more than atMost: the total is a lower bound ("more than 1,000"), and so is the number of pages
  const totalAtLeast = atMost !== undefined && counted > atMost;
  const total = totalAtLeast ? atMost : counted;
  const pages = totalAtLeast ? Number.MAX_SAFE_INTEGER : Math.max(1, Math.ceil(total / PAGE_SIZE));
  const backwards = params.after === undefined;
  const more = fetched !== null && fetched.length > PAGE_SIZE;
  if (fetched === null || fetched.length === 0 || (backwards && !more)) {
    // the first page (also where a page before ran out of rows, or a cursor leads nowhere), or a bookmarked page
    // number, kept within the pages there are
    const page = keyset === undefined ? Math.min(params.page ?? 1, pages) : 1;
    params.page = page > 1 ? page : undefined;
    delete params.after;
    delete params.before;
    const rows =
      page === 1
        ? await listActivitiesAfter(db, filter, { sort, pageSize: PAGE_SIZE })
        : (await listActivities(db, filter, { sort, page, pageSize: PAGE_SIZE })).rows;
    return { result: { total, totalAtLeast, page, pageSize: PAGE_SIZE, rows }, cursors: cursorsOf(rows, page, pages) };
  }
  const rows = backwards ? fetched.slice(1) : fetched.slice(0, PAGE_SIZE);
  // the page's number is shown, not used to read: a page reached by a cursor is never the first
  const page = Math.min(Math.max(params.page ?? 2, 2), Math.max(pages, 2));
  params.page = page;
  return { result: { total, totalAtLeast, page, pageSize: PAGE_SIZE, rows }, cursors: cursorsOf(rows, page, pages, backwards || more) };
}

function cursorsOf(rows: { id: number }[], page: number, pages: number, hasNext = page < pages) {
  return { prevBefore: page > 1 ? rows[0]?.id ?? null : null, nextAfter: hasNext && rows.length > 0 ? rows.at(-1)!.id : null };
}

export type ActivityListData = Awaited<ReturnType<typeof loadActivityList>>;

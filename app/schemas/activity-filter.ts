// The activity list's filters as they live in the URL (so a filtered view can be bookmarked and shared).
import { z } from "zod";
import { isCountryCode } from "~/utils/countries";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES, isoDateOk } from "./activity";

export const ACTIVITY_SORTS = ["start_desc", "start_asc", "title", "participants", "funding", "updated"] as const;
export type ActivitySort = (typeof ACTIVITY_SORTS)[number];

const isoDate = z.string().refine(isoDateOk);
const planCode = z.string().regex(/^\d+(\.\d+){0,3}$/);

export const activityFilterSchema = z.object({
  unit: z.coerce.number().int().positive().optional(),
  item: planCode.optional(),
  pillar: planCode.optional(),
  area: z.string().regex(/^[a-z-]{1,40}$/).optional(),
  type: z.enum(ACTIVITY_TYPES).optional(),
  status: z.enum(ACTIVITY_STATUSES).optional(),
  country: z.string().refine(isCountryCode).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  q: z.string().trim().max(100).optional(),
  sort: z.enum(ACTIVITY_SORTS).optional(),
  page: z.coerce.number().int().positive().max(100_000).optional(),
  /** keyset paging: the page after this activity, or the page before it (the page's links carry them) */
  after: z.coerce.number().int().positive().max(2 ** 31 - 1).optional(),
  before: z.coerce.number().int().positive().max(2 ** 31 - 1).optional(),
});

export type ActivityFilterParams = z.infer<typeof activityFilterSchema>;

export const FILTER_KEYS = Object.keys(activityFilterSchema.shape) as (keyof ActivityFilterParams)[];

/**
 * Reads the filters from a URL; an empty value means "not set". A value that does not parse is left out and its
 * parameter named in `invalid`, so the page can still show the rest and say which filter it ignored.
 */
export function parseActivityFilter(params: URLSearchParams): { filter: ActivityFilterParams; invalid: string[] } {
  const filter: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (!value) continue;
    const parsed = activityFilterSchema.shape[key].safeParse(value);
    if (parsed.success) filter[key] = parsed.data;
    else invalid.push(key);
  }
  return { filter: filter as ActivityFilterParams, invalid };
}

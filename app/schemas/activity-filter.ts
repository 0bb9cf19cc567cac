// The activity list's filters as they live in the URL (so a filtered view can be bookmarked and shared).
import { z } from "zod";
import { isCountryCode } from "~/utils/countries";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES } from "./activity";

export const ACTIVITY_SORTS = ["start_desc", "start_asc", "title", "participants", "funding", "updated"] as const;
export type ActivitySort = (typeof ACTIVITY_SORTS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
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
});

export type ActivityFilterParams = z.infer<typeof activityFilterSchema>;

export const FILTER_KEYS = Object.keys(activityFilterSchema.shape) as (keyof ActivityFilterParams)[];

/** Reads the filters from a URL; an empty value means "not set". Returns the first bad parameter's name. */
export function parseActivityFilter(
  params: URLSearchParams,
): { ok: true; filter: ActivityFilterParams } | { ok: false; param: string } {
  const raw: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null && value.trim() !== "") raw[key] = value.trim();
  }
  const parsed = activityFilterSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, param: String(parsed.error.issues[0]?.path[0] ?? "?") };
  return { ok: true, filter: parsed.data };
}

// What a computed indicator counts (its 口径), stored with the indicator as versioned JSON (indicators.counting_json)
// and parsed on every read, so a definition written today still reads the same after the code moves on.
//
// The measure (activities, 批次, 人次, 万元) is the indicator's `computation`; this is the rest: which activities of
// the unit's subtree are counted — by type, status, plan item and counterpart country. The plan item an indicator
// belongs to is where it is shown and rated; which items' activities it counts is `items` here, because offices tag
// a visit by its subject (4.1.1, 4.3.1 …) and it is still one of the unit's 出访团组.
import { z } from "zod";
import { COUNTED_STATUSES } from "~/domain/counting";
import { isCountryCode } from "~/utils/countries";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES } from "./activity";

export const ITEM_SCOPES = ["any", "item", "subtree", "list"] as const;
export type ItemScope = (typeof ITEM_SCOPES)[number];

const planCode = z.string().regex(/^\d+(\.\d+){0,3}$/);

export const indicatorCountingSchema = z.object({
  version: z.literal(1),
  /** activity types counted; empty: every type */
  types: z.array(z.enum(ACTIVITY_TYPES)).max(ACTIVITY_TYPES.length),
  /** statuses counted; never empty */
  statuses: z.array(z.enum(ACTIVITY_STATUSES)).min(1).max(ACTIVITY_STATUSES.length),
  /**
   * any: whatever plan item the activity serves; item: linked to the indicator's own item; subtree: to it or an
   * item below it; list: to one of `codes` or an item below one of them. An activity linked to several of them
   * counts once.
   */
  items: z.object({ scope: z.enum(ITEM_SCOPES), codes: z.array(planCode).max(60) }),
  /** counterpart countries, any one of which makes an activity count; empty: any country or none */
  countries: z.array(z.string().refine(isCountryCode)).max(60),
});

export type IndicatorCounting = z.infer<typeof indicatorCountingSchema>;

/** A new indicator's 口径: every activity of the unit completed or under way, whatever item or country. */
export function defaultCounting(overrides: Partial<Omit<IndicatorCounting, "version">> = {}): IndicatorCounting {
  return { version: 1, types: [], statuses: [...COUNTED_STATUSES], items: { scope: "any", codes: [] }, countries: [], ...overrides };
}

/** Reads a stored definition; a row that does not parse is an error of the data, not something to guess around. */
export function parseCounting(json: string): IndicatorCounting {
  return indicatorCountingSchema.parse(JSON.parse(json));
}

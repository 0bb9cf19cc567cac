// The counterpart register's forms, shared by the actions (authoritative) and the pages: the questions the activity
// form asks about names the register does not know, a reviewer's edit of a body, merging two entries, and the
// register's filters. Error messages are i18n keys.
import { z } from "zod";
import { COUNTERPART_LEVELS } from "~/domain/counterparts";
import { isCountryCode } from "~/utils/countries";
import { countryCode } from "./activity";
import { plainText } from "./form";

export const COUNTERPART_LIMITS = { name: 200, otherName: 300, alias: 300, aliases: 50, query: 100 } as const;

export type CounterpartChoice = "" | "create" | "existing" | "text";

/** One name of a 对方机构 text the register does not know, and what the person answered (or has yet to). */
export interface CounterpartQuestion {
  /** as written in the text */
  name: string;
  /** the name without its country: what a new body would be called */
  bare: string;
  choice: CounterpartChoice;
  /** for a new body: the country and level suggested, or chosen */
  country: string;
  level: string;
  /** for "existing": the body chosen */
  existing: string;
  /** bodies offered first: those the name could be (it is theirs too), or whose names come close */
  candidates: number[];
  /** the name is the name of several registered bodies */
  ambiguous: boolean;
  /** why the answer given cannot be taken (an i18n key) */
  error: string | null;
}

/** Field names of the questions: the name (hidden, repeated), then each answer's parts, numbered in the order asked. */
export const QUESTION_FIELDS = {
  name: "counterpart_name",
  choice: (i: number) => `counterpart_choice_${i}`,
  country: (i: number) => `counterpart_country_${i}`,
  level: (i: number) => `counterpart_level_${i}`,
  existing: (i: number) => `counterpart_existing_${i}`,
} as const;

/** Other spellings typed one a line (or separated by 、 or semicolons), each counted once. */
export function splitAliases(text: string): string[] {
  return [...new Set(text.split(/[\n\r、;；]+/).map((s) => s.trim()).filter(Boolean))];
}

export const counterpartEditSchema = z.object({
  name_zh: plainText(COUNTERPART_LIMITS.name).refine((s) => s.length > 0, "errors.required"),
  name_en: plainText(COUNTERPART_LIMITS.otherName),
  name_local: plainText(COUNTERPART_LIMITS.otherName),
  country_code: z.string().trim().min(1, "errors.required").pipe(countryCode),
  level: z.enum(COUNTERPART_LEVELS, { errorMap: () => ({ message: "errors.choose" }) }),
  aliases: plainText(COUNTERPART_LIMITS.alias * COUNTERPART_LIMITS.aliases)
    .transform(splitAliases)
    .pipe(z.array(z.string().max(COUNTERPART_LIMITS.alias, "errors.too_long")).max(COUNTERPART_LIMITS.aliases, "errors.too_many")),
});

export type CounterpartEditForm = z.infer<typeof counterpartEditSchema>;

export const mergeSchema = z.object({
  duplicate_id: z.string().trim().regex(/^\d{1,9}$/, "counterparts.merge.choose").transform(Number),
  confirm: z.literal("yes", { errorMap: () => ({ message: "counterparts.merge.confirm_required" }) }),
});

export const REGISTER_SORTS = ["country", "name", "activities", "recent"] as const;
export type RegisterSort = (typeof REGISTER_SORTS)[number];

export const registerFilterSchema = z.object({
  q: z.string().trim().max(COUNTERPART_LIMITS.query).optional(),
  country: z.string().refine(isCountryCode).optional(),
  level: z.enum(COUNTERPART_LEVELS).optional(),
  sort: z.enum(REGISTER_SORTS).optional(),
  page: z.coerce.number().int().positive().max(100_000).optional(),
});

export type RegisterFilter = z.infer<typeof registerFilterSchema>;

/** The register's filters from a URL: a value that does not parse is left out and named in `invalid`. */
export function parseRegisterFilter(params: URLSearchParams): { filter: RegisterFilter; invalid: string[] } {
  const filter: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const key of Object.keys(registerFilterSchema.shape) as (keyof RegisterFilter)[]) {
    const value = params.get(key)?.trim();
    if (!value) continue;
    const parsed = registerFilterSchema.shape[key].safeParse(value);
    if (parsed.success) filter[key] = parsed.data;
    else invalid.push(key);
  }
  return { filter: filter as RegisterFilter, invalid };
}

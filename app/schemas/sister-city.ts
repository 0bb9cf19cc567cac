// The sister-city register's forms and filters, shared by the actions (authoritative) and the pages (field names,
// limits). Error messages are i18n keys, shown beside each field.
import { z } from "zod";
import { CLASSIFICATIONS, SISTER_CITY_STAGES, type SisterCityStage, isPartialDate, lastDayOf } from "~/domain/sister-cities";
import { isCountryCode } from "~/utils/countries";
import { isHttpUrl } from "./activity";
import { type FieldErrors, plainText } from "./form";

export type { FieldErrors };

export const SISTER_CITY_LIMITS = { document: 300, url: 500, note: 1000 } as const;

/** The date, document and link fields of each stage: consensus_on, consensus_document, consensus_url … */
export const STAGE_FIELDS = Object.fromEntries(
  SISTER_CITY_STAGES.map((s) => [s, { date: `${s}_on`, document: `${s}_document`, url: `${s}_url` }] as const),
) as Record<SisterCityStage, { date: `${SisterCityStage}_on`; document: `${SisterCityStage}_document`; url: `${SisterCityStage}_url` }>;

/** A date as a document gives it: blank (none), a year, a month or a day — "2003", "2003-06", "2003-06-15". */
const partialDate = z
  .string()
  .trim()
  .max(10, "sister_cities.errors.date")
  .refine((s) => s === "" || isPartialDate(s), "sister_cities.errors.date")
  .transform((s) => (s === "" ? null : s));

const link = z
  .string()
  .trim()
  .max(SISTER_CITY_LIMITS.url, "errors.too_long")
  .refine((s) => s === "" || isHttpUrl(s), "errors.url");

const stageChoice = z.enum(SISTER_CITY_STAGES, { errorMap: () => ({ message: "errors.choose" }) });

/** The stage of a relationship with what each stage's documents say, and its end. */
export const sisterCityStageSchema = z.object({
  stage: stageChoice,
  consensus_on: partialDate,
  consensus_document: plainText(SISTER_CITY_LIMITS.document),
  consensus_url: link,
  letter_of_intent_on: partialDate,
  letter_of_intent_document: plainText(SISTER_CITY_LIMITS.document),
  letter_of_intent_url: link,
  established_on: partialDate,
  established_document: plainText(SISTER_CITY_LIMITS.document),
  established_url: link,
  ended_on: partialDate,
  note: plainText(SISTER_CITY_LIMITS.note),
});

export type SisterCityStageForm = z.infer<typeof sisterCityStageSchema>;

const id = z.string().trim().regex(/^\d{1,9}$/, "errors.choose").transform(Number);

/** A new relationship: our unit and the foreign body, with its stage. */
export const sisterCityCreateSchema = sisterCityStageSchema.extend({ organization_id: id, counterpart_id: id });
export type SisterCityCreateForm = z.infer<typeof sisterCityCreateSchema>;

/** FormData → the plain strings a schema reads (missing fields become ""). */
export function formValues(formData: FormData, schema: z.AnyZodObject): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = formData.get(key);
    values[key] = typeof v === "string" ? v : "";
  }
  return values;
}

/**
 * Checks across fields, on the raw values beside the schema (every problem in one round): a stage not reached has
 * no date or document; the stages' dates are in order (a partial date is out of order only when it certainly is);
 * no date is after today (China time).
 */
export function sisterCityCrossErrors(values: Record<string, string>, today: string): FieldErrors {
  const errors: FieldErrors = {};
  const stage = values.stage as SisterCityStage;
  const reached = SISTER_CITY_STAGES.indexOf(stage);
  const date = (field: string) => {
    const v = (values[field] ?? "").trim();
    return v && isPartialDate(v) ? v : null;
  };
  const firstDay = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);
  let earlier: { field: string; date: string } | null = null;
  for (const [index, s] of SISTER_CITY_STAGES.entries()) {
    const f = STAGE_FIELDS[s];
    if (reached >= 0 && index > reached) {
      for (const field of [f.date, f.document, f.url]) {
        if ((values[field] ?? "").trim() !== "") errors[field] = "sister_cities.errors.stage_not_reached";
      }
      continue;
    }
    const d = date(f.date);
    if (!d) continue;
    if (firstDay(d) > today) errors[f.date] = "sister_cities.errors.future";
    else if (earlier && lastDayOf(d) < firstDay(earlier.date)) errors[f.date] = "sister_cities.errors.order";
    earlier = { field: f.date, date: d };
  }
  const ended = date("ended_on");
  if (ended) {
    if (firstDay(ended) > today) errors.ended_on = "sister_cities.errors.future";
    else if (earlier && lastDayOf(ended) < firstDay(earlier.date)) errors.ended_on = "sister_cities.errors.order";
  }
  return errors;
}

/** The register's filters. `stage` also takes "ended" (relationships that lapsed). */
export const SISTER_CITY_STAGE_FILTERS = [...SISTER_CITY_STAGES, "ended"] as const;

export const sisterCityFilterSchema = z.object({
  stage: z.enum(SISTER_CITY_STAGE_FILTERS).optional(),
  country: z.string().refine(isCountryCode).optional(),
  unit: z.coerce.number().int().positive().max(1_000_000_000).optional(),
  class: z.enum(CLASSIFICATIONS).optional(),
});

export type SisterCityFilter = z.infer<typeof sisterCityFilterSchema>;

/** The filters from a URL: a value that does not parse is left out and named in `invalid`. */
export function parseSisterCityFilter(params: URLSearchParams): { filter: SisterCityFilter; invalid: string[] } {
  const filter: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const key of Object.keys(sisterCityFilterSchema.shape) as (keyof SisterCityFilter)[]) {
    const value = params.get(key)?.trim();
    if (!value) continue;
    const parsed = sisterCityFilterSchema.shape[key].safeParse(value);
    if (parsed.success) filter[key] = parsed.data;
    else invalid.push(key);
  }
  return { filter: filter as SisterCityFilter, invalid };
}

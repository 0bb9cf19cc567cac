// The indicator forms' rules (definition and an entered value), shared by the actions (authoritative) and the
// forms (field names, choices). Error messages are i18n keys, shown beside each field.
import { z } from "zod";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES, activityFormSchema, countryCode, fieldErrors } from "./activity";
import type { FieldErrors } from "./form";
import { ITEM_SCOPES } from "./indicator-counting";
import { REGISTER_MEASURES, isRegisterMeasure } from "~/domain/sister-cities";

export type { FieldErrors };
export { fieldErrors };

export const INDICATOR_UNITS = ["次", "人次", "对", "个", "万元", "批"] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];
export const INDICATOR_DIRECTIONS = ["up", "down"] as const;
export const INDICATOR_MEASURES = ["stock", "flow"] as const;
export const INDICATOR_SOURCES = ["computed", "entered"] as const;
/**
 * The measure of a computed indicator: activities, 人次, 批次 or 万元 of what its 口径 counts in the ledger; or one
 * the sister-city register gives (formal pairs, their countries, pairs in Southeast Asia: domain/sister-cities.ts).
 */
export const INDICATOR_COMPUTATIONS = ["count", "sum_participants", "sum_delegations", "sum_funding", ...REGISTER_MEASURES] as const;
export type IndicatorComputation = (typeof INDICATOR_COMPUTATIONS)[number];

/** The unit's key in the message catalogs: "indicators.unit.<key>". */
export const UNIT_KEYS: Record<IndicatorUnit, string> = {
  次: "times",
  人次: "person_times",
  对: "pairs",
  个: "items",
  万元: "wan_yuan",
  批: "batches",
};

export const INDICATOR_LIMITS = {
  code: 40,
  sourceNote: 500,
  value: 1_000_000_000_000,
  baselineYearMin: 1990,
  baselineYearMax: 2027,
} as const;

/** Prefix of the per-period target fields: "target_2024-H1". */
export const PERIOD_TARGET_PREFIX = "target_";

// Names reuse the activity title's rules (required, ≤200, no markup, no hidden characters): one definition of
// "a safe line of text" for the whole app.
const name = activityFormSchema.shape.title;
// The note reuses the activity outcome's text rules, with its own length limit, and is required.
const sourceNote = activityFormSchema.shape.outcome
  .pipe(z.string().max(INDICATOR_LIMITS.sourceNote, "errors.too_long"))
  .refine((s) => s.length > 0, "errors.required");

/**
 * A number as typed: digits with an optional decimal part (thousands separators allowed), nothing else — no
 * letters, no exponent, no "Infinity". Blank is null when `optional`, else "errors.required".
 */
function parseNumberText(text: string, ctx: z.RefinementCtx, optional: boolean): number | null {
  const cleaned = text.replace(/[,，\s]/g, "");
  if (cleaned === "") {
    if (optional) return null;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "errors.required" });
    return z.NEVER;
  }
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "indicators.errors.number" });
    return z.NEVER;
  }
  const n = Number(cleaned);
  if (n < 0) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "errors.negative" });
    return z.NEVER;
  }
  if (!Number.isFinite(n) || n > INDICATOR_LIMITS.value) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "errors.too_large" });
    return z.NEVER;
  }
  return n;
}

const requiredNumber = z
  .string()
  .trim()
  .transform((s, ctx) => parseNumberText(s, ctx, false) as number);

export const optionalTargetSchema = z
  .string()
  .trim()
  .transform((s, ctx) => parseNumberText(s, ctx, true));

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { errorMap: () => ({ message: "errors.choose" }) });

export const indicatorFormSchema = z.object({
  code: z
    .string()
    .trim()
    .min(1, "errors.required")
    .regex(/^[a-z][a-z0-9-]*$/, "indicators.errors.code")
    .max(INDICATOR_LIMITS.code, "errors.too_long"),
  name_zh: name,
  name_en: name,
  plan_item: z.string().trim().min(1, "errors.required").regex(/^\d+(\.\d+){0,3}$/, "errors.plan_item"),
  unit: choice(INDICATOR_UNITS),
  baseline_value: requiredNumber,
  baseline_year: z
    .string()
    .trim()
    .min(1, "errors.required")
    .regex(/^\d{4}$/, "indicators.errors.year")
    .transform(Number)
    .refine(
      (y) => y >= INDICATOR_LIMITS.baselineYearMin && y <= INDICATOR_LIMITS.baselineYearMax,
      "indicators.errors.year",
    ),
  target_value: requiredNumber,
  direction: choice(INDICATOR_DIRECTIONS),
  measure: choice(INDICATOR_MEASURES),
  source: choice(INDICATOR_SOURCES),
  computation: choice(["", ...INDICATOR_COMPUTATIONS] as const),
  // The 口径 (indicator-counting.ts): lists travel as comma-joined values in the form's record of strings.
  activity_types: listOf(z.enum(ACTIVITY_TYPES, { errorMap: () => ({ message: "errors.choose" }) })),
  statuses: listOf(z.enum(ACTIVITY_STATUSES, { errorMap: () => ({ message: "errors.choose" }) })),
  // blank (an entered indicator's form, an older client): whatever item
  item_scope: z.preprocess((v) => (v === "" ? "any" : v), choice(ITEM_SCOPES)),
  item_codes: z
    .string()
    .trim()
    .max(400, "errors.too_long")
    .transform((s) => s.split(/[\s,，、;；]+/).filter(Boolean))
    .pipe(z.array(z.string().regex(/^\d+(\.\d+){0,3}$/, "errors.plan_item")).max(60, "errors.too_many")),
  countries: listOf(countryCode),
  period_kind: choice(["quarter", "half", "year"] as const),
});

/** The indicator form's fields that take several values (checkboxes, a multiple select). */
export const INDICATOR_LIST_FIELDS = ["activity_types", "statuses", "countries"] as const;

function listOf<T extends z.ZodTypeAny>(item: T) {
  return z
    .string()
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(z.array(item).max(200, "errors.too_many"));
}

export type IndicatorForm = z.infer<typeof indicatorFormSchema>;

/** FormData → the plain object the schema reads (missing fields become empty strings), with the period targets. */
export function indicatorFormValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of Object.keys(indicatorFormSchema.shape)) {
    if ((INDICATOR_LIST_FIELDS as readonly string[]).includes(key)) {
      values[key] = formData
        .getAll(key)
        .filter((v): v is string => typeof v === "string")
        .join(",");
      continue;
    }
    const v = formData.get(key);
    values[key] = typeof v === "string" ? v : "";
  }
  for (const [key, v] of formData.entries()) {
    if (key.startsWith(PERIOD_TARGET_PREFIX) && typeof v === "string") values[key] = v;
  }
  return values;
}

/**
 * Checks that span fields. Like the activity form's, they run on the raw values beside the schema, so every
 * problem shows in one round.
 */
export function indicatorCrossFieldErrors(values: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  const source = values.source?.trim();
  const computation = values.computation?.trim() ?? "";
  if (source === "computed" && computation === "") errors.computation = "indicators.errors.computation_required";
  if (source === "computed" && (values.statuses ?? "") === "") errors.statuses = "indicators.errors.statuses_required";
  if (source === "computed" && values.item_scope?.trim() === "list" && (values.item_codes ?? "").trim() === "") {
    errors.item_codes = "indicators.errors.item_codes_required";
  }
  if (source === "computed" && computation === "sum_funding" && values.unit?.trim() !== "万元") {
    errors.unit = "indicators.errors.unit_funding";
  }
  // the register's pairs are counted in 对, its countries in 个
  if (source === "computed" && isRegisterMeasure(computation) && values.unit?.trim() !== (computation === "sister_city_countries" ? "个" : "对")) {
    errors.unit = "indicators.errors.unit_register";
  }
  const baseline = optionalTargetSchema.safeParse(values.baseline_value ?? "");
  const target = optionalTargetSchema.safeParse(values.target_value ?? "");
  if (baseline.success && target.success && baseline.data !== null && target.data !== null) {
    const measure = values.measure?.trim();
    const direction = values.direction?.trim();
    // A level must move from its baseline the way the direction says, or its % has no meaning.
    if (measure === "stock" && direction === "up" && !(target.data > baseline.data)) {
      errors.target_value = "indicators.errors.target_above_baseline";
    }
    if (measure === "stock" && direction === "down" && !(target.data < baseline.data)) {
      errors.target_value = "indicators.errors.target_below_baseline";
    }
    if (measure === "flow" && direction === "up" && !(target.data > 0)) {
      errors.target_value = "indicators.errors.target_positive";
    }
  }
  return errors;
}

/** The value a unit enters for a period. */
export const indicatorValueFormSchema = z.object({
  organization_id: z.coerce.number({ invalid_type_error: "errors.required" }).int().positive("errors.required"),
  period: z.string().trim().min(1, "errors.required").max(20, "indicators.errors.period"),
  value: requiredNumber,
  source_note: sourceNote,
});

export function indicatorValueFormValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of Object.keys(indicatorValueFormSchema.shape)) {
    const v = formData.get(key);
    values[key] = typeof v === "string" ? v : "";
  }
  return values;
}

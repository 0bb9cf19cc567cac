// Between the indicator forms and the model: the choices the forms offer, and submitted forms checked (schema,
// plan item, unique code, one target per period of the chosen kind; a unit's value) and turned into inputs.
import type { IndicatorInput, IndicatorRow } from "~/models/indicator.server";
import { listPeriodTargets } from "~/models/indicator.server";
import { listPlanItems } from "~/models/plan-item.server";
import { type PeriodRow, listPeriods } from "~/models/reporting-period.server";
import { type PeriodKind, PERIOD_KINDS } from "~/schemas/period-report";
import { repeatedFieldErrors } from "~/schemas/form";
import {
  type FieldErrors,
  PERIOD_TARGET_PREFIX,
  fieldErrors,
  indicatorCrossFieldErrors,
  indicatorFormSchema,
  indicatorFormValues,
  indicatorValueFormSchema,
  indicatorValueFormValues,
  optionalTargetSchema,
} from "~/schemas/indicator";
import type { DB } from "~/utils/db.server";

export type IndicatorFormValues = Record<string, string>;

export interface IndicatorFormOptions {
  planItems: { code: string; title_zh: string; title_en: string; depth: number; loggable: boolean }[];
  periodKind: PeriodKind;
  periods: { id: number; code: string; kind: string; year: number; seq: number }[];
}

export function periodKindFrom(value: string | null | undefined): PeriodKind {
  return (PERIOD_KINDS as readonly string[]).includes(value ?? "") ? (value as PeriodKind) : "half";
}

export async function indicatorFormOptions(db: DB, periodKind: PeriodKind): Promise<IndicatorFormOptions> {
  const [planItems, periods] = await Promise.all([listPlanItems(db), listPeriods(db, periodKind)]);
  return {
    planItems: planItems
      .filter((p) => p.code.startsWith("4") || p.code.startsWith("5"))
      .map((p) => ({ code: p.code, title_zh: p.title_zh, title_en: p.title_en, depth: p.depth - 1, loggable: p.loggable === 1 })),
    periodKind,
    periods: periods.map((p) => ({ id: p.id, code: p.code, kind: p.kind, year: p.year, seq: p.seq })),
  };
}

/** The form's values for an existing indicator, with its targets for the periods of the kind shown. */
export async function indicatorToFormValues(db: DB, indicator: IndicatorRow, periodKind: PeriodKind): Promise<IndicatorFormValues> {
  const targets = await listPeriodTargets(db, [indicator.id]);
  const values: IndicatorFormValues = {
    code: indicator.code,
    name_zh: indicator.name_zh,
    name_en: indicator.name_en,
    plan_item: indicator.plan_item_code,
    unit: indicator.unit,
    baseline_value: String(indicator.baseline_value),
    baseline_year: String(indicator.baseline_year),
    target_value: String(indicator.target_value),
    direction: indicator.direction,
    measure: indicator.measure,
    source: indicator.source,
    computation: indicator.computation ?? "",
    activity_type: indicator.activity_type ?? "",
    period_kind: periodKind,
  };
  for (const t of targets) if (t.period_kind === periodKind) values[`${PERIOD_TARGET_PREFIX}${t.period_code}`] = String(t.target_value);
  return values;
}

export type ParsedIndicatorForm =
  | { ok: true; input: IndicatorInput; values: IndicatorFormValues }
  | { ok: false; errors: FieldErrors; values: IndicatorFormValues };

/**
 * Checks a submitted definition. For an edit, `existing` is the indicator: its code is kept whatever was posted.
 * Every problem comes back as a field error (400), never as an exception.
 */
export async function parseIndicatorForm(
  db: DB,
  formData: FormData,
  existing?: { id: number; code: string },
): Promise<ParsedIndicatorForm> {
  const values = indicatorFormValues(formData);
  if (existing) values.code = existing.code;
  const parsed = indicatorFormSchema.safeParse(values);
  const errors: FieldErrors = {
    ...indicatorCrossFieldErrors(values),
    ...(parsed.success ? {} : fieldErrors(parsed.error)),
    ...repeatedFieldErrors(formData),
  };

  if (!existing && !errors.code) {
    const taken = await db.selectFrom("indicators").select("id").where("code", "=", values.code!.trim()).executeTakeFirst();
    if (taken) errors.code = "indicators.errors.code_taken";
  }

  let planItemId: number | undefined;
  if (!errors.plan_item) {
    const item = await db.selectFrom("plan_items").select(["id", "loggable"]).where("code", "=", values.plan_item!.trim()).executeTakeFirst();
    if (!item) errors.plan_item = "errors.plan_item";
    else if (item.loggable !== 1) errors.plan_item = "errors.plan_item_not_loggable";
    else planItemId = item.id;
  }

  // One target field per period of the kind the form showed; a blank one means "no target for that period".
  const periods: PeriodRow[] = await listPeriods(db, periodKindFrom(values.period_kind));
  const periodTargets: IndicatorInput["periodTargets"] = [];
  for (const period of periods) {
    const field = `${PERIOD_TARGET_PREFIX}${period.code}`;
    const result = optionalTargetSchema.safeParse(values[field] ?? "");
    if (!result.success) errors[field] = result.error.issues[0]?.message ?? "indicators.errors.number";
    else periodTargets.push({ periodId: period.id, targetValue: result.data });
  }

  if (!parsed.success || Object.keys(errors).length > 0 || planItemId === undefined) {
    return { ok: false, errors, values };
  }
  const v = parsed.data;
  return {
    ok: true,
    values,
    input: {
      code: v.code,
      planItemId,
      nameZh: v.name_zh,
      nameEn: v.name_en,
      unit: v.unit,
      baselineValue: v.baseline_value,
      baselineYear: v.baseline_year,
      targetValue: v.target_value,
      direction: v.direction,
      measure: v.measure,
      source: v.source,
      computation: v.source === "computed" ? v.computation || null : null,
      activityType: v.source === "computed" ? v.activity_type || null : null,
      // a new indicator has no targets to remove
      periodTargets: existing ? periodTargets : periodTargets.filter((t) => t.targetValue !== null),
    },
  };
}

export type ParsedValueForm =
  | { ok: true; input: { organizationId: number; periodCode: string; value: number; sourceNote: string }; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Checks a unit's entered value (the unit's and period's checks that need the database are the caller's). */
export function parseIndicatorValueForm(formData: FormData): ParsedValueForm {
  const values = indicatorValueFormValues(formData);
  const parsed = indicatorValueFormSchema.safeParse(values);
  const repeated = repeatedFieldErrors(formData);
  if (!parsed.success || Object.keys(repeated).length) {
    return { ok: false, errors: { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...repeated }, values };
  }
  const v = parsed.data;
  return {
    ok: true,
    values,
    input: { organizationId: v.organization_id, periodCode: v.period, value: v.value, sourceNote: v.source_note },
  };
}

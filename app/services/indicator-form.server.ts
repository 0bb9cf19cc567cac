// Between the indicator forms and the model: the choices the forms offer, and submitted forms checked (schema,
// plan item, unique code, one target per period of the chosen kind; a unit's value) and turned into inputs.
import type { IndicatorInput, IndicatorRow } from "~/models/indicator.server";
import { listPeriodTargets } from "~/models/indicator.server";
import { inTreeOrder, listOrganizations } from "~/models/organization.server";
import { listPlanItems } from "~/models/plan-item.server";
import { countingPreview, defaultProgressPeriod } from "~/services/indicator-progress.server";
import { type PeriodRow, listPeriods } from "~/models/reporting-period.server";
import { type PeriodKind, PERIOD_KINDS } from "~/schemas/period-report";
import { repeatedFieldErrors } from "~/schemas/form";
import { isRegisterMeasure } from "~/domain/sister-cities";
import { type IndicatorCounting, defaultCounting } from "~/schemas/indicator-counting";
import {
  type FieldErrors,
  INDICATOR_LIST_FIELDS,
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
  /** the units and periods the live count can be tried on, and the ones it opens with */
  preview: {
    units: { id: number; name_zh: string; name_en: string; depth: number }[];
    periods: { code: string; kind: string; year: number; seq: number }[];
    unitId: number | null;
    periodCode: string | null;
  };
}

export function periodKindFrom(value: string | null | undefined): PeriodKind {
  return (PERIOD_KINDS as readonly string[]).includes(value ?? "") ? (value as PeriodKind) : "half";
}

export async function indicatorFormOptions(db: DB, periodKind: PeriodKind): Promise<IndicatorFormOptions> {
  const [planItems, periods, allPeriods, organizations] = await Promise.all([
    listPlanItems(db),
    listPeriods(db, periodKind),
    listPeriods(db),
    listOrganizations(db),
  ]);
  const units = inTreeOrder(organizations.filter((o) => (PREVIEW_UNIT_KINDS as readonly string[]).includes(o.kind)));
  const opening = defaultProgressPeriod(allPeriods);
  return {
    preview: {
      units: units.map((u) => ({ id: u.id, name_zh: u.name_zh, name_en: u.name_en, depth: u.depth })),
      periods: allPeriods.map((p) => ({ code: p.code, kind: p.kind, year: p.year, seq: p.seq })),
      // the province: what every unit of it did
      unitId: units[0]?.id ?? null,
      periodCode: opening?.code ?? null,
    },
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
    ...countingToFormValues(indicator.counting),
    period_kind: periodKind,
  };
  for (const t of targets) if (t.period_kind === periodKind) values[`${PERIOD_TARGET_PREFIX}${t.period_code}`] = String(t.target_value);
  return values;
}

/** The 口径 as the form's fields hold it (lists comma-joined). */
export function countingToFormValues(counting: IndicatorCounting): IndicatorFormValues {
  return {
    activity_types: counting.types.join(","),
    statuses: counting.statuses.join(","),
    item_scope: counting.items.scope,
    item_codes: counting.items.codes.join(" "),
    countries: counting.countries.join(","),
  };
}

/** The form values of a new indicator: every activity of the unit completed or under way. */
export function newIndicatorFormValues(planItemCode: string): IndicatorFormValues {
  return {
    plan_item: planItemCode,
    direction: "up",
    measure: "flow",
    source: "computed",
    computation: "count",
    baseline_year: "2022",
    ...countingToFormValues(defaultCounting()),
  };
}

/** Units a 口径 can be tried on: the Chinese units that report (and the province above them). */
const PREVIEW_UNIT_KINDS = ["province", "prefecture", "county"] as const;

/**
 * The live count beside the definition being edited: what the posted 口径 counts for the chosen unit and period.
 * Null with field errors when the definition (or the unit, the period) does not parse.
 */
export async function previewCounting(
  db: DB,
  params: URLSearchParams,
): Promise<
  | { ok: true; unit: { name_zh: string; name_en: string }; period: { kind: string; year: number; seq: number }; figures: Awaited<ReturnType<typeof countingPreview>> }
  | { ok: false; errors: FieldErrors }
> {
  const form = new FormData();
  for (const [key, value] of params) form.append(key, value);
  const values = indicatorFormValues(form);
  const parsed = indicatorFormSchema
    .pick({ plan_item: true, computation: true, activity_types: true, statuses: true, item_scope: true, item_codes: true, countries: true })
    .safeParse(values);
  const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error);
  if ((values.statuses ?? "") === "") errors.statuses = "indicators.errors.statuses_required";
  const unitId = Number(params.get("preview_unit"));
  const unit = Number.isSafeInteger(unitId) && unitId > 0
    ? await db.selectFrom("organizations").select(["id", "path", "name_zh", "name_en"]).where("id", "=", unitId).executeTakeFirst()
    : undefined;
  if (!unit) errors.preview_unit = "errors.choose";
  const period = await db
    .selectFrom("reporting_periods")
    .select(["id", "kind", "year", "seq", "start_date", "end_date"])
    .where("code", "=", (params.get("preview_period") ?? "").slice(0, 20))
    .executeTakeFirst();
  if (!period) errors.preview_period = "errors.choose";
  const item = parsed.success
    ? await db.selectFrom("plan_items").select("id").where("code", "=", parsed.data.plan_item).executeTakeFirst()
    : undefined;
  if (parsed.success && !item) errors.plan_item = "errors.plan_item";
  if (!parsed.success || !unit || !period || !item || Object.keys(errors).length) return { ok: false, errors };
  const v = parsed.data;
  const figures = await countingPreview(
    db,
    {
      plan_item_id: item.id,
      computation: v.computation || "count",
      counting: { version: 1, types: v.activity_types, statuses: v.statuses, items: { scope: v.item_scope, codes: v.item_codes }, countries: v.countries },
    },
    period,
    { organizationPath: unit.path },
  );
  return { ok: true, unit, period, figures };
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
    ...repeatedFieldErrors(formData, INDICATOR_LIST_FIELDS),
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

  // The listed plan items must exist.
  if (parsed.success && parsed.data.item_scope === "list" && !errors.item_codes) {
    const codes = parsed.data.item_codes;
    const found = new Set((await db.selectFrom("plan_items").select("code").where("code", "in", codes.length ? codes : [""]).execute()).map((r) => r.code));
    if (codes.some((c) => !found.has(c))) errors.item_codes = "errors.plan_item";
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
      // a register measure counts relationships, not activities: of the 口径 only the countries apply
      counting: isRegisterMeasure(v.computation)
        ? { version: 1, types: [], statuses: v.statuses, items: { scope: "any", codes: [] }, countries: v.countries }
        : {
            version: 1,
            types: v.activity_types,
            statuses: v.statuses,
            items: { scope: v.item_scope, codes: v.item_scope === "list" ? v.item_codes : [] },
            countries: v.countries,
          },
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

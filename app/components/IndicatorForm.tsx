// The indicator definition form, for adding and editing (administrators). A plain Remix <Form>: it works without
// JavaScript. The per-period targets are one input per period of the kind chosen with the links above them.
import { Form, Link, useLocation, useNavigation } from "@remix-run/react";
import { FieldError, useFieldErrorIds } from "~/components/FieldError";
import { localName } from "~/i18n";
import { periodName } from "~/i18n/periods";
import { CountingPreview, type CountingPreviewOptions } from "~/components/CountingPreview";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES } from "~/schemas/activity";
import { ITEM_SCOPES } from "~/schemas/indicator-counting";
import { orderedCountries } from "~/utils/countries";
import {
  type FieldErrors,
  INDICATOR_COMPUTATIONS,
  INDICATOR_DIRECTIONS,
  INDICATOR_MEASURES,
  INDICATOR_SOURCES,
  INDICATOR_UNITS,
  PERIOD_TARGET_PREFIX,
  UNIT_KEYS,
} from "~/schemas/indicator";
import { useI18n } from "~/utils/i18n-hooks";

export interface IndicatorFormOptionsData {
  planItems: { code: string; title_zh: string; title_en: string; depth: number; loggable: boolean }[];
  periodKind: string;
  periods: { id: number; code: string; kind: string; year: number; seq: number }[];
  preview: CountingPreviewOptions;
}

const KINDS = ["half", "quarter", "year"] as const;


export function IndicatorForm({
  values,
  errors = {},
  options,
  editing,
  submitLabel,
}: {
  values: Record<string, string>;
  errors?: FieldErrors;
  options: IndicatorFormOptionsData;
  /** editing an existing indicator: its code is shown, not editable */
  editing: boolean;
  submitLabel: string;
}) {
  const { t, locale } = useI18n();
  const busy = useNavigation().state === "submitting";
  const location = useLocation();
  const { errId, aria } = useFieldErrorIds(errors);
  const v = (key: string) => values[key] ?? "";
  const list = (key: string) => v(key).split(",").filter(Boolean);

  return (
    <Form method="post" className="form activity-form indicator-form" noValidate>
      <input type="hidden" name="period_kind" value={options.periodKind} />
      <label>
        {t("indicators.field.code")} *
        {editing ? (
          <input value={v("code")} readOnly aria-readonly="true" />
        ) : (
          <input name="code" defaultValue={v("code")} maxLength={60} {...aria("code")} />
        )}
        <span className="muted field-hint">{t("indicators.field.code_hint")}</span>
        <FieldError id={errId("code")} error={errors.code} />
      </label>

      <label className="wide">
        {t("indicators.field.name_zh")} *
        <input name="name_zh" defaultValue={v("name_zh")} maxLength={250} {...aria("name_zh")} />
        <FieldError id={errId("name_zh")} error={errors.name_zh} />
      </label>

      <label className="wide">
        {t("indicators.field.name_en")} *
        <input name="name_en" lang="en" defaultValue={v("name_en")} maxLength={250} {...aria("name_en")} />
        <FieldError id={errId("name_en")} error={errors.name_en} />
      </label>

      <label className="wide">
        {t("indicators.field.plan_item")} *
        <select name="plan_item" defaultValue={v("plan_item")} {...aria("plan_item")}>
          <option value="">—</option>
          {options.planItems.map((p) => (
            <option key={p.code} value={p.code} disabled={!p.loggable}>
              {"\u3000".repeat(Math.max(0, p.depth))}
              {p.code} {localName(locale, p.title_zh, p.title_en)}
            </option>
          ))}
        </select>
        <FieldError id={errId("plan_item")} error={errors.plan_item} />
      </label>

      <label>
        {t("indicators.field.unit")} *
        <select name="unit" defaultValue={v("unit")} {...aria("unit")}>
          <option value="">—</option>
          {INDICATOR_UNITS.map((unit) => (
            <option key={unit} value={unit}>
              {t(`indicators.unit.${UNIT_KEYS[unit]}`)}
            </option>
          ))}
        </select>
        <FieldError id={errId("unit")} error={errors.unit} />
      </label>

      <label>
        {t("indicators.field.direction")} *
        <select name="direction" defaultValue={v("direction") || "up"} {...aria("direction")}>
          {INDICATOR_DIRECTIONS.map((d) => (
            <option key={d} value={d}>
              {t(`indicators.direction.${d}`)}
            </option>
          ))}
        </select>
        <FieldError id={errId("direction")} error={errors.direction} />
      </label>

      <label>
        {t("indicators.field.measure")} *
        <select name="measure" defaultValue={v("measure") || "flow"} {...aria("measure")}>
          {INDICATOR_MEASURES.map((m) => (
            <option key={m} value={m}>
              {t(`indicators.measure.${m}`)}
            </option>
          ))}
        </select>
        <FieldError id={errId("measure")} error={errors.measure} />
      </label>

      <label>
        {t("indicators.field.baseline_value")} *
        <input name="baseline_value" inputMode="decimal" defaultValue={v("baseline_value")} {...aria("baseline_value")} />
        <FieldError id={errId("baseline_value")} error={errors.baseline_value} />
      </label>

      <label>
        {t("indicators.field.baseline_year")} *
        <input name="baseline_year" inputMode="numeric" defaultValue={v("baseline_year")} {...aria("baseline_year")} />
        <FieldError id={errId("baseline_year")} error={errors.baseline_year} />
      </label>

      <label>
        {t("indicators.field.target_value")} *
        <input name="target_value" inputMode="decimal" defaultValue={v("target_value")} {...aria("target_value")} />
        <span className="muted field-hint">{t("indicators.field.target_hint")}</span>
        <FieldError id={errId("target_value")} error={errors.target_value} />
      </label>

      <label>
        {t("indicators.field.source")} *
        <select name="source" defaultValue={v("source") || "computed"} {...aria("source")}>
          {INDICATOR_SOURCES.map((s) => (
            <option key={s} value={s}>
              {t(`indicators.source.${s}`)}
            </option>
          ))}
        </select>
        <FieldError id={errId("source")} error={errors.source} />
      </label>

      <label>
        {t("indicators.field.computation")}
        <select name="computation" defaultValue={v("computation")} {...aria("computation")}>
          <option value="">—</option>
          {INDICATOR_COMPUTATIONS.map((c) => (
            <option key={c} value={c}>
              {t(`indicators.computation.${c}`)}
            </option>
          ))}
        </select>
        <span className="muted field-hint">{t("indicators.field.computation_hint")}</span>
        <FieldError id={errId("computation")} error={errors.computation} />
      </label>

      <fieldset className="wide counting" aria-describedby="counting-hint">
        <legend>{t("indicators.counting.legend")}</legend>
        <p className="muted" id="counting-hint">
          {t("indicators.counting.hint")}
        </p>
        <fieldset className="checks">
          <legend>{t("indicators.counting.types")}</legend>
          {ACTIVITY_TYPES.map((type) => (
            <label key={type} className="check">
              <input type="checkbox" name="activity_types" value={type} defaultChecked={list("activity_types").includes(type)} />
              {t(`activity.type.${type}`)}
            </label>
          ))}
          <span className="muted field-hint">{t("indicators.counting.types_hint")}</span>
          <FieldError id={errId("activity_types")} error={errors.activity_types} />
        </fieldset>
        <fieldset className="checks">
          <legend>{t("indicators.counting.statuses")}</legend>
          {ACTIVITY_STATUSES.map((status) => (
            <label key={status} className="check">
              <input type="checkbox" name="statuses" value={status} defaultChecked={list("statuses").includes(status)} />
              {t(`activity.status.${status}`)}
            </label>
          ))}
          <FieldError id={errId("statuses")} error={errors.statuses} />
        </fieldset>
        <label>
          {t("indicators.counting.items")}
          <select name="item_scope" defaultValue={v("item_scope") || "any"} {...aria("item_scope")}>
            {ITEM_SCOPES.map((scope) => (
              <option key={scope} value={scope}>
                {t(`indicators.counting.item_scope.${scope}`)}
              </option>
            ))}
          </select>
          <FieldError id={errId("item_scope")} error={errors.item_scope} />
        </label>
        <label>
          {t("indicators.counting.item_codes")}
          <input name="item_codes" defaultValue={v("item_codes")} maxLength={400} {...aria("item_codes")} />
          <span className="muted field-hint">{t("indicators.counting.item_codes_hint")}</span>
          <FieldError id={errId("item_codes")} error={errors.item_codes} />
        </label>
        <label className="wide">
          {t("indicators.counting.countries")}
          <select name="countries" multiple size={6} defaultValue={list("countries")} {...aria("countries")}>
            {orderedCountries(locale).map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
          <span className="muted field-hint">{t("indicators.counting.countries_hint")}</span>
          <FieldError id={errId("countries")} error={errors.countries} />
        </label>
        <CountingPreview options={options.preview} values={values} />
      </fieldset>

      <fieldset className="wide period-targets">
        <legend>{t("indicators.field.period_targets")}</legend>
        <p className="muted">{t("indicators.field.period_targets_hint")}</p>
        <p className="period-kinds">
          {t("indicators.field.period_kind")}{" "}
          {KINDS.map((kind) =>
            kind === options.periodKind ? (
              <strong key={kind}>{t(`indicators.kind.${kind}`)}</strong>
            ) : (
              <Link key={kind} to={`${location.pathname}?kind=${kind}`}>
                {t(`indicators.kind.${kind}`)}
              </Link>
            ),
          )}
        </p>
        {options.periods.length === 0 ? <p className="muted">{t("indicators.no_periods")}</p> : null}
        <div className="period-target-grid">
          {options.periods.map((p) => {
            const field = `${PERIOD_TARGET_PREFIX}${p.code}`;
            return (
              <label key={p.code}>
                {periodName(p, locale)}
                <input name={field} inputMode="decimal" defaultValue={v(field)} {...aria(field)} />
                <FieldError id={errId(field)} error={errors[field]} />
              </label>
            );
          })}
        </div>
      </fieldset>

      <div className="form-actions wide">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}

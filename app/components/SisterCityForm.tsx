// The sister-city forms: a new relationship (our unit, the foreign body, its stage) and a relationship's stage
// (advance it, give each stage's date and document, or record its end). Plain Remix <Form>s: they work without
// JavaScript. A stage's fields are all shown; those of a stage not reached stay empty (the server says so if not).
import { Form, useNavigation } from "@remix-run/react";
import { FieldError, useFieldErrorIds } from "~/components/FieldError";
import { SISTER_CITY_STAGES } from "~/domain/sister-cities";
import { type FieldErrors, SISTER_CITY_LIMITS, STAGE_FIELDS } from "~/schemas/sister-city";
import { useI18n } from "~/utils/i18n-hooks";

export interface SisterCityFormOptions {
  units: { id: number; name: string; depth: number }[];
  bodies: { country: string; bodies: { id: number; name: string }[] }[];
}

export function SisterCityForm({
  values,
  errors = {},
  options,
  submitLabel,
  showEnd,
}: {
  values: Record<string, string>;
  errors?: FieldErrors;
  /** a new relationship: the unit and body to choose */
  options?: SisterCityFormOptions;
  submitLabel: string;
  /** the end date (a relationship that exists) */
  showEnd: boolean;
}) {
  const { t } = useI18n();
  const busy = useNavigation().state === "submitting";
  const { errId, aria } = useFieldErrorIds(errors);
  const v = (key: string) => values[key] ?? "";
  return (
    <Form method="post" className="form sister-city-form" noValidate>
      {options ? (
        <>
          <label className="wide">
            {t("sister_cities.field.unit")} *
            <select name="organization_id" defaultValue={v("organization_id")} {...aria("organization_id")}>
              <option value="">—</option>
              {options.units.map((u) => (
                <option key={u.id} value={u.id}>
                  {"\u3000".repeat(u.depth)}
                  {u.name}
                </option>
              ))}
            </select>
            <FieldError id={errId("organization_id")} error={errors.organization_id} />
          </label>
          <label className="wide">
            {t("sister_cities.field.body")} *
            <select name="counterpart_id" defaultValue={v("counterpart_id")} {...aria("counterpart_id")}>
              <option value="">—</option>
              {options.bodies.map((group) => (
                <optgroup key={group.country} label={group.country}>
                  {group.bodies.map((b) => (
                    <option key={b.id} value={b.id}>
                      {b.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <span className="muted field-hint">{t("sister_cities.field.body_hint")}</span>
            <FieldError id={errId("counterpart_id")} error={errors.counterpart_id} />
          </label>
        </>
      ) : null}

      <label className="wide">
        {t("sister_cities.field.stage")} *
        <select name="stage" defaultValue={v("stage") || "consensus"} {...aria("stage")}>
          {SISTER_CITY_STAGES.map((s) => (
            <option key={s} value={s}>
              {t(`sister_cities.stage.${s}`)}
            </option>
          ))}
        </select>
        <span className="muted field-hint">{t("sister_cities.field.stage_hint")}</span>
        <FieldError id={errId("stage")} error={errors.stage} />
      </label>

      {SISTER_CITY_STAGES.map((s) => {
        const f = STAGE_FIELDS[s];
        return (
          <fieldset key={s} className="wide stage-fields">
            <legend>{t(`sister_cities.stage.${s}`)}</legend>
            <label>
              {t("sister_cities.field.date")}
              <input name={f.date} defaultValue={v(f.date)} maxLength={10} placeholder={t("sister_cities.field.date_placeholder")} {...aria(f.date)} />
              <FieldError id={errId(f.date)} error={errors[f.date]} />
            </label>
            <label>
              {t("sister_cities.field.document")}
              <input name={f.document} defaultValue={v(f.document)} maxLength={SISTER_CITY_LIMITS.document} {...aria(f.document)} />
              <FieldError id={errId(f.document)} error={errors[f.document]} />
            </label>
            <label className="wide">
              {t("sister_cities.field.url")}
              <input name={f.url} type="url" inputMode="url" defaultValue={v(f.url)} maxLength={SISTER_CITY_LIMITS.url} {...aria(f.url)} />
              <FieldError id={errId(f.url)} error={errors[f.url]} />
            </label>
          </fieldset>
        );
      })}
      <p className="muted wide">{t("sister_cities.field.date_hint")}</p>

      {showEnd ? (
        <label>
          {t("sister_cities.field.ended_on")}
          <input name="ended_on" defaultValue={v("ended_on")} maxLength={10} placeholder={t("sister_cities.field.date_placeholder")} {...aria("ended_on")} />
          <span className="muted field-hint">{t("sister_cities.field.ended_hint")}</span>
          <FieldError id={errId("ended_on")} error={errors.ended_on} />
        </label>
      ) : null}

      <label className="wide">
        {t("sister_cities.field.note")}
        <textarea name="note" rows={3} defaultValue={v("note")} maxLength={SISTER_CITY_LIMITS.note} {...aria("note")} />
        <FieldError id={errId("note")} error={errors.note} />
      </label>

      <div className="form-actions wide">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}

// The activity form, for logging and for editing. A plain Remix <Form>: it works without JavaScript; with it,
// the plan item list can be searched and evidence rows added.
import { Form, useNavigation } from "@remix-run/react";
import { useRef, useState } from "react";
import { type CounterpartOption, CounterpartField } from "~/components/CounterpartField";
import { CountryChips } from "~/components/CountryChips";
import { type PickerItem, PlanItemPicker } from "~/components/PlanItemPicker";
import { FieldError, useFieldErrorIds } from "~/components/FieldError";
import { localName } from "~/i18n";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES, LIMITS } from "~/schemas/activity";
import type { CounterpartQuestion } from "~/schemas/counterpart";
import type { FieldErrors } from "~/schemas/form";
import { useI18n } from "~/utils/i18n-hooks";

export type ActivityFormValues = Record<string, string | string[]>;

export interface ActivityFormOptions {
  units: { id: number; name_zh: string; name_en: string; depth: number }[];
  planItems: PickerItem[];
  /** per activity type, the items where such work is usually counted */
  suggestedItems: Record<string, readonly string[]>;
  countries: { code: string; name: string; mekong: boolean }[];
  /** units that may co-operate (配合单位): the acting user's country's units of the tree */
  partnerUnits: { id: number; name_zh: string; name_en: string; depth: number }[];
  /** the counterpart register's bodies the 对方机构 field offers */
  counterparts: CounterpartOption[];
}

function one(values: ActivityFormValues, key: string): string {
  const v = values[key];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}
function many(values: ActivityFormValues, key: string): string[] {
  const v = values[key];
  return Array.isArray(v) ? v : v ? [v] : [];
}

/** Enter in a search box narrows the list; it must not submit the whole form. */
function ignoreEnter(event: React.KeyboardEvent<HTMLInputElement>) {
  if (event.key === "Enter") event.preventDefault();
}

export function ActivityForm({
  values,
  errors = {},
  questions,
  options,
  version,
  submitLabel,
  another,
  focusTitle,
}: {
  values: ActivityFormValues;
  errors?: FieldErrors;
  /** names of the 对方机构 text the counterpart register does not know: the server asks about them */
  questions?: CounterpartQuestion[];
  options: ActivityFormOptions;
  version?: number;
  submitLabel: string;
  /** offer "save and log another" (logging, not editing) */
  another?: boolean;
  /** start with the cursor in the title (logging a new activity) */
  focusTitle?: boolean;
}) {
  const { t, locale } = useI18n();
  const busy = useNavigation().state === "submitting";
  const { errId, aria } = useFieldErrorIds(errors);

  const [planQuery, setPlanQuery] = useState(one(values, "plan_query"));
  const [type, setType] = useState(one(values, "type"));
  const [partnerQuery, setPartnerQuery] = useState("");
  const evidenceUrls = many(values, "evidence_url");
  const evidenceLabels = many(values, "evidence_label");
  const [evidenceRows, setEvidenceRows] = useState(Math.max(evidenceUrls.length + 1, 2));
  const primary = one(values, "primary_plan_item");
  const others = new Set(many(values, "plan_items"));
  const saveRef = useRef<HTMLButtonElement>(null);

  /**
   * Ctrl+Enter (⌘+Enter) saves from any field, as the button at the bottom does: with the keyboard, the plan-item
   * list and the optional fields lie between the required fields and that button. (Plain Enter never saves.)
   */
  const saveShortcut = (event: React.KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || !saveRef.current || busy) return;
    event.preventDefault();
    event.currentTarget.requestSubmit(saveRef.current);
  };

  return (
    <Form method="post" className="form activity-form" noValidate onKeyDown={saveShortcut}>
      {/* The form's default button, first in it: Enter in a field "presses" it, which without JavaScript re-shows
          the form with the plan items searched and saves nothing (with JavaScript, Enter in a search box narrows
          its list instead). Only the buttons at the bottom save. */}
      <button type="submit" name="intent" value="search" className="visually-hidden" tabIndex={-1} aria-hidden="true">
        {t("entry.picker.search_button")}
      </button>
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}

      <label className="wide">
        {t("activity.title")} *
        {/* logging, the page is this form: the cursor starts in its first field (the focus manager leaves a field
            the page focused itself; a confirmation or an error still takes the focus first) */}
        <input name="title" defaultValue={one(values, "title")} maxLength={LIMITS.title + 50} required autoFocus={focusTitle} {...aria("title")} />
        <FieldError id={errId("title")} error={errors.title} />
      </label>

      <label>
        {t("activity.organization")} *
        <select name="organization_id" defaultValue={one(values, "organization_id")} {...aria("organization_id")}>
          {options.units.map((u) => (
            <option key={u.id} value={u.id}>
              {"\u3000".repeat(u.depth)}
              {localName(locale, u.name_zh, u.name_en)}
            </option>
          ))}
        </select>
        <FieldError id={errId("organization_id")} error={errors.organization_id} />
      </label>

      <label>
        {t("activity.type")} *
        <select name="type" defaultValue={one(values, "type")} onChange={(e) => setType(e.target.value)} {...aria("type")}>
          <option value="">—</option>
          {ACTIVITY_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`activity.type.${type}`)}
            </option>
          ))}
        </select>
        <FieldError id={errId("type")} error={errors.type} />
      </label>

      <label>
        {t("activity.status")} *
        <select name="status" defaultValue={one(values, "status") || "completed"} {...aria("status")}>
          {ACTIVITY_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`activity.status.${status}`)}
            </option>
          ))}
        </select>
        <FieldError id={errId("status")} error={errors.status} />
      </label>

      <label>
        {t("activity.start_date")} *
        <input type="date" name="start_date" defaultValue={one(values, "start_date")} {...aria("start_date")} />
        <FieldError id={errId("start_date")} error={errors.start_date} />
      </label>

      <label>
        {t("activity.end_date")} *
        <input type="date" name="end_date" defaultValue={one(values, "end_date")} {...aria("end_date")} />
        <FieldError id={errId("end_date")} error={errors.end_date} />
      </label>

      <PlanItemPicker
        items={options.planItems}
        suggested={options.suggestedItems[type] ?? []}
        query={planQuery}
        onQuery={setPlanQuery}
        primary={primary}
        others={others}
        error={errors.primary_plan_item ?? errors.plan_items}
        errorId={errId("primary_plan_item")}
        aria={aria("primary_plan_item")}
      />

      <CountryChips countries={options.countries} chosen={many(values, "countries")} error={errors.countries} errorId={errId("countries")} aria={aria("countries")} />

      <CounterpartField
        defaultValue={one(values, "counterpart_body")}
        error={errors.counterpart_body}
        errorId={errId("counterpart_body")}
        aria={aria("counterpart_body")}
        options={options.counterparts}
        countries={options.countries}
        questions={questions}
      />

      <label className="wide">
        {t("activity.location")}
        <input name="location" defaultValue={one(values, "location")} {...aria("location")} />
        <FieldError id={errId("location")} error={errors.location} />
      </label>

      <fieldset className="wide partners" {...aria("partner_units")}>
        <legend>{t("activity.partners")}</legend>
        <span className="muted field-hint">{t("activity.partners_hint")}</span>
        <FieldError id={errId("partner_units")} error={errors.partner_units} />
        <label>
          {t("activity.partner_units")}
          <input
            type="search"
            className="picker-search"
            placeholder={t("activity.partner_units_search")}
            aria-label={t("activity.partner_units_search")}
            value={partnerQuery}
            onChange={(e) => setPartnerQuery(e.target.value)}
            onKeyDown={ignoreEnter}
          />
          <select name="partner_units" multiple size={5} defaultValue={many(values, "partner_units")}>
            {options.partnerUnits.map((u) => (
              <option
                key={u.id}
                value={u.id}
                hidden={!!partnerQuery && !`${u.name_zh} ${u.name_en}`.toLowerCase().includes(partnerQuery.trim().toLowerCase())}
              >
                {"\u3000".repeat(u.depth)}
                {localName(locale, u.name_zh, u.name_en)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("activity.partner_departments")}
          <input
            name="partner_departments"
            defaultValue={one(values, "partner_departments")}
            placeholder={t("activity.partner_departments_example")}
            {...aria("partner_departments")}
          />
          <FieldError id={errId("partner_departments")} error={errors.partner_departments} />
        </label>
      </fieldset>

      <p className="wide field-hint muted counts-hint">{t("entry.counts_hint")}</p>

      <label>
        {t("activity.delegations_count")}
        <input name="delegations_count" inputMode="numeric" defaultValue={one(values, "delegations_count")} {...aria("delegations_count")} />
        <FieldError id={errId("delegations_count")} error={errors.delegations_count} />
      </label>

      <label>
        {t("activity.participants_count")}
        <input name="participants_count" inputMode="numeric" defaultValue={one(values, "participants_count")} {...aria("participants_count")} />
        <FieldError id={errId("participants_count")} error={errors.participants_count} />
      </label>

      <label>
        {t("activity.funding_wan")}
        <input name="funding_wan" inputMode="decimal" defaultValue={one(values, "funding_wan")} {...aria("funding_wan")} />
        <FieldError id={errId("funding_wan")} error={errors.funding_wan} />
      </label>

      <label>
        {t("activity.funding_source")}
        <input name="funding_source" defaultValue={one(values, "funding_source")} {...aria("funding_source")} />
        <FieldError id={errId("funding_source")} error={errors.funding_source} />
      </label>

      <label className="wide">
        {t("activity.outcome")}
        <textarea name="outcome" rows={4} defaultValue={one(values, "outcome")} {...aria("outcome")} />
        <FieldError id={errId("outcome")} error={errors.outcome} />
      </label>

      <fieldset className="wide evidence">
        <legend>{t("activity.evidence")}</legend>
        <p className="muted">{t("evidence.form_hint")}</p>
        <FieldError id={errId("evidence_url")} error={errors.evidence_url ?? errors.evidence_label} />
        {Array.from({ length: evidenceRows }, (_, i) => (
          <div key={i} className="evidence-row">
            <input
              name="evidence_label"
              placeholder={t("activity.evidence_label")}
              aria-label={`${t("activity.evidence_label")} ${i + 1}`}
              defaultValue={evidenceLabels[i] ?? ""}
            />
            <input
              name="evidence_url"
              type="url"
              placeholder="https://"
              aria-label={`${t("activity.evidence_url")} ${i + 1}`}
              defaultValue={evidenceUrls[i] ?? ""}
            />
          </div>
        ))}
        {evidenceRows < LIMITS.evidenceRows ? (
          <button type="button" className="link-button" onClick={() => setEvidenceRows((n) => n + 1)}>
            {t("activities.add_evidence")}
          </button>
        ) : null}
      </fieldset>

      <div className="form-actions wide">
        <button type="submit" className="primary" disabled={busy} ref={saveRef} aria-keyshortcuts="Control+Enter Meta+Enter" aria-describedby="save-shortcut">
          {submitLabel}
        </button>
        {another ? (
          <button type="submit" name="intent" value="save_another" disabled={busy}>
            {t("entry.save_another")}
          </button>
        ) : null}
        <span id="save-shortcut" className="muted field-hint">
          {t("entry.save_shortcut")}
        </span>
      </div>
    </Form>
  );
}

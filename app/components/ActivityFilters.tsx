// The list's filters: a plain GET form, so the filters are the URL and work without JavaScript.
import { Form, Link, useLocation } from "@remix-run/react";
import { localName } from "~/i18n";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES } from "~/schemas/activity";
import { ACTIVITY_SORTS, type ActivityFilterParams } from "~/schemas/activity-filter";
import { useI18n } from "~/utils/i18n-hooks";

export interface FilterChoices {
  organizations: { id: number; name_zh: string; name_en: string; depth: number }[];
  planItems: { code: string; title_zh: string; title_en: string; depth: number; kind: string }[];
  pillars: { code: string; title_zh: string; title_en: string }[];
  areas: { code: string; name_zh: string; name_en: string }[];
}

const indent = (depth: number) => "\u3000".repeat(Math.max(0, depth));

export function ActivityFilters({
  params,
  invalid = [],
  choices,
  countries,
  hide = [],
}: {
  params: ActivityFilterParams;
  invalid?: string[];
  choices: FilterChoices;
  countries: { code: string; name: string }[];
  hide?: (keyof ActivityFilterParams)[];
}) {
  const { t, locale } = useI18n();
  const location = useLocation();
  const show = (key: keyof ActivityFilterParams) => !hide.includes(key);
  const problem = (key: keyof ActivityFilterParams) =>
    invalid.includes(key) ? (
      <span className="field-error" role="alert">
        {t("filter.invalid")}
      </span>
    ) : null;
  // keyed by the URL, so the inputs show exactly the filters in force (after "clear", after back/forward)
  return (
    <Form method="get" className="filters" aria-label={t("filter.title")} key={location.search}>
      {show("q") ? (
        <label>
          {t("filter.q")}
          <input type="search" name="q" maxLength={100} defaultValue={params.q ?? ""} placeholder={t("filter.q_placeholder")} />
          {problem("q")}
        </label>
      ) : null}
      {show("unit") ? (
        <label>
          {t("filter.unit")}
          <select name="unit" defaultValue={params.unit ?? ""}>
            <option value="">{t("filter.all")}</option>
            {choices.organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {indent(o.depth)}
                {localName(locale, o.name_zh, o.name_en)}
              </option>
            ))}
          </select>
        {problem("unit")}
      </label>
      ) : null}
      {show("pillar") ? (
        <label>
          {t("filter.pillar")}
          <select name="pillar" defaultValue={params.pillar ?? ""}>
            <option value="">{t("filter.all")}</option>
            {choices.pillars.map((p) => (
              <option key={p.code} value={p.code}>
                {p.code} {localName(locale, p.title_zh, p.title_en)}
              </option>
            ))}
          </select>
        {problem("pillar")}
      </label>
      ) : null}
      {show("area") ? (
        <label>
          {t("filter.area")}
          <select name="area" defaultValue={params.area ?? ""}>
            <option value="">{t("filter.all")}</option>
            {choices.areas.map((a) => (
              <option key={a.code} value={a.code}>
                {localName(locale, a.name_zh, a.name_en)}
              </option>
            ))}
          </select>
        {problem("area")}
      </label>
      ) : null}
      {show("item") ? (
        <label>
          {t("filter.plan_item")}
          <select name="item" defaultValue={params.item ?? ""}>
            <option value="">{t("filter.all")}</option>
            {choices.planItems.map((p) => (
              <option key={p.code} value={p.code}>
                {indent(p.depth)}
                {p.code} {localName(locale, p.title_zh, p.title_en)}
              </option>
            ))}
          </select>
        {problem("item")}
      </label>
      ) : null}
      <label>
        {t("filter.type")}
        <select name="type" defaultValue={params.type ?? ""}>
          <option value="">{t("filter.all")}</option>
          {ACTIVITY_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`activity.type.${type}`)}
            </option>
          ))}
        </select>
      {problem("type")}
      </label>
      <label>
        {t("filter.status")}
        <select name="status" defaultValue={params.status ?? ""}>
          <option value="">{t("filter.all")}</option>
          {ACTIVITY_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`activity.status.${status}`)}
            </option>
          ))}
        </select>
      {problem("status")}
      </label>
      <label>
        {t("filter.country")}
        <select name="country" defaultValue={params.country ?? ""}>
          <option value="">{t("filter.all")}</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      {problem("country")}
      </label>
      <label>
        {t("filter.from")}
        <input type="date" name="from" defaultValue={params.from ?? ""} />
      {problem("from")}
      </label>
      <label>
        {t("filter.to")}
        <input type="date" name="to" defaultValue={params.to ?? ""} />
      {problem("to")}
      </label>
      <label>
        {t("filter.sort")}
        <select name="sort" defaultValue={params.sort ?? "start_desc"}>
          {ACTIVITY_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {t(`sort.${sort}`)}
            </option>
          ))}
        </select>
      {problem("sort")}
      </label>
      <div className="filter-actions">
        <button type="submit" className="primary">
          {t("filter.apply")}
        </button>
        <Link to={location.pathname}>{t("filter.reset")}</Link>
      </div>
    </Form>
  );
}

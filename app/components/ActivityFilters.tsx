// The activity list's filters (also on the plan item, priority area and recycle bin pages).
import { FilterForm, FilterInvalid, FilterSelect } from "~/components/FilterForm";
import { localName } from "~/i18n";
import { ACTIVITY_STATUSES, ACTIVITY_TYPES } from "~/schemas/activity";
import { ACTIVITY_SORTS, type ActivityFilterParams } from "~/schemas/activity-filter";
import { useSearchParams } from "@remix-run/react";
import { countryRefusal } from "~/utils/countries";
import { useI18n } from "~/utils/i18n-hooks";

export interface FilterChoices {
  organizations: { id: number; name_zh: string; name_en: string; depth: number }[];
  planItems: { code: string; title_zh: string; title_en: string; depth: number; kind: string }[];
  pillars: { code: string; title_zh: string; title_en: string }[];
  areas: { code: string; name_zh: string; name_en: string }[];
}

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
  const [searchParams] = useSearchParams();
  const show = (key: keyof ActivityFilterParams) => !hide.includes(key);
  const bad = (key: keyof ActivityFilterParams) => invalid.includes(key);
  return (
    <FilterForm>
      {show("q") ? (
        <label>
          {t("filter.q")}
          <input type="search" name="q" maxLength={100} defaultValue={params.q ?? ""} placeholder={t("filter.q_placeholder")} />
          <FilterInvalid show={bad("q")} />
        </label>
      ) : null}
      {show("unit") ? (
        <FilterSelect
          label={t("filter.unit")}
          name="unit"
          value={params.unit}
          invalid={bad("unit")}
          options={choices.organizations.map((o) => ({ value: o.id, label: localName(locale, o.name_zh, o.name_en), depth: o.depth }))}
        />
      ) : null}
      {show("pillar") ? (
        <FilterSelect
          label={t("filter.pillar")}
          name="pillar"
          value={params.pillar}
          invalid={bad("pillar")}
          options={choices.pillars.map((p) => ({ value: p.code, label: `${p.code} ${localName(locale, p.title_zh, p.title_en)}` }))}
        />
      ) : null}
      {show("area") ? (
        <FilterSelect
          label={t("filter.area")}
          name="area"
          value={params.area}
          invalid={bad("area")}
          options={choices.areas.map((a) => ({ value: a.code, label: localName(locale, a.name_zh, a.name_en) }))}
        />
      ) : null}
      {show("item") ? (
        <FilterSelect
          label={t("filter.plan_item")}
          name="item"
          value={params.item}
          invalid={bad("item")}
          options={choices.planItems.map((p) => ({ value: p.code, label: `${p.code} ${localName(locale, p.title_zh, p.title_en)}`, depth: p.depth }))}
        />
      ) : null}
      <FilterSelect
        label={t("filter.type")}
        name="type"
        value={params.type}
        invalid={bad("type")}
        options={ACTIVITY_TYPES.map((type) => ({ value: type, label: t(`activity.type.${type}`) }))}
      />
      <FilterSelect
        label={t("filter.status")}
        name="status"
        value={params.status}
        invalid={bad("status")}
        options={ACTIVITY_STATUSES.map((status) => ({ value: status, label: t(`activity.status.${status}`) }))}
      />
      <FilterSelect
        label={t("filter.country")}
        name="country"
        value={params.country}
        invalid={bad("country") && countryRefusal(searchParams.get("country"))}
        options={countries.map((c) => ({ value: c.code, label: c.name }))}
      />
      <label>
        {t("filter.from")}
        <input type="date" name="from" defaultValue={params.from ?? ""} />
        <FilterInvalid show={bad("from")} />
      </label>
      <label>
        {t("filter.to")}
        <input type="date" name="to" defaultValue={params.to ?? ""} />
        <FilterInvalid show={bad("to")} />
      </label>
      <FilterSelect
        label={t("filter.sort")}
        name="sort"
        value={params.sort ?? "start_desc"}
        all={false}
        invalid={bad("sort")}
        options={ACTIVITY_SORTS.map((sort) => ({ value: sort, label: t(`sort.${sort}`) }))}
      />
    </FilterForm>
  );
}

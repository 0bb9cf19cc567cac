// The dashboard's filters, in the URL: a reporting period or a date range, a unit (with the units below it), a
// counterpart country.
import { FilterForm, FilterInvalid, FilterSelect } from "~/components/FilterForm";
import { localName } from "~/i18n";
import { periodName } from "~/i18n/periods";
import { useSearchParams } from "@remix-run/react";
import { countryRefusal } from "~/utils/countries";
import { useI18n } from "~/utils/i18n-hooks";

export interface DashboardFilterParams {
  period: string | null;
  from: string | null;
  to: string | null;
  unit: number | null;
  country: string | null;
}

export function DashboardFilters({
  params,
  invalid,
  choices,
}: {
  params: DashboardFilterParams;
  invalid: string[];
  choices: {
    periods: { code: string; kind: string; year: number; seq: number }[];
    units: { id: number; name_zh: string; name_en: string; depth: number }[];
    countries: { code: string; name: string }[];
  };
}) {
  const { t, locale } = useI18n();
  const [searchParams] = useSearchParams();
  const minDepth = Math.min(...choices.units.map((u) => u.depth), 0);
  return (
    <FilterForm>
      <FilterSelect
        label={t("dashboard.filter.period")}
        name="period"
        value={params.period}
        all={t("dashboard.filter.period_any")}
        invalid={invalid.includes("period")}
        options={choices.periods.map((p) => ({ value: p.code, label: periodName(p, locale) }))}
      />
      <label>
        {t("filter.from")}
        <input type="date" name="from" defaultValue={params.from ?? ""} />
        <FilterInvalid show={invalid.includes("from")} />
      </label>
      <label>
        {t("filter.to")}
        <input type="date" name="to" defaultValue={params.to ?? ""} />
        <FilterInvalid show={invalid.includes("to")} />
      </label>
      <FilterSelect
        label={t("filter.unit")}
        name="unit"
        value={params.unit}
        invalid={invalid.includes("unit")}
        options={choices.units.map((u) => ({ value: u.id, label: localName(locale, u.name_zh, u.name_en), depth: u.depth - minDepth }))}
      />
      <FilterSelect
        label={t("filter.country")}
        name="country"
        value={params.country}
        invalid={invalid.includes("country") && countryRefusal(searchParams.get("country"))}
        options={choices.countries.map((c) => ({ value: c.code, label: c.name }))}
      />
    </FilterForm>
  );
}

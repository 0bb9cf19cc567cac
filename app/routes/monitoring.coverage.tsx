import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FilterForm, FilterInvalid, FilterSelect } from "~/components/FilterForm";
import { type CoverageColumn, CoverageTable } from "~/components/CoverageTable";
import { MonitoringNav } from "~/components/MonitoringNav";
import { PERIOD_KIND_LABELS } from "~/components/SubmissionMatrix";
import { localName } from "~/i18n";
import { formatDate, formatDateRange, formatNumber, joinList } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { countryChoices } from "~/presenters/countries.server";
import { loadCoveragePage } from "~/presenters/monitoring.server";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "monitoring.coverage.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user);
  const page = await loadCoveragePage(db, new URL(request.url).searchParams);
  return json({ ...page, countryNames: countryChoices(locale).countryNames }, { status: page.status });
}

export default function CoveragePage() {
  const data = useLoaderData<typeof loader>();
  const { params, invalid, choices, counts } = data;
  const { t, locale } = useI18n();
  const listParams: [string, string][] = [];
  if (params.from) listParams.push(["from", params.from]);
  if (params.to) listParams.push(["to", params.to]);
  if (params.type) listParams.push(["type", params.type]);

  const unitColumns: CoverageColumn[] = data.units.map((u) => ({
    key: String(u.id),
    label: localName(locale, u.name_zh, u.name_en),
    param: ["unit", String(u.id)],
  }));
  const countryColumns: CoverageColumn[] = [
    ...data.countries.map((code): CoverageColumn => ({ key: code, label: data.countryNames[code] ?? code, param: ["country", code] })),
    {
      key: "other",
      label: t("monitoring.coverage.other"),
      // the activity list has no "any other country" filter: the cell names the countries instead of linking
      cellTitle: (rowId) => {
        const others = counts.otherCountries[String(rowId)] ?? {};
        return joinList(
          Object.entries(others).map(([code, n]) => `${data.countryNames[code] ?? code} ${formatNumber(n, locale)}`),
          locale,
        );
      },
    },
  ];
  const range =
    params.from && params.to
      ? formatDateRange(params.from, params.to, locale)
      : params.from
        ? `${formatDate(params.from, locale)} –`
        : params.to
          ? `– ${formatDate(params.to, locale)}`
          : null;

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("monitoring.coverage.title")}</h1>
        <MonitoringNav />
      </div>
      <p className="muted">{t("monitoring.coverage.intro")}</p>
      <FilterForm>
        <FilterSelect
          label={t("monitoring.filter.kind")}
          name="kind"
          value={params.kind}
          all={false}
          invalid={invalid.includes("kind")}
          options={choices.kinds.map((k) => ({ value: k, label: t(PERIOD_KIND_LABELS[k]) }))}
        />
        <FilterSelect
          label={t("monitoring.coverage.period")}
          name="period"
          value={params.period}
          all={t("monitoring.coverage.any_period")}
          invalid={invalid.includes("period")}
          options={choices.periods.map((p) => ({ value: p.code, label: periodName(p, locale) }))}
        />
        <label>
          {t("filter.from")}
          <input type="date" name="from" defaultValue={params.period ? "" : params.from ?? ""} />
          <FilterInvalid show={invalid.includes("from")} />
        </label>
        <label>
          {t("filter.to")}
          <input type="date" name="to" defaultValue={params.period ? "" : params.to ?? ""} />
          <FilterInvalid show={invalid.includes("to")} />
        </label>
        <FilterSelect
          label={t("monitoring.coverage.type")}
          name="type"
          value={params.type}
          invalid={invalid.includes("type")}
          options={choices.types.map((type) => ({ value: type, label: t(`activity.type.${type}`) }))}
        />
      </FilterForm>
      <p className="total" aria-live="polite">
        {t("monitoring.coverage.summary", {
          items: formatNumber(data.summary.items, locale),
          empty: formatNumber(data.summary.itemsWithoutActivity, locale),
        })}{" "}
        {range ? t("monitoring.coverage.range", { range }) : t("monitoring.coverage.all_time")}
      </p>
      <p className="muted">{t("monitoring.coverage.list_note")}</p>

      <section aria-labelledby="by-unit">
        <h2 id="by-unit">{t("monitoring.coverage.by_unit")}</h2>
        <p className="muted">{t("monitoring.coverage.by_unit_note")}</p>
        <CoverageTable
          caption={t("monitoring.coverage.by_unit")}
          rows={data.rows}
          columns={unitColumns}
          counts={counts.byUnit}
          totals={counts.totals}
          listParams={listParams}
        />
      </section>

      <section aria-labelledby="by-country">
        <h2 id="by-country">{t("monitoring.coverage.by_country")}</h2>
        <p className="muted">{t("monitoring.coverage.by_country_note")}</p>
        <CoverageTable
          caption={t("monitoring.coverage.by_country")}
          rows={data.rows}
          columns={countryColumns}
          counts={counts.byCountry}
          listParams={listParams}
        />
      </section>
    </div>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterForm, FilterSelect } from "~/components/FilterForm";
import { CLASSIFICATIONS } from "~/domain/sister-cities";
import { formatDate, formatNumber } from "~/i18n/format";
import { StageText } from "~/components/StageText";
import { loadSisterCityRegister } from "~/presenters/sister-city-register.server";
import { SISTER_CITY_STAGE_FILTERS } from "~/schemas/sister-city";
import { requireUser } from "~/utils/auth.server";
import { todayInChina } from "~/utils/china-time";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "sister_cities.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user);
  const page = await loadSisterCityRegister(db, new URL(request.url).searchParams, user, locale, todayInChina());
  return json(page, { status: page.invalid.length ? 400 : 200 });
}

export default function SisterCityRegisterPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const bad = (key: string) => data.invalid.includes(key);
  const n = (value: number) => formatNumber(value, locale);
  return (
    <div className="page sister-cities">
      <div className="page-head">
        <h1>{t("sister_cities.title")}</h1>
        {data.canAdd ? (
          <div className="actions">
            <Link to="/sister-cities/new" className="button primary">
              {t("sister_cities.add")}
            </Link>
          </div>
        ) : null}
      </div>
      <p className="muted">{t("sister_cities.intro")}</p>

      <section className="figures" aria-label={t("sister_cities.figures")}>
        {data.figures.map((f) => (
          <div key={f.id} className="figure">
            <span className="figure-value">{n(f.value)}</span>
            <Link to={`/indicators/${f.id}`} className="figure-label">
              {t(`sister_cities.figure.${f.computation}`)}
            </Link>
            <span className="muted">{t("sister_cities.figure_basis", { baseline: n(f.baseline), year: f.baselineYear })}</span>
          </div>
        ))}
      </section>
      <p className="muted">
        {t("sister_cities.registered", {
          pairs: n(data.registered.pairs),
          countries: n(data.registered.countries),
          southeast: n(data.registered.southeastAsia),
          active: n(data.byClass.active),
          dormant: n(data.byClass.dormant),
        })}
      </p>

      <FilterForm>
        <FilterSelect
          label={t("sister_cities.filter.stage")}
          name="stage"
          value={data.filter.stage}
          invalid={bad("stage")}
          options={SISTER_CITY_STAGE_FILTERS.map((s) => ({ value: s, label: t(`sister_cities.stage.${s}`) }))}
        />
        <FilterSelect
          label={t("sister_cities.filter.country")}
          name="country"
          value={data.filter.country}
          invalid={bad("country")}
          options={data.countries.map((c) => ({ value: c.code, label: c.name }))}
        />
        <FilterSelect
          label={t("sister_cities.filter.unit")}
          name="unit"
          value={data.filter.unit}
          invalid={bad("unit")}
          options={data.units.map((u) => ({ value: u.id, label: u.name, depth: u.depth }))}
        />
        <FilterSelect
          label={t("sister_cities.filter.class")}
          name="class"
          value={data.filter.class}
          invalid={bad("class")}
          options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`sister_cities.class.${c}`) }))}
        />
      </FilterForm>

      <p className="total" aria-live="polite">
        {t("sister_cities.count", { count: n(data.rows.length), total: n(data.total) })}
      </p>
      <p className="muted">{t("sister_cities.class_rule", { years: data.years, from: formatDate(data.window.from, locale) })}</p>
      {data.rows.length === 0 ? (
        <p className="empty">{t("sister_cities.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="ledger register sister-city-table">
            <thead>
              <tr>
                <th scope="col">{t("sister_cities.col.unit")}</th>
                <th scope="col">{t("sister_cities.col.body")}</th>
                <th scope="col">{t("sister_cities.col.stage")}</th>
                <th scope="col">{t("sister_cities.col.class")}</th>
                <th scope="col">{t("sister_cities.col.last_exchange")}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/sister-cities/${r.id}`}>{r.unit}</Link>
                  </th>
                  <td data-label={t("sister_cities.col.body")}>
                    <Link to={`/counterparts/${r.counterpart_id}`}>{r.body}</Link>
                  </td>
                  <td data-label={t("sister_cities.col.stage")}>
                    <StageText stage={r.stage} date={r.stage_on} ended={r.ended_on} />
                  </td>
                  <td data-label={t("sister_cities.col.class")}>
                    {r.classification ? (
                      <span className={`class-tag class-${r.classification}`}>{t(`sister_cities.class.${r.classification}`)}</span>
                    ) : (
                      <span className="muted">{t("sister_cities.class.none")}</span>
                    )}
                  </td>
                  <td className="nowrap" data-label={t("sister_cities.col.last_exchange")}>
                    {r.lastExchange ? formatDate(r.lastExchange, locale) : <span className="muted">{t("sister_cities.never")}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="candidates">{t("sister_cities.candidates.title")}</h2>
      <p className="muted">{t("sister_cities.candidates.intro", { years: data.years, min: data.minExchanges })}</p>
      {data.candidates.length === 0 ? (
        <p className="empty">{t("sister_cities.candidates.empty")}</p>
      ) : (
        <ul className="plain-list candidates">
          {data.candidates.map((c) => (
            <li key={c.id}>
              <Link to={`/counterparts/${c.id}`}>{c.name}</Link>
              <span className="muted">
                {" · "}
                {t("sister_cities.candidates.exchanges", { count: n(c.exchanges) })}
                {c.lastExchange ? ` · ${t("sister_cities.candidates.last", { date: formatDate(c.lastExchange, locale) })}` : ""}
              </span>
              {data.canAdd ? (
                <>
                  {" "}
                  <Link to={`/sister-cities/new?body=${c.id}`}>{t("sister_cities.candidates.add")}</Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

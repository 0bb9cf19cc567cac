import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterForm, FilterInvalid, FilterSelect } from "~/components/FilterForm";
import { Pagination } from "~/components/Pagination";
import { COUNTERPART_LEVELS } from "~/domain/counterparts";
import { formatDate, formatNumber } from "~/i18n/format";
import { loadRegisterPage } from "~/presenters/counterpart-register.server";
import { COUNTERPART_LIMITS, REGISTER_SORTS } from "~/schemas/counterpart";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "counterparts.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user);
  const page = await loadRegisterPage(db, new URL(request.url).searchParams, locale);
  return json(page, { status: page.invalid.length ? 400 : 200 });
}

export default function CounterpartRegisterPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const bad = (key: string) => data.invalid.includes(key);
  return (
    <div className="page">
      <h1>{t("counterparts.title")}</h1>
      <p className="muted">{t("counterparts.intro")}</p>
      <FilterForm>
        <label>
          {t("counterparts.filter.q")}
          <input
            type="search"
            name="q"
            maxLength={COUNTERPART_LIMITS.query}
            defaultValue={data.filter.q ?? ""}
            placeholder={t("counterparts.filter.q_placeholder")}
          />
          <FilterInvalid show={bad("q")} />
        </label>
        <FilterSelect
          label={t("counterparts.filter.country")}
          name="country"
          value={data.filter.country}
          invalid={data.countryInvalid}
          options={data.countries.map((c) => ({ value: c.code, label: c.name }))}
        />
        <FilterSelect
          label={t("counterparts.filter.level")}
          name="level"
          value={data.filter.level}
          invalid={bad("level")}
          options={COUNTERPART_LEVELS.map((level) => ({ value: level, label: t(`counterparts.level.${level}`) }))}
        />
        <FilterSelect
          label={t("counterparts.filter.sort")}
          name="sort"
          value={data.filter.sort ?? "country"}
          all={false}
          invalid={bad("sort")}
          options={REGISTER_SORTS.map((sort) => ({ value: sort, label: t(`counterparts.sort.${sort}`) }))}
        />
      </FilterForm>
      <p className="total" aria-live="polite">
        {t("counterparts.count", { count: formatNumber(data.total, locale) })}
      </p>
      {data.rows.length === 0 ? (
        <p className="empty">{t("counterparts.empty")}</p>
      ) : (
        <div className="table-wrap register-wrap">
          <table className="ledger register">
            <thead>
              <tr>
                <th scope="col">{t("counterparts.col.name")}</th>
                <th scope="col">{t("counterparts.col.country")}</th>
                <th scope="col">{t("counterparts.col.level")}</th>
                <th scope="col" className="num">
                  {t("counterparts.col.activities")}
                </th>
                <th scope="col">{t("counterparts.col.last_contact")}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row" className="register-name">
                    <Link to={`/counterparts/${r.id}`}>{r.name}</Link>
                    {r.otherName ? <span className="title-en">{r.otherName}</span> : null}
                  </th>
                  <td data-label={t("counterparts.col.country")}>{r.country}</td>
                  <td data-label={t("counterparts.col.level")}>{t(`counterparts.level.${r.level}`)}</td>
                  <td className="num" data-label={t("counterparts.col.activities")}>
                    {formatNumber(r.activityCount, locale)}
                  </td>
                  <td className="nowrap" data-label={t("counterparts.col.last_contact")}>
                    {r.lastContact ? formatDate(r.lastContact, locale) : <span className="muted">{t("counterparts.never")}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
    </div>
  );
}

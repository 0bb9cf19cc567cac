import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActivityFilters } from "~/components/ActivityFilters";
import { ActivityTable } from "~/components/ActivityTable";
import { Pagination } from "~/components/Pagination";
import { PlanItemIndicators } from "~/components/PlanItemIndicators";
import { IndicatorTrendChart } from "~/components/charts/IndicatorTrendChart";
import { localName } from "~/i18n";
import { formatNumber } from "~/i18n/format";
import { getPlanItemByCode, listPlanItems } from "~/models/plan-item.server";
import { loadActivityList } from "~/presenters/activity-list.server";
import { planItemIndicatorsForPage } from "~/services/indicator-progress.server";
import { countryChoices } from "~/presenters/countries.server";
import { planItemIndicatorTrend } from "~/presenters/dashboard.server";
import { todayInChina } from "~/presenters/monitoring.server";
import { can, notFound, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { getLocale } from "~/utils/locale.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, undefined, data ? { before: data.item.code, zh: data.item.title_zh, en: data.item.title_en } : undefined);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const code = params.code ?? "";
  const item = /^\d+(\.\d+){0,3}$/.test(code) ? await getPlanItemByCode(db, code) : undefined;
  if (!item) throw notFound();
  const locale = await getLocale(request, user);
  const all = await listPlanItems(db);
  const list = await loadActivityList(db, new URL(request.url).searchParams, { fixed: { item: item.code } });
  return json({
    item,
    ancestors: all.filter((p) => item.path.startsWith(p.path) && p.id !== item.id),
    children: all.filter((p) => p.parent_id === item.id),
    ...list,
    ...countryChoices(locale),
    indicators: await planItemIndicatorsForPage(db, item),
    trend: await planItemIndicatorTrend(db, item, todayInChina()),
    canLog: can(user, "activity.create") && item.loggable === 1,
  }, { status: list.status });
}

export default function PlanItemPage() {
  const data = useLoaderData<typeof loader>();
  const { item } = data;
  const { t, locale } = useI18n();
  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="breadcrumb">
        <Link to="/plan">{t("plan.back")}</Link>
        {data.ancestors.map((a) => (
          <span key={a.code}>
            {" › "}
            <Link to={`/plan/${a.code}`}>
              {a.code} {localName(locale, a.title_zh, a.title_en)}
            </Link>
          </span>
        ))}
      </nav>
      <div className="page-head">
        <h1>
          <span className="code">{item.code}</span> {item.title_zh}
        </h1>
        {data.canLog ? (
          <Link to={`/activities/new?item=${encodeURIComponent(item.code)}`} className="button primary">
            {t("plan.log_here")}
          </Link>
        ) : null}
      </div>
      <p className="title-en" lang="en">
        {item.title_en}
        {item.title_en_official ? ` (${t("plan.official")})` : ` (${t("plan.unofficial")})`}
      </p>
      {item.text_zh ? (
        <section className="plan-text">
          <h2>{t("plan.text")}</h2>
          <p>{item.text_zh}</p>
          {item.text_en ? (
            <p lang="en" className="muted">
              {item.text_en} ({t("plan.unofficial")})
            </p>
          ) : null}
        </section>
      ) : null}
      {!item.loggable && data.children.length ? <p className="muted">{t("plan.not_loggable")}</p> : null}
      {data.children.length ? (
        <section>
          <h2>{t("plan.children")}</h2>
          <ul>
            {data.children.map((c) => (
              <li key={c.code}>
                <Link to={`/plan/${c.code}`}>
                  {c.code} {localName(locale, c.title_zh, c.title_en)}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <PlanItemIndicators period={data.indicators.period} rows={data.indicators.rows} />
      <IndicatorTrendChart trend={data.trend} planCode={item.code} />
      <section>
        <h2>
          {t("plan.activities")} (
          {data.result.totalAtLeast ? t("activities.count_at_least", { count: formatNumber(data.result.total, locale) }) : formatNumber(data.result.total, locale)})
        </h2>
        <ActivityFilters invalid={data.invalid} params={data.params} choices={data.choices} countries={data.countries} hide={["item", "pillar", "area"]} />
        <ActivityTable rows={data.result.rows} countryNames={data.countryNames} />
        <Pagination page={data.result.page} pageSize={data.result.pageSize} total={data.result.total} totalAtLeast={data.result.totalAtLeast} cursors={data.cursors} />
      </section>
    </div>
  );
}

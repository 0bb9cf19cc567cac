import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActivityFilters } from "~/components/ActivityFilters";
import { ActivityTable } from "~/components/ActivityTable";
import { Pagination } from "~/components/Pagination";
import { localName } from "~/i18n";
import { formatNumber } from "~/i18n/format";
import { getPriorityAreaByCode } from "~/models/plan-item.server";
import { loadActivityList } from "~/presenters/activity-list.server";
import { countryChoices } from "~/presenters/countries.server";
import { loadPlanTree } from "~/presenters/plan-tree.server";
import { notFound, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { getLocale } from "~/utils/locale.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, undefined, data ? { zh: data.area.name_zh, en: data.area.name_en } : undefined);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const code = params.code ?? "";
  const area = /^[a-z-]{1,40}$/.test(code) ? await getPriorityAreaByCode(db, code) : undefined;
  if (!area) throw notFound();
  const locale = await getLocale(request, user);
  const tree = await loadPlanTree(db);
  const list = await loadActivityList(db, new URL(request.url).searchParams, { fixed: { area: area.code } });
  return json({
    area,
    items: tree.areas.find((a) => a.code === area.code)?.items ?? [],
    ...list,
    ...countryChoices(locale),
  }, { status: list.status });
}

export default function PriorityAreaPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="breadcrumb">
        <Link to="/plan">{t("plan.back")}</Link>
      </nav>
      <h1>{t("plan.area_named", { name: localName(locale, data.area.name_zh, data.area.name_en) })}</h1>
      {locale === "en" ? (
        <p className="title-en" lang="zh-CN">
          {data.area.name_zh}
        </p>
      ) : (
        <p className="title-en" lang="en">
          {data.area.name_en} ({t("plan.official")})
        </p>
      )}
      <h2>{t("plan.area_items")}</h2>
      <ul>
        {data.items.map((i) => (
          <li key={i.code}>
            <Link to={`/plan/${i.code}`}>
              {i.code} {localName(locale, i.title_zh, i.title_en)}
            </Link>{" "}
            · {t("plan.count", { count: formatNumber(i.count, locale) })}
          </li>
        ))}
      </ul>
      <h2>
        {t("plan.activities")} ({formatNumber(data.result.total, locale)})
      </h2>
      <ActivityFilters invalid={data.invalid} params={data.params} choices={data.choices} countries={data.countries} hide={["area", "pillar"]} />
      <ActivityTable rows={data.result.rows} countryNames={data.countryNames} />
      <Pagination page={data.result.page} pageSize={data.result.pageSize} total={data.result.total} cursors={data.cursors} />
    </div>
  );
}

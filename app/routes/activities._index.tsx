import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { ActivityFilters } from "~/components/ActivityFilters";
import { ActivityTable } from "~/components/ActivityTable";
import { Notice } from "~/components/Notice";
import { Pagination } from "~/components/Pagination";
import { formatNumber } from "~/i18n/format";
import { loadActivityList } from "~/presenters/activity-list.server";
import { countryChoices } from "~/presenters/countries.server";
import { closableIds } from "~/services/activity-closing.server";
import { can, requireUser } from "~/utils/auth.server";
import { todayInChina } from "~/utils/china-time";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { getLocale } from "~/utils/locale.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "activities.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user);
  const list = await loadActivityList(db, new URL(request.url).searchParams);
  const closable = can(user, "activity.edit") ? await closableIds(db, user, list.result.rows, todayInChina()) : [];
  return json({ ...list, ...countryChoices(locale), canCreate: can(user, "activity.create"), closable }, { status: list.status });
}

export default function ActivitiesPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const { search } = useLocation();
  const query = new URLSearchParams(search);
  const closedNotice = query.get("notice")?.startsWith("closed_") ? query.get("notice") : null;
  const closed = Number(query.get("closed")) || 0;
  query.delete("notice");
  query.delete("closed");
  const back = `/activities${query.size ? `?${query}` : ""}`;
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("activities.title")}</h1>
        {data.canCreate ? (
          <Link to="/activities/new" className="button primary">
            {t("activities.new")}
          </Link>
        ) : null}
      </div>
      <Notice />
      <ActivityFilters invalid={data.invalid} params={data.params} choices={data.choices} countries={data.countries} />
      <p className="total" aria-live="polite">
        {data.result.totalAtLeast ? (
          <span title={t("activities.total_at_least_hint", { count: formatNumber(data.result.total, locale) })}>
            {t("activities.total_at_least", { count: formatNumber(data.result.total, locale) })}
          </span>
        ) : (
          t("activities.total", { count: formatNumber(data.result.total, locale) })
        )}
        {data.partnerCount > 0 ? (
          <span className="muted">
            {" "}
            {t(data.partnerCountAtLeast ? "activities.total_partner_at_least" : "activities.total_partner", { count: formatNumber(data.partnerCount, locale) })}
          </span>
        ) : null}
      </p>
      <p className="export-links" title={t("exports.link.list_hint")}>
        <a href={`/exports/activities.xlsx${search}`} download>{t("exports.link.xlsx")}</a>
        <a href={`/exports/activities.csv${search}`} download>{t("exports.link.csv")}</a>
      </p>
      {closedNotice && closed > 0 ? (
        <p className="notice" role="status">
          {t(closedNotice === "closed_completed" ? "bulk.close.done_completed" : "bulk.close.done_cancelled", { count: formatNumber(closed, locale) })}
        </p>
      ) : null}
      {data.closable.length > 0 ? (
        <Form id="close-activities" method="post" action="/activities/close" className="bulk-bar">
          <input type="hidden" name="back" value={back} />
          <span className="muted">{t("bulk.close.hint", { count: formatNumber(data.closable.length, locale) })}</span>
          <span className="bulk-buttons">
            <button type="submit" name="status" value="completed" className="primary">
              {t("bulk.close.completed")}
            </button>
            <button type="submit" name="status" value="cancelled">
              {t("bulk.close.cancelled")}
            </button>
          </span>
        </Form>
      ) : null}
      <ActivityTable
        rows={data.result.rows}
        countryNames={data.countryNames}
        involvingPath={data.involvingPath}
        select={data.closable.length > 0 ? { form: "close-activities", ids: data.closable } : undefined}
      />
      <Pagination page={data.result.page} pageSize={data.result.pageSize} total={data.result.total} totalAtLeast={data.result.totalAtLeast} cursors={data.cursors} />
    </div>
  );
}

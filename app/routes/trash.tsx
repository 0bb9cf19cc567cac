import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { ActivityFilters } from "~/components/ActivityFilters";
import { ActivityTable } from "~/components/ActivityTable";
import { Pagination } from "~/components/Pagination";
import { formatDateTime, formatNumber } from "~/i18n/format";
import { loadActivityList } from "~/presenters/activity-list.server";
import { countryChoices } from "~/presenters/countries.server";
import { can, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { getLocale } from "~/utils/locale.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "trash.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user);
  // Reporters see what was deleted in their own part of the tree; everyone else (read-only) sees all of it.
  const list = await loadActivityList(db, new URL(request.url).searchParams, {
    deleted: true,
    scopeOrganizationPath: can(user, "trash.see_all") ? undefined : user.organization_path,
  });
  const restorable = list.result.rows.filter((r) => can(user, "activity.restore", r)).map((r) => r.id);
  return json({ ...list, ...countryChoices(locale), restorable }, { status: list.status });
}

export default function TrashPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const restorable = new Set(data.restorable);
  return (
    <div className="page">
      <h1>{t("trash.title")}</h1>
      <p className="muted">{t("trash.intro")}</p>
      <ActivityFilters invalid={data.invalid} params={data.params} choices={data.choices} countries={data.countries} />
      <p className="total">{t("activities.total", { count: formatNumber(data.result.total, locale) })}</p>
      {data.result.total === 0 ? (
        <p className="empty">{t("trash.empty")}</p>
      ) : (
        <ActivityTable
          rows={data.result.rows}
          countryNames={data.countryNames}
          extraColumn={{
            header: t("trash.deleted_at"),
            cell: (row) => (
              <>
                <div className="nowrap">{row.deleted_at ? formatDateTime(row.deleted_at, locale) : ""}</div>
                {restorable.has(row.id) ? (
                  <Form method="post" action={`/activities/${row.id}/restore`}>
                    <button type="submit" className="small">
                      {t("activities.restore_button")}
                    </button>
                  </Form>
                ) : null}
              </>
            ),
          }}
        />
      )}
      <Pagination page={data.result.page} pageSize={data.result.pageSize} total={data.result.total} />
    </div>
  );
}

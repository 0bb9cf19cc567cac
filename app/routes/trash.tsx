import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ActivityFilters } from "~/components/ActivityFilters";
import { ActivityTable } from "~/components/ActivityTable";
import { Notice } from "~/components/Notice";
import { Pagination } from "~/components/Pagination";
import { localName } from "~/i18n";
import { formatDateTime, formatFileSize, formatNumber } from "~/i18n/format";
import { listDeletedFiles } from "~/models/evidence-file.server";
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
  // evidence files removed from activities and reports: restored by whoever may change the files there
  const files = (await listDeletedFiles(db, can(user, "trash.see_all") ? null : user.organization_path)).map((f) => ({
    ...f,
    restorable: can(user, f.activity_id !== null ? "activity.edit" : "report.save", f),
  }));
  return json({ ...list, ...countryChoices(locale), restorable, files }, { status: list.status });
}

export default function TrashPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const restorable = new Set(data.restorable);
  return (
    <div className="page">
      <Notice />
      <h1>{t("trash.title")}</h1>
      <p className="muted">{t("trash.intro")}</p>
      <ActivityFilters invalid={data.invalid} params={data.params} choices={data.choices} countries={data.countries} />
      <p className="total">
        {t(data.result.totalAtLeast ? "activities.total_at_least" : "activities.total", { count: formatNumber(data.result.total, locale) })}
      </p>
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
      <Pagination page={data.result.page} pageSize={data.result.pageSize} total={data.result.total} totalAtLeast={data.result.totalAtLeast} cursors={data.cursors} />
      {data.files.length ? (
        <section id="deleted-files">
          <h2>{t("evidence.trash_title")}</h2>
          <table className="ledger">
            <thead>
              <tr>
                <th>{t("evidence.files")}</th>
                <th>{t("evidence.trash_of")}</th>
                <th>{t("evidence.trash_deleted")}</th>
              </tr>
            </thead>
            <tbody>
              {data.files.map((f) => (
                <tr key={f.id}>
                  <td>
                    <a href={`/files/${f.id}`} download={f.name}>
                      {f.name}
                    </a>{" "}
                    <span className="muted nowrap">{formatFileSize(f.size_bytes, locale)}</span>
                  </td>
                  <td>
                    {f.activity_id !== null ? (
                      <Link to={`/activities/${f.activity_id}`}>{f.activity_title}</Link>
                    ) : (
                      <Link to={`/reports/${f.report_unit_id}/${f.period_code}`}>
                        {localName(locale, f.report_unit_name_zh ?? "", f.report_unit_name_en ?? "")} {f.period_code}
                      </Link>
                    )}
                  </td>
                  <td>
                    <div className="nowrap">{f.deleted_at ? formatDateTime(f.deleted_at, locale) : ""}</div>
                    {f.restorable ? (
                      <Form method="post" action={`/files?file=${f.id}`}>
                        <input type="hidden" name="intent" value="restore" />
                        <button type="submit" className="small">
                          {t("evidence.restore")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}

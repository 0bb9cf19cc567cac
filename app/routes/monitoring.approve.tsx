// Approving several submitted reports with one confirmation. The matrix (/monitoring) sends the ticked cells here
// by GET: this page lists them as they are now and asks once; its POST approves them all or none.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MonitoringNav } from "~/components/MonitoringNav";
import { STATUS_LABELS } from "~/components/SubmissionMatrix";
import { localName } from "~/i18n";
import { formatDateTime, formatNumber } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { approveSelected, loadSelectedReports, parseSelectedCells } from "~/services/bulk-approval.server";
import { badRequest, notFound, requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { safeRedirect } from "~/utils/safe-redirect";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "bulk.approve.title");

/** Back to the matrix the reviewer came from (its filters kept), never elsewhere. */
function backTo(value: unknown): string {
  const target = safeRedirect(value, "/monitoring");
  return target === "/monitoring" || target.startsWith("/monitoring?") ? target : "/monitoring";
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "report.review");
  const url = new URL(request.url);
  const cells = parseSelectedCells(url.searchParams.getAll("report"));
  if (!cells) throw badRequest();
  const reports = await loadSelectedReports(db, cells);
  if (!reports) throw notFound();
  return json({ reports, back: backTo(url.searchParams.get("back")) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "report.review");
  const form = await request.formData();
  const cells = parseSelectedCells(form.getAll("report").map(String));
  if (!cells) return json({ error: "bulk.approve.errors.bad_selection" }, { status: 400 });
  // the confirmation is the server's to check: the count the reviewer saw must be the count posted
  if (form.get("confirm") !== "yes" || form.get("count") !== String(cells.length)) {
    return json({ error: "bulk.approve.errors.confirm" }, { status: 400 });
  }
  const result = await approveSelected(db, user, cells);
  if (!result.ok) return json({ error: result.error }, { status: result.status });
  const back = new URL(backTo(form.get("back")), "http://lmc.invalid");
  back.searchParams.set("notice", "bulk_approved");
  back.searchParams.set("approved", String(result.count));
  return redirect(`${back.pathname}${back.search}`);
}

export default function BulkApprovePage() {
  const { reports, back } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, locale } = useI18n();
  const approvable = reports.filter((r) => r.approvable);
  const blocked = reports.length - approvable.length;
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("bulk.approve.title")}</h1>
        <MonitoringNav />
      </div>
      {answer?.error ? (
        <p className="form-error" role="alert">
          {t(answer.error)}
        </p>
      ) : null}
      {reports.length === 0 ? (
        <p className="empty">{t("bulk.approve.none_selected")}</p>
      ) : (
        <>
          <p>{t("bulk.approve.intro", { count: formatNumber(approvable.length, locale) })}</p>
          <div className="table-wrap">
            <table className="ledger bulk-approve">
              <thead>
                <tr>
                  <th scope="col">{t("monitoring.unit")}</th>
                  <th scope="col">{t("reports.period")}</th>
                  <th scope="col">{t("bulk.approve.status")}</th>
                  <th scope="col">{t("bulk.approve.submitted_at")}</th>
                </tr>
              </thead>
              <tbody>
                {reports.map((r) => (
                  <tr key={r.value} className={r.approvable ? undefined : "bulk-blocked"}>
                    <td>
                      <Link to={`/reports/${r.unit.id}/${r.period.code}`}>{localName(locale, r.unit.name_zh, r.unit.name_en)}</Link>
                    </td>
                    <td>{periodName(r.period, locale)}</td>
                    <td>
                      {t(STATUS_LABELS[r.status])}
                      {r.approvable ? null : <span className="field-error"> {t("bulk.approve.not_approvable")}</span>}
                    </td>
                    <td>{r.submittedAt ? formatDateTime(r.submittedAt, locale) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {blocked > 0 ? <p className="muted">{t("bulk.approve.blocked_hint", { count: formatNumber(blocked, locale) })}</p> : null}
      <Form method="post" className="bulk-confirm">
        {approvable.map((r) => (
          <input key={r.value} type="hidden" name="report" value={r.value} />
        ))}
        <input type="hidden" name="count" value={approvable.length} />
        <input type="hidden" name="back" value={back} />
        <p className="muted">{t("bulk.approve.freeze_hint")}</p>
        <div className="form-actions">
          {approvable.length > 0 ? (
            <button type="submit" name="confirm" value="yes" className="primary" disabled={busy}>
              {t("bulk.approve.confirm", { count: formatNumber(approvable.length, locale) })}
            </button>
          ) : null}
          <Link to={back} className="button">
            {t("bulk.approve.cancel")}
          </Link>
        </div>
      </Form>
    </div>
  );
}

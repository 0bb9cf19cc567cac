import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { localName } from "~/i18n";
import { formatDate, formatDateTime } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { listReports } from "~/models/period-report.server";
import { REPORT_STATUSES } from "~/schemas/period-report";
import { listPeriods } from "~/models/reporting-period.server";
import { classifyReport } from "~/domain/reporting";
import { can, requireUser } from "~/utils/auth.server";
import { todayInChina } from "~/utils/china-time";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import type { ReportStatus } from "../../db/schema";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "reports.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const today = todayInChina();
  const periods = (await listPeriods(db)).filter((p) => p.start_date <= today);
  const ownUnit = can(user, "report.own_units");

  if (ownUnit) {
    const reports = await listReports(db, { organizationPath: user.organization_path });
    const mine = reports.filter((r) => r.organization_id === user.organization_id);
    return json({
      ownUnit,
      unitId: user.organization_id,
      unitName: { zh: user.organization_name_zh, en: user.organization_name_en },
      periods: periods
        .map((p) => {
          const r = mine.find((m) => m.period_id === p.id);
          const state = classifyReport(r, p, today);
          return { ...p, status: state.status, submittedAt: r?.submitted_at ?? null, late: state.overdue || state.lateSubmission };
        })
        .reverse(),
      below: reports.filter((r) => r.organization_id !== user.organization_id),
      awaiting: [],
      filter: { period: "", status: "" },
    });
  }

  const periodCode = url.searchParams.get("period") ?? "";
  const status = url.searchParams.get("status") ?? "";
  const period = periods.find((p) => p.code === periodCode);
  const reports = await listReports(db, {
    periodId: period?.id,
    status: (REPORT_STATUSES as readonly string[]).includes(status) ? (status as ReportStatus) : undefined,
  });
  return json({
    ownUnit,
    unitId: user.organization_id,
    unitName: { zh: user.organization_name_zh, en: user.organization_name_en },
    periods: [...periods].reverse().map((p) => ({ ...p, status: "none" as const, submittedAt: null, late: false })),
    below: reports,
    awaiting: (await listReports(db, { status: "submitted" })).sort((a, b) => (a.submitted_at ?? "").localeCompare(b.submitted_at ?? "")),
    filter: { period: period?.code ?? "", status },
  });
}

export default function ReportsPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const row = (r: (typeof data.below)[number]) => (
    <tr key={r.id}>
      <td>{periodName({ kind: r.period_kind, year: r.period_year, seq: r.period_seq }, locale)}</td>
      <td>{localName(locale, r.organization_name_zh, r.organization_name_en)}</td>
      <td>
        <span className={`status report-${r.status}`}>{t(`reports.status.${r.status}`)}</span>
      </td>
      <td>{r.submitted_at ? formatDateTime(r.submitted_at, locale) : ""}</td>
      <td>{formatDate(r.due_date, locale)}</td>
      <td>
        <Link to={`/reports/${r.organization_id}/${r.period_code}`}>{t("reports.open")}</Link>
      </td>
    </tr>
  );
  const head = (
    <thead>
      <tr>
        <th scope="col">{t("reports.period")}</th>
        <th scope="col">{t("reports.unit")}</th>
        <th scope="col">{t("reports.status")}</th>
        <th scope="col">{t("reports.submitted_at")}</th>
        <th scope="col">{t("reports.due")}</th>
        <th scope="col" />
      </tr>
    </thead>
  );
  return (
    <div className="page">
      <h1>{t("reports.title")}</h1>
      <p className="muted">{t("reports.intro")}</p>
      {data.ownUnit ? (
        <>
          <h2>
            {t("reports.my_unit")} · {localName(locale, data.unitName.zh, data.unitName.en)}
          </h2>
          <div className="table-wrap">
            <table className="ledger" id="my-reports">
              <thead>
                <tr>
                  <th scope="col">{t("reports.period")}</th>
                  <th scope="col">{t("reports.status")}</th>
                  <th scope="col">{t("reports.due")}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {data.periods.map((p) => (
                  <tr key={p.id} data-period={p.code}>
                    <td>{periodName(p, locale)}</td>
                    <td>
                      <span className={`status report-${p.status}`}>{t(`reports.status.${p.status}`)}</span>
                      {p.late ? <span className="status report-late">{t("reports.late")}</span> : null}
                    </td>
                    <td>{formatDate(p.due_date, locale)}</td>
                    <td>
                      <Link to={`/reports/${data.unitId}/${p.code}`}>{t("reports.open")}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.below.length ? (
            <>
              <h2>{t("reports.all")}</h2>
              <div className="table-wrap">
                <table className="ledger">
                  {head}
                  <tbody>{data.below.map(row)}</tbody>
                </table>
              </div>
            </>
          ) : null}
        </>
      ) : (
        <>
          <h2>{t("reports.awaiting_review")}</h2>
          {data.awaiting.length ? (
            <div className="table-wrap">
              <table className="ledger" id="awaiting-review">
                {head}
                <tbody>{data.awaiting.map(row)}</tbody>
              </table>
            </div>
          ) : (
            <p className="empty">{t("reports.none")}</p>
          )}
          <h2>{t("reports.all")}</h2>
          <Form method="get" className="filters" key={`${data.filter.period}-${data.filter.status}`}>
            <label>
              {t("reports.period")}
              <select name="period" defaultValue={data.filter.period}>
                <option value="">{t("filter.all")}</option>
                {data.periods.map((p) => (
                  <option key={p.id} value={p.code}>
                    {periodName(p, locale)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("reports.status")}
              <select name="status" defaultValue={data.filter.status}>
                <option value="">{t("filter.all")}</option>
                {REPORT_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`reports.status.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <div className="filter-actions">
              <button type="submit" className="primary">
                {t("filter.apply")}
              </button>
            </div>
          </Form>
          {data.below.length ? (
            <div className="table-wrap">
              <table className="ledger">
                {head}
                <tbody>{data.below.map(row)}</tbody>
              </table>
            </div>
          ) : (
            <p className="empty">{t("reports.none")}</p>
          )}
        </>
      )}
    </div>
  );
}

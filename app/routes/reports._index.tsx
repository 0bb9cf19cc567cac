import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { localName } from "~/i18n";
import { formatDate, formatDateTime } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { listReports } from "~/models/period-report.server";
import { listOrganizations } from "~/models/organization.server";
import { REPORT_STATUSES } from "~/schemas/period-report";
import { listPeriods } from "~/models/reporting-period.server";
import { REPORTING_UNIT_KINDS, classifyReport } from "~/domain/reporting";
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
    // every unit below the user's that reports (the counties of a prefecture): a column each, every period a row
    const unitsBelow = (await listOrganizations(db)).filter(
      (o) => o.id !== user.organization_id && o.path.startsWith(user.organization_path) && (REPORTING_UNIT_KINDS as readonly string[]).includes(o.kind),
    );
    const cellOf = (unitId: number, p: (typeof periods)[number]) => {
      const r = reports.find((m) => m.organization_id === unitId && m.period_id === p.id);
      const state = classifyReport(r, p, today);
      return { unitId, status: state.status, late: state.overdue || state.lateSubmission };
    };
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
      below: [] as typeof reports,
      unitsBelow: unitsBelow.map((u) => ({ id: u.id, name_zh: u.name_zh, name_en: u.name_en })),
      belowPeriods: [...periods].reverse().map((p) => ({ ...p, cells: unitsBelow.map((u) => cellOf(u.id, p)) })),
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
    unitsBelow: [],
    belowPeriods: [],
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
          {data.unitsBelow.length ? (
            <>
              <h2>{t("reports.units_table")}</h2>
              <div className="table-wrap">
                <table className="ledger unit-reports" id="unit-reports">
                  <thead>
                    <tr>
                      <th scope="col">{t("reports.period")}</th>
                      {data.unitsBelow.map((u) => (
                        <th scope="col" key={u.id}>
                          {localName(locale, u.name_zh, u.name_en)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {data.belowPeriods.map((p) => (
                      <tr key={p.id} data-period={p.code}>
                        <th scope="row" className="nowrap">
                          {periodName(p, locale)}
                        </th>
                        {p.cells.map((c) => (
                          <td key={c.unitId} data-unit={c.unitId}>
                            <Link to={`/reports/${c.unitId}/${p.code}`}>
                              <span className={`status report-${c.status}`}>{t(`reports.status.${c.status}`)}</span>
                            </Link>
                            {c.late ? <span className="status report-late">{t("reports.late")}</span> : null}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
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

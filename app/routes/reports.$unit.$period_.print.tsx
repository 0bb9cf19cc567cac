// A unit's period report on A4 paper. The trailing underscore of "$period_" keeps this route out of the report
// page's layout: it renders on its own (under the root document only), at /reports/:unit/:period/print.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ActivityFigures } from "~/components/Dashboard";
import { PrintActivityTable, PrintHeaderBlock, PrintSignatureBlock, PrintToolbar } from "~/components/PrintParts";
import { localName } from "~/i18n";
import { formatDate, formatDateRange, formatDateTime } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { countryChoices } from "~/presenters/countries.server";
import { loadDashboard } from "~/presenters/dashboard.server";
import { loadReportPrint } from "~/presenters/progress-draft.server";
import printStyles from "~/styles/print.css";
import { requireUser } from "~/utils/auth.server";
import { todayInChina } from "~/utils/china-time";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, "drafts.print.title", data ? { zh: data.unit.name_zh, en: data.unit.name_en, after: data.period.code } : undefined);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await loadReportPrint(db, user, params.unit, params.period);
  const locale = await getLocale(request, user);
  const today = todayInChina();
  // the unit's activity charts for the period (its own and its subordinate units'), drawn in the browser
  const charts = await loadDashboard(db, new URLSearchParams({ period: page.period.code, unit: String(page.unit.id) }), { today, locale });
  return json({ ...page, today, countryNames: countryChoices(locale).countryNames, charts: charts.activities });
}

export default function ReportPrintPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const { unit, period, report } = data;
  const unitName = localName(locale, unit.name_zh, unit.name_en);
  const status = report?.status ?? "none";
  const dash = t("drafts.print.none");
  return (
    <div className="page print-page">
      <PrintToolbar back={`/reports/${unit.id}/${period.code}`} backLabel={t("drafts.print.back_to_report")} />
      <article className="print-sheet" id="print-report">
        <h1>{t("drafts.print.report_title", { unit: unitName, period: periodName(period, locale) })}</h1>
        <PrintHeaderBlock
          rows={[
            { label: t("drafts.print.unit"), value: unitName },
            { label: t("drafts.print.period"), value: t("drafts.print.period_value", { period: periodName(period, locale), dates: formatDateRange(period.start_date, period.end_date, locale) }) },
            { label: t("drafts.print.due"), value: formatDate(period.due_date, locale) },
            {
              label: t("drafts.print.status"),
              value: `${t(`reports.status.${status}`)}${data.late ? ` · ${t(status === "none" || status === "draft" ? "reports.late" : "reports.late_submitted")}` : ""}`,
            },
            { label: t("drafts.print.submitted"), value: report?.submittedAt ? `${formatDateTime(report.submittedAt, locale)}${data.submittedBy ? ` · ${data.submittedBy}` : ""}` : dash },
            { label: t("drafts.print.approved"), value: data.approvedAt ? `${formatDateTime(data.approvedAt, locale)}${data.approvedBy ? ` · ${data.approvedBy}` : ""}` : dash },
            { label: t("drafts.print.printed"), value: formatDate(data.today, locale) },
          ]}
        />
        <p className="print-note">{t(status === "approved" ? "drafts.print.frozen" : "drafts.print.not_approved")}</p>
        {status === "returned" && report?.returnReason ? (
          <p className="print-note">{t("reports.returned_banner", { reason: report.returnReason })}</p>
        ) : null}

        {data.commitments.length ? (
          <section className="print-keep">
            <h2>{t("reports.commitments")}</h2>
            <table className="print-table" tabIndex={0}>
              <thead>
                <tr>
                  <th scope="col">{t("drafts.print.col.item")}</th>
                  <th scope="col">{t("reports.next_steps")}</th>
                  <th scope="col">{t("drafts.print.col.outcome")}</th>
                </tr>
              </thead>
              <tbody>
                {data.commitments.map((c) => (
                  <tr key={c.sourceItemId}>
                    <td>
                      {c.code} {localName(locale, c.title_zh, c.title_en)}
                    </td>
                    <td className="prewrap">{c.nextSteps}</td>
                    <td>
                      {c.outcome ? t(`reports.commitment.${c.outcome}`) : dash}
                      {c.note ? ` · ${c.note}` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}

        <h2>
          {t("reports.narratives")} · {t("reports.activities", { count: data.activityCount })}
        </h2>
        {data.sections.length === 0 ? <p>{t("reports.no_activities")}</p> : null}
        {data.sections.map((s) => (
          <section key={s.code} className="print-item" data-code={s.code}>
            <h3>
              {s.code} {localName(locale, s.title_zh, s.title_en)}
            </h3>
            {s.activities.length ? <PrintActivityTable rows={s.activities} countryNames={data.countryNames} showUnit={s.activities.some((a) => a.organization_id !== unit.id)} /> : null}
            {(
              [
                ["reports.progress", s.progress],
                ["reports.problems", s.problems],
                ["reports.next_steps", s.nextSteps],
                ["reports.coordination", s.coordination],
              ] as const
            )
              .filter(([, text]) => text)
              .map(([label, text]) => (
                <div key={label} className="print-narrative">
                  <h4>{t(label)}</h4>
                  <p>{text}</p>
                </div>
              ))}
          </section>
        ))}
        <section className="print-charts">
          <ActivityFigures activities={data.charts} fileTag={`${data.unit.name_zh}_${data.period.code}`} show={["pillar", "country"]} />
        </section>
        <PrintSignatureBlock unit={unitName} date={report?.submittedAt ? formatDate(report.submittedAt.slice(0, 10), locale) : null} />
      </article>
    </div>
  );
}

// The plan-wide progress report of a reporting period on A4 paper: figures by pillar and plan item (approved
// units' figures as frozen in their reports), indicator progress, the 红黄绿 ratings with comments, and where each
// unit's report stands.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { IndicatorProgressTable } from "~/components/IndicatorProgressTable";
import { DashboardFigures } from "~/components/Dashboard";
import { PrintHeaderBlock, PrintTallyTable, PrintToolbar } from "~/components/PrintParts";
import { localName } from "~/i18n";
import { formatDate, formatDateRange, formatNumber, formatWan } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { loadDashboard } from "~/presenters/dashboard.server";
import { loadProgressPrint } from "~/presenters/progress-draft.server";
import printStyles from "~/styles/print.css";
import { requireUser } from "~/utils/auth.server";
import { todayInChina } from "~/utils/china-time";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: printStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "drafts.print.progress_page", data?.period.code);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const period = new URL(request.url).searchParams.get("period");
  const today = todayInChina();
  const print = await loadProgressPrint(db, period === null ? null : period.trim(), today);
  // the plan-wide dashboard's charts for the same period, drawn in the browser and printed with the page
  const charts = await loadDashboard(db, new URLSearchParams({ period: print.period.code }), { today, locale: await getLocale(request, user) });
  return json({ ...print, charts });
}

export default function ProgressPrintPage() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const { period } = data;
  const n = (v: number) => formatNumber(v, locale);
  const dash = t("drafts.print.none");
  const blankZero = (v: number) => (v ? n(v) : "");
  const pair = (d: number, p: number) => (d || p ? `${d ? n(d) : dash} / ${p ? n(p) : dash}` : "");
  return (
    <div className="page print-page">
      <PrintToolbar back={`/evaluation/${period.code}`} backLabel={t("drafts.print.back_to_evaluation")} />
      <article className="print-sheet" id="print-progress">
        <h1>{t("drafts.print.progress_title", { period: periodName(period, locale) })}</h1>
        <PrintHeaderBlock
          rows={[
            { label: t("drafts.print.period"), value: t("drafts.print.period_value", { period: periodName(period, locale), dates: formatDateRange(period.start_date, period.end_date, locale) }) },
            { label: t("drafts.print.scope"), value: t("drafts.print.scope_value") },
            {
              label: t("drafts.print.sources"),
              value: t("drafts.print.sources_value", { approved: n(data.approvedCount), total: n(data.total.count) }),
            },
            {
              label: t("drafts.print.ratings"),
              value: t("drafts.print.ratings_value", { green: data.ratings.green, yellow: data.ratings.yellow, red: data.ratings.red }),
            },
            { label: t("drafts.print.printed"), value: formatDate(data.today, locale) },
          ]}
        />

        <section className="print-keep">
          <h2>{t("drafts.print.totals")}</h2>
          <PrintTallyTable tally={data.total} />
        </section>
        <section className="print-charts">
          <DashboardFigures data={data.charts} />
        </section>

        <h2>{t("drafts.print.by_pillar")}</h2>
        {data.groups.map((g) => (
          <section key={g.code} className="print-item" data-group={g.code}>
            <h3>
              {g.code} {localName(locale, g.title_zh, g.title_en)}
            </h3>
            <table className="print-table" tabIndex={0}>
              <thead>
                <tr>
                  <th scope="col">{t("drafts.print.col.item")}</th>
                  <th scope="col" className="num">{t("drafts.print.col.count")}</th>
                  <th scope="col" className="num">{t("drafts.print.col.outbound")}</th>
                  <th scope="col" className="num">{t("drafts.print.col.inbound")}</th>
                  <th scope="col" className="num">{t("drafts.print.col.agreements")}</th>
                  <th scope="col" className="num">{t("drafts.print.col.aid")}</th>
                  <th scope="col" className="num">{t("drafts.print.col.training")}</th>
                  <th scope="col" className="num">{t("drafts.print.col.funding")}</th>
                  <th scope="col" className="num">{t("drafts.print.col.approved")}</th>
                  <th scope="col">{t("drafts.print.col.rating")}</th>
                </tr>
              </thead>
              <tbody>
                {g.items.map((item) => {
                  const x = item.tally.byType;
                  return (
                    <tr key={item.code} data-code={item.code}>
                      <td>
                        {item.code} {localName(locale, item.title_zh, item.title_en)}
                      </td>
                      <td className="num">{blankZero(item.tally.count)}</td>
                      <td className="num">{pair(x.outbound_visit.delegations, x.outbound_visit.participants)}</td>
                      <td className="num">{pair(x.inbound_visit.delegations, x.inbound_visit.participants)}</td>
                      <td className="num">{blankZero(x.agreement.count)}</td>
                      <td className="num">{blankZero(x.aid_project.count)}</td>
                      <td className="num">{pair(x.training.count, x.training.participants)}</td>
                      <td className="num">{item.tally.fundingFen ? formatWan(item.tally.fundingFen, locale) : ""}</td>
                      <td className="num">{item.tally.count ? n(item.approved) : ""}</td>
                      <td>
                        {item.rating ? (
                          <>
                            <span className={`print-rating rating-${item.rating.rating}`}>{t(`evaluation.rating.${item.rating.rating}`)}</span>
                            {item.rating.comment ? <div>{item.rating.comment}</div> : null}
                          </>
                        ) : (
                          <span className="muted">{t("drafts.print.not_rated")}</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t("drafts.print.subtotal")}</th>
                  <td className="num">{blankZero(g.total.count)}</td>
                  <td className="num">{pair(g.total.byType.outbound_visit.delegations, g.total.byType.outbound_visit.participants)}</td>
                  <td className="num">{pair(g.total.byType.inbound_visit.delegations, g.total.byType.inbound_visit.participants)}</td>
                  <td className="num">{blankZero(g.total.byType.agreement.count)}</td>
                  <td className="num">{blankZero(g.total.byType.aid_project.count)}</td>
                  <td className="num">{pair(g.total.byType.training.count, g.total.byType.training.participants)}</td>
                  <td className="num">{g.total.fundingFen ? formatWan(g.total.fundingFen, locale) : ""}</td>
                  <td className="num">{g.total.count ? n(g.approved) : ""}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
            {g.indicators.length ? (
              <div className="print-indicators">
                <h4>{t("drafts.print.indicators")}</h4>
                <IndicatorProgressTable rows={g.indicators} showPlanItem={false} />
              </div>
            ) : null}
          </section>
        ))}
        <p className="print-note">{t("drafts.print.columns_note")}</p>

        <section className="print-section-break">
          <h2>{t("drafts.print.units")}</h2>
          <p>
            {t("drafts.print.units_summary", {
              total: data.unitSummary.total,
              approved: data.unitSummary.approved,
              submitted: data.unitSummary.submitted,
              returned: data.unitSummary.returned,
              draft: data.unitSummary.draft,
              none: data.unitSummary.none,
              overdue: data.unitSummary.overdue,
            })}
          </p>
          <table className="print-table" id="print-units" tabIndex={0}>
            <thead>
              <tr>
                <th scope="col">{t("reports.unit")}</th>
                <th scope="col">{t("reports.status")}</th>
                <th scope="col">{t("drafts.print.col.first_submitted")}</th>
                <th scope="col">{t("drafts.print.approved")}</th>
                <th scope="col">{t("drafts.print.col.timeliness")}</th>
              </tr>
            </thead>
            <tbody>
              {data.units.map((u) => (
                <tr key={u.id}>
                  <td>
                    {"\u3000".repeat(u.depth)}
                    {localName(locale, u.name_zh, u.name_en)}
                  </td>
                  <td>{t(`reports.status.${u.status}`)}</td>
                  <td>{u.firstSubmittedOn ? formatDate(u.firstSubmittedOn, locale) : dash}</td>
                  <td>{u.approvedOn ? formatDate(u.approvedOn, locale) : dash}</td>
                  <td>{u.overdue ? t("reports.late") : u.lateSubmission ? t("reports.late_submitted") : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </article>
    </div>
  );
}

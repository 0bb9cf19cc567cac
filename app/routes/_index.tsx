// The home page fits the user: a reporter or a unit leader sees their unit (this period's report and its
// deadline, what was returned and why, what is late, planned activities past their dates, recent activities and
// the unit's charts); reviewers, officials and administrators see the whole plan: where it stands first (ratings,
// indicators behind schedule, units late), then the dashboard's charts.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActivityTable } from "~/components/ActivityTable";
import { PlanStanding } from "~/components/PlanStanding";
import { COUNTED_NOTE_KEY } from "~/domain/counting";
import { ActivityFigures, DashboardDefinitions, DashboardFigures, ScopeLine, rangeText } from "~/components/Dashboard";
import { STATUS_LABELS } from "~/components/SubmissionMatrix";
import { type Locale, type Translate, localName } from "~/i18n";
import { formatDate, formatNumber } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { listActivities } from "~/models/activity.server";
import { getOrganization } from "~/models/organization.server";
import { PLAN_START } from "~/models/reporting-period.server";
import { countryChoices } from "~/presenters/countries.server";
import { activityCharts, currentReport, loadDashboard, plannedPastEnd } from "~/presenters/dashboard.server";
import { todayInChina } from "~/presenters/monitoring.server";
import { planStanding } from "~/presenters/plan-standing.server";
import { type InboxItem, inboxFor } from "~/services/inbox.server";
import { can, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "dashboard.home.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user);
  const today = todayInChina();
  const who = { name: user.display_name, unitId: user.organization_id, unitZh: user.organization_name_zh, unitEn: user.organization_name_en };

  if (!can(user, "report.own_units")) {
    const dashboard = await loadDashboard(db, new URLSearchParams(), { today, locale });
    return json({ view: "plan" as const, who, today, dashboard, standing: await planStanding(db, dashboard) });
  }

  const unit = await getOrganization(db, user.organization_id);
  const scope = { organizationPath: user.organization_path, from: PLAN_START };
  const [current, inbox, planned, recent, charts] = await Promise.all([
    unit ? currentReport(db, unit, today) : null,
    inboxFor(db, user, today, locale),
    plannedPastEnd(db, user.organization_path, today),
    listActivities(db, { organizationPath: user.organization_path }, { sort: "updated", pageSize: 10 }),
    activityCharts(db, scope, { today, locale }),
  ]);
  return json({
    view: "unit" as const,
    who,
    // the reporter's first job, first on the page (a unit leader signs off reports and logs nothing)
    canLog: can(user, "activity.create", { organization_path: user.organization_path }),
    today,
    current,
    returned: inbox.filter((i) => i.kind === "returned"),
    overdue: overdueLead(inbox, user.organization_id),
    todo: homeTodo(inbox),
    planned,
    recent: recent.rows,
    countryNames: countryChoices(locale).countryNames,
    charts,
    range: { from: PLAN_START, to: null },
  });
}

/** How many of the reports to submit and overdue the home page lists; the inbox lists them all. */
const TODO_SHOWN = 6;

/** What to do next, most pressing first: sign-offs, deadlines coming up, then the latest overdue. */
function homeTodo(inbox: InboxItem[]) {
  const rank = { to_submit: 0, deadline: 1, overdue: 2 } as Record<string, number>;
  const items = inbox
    .filter((i) => i.kind in rank)
    .sort((a, b) => rank[a.kind]! - rank[b.kind]! || (a.kind === "overdue" ? b.date.localeCompare(a.date) : a.date.localeCompare(b.date)));
  return { total: items.length, items: items.slice(0, TODO_SHOWN) };
}

/**
 * What the home card leads with when reports are overdue: the newest overdue report (the unit's own first, then
 * the units below it), how many are overdue and in how many units.
 */
function overdueLead(inbox: InboxItem[], ownUnitId: number) {
  const overdue = inbox.filter((i) => i.kind === "overdue");
  if (!overdue.length) return null;
  // inboxFor lists them newest first
  const lead = overdue.find((i) => i.unitId === ownUnitId) ?? overdue[0]!;
  return { lead, count: overdue.length, units: new Set(overdue.map((i) => i.unitId)).size };
}

/** "还剩 3 天" / "今天截止" / "已逾期 5 天" (the inbox's words). */
function timeLeft(daysLeft: number, t: Translate, locale: Locale): string {
  const days = formatNumber(Math.abs(daysLeft), locale);
  if (daysLeft === 0) return t("inbox.due_today");
  if (daysLeft > 0) return t(daysLeft === 1 ? "inbox.days_left_one" : "inbox.days_left", { days });
  return t(daysLeft === -1 ? "inbox.days_overdue_one" : "inbox.days_overdue", { days });
}

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const unitName = localName(locale, data.who.unitZh, data.who.unitEn);

  if (data.view === "plan") {
    return (
      <div className="page dashboard">
        <div className="page-head">
          <h1>{t("home.welcome", { name: data.who.name })}</h1>
          <Link to="/dashboard" className="button primary">
            {t("dashboard.open_full")}
          </Link>
        </div>
        <PlanStanding standing={data.standing} />
        <p className="muted">{t("dashboard.home.plan_intro")}</p>
        <ScopeLine data={data.dashboard} />
        <DashboardFigures data={data.dashboard} />
        <DashboardDefinitions />
      </div>
    );
  }

  const { current, planned } = data;
  const unitTag = unitName;
  return (
    <div className="page home-unit">
      <div className="page-head">
        <h1>{t("home.welcome", { name: data.who.name })}</h1>
        {data.canLog ? (
          <Link to="/activities/new" className="button primary">
            {t("nav.new_activity")}
          </Link>
        ) : null}
      </div>
      <p>{t("home.unit", { unit: unitName })}</p>

      <section className="home-cards" aria-label={t("dashboard.home.status")}>
        {data.overdue ? (
          <div className="card home-current home-late home-overdue" id="home-overdue">
            <h2>{t("dashboard.home.overdue_title")}</h2>
            <p className="home-reason">{data.overdue.lead.message}</p>
            <p>{t("dashboard.home.overdue_count", { count: formatNumber(data.overdue.count, locale), units: formatNumber(data.overdue.units, locale) })}</p>
            <p className="home-overdue-actions">
              <Link to={data.overdue.lead.link} className="button primary">
                {t("dashboard.home.open_report")}
              </Link>{" "}
              <Link to="/inbox">{t("dashboard.home.overdue_all")}</Link>
            </p>
          </div>
        ) : null}
        {current ? (
          <div className={`card home-current${current.daysLeft < 0 && current.status !== "submitted" && current.status !== "approved" ? " home-late" : ""}`} id="home-current">
            <h2>{t("dashboard.home.current", { period: periodName(current.period, locale) })}</h2>
            <p>
              {t("label.colon", { label: t("reports.status") })}
              <span className={`status report-${current.status}`}>{t(STATUS_LABELS[current.status])}</span>
            </p>
            <p>
              {t("dashboard.home.due", { date: formatDate(current.period.due_date, locale) })}
              {current.status === "submitted" || current.status === "approved" ? null : (
                <strong className="home-days"> {timeLeft(current.daysLeft, t, locale)}</strong>
              )}
            </p>
            {current.returnReason ? <p className="home-reason">{t("dashboard.home.return_reason", { reason: current.returnReason })}</p> : null}
            {current.reports ? (
              <Link to={`/reports/${data.who.unitId}/${encodeURIComponent(current.period.code)}`} className="button">
                {t("dashboard.home.open_report")}
              </Link>
            ) : (
              <p className="muted">{t("dashboard.home.no_reporting")}</p>
            )}
          </div>
        ) : null}
        <div className="card home-counts">
          <h2>{t("dashboard.home.plan_so_far")}</h2>
          <p className="muted">{rangeText({ ...data.range, planPeriod: false }, t, locale)}</p>
          <p>
            <strong>{formatNumber(data.charts.totals.activities, locale)}</strong> {t("dashboard.totals.activities")} ·{" "}
            <strong>{formatNumber(data.charts.totals.people, locale)}</strong> {t("dashboard.totals.people")}
          </p>
          <p className="muted">{t(COUNTED_NOTE_KEY)}</p>
          <Link to={`/activities?unit=${data.who.unitId}`}>{t("home.see_all")}</Link>
        </div>
      </section>

      <section id="home-returned" aria-labelledby="home-returned-title">
        <h2 id="home-returned-title">{t("dashboard.home.returned")}</h2>
        {data.returned.length ? (
          <ul className="inbox-list">
            {data.returned.map((item) => (
              <li key={item.key} className="inbox-item inbox-returned">
                <span className="inbox-date">{formatDate(item.date, locale)}</span>
                <span>{item.message}</span>
                <Link to={item.link}>{t("inbox.open")}</Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{t("dashboard.home.none_returned")}</p>
        )}
      </section>

      {data.todo.total ? (
        <section id="home-todo" aria-labelledby="home-todo-title">
          <h2 id="home-todo-title">{t("dashboard.home.todo", { count: formatNumber(data.todo.total, locale) })}</h2>
          <ul className="inbox-list">
            {data.todo.items.map((item) => (
              <li key={item.key} className={`inbox-item inbox-${item.kind}${item.step !== null ? ` inbox-step-${item.step}` : ""}`}>
                <span className="inbox-date">{formatDate(item.date, locale)}</span>
                <span>{item.message}</span>
                <Link to={item.link}>{t("inbox.open")}</Link>
              </li>
            ))}
          </ul>
          {data.todo.total > data.todo.items.length ? (
            <p>
              <Link to="/inbox">{t("dashboard.home.all_todo", { count: formatNumber(data.todo.total, locale) })}</Link>
            </p>
          ) : null}
        </section>
      ) : null}

      <section id="home-planned" aria-labelledby="home-planned-title">
        <h2 id="home-planned-title">
          {t("dashboard.home.planned_past", { count: formatNumber(planned.total, locale) })}
        </h2>
        {planned.rows.length ? (
          <div className="table-wrap">
            <table className="ledger">
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.col.activity")}</th>
                  <th scope="col">{t("dashboard.col.unit")}</th>
                  <th scope="col">{t("dashboard.col.end_date")}</th>
                  <th scope="col" className="num">{t("dashboard.col.days_past")}</th>
                </tr>
              </thead>
              <tbody>
                {planned.rows.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/activities/${r.id}`}>{r.title}</Link>
                    </td>
                    <td>{localName(locale, r.organization_name_zh, r.organization_name_en)}</td>
                    <td className="nowrap">{formatDate(r.end_date, locale)}</td>
                    <td className="num">{t("dashboard.home.days_past", { days: formatNumber(r.daysPast, locale) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="empty">{t("dashboard.home.none_planned_past")}</p>
        )}
        {planned.total > planned.rows.length ? (
          <p>
            <Link to={`/activities?unit=${data.who.unitId}&status=planned&sort=start_asc`}>
              {t("dashboard.home.all_planned", { count: formatNumber(planned.total, locale) })}
            </Link>
          </p>
        ) : null}
        {planned.total ? <p className="muted">{t("dashboard.home.planned_hint")}</p> : null}
      </section>

      <section aria-labelledby="home-recent-title">
        <h2 id="home-recent-title">{t("home.recent")}</h2>
        <ActivityTable rows={data.recent} countryNames={data.countryNames} />
        <p>
          <Link to={`/activities?unit=${data.who.unitId}`}>{t("home.see_all")}</Link>
        </p>
      </section>

      <ActivityFigures activities={data.charts} fileTag={`${unitTag}_${t("dashboard.home.plan_so_far")}`} show={["pillar", "time", "country"]} />
      <p>
        <Link to={`/dashboard?unit=${data.who.unitId}`}>{t("dashboard.home.unit_dashboard")}</Link>
      </p>
    </div>
  );
}

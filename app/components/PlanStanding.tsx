// Where the plan stands, first on the home page of those who follow the whole plan: the 红黄绿 ratings per
// pillar and per priority area, the indicators behind schedule, the units late with reports — each a link to the page that explains it.
import type { SerializeFrom } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { localName } from "~/i18n";
import { formatNumber } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import type { PlanStanding as Standing } from "~/presenters/plan-standing.server";
import { useI18n } from "~/utils/i18n-hooks";
import { formatPercent } from "./IndicatorProgressTable";

const LEVELS = ["green", "yellow", "red", "unrated"] as const;

export function PlanStanding({ standing }: { standing: SerializeFrom<Standing> }) {
  const { t, locale } = useI18n();
  const { ratings, indicators, late } = standing;
  const n = (v: number) => formatNumber(v, locale);
  return (
    <section className="standing" id="plan-standing" aria-labelledby="plan-standing-title">
      <h2 id="plan-standing-title">{t("dashboard.standing.title")}</h2>
      <div className="standing-grid">
        <div className="card standing-card" id="standing-ratings">
          <h3>{ratings.period ? t("dashboard.standing.ratings", { period: periodName(ratings.period, locale) }) : t("dashboard.standing.ratings_none")}</h3>
          {ratings.period && ratings.rated === 0 ? <p className="muted">{t("dashboard.standing.no_ratings")}</p> : null}
          <h4 className="standing-sub">{t("dashboard.standing.by_pillar")}</h4>
          <ul className="standing-list" id="standing-pillars">
            {ratings.rows.map((r) => (
              <li key={r.code}>
                <Link to={`/plan/${r.code}`} className="standing-name">
                  {r.code} {localName(locale, r.title_zh, r.title_en)}
                </Link>
                <span className="standing-lights">
                  {LEVELS.map((l) => (
                    <span key={l} className={`light light-${l}`}>
                      {t(`dashboard.rating.${l}`)} {n(r[l])}
                    </span>
                  ))}
                </span>
                {ratings.proposed && r.unrated > 0 ? (
                  <span className="standing-proposed">
                    {t("dashboard.standing.proposed", {
                      green: n(ratings.proposed[r.code]?.green ?? 0),
                      yellow: n(ratings.proposed[r.code]?.yellow ?? 0),
                      red: n(ratings.proposed[r.code]?.red ?? 0),
                    })}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
          {ratings.areas.length ? (
            <>
              <h4 className="standing-sub">{t("dashboard.standing.by_area")}</h4>
              <ul className="standing-list" id="standing-areas">
                {ratings.areas.map((a) => (
                  <li key={a.code}>
                    <Link to={`/areas/${a.code}`} className="standing-name">
                      {localName(locale, a.name_zh, a.name_en)}
                    </Link>
                    <span className="standing-lights">
                      {LEVELS.map((l) => (
                        <span key={l} className={`light light-${l}`}>
                          {t(`dashboard.rating.${l}`)} {n(a[l])}
                        </span>
                      ))}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {ratings.period ? <Link to={`/evaluation/${encodeURIComponent(ratings.period.code)}`}>{t("dashboard.standing.open_evaluation")}</Link> : null}
        </div>

        <div className="card standing-card" id="standing-indicators">
          <h3>{t("dashboard.standing.behind", { count: n(indicators.total) })}</h3>
          {indicators.period ? <p className="muted">{t("dashboard.standing.as_of", { period: periodName(indicators.period, locale), lagging: formatPercent(indicators.lagging * 100, locale, t), behind: formatPercent(indicators.behind * 100, locale, t) })}</p> : null}
          {indicators.rows.length ? (
            <ul className="standing-list">
              {indicators.rows.map((r) => (
                <li key={r.id}>
                  <Link to={`/indicators/${r.id}`} className="standing-name">
                    {localName(locale, r.name_zh, r.name_en)}
                  </Link>
                  <span className="standing-value">
                    <span className={`light light-${r.light}`}>{t(`dashboard.rating.${r.light}`)}</span>{" "}
                    {t("dashboard.standing.behind_line", { percent: formatPercent(r.percent ?? 0, locale, t), expected: formatPercent(r.expected * 100, locale, t) })}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">{t("dashboard.standing.none_behind")}</p>
          )}
          <Link to="/indicators">{t("dashboard.standing.all_indicators")}</Link>
        </div>

        <div className="card standing-card" id="standing-late">
          <h3>{t("dashboard.standing.late", { count: n(late.total) })}</h3>
          {late.rows.length ? (
            <ul className="standing-list">
              {late.rows.map((r) => (
                <li key={r.id}>
                  <Link to={`/monitoring?kind=${late.kind}&unit=${r.id}`} className="standing-name">
                    {localName(locale, r.name_zh, r.name_en)}
                  </Link>
                  <span className="standing-value">{t("dashboard.standing.late_line", { count: n(r.overdueCount) })}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">{t("dashboard.standing.none_late")}</p>
          )}
          <Link to={`/monitoring?kind=${late.kind}`}>{t("dashboard.standing.open_monitoring")}</Link>
        </div>
      </div>
    </section>
  );
}

// The dashboard's figures, from the numbers the dashboard presenter aggregated in SQL: activities, people and
// funding by pillar and by priority area, activities over time and by counterpart country, indicator progress
// against target and time elapsed, the 红黄绿 ratings per pillar, and units ranked by their reporting.
import type { SerializeFrom } from "@remix-run/node";
import { type Locale, type Translate, localName } from "~/i18n";
import { formatDate, formatDateRange, formatNumber, formatWan } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import type { ActivityCharts, DashboardData } from "~/presenters/dashboard.server";
import { COUNTED_NOTE_KEY } from "~/domain/counting";
import { useI18n } from "~/utils/i18n-hooks";
import { FEN_PER_WAN } from "~/utils/money";
import { COLORS, ChartFigure, shortLabel } from "./charts/ChartFigure";
import { formatIndicatorValue, formatPercent } from "./IndicatorProgressTable";

type Activities = SerializeFrom<ActivityCharts>;
type Data = SerializeFrom<DashboardData>;

const round1 = (n: number) => Math.round(n * 10) / 10;
/** 万元 as a number for the chart's bar length (the table prints the exact amount). */
const wan = (fen: number) => Math.round((fen / FEN_PER_WAN) * 100) / 100;

/** "2024年3月" / "Mar 2024", or "2024年" / "2024" for a year. */
export function bucketLabel(key: string, locale: Locale): string {
  const [y, m] = key.split("-");
  if (!m) return locale === "en" ? y! : `${y}年`;
  if (locale === "en") {
    const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(m) - 1];
    return `${month} ${y}`;
  }
  return `${y}年${Number(m)}月`;
}

/** A name cut to fit a chart's axis; the table beside the chart has it whole. */
const axisLabel = (text: string, locale: Locale) => shortLabel(text, locale === "en" ? 30 : 16);

/** A file name a user can read, without the characters file systems refuse. */
function fileNameOf(...parts: (string | null | undefined)[]): string {
  return parts
    .filter(Boolean)
    .join("_")
    .replace(/[\\/:*?"<>|\s]+/g, "");
}

function metricFigures(
  prefix: string,
  groupTitle: string,
  rows: { key: string; label: string; activities: number; people: number; fundingFen: number }[],
  /** the distinct total of the activities in any of the rows */
  totals: Activities["totals"],
  ctx: { t: Translate; locale: Locale; fileTag: string },
) {
  const { t, locale, fileTag } = ctx;
  const height = Math.max(180, rows.length * 34 + 50);
  const metrics = [
    {
      key: "activities",
      title: t("dashboard.chart.activities_by", { by: groupTitle }),
      head: t("dashboard.col.activities"),
      value: (r: (typeof rows)[number]) => r.activities,
      cell: (r: (typeof rows)[number]) => formatNumber(r.activities, locale),
      total: formatNumber(totals.activities, locale),
      integer: true,
      color: COLORS.brand,
    },
    {
      key: "people",
      title: t("dashboard.chart.people_by", { by: groupTitle }),
      head: t("dashboard.col.people"),
      value: (r: (typeof rows)[number]) => r.people,
      cell: (r: (typeof rows)[number]) => formatNumber(r.people, locale),
      total: formatNumber(totals.people, locale),
      integer: true,
      color: COLORS.teal,
    },
    {
      key: "funding",
      title: t("dashboard.chart.funding_by", { by: groupTitle }),
      head: t("dashboard.col.funding"),
      value: (r: (typeof rows)[number]) => wan(r.fundingFen),
      cell: (r: (typeof rows)[number]) => formatWan(r.fundingFen, locale),
      total: formatWan(totals.fundingFen, locale),
      integer: false,
      color: "#e9a23b",
    },
  ];
  return metrics.map((m) => (
    <ChartFigure
      key={m.key}
      id={`chart-${prefix}-${m.key}`}
      title={m.title}
      fileName={fileNameOf(t("dashboard.file_prefix"), m.title, fileTag)}
      // the groups overlap: the distinct total stands under them, and says why it can be less than their sum
      note={t("dashboard.note.groups_overlap")}
      spec={{
        labels: rows.map((r) => axisLabel(r.label, locale)),
        series: [{ label: m.head, data: rows.map(m.value), color: m.color }],
        horizontal: true,
        integer: m.integer,
        valueTitle: m.key === "funding" ? t("dashboard.axis.wan") : undefined,
        height,
      }}
      table={{
        head: [groupTitle, m.head],
        rows: rows.map((r) => ({ key: r.key, label: r.label, cells: [m.cell(r)] })),
        foot: { label: t("dashboard.total_distinct"), cells: [m.total] },
      }}
    />
  ));
}

/** Activities, people and funding by pillar and by priority area; activities over time and by country. */
export function ActivityFigures({
  activities,
  fileTag,
  show = ["pillar", "area", "time", "country"],
}: {
  activities: Activities;
  fileTag: string;
  show?: ("pillar" | "area" | "time" | "country")[];
}) {
  const { t, locale } = useI18n();
  const ctx = { t, locale, fileTag };
  const pillarRows = activities.byPillar.map((g) => ({ key: g.code, label: `${g.code} ${localName(locale, g.title_zh, g.title_en)}`, ...g }));
  const areaRows = activities.byArea.map((a) => ({ key: a.code, label: localName(locale, a.name_zh, a.name_en), ...a }));
  const time = activities.time;
  const timeTitle = t(time.bucket === "month" ? "dashboard.chart.per_month" : "dashboard.chart.per_year");
  const countryTitle = t("dashboard.chart.by_country");
  return (
    <>
      {show.includes("pillar") ? (
        <section className="dash-section" aria-labelledby="dash-pillar">
          <h2 id="dash-pillar">{t("dashboard.section.pillar")}</h2>
          <div className="chart-grid">{metricFigures("pillar", t("dashboard.col.pillar"), pillarRows, activities.totals, ctx)}</div>
        </section>
      ) : null}
      {show.includes("area") ? (
        <section className="dash-section" aria-labelledby="dash-area">
          <h2 id="dash-area">{t("dashboard.section.area")}</h2>
          <div className="chart-grid">{metricFigures("area", t("dashboard.col.area"), areaRows, activities.areaTotals, ctx)}</div>
        </section>
      ) : null}
      {show.includes("time") || show.includes("country") ? (
        <section className="dash-section" aria-labelledby="dash-time">
          <h2 id="dash-time">{t("dashboard.section.time_country")}</h2>
          <div className="chart-grid chart-grid-wide">
            {show.includes("time") ? (
              <ChartFigure
                id="chart-time"
                title={timeTitle}
                fileName={fileNameOf(t("dashboard.file_prefix"), timeTitle, fileTag)}
                empty={t("dashboard.no_activities")}
                spec={{
                  labels: time.rows.map((r) => bucketLabel(r.key, locale)),
                  series: [{ label: t("dashboard.col.activities"), data: time.rows.map((r) => r.activities), color: COLORS.brand }],
                  integer: true,
                  height: 260,
                }}
                table={{
                  head: [t(time.bucket === "month" ? "dashboard.col.month" : "dashboard.col.year"), t("dashboard.col.activities")],
                  rows: time.rows.map((r) => ({ key: r.key, label: bucketLabel(r.key, locale), cells: [formatNumber(r.activities, locale)] })),
                  foot: {
                    label: t("dashboard.total"),
                    cells: [formatNumber(time.rows.reduce((s, r) => s + r.activities, 0), locale)],
                  },
                }}
              />
            ) : null}
            {show.includes("country") ? (
              <ChartFigure
                id="chart-country"
                title={countryTitle}
                fileName={fileNameOf(t("dashboard.file_prefix"), countryTitle, fileTag)}
                note={
                  activities.otherCountriesLeftOut
                    ? t("dashboard.note.countries_left_out", { count: formatNumber(activities.otherCountriesLeftOut, locale) })
                    : t("dashboard.note.countries")
                }
                spec={{
                  labels: activities.byCountry.map((c) => c.name),
                  series: [{ label: t("dashboard.col.activities"), data: activities.byCountry.map((c) => c.activities), color: COLORS.teal }],
                  horizontal: true,
                  integer: true,
                  height: Math.max(200, activities.byCountry.length * 28 + 50),
                }}
                table={{
                  head: [t("dashboard.col.country"), t("dashboard.col.activities")],
                  rows: activities.byCountry.map((c) => ({ key: c.code, label: c.name, cells: [formatNumber(c.activities, locale)] })),
                }}
              />
            ) : null}
          </div>
        </section>
      ) : null}
    </>
  );
}

/** "2023年1月1日至2027年12月31日（行动计划期）", "2024年1月1日起", "全部时间". */
export function rangeText(range: { from: string | null; to: string | null; planPeriod?: boolean }, t: Translate, locale: Locale): string {
  const { from, to } = range;
  const text = from && to ? formatDateRange(from, to, locale) : from ? t("dashboard.range.from", { date: formatDate(from, locale) }) : to ? t("dashboard.range.to", { date: formatDate(to, locale) }) : t("dashboard.range.all");
  return range.planPeriod ? t("dashboard.range.plan", { range: text }) : text;
}

/** The totals of the scope, in words: "活动 12 项，47 人次，10 批，资金 223.36万元". */
export function TotalsLine({ totals }: { totals: Activities["totals"] }) {
  const { t, locale } = useI18n();
  return (
    <p className="dash-totals" id="dash-totals" aria-live="polite">
      <span>
        <strong data-total="activities">{formatNumber(totals.activities, locale)}</strong> {t("dashboard.totals.activities")}
      </span>
      <span>
        <strong data-total="people">{formatNumber(totals.people, locale)}</strong> {t("dashboard.totals.people")}
      </span>
      <span>
        <strong data-total="delegations">{formatNumber(totals.delegations, locale)}</strong> {t("dashboard.totals.delegations")}
      </span>
      <span>
        {t("dashboard.totals.funding")} <strong data-total="funding">{formatWan(totals.fundingFen, locale)}</strong>
      </span>
      <span className="muted dash-counted">{t(COUNTED_NOTE_KEY)}</span>
    </p>
  );
}

function IndicatorFigure({ indicators, fileTag }: { indicators: Data["indicators"]; fileTag: string }) {
  const { t, locale } = useI18n();
  if (!indicators.period) {
    return <p className="empty">{t("dashboard.no_period")}</p>;
  }
  const period = periodName(indicators.period, locale);
  const title = t("dashboard.chart.indicators", { period });
  const elapsed = indicators.elapsed === null ? null : round1(indicators.elapsed * 100);
  const rows = indicators.rows;
  const dash = t("indicators.none");
  return (
    <ChartFigure
      id="chart-indicators"
      title={title}
      fileName={fileNameOf(t("dashboard.file_prefix"), title, fileTag)}
      note={elapsed === null ? undefined : t("dashboard.note.indicators", { elapsed: formatPercent(elapsed, locale, t) })}
      empty={t("indicators.empty")}
      spec={{
        labels: rows.map((r) => axisLabel(localName(locale, r.name_zh, r.name_en), locale)),
        series: [
          { label: t("dashboard.col.percent"), data: rows.map((r) => (r.percent === null ? null : round1(r.percent))), color: COLORS.brand },
          { label: t("dashboard.col.elapsed"), data: rows.map(() => elapsed), color: COLORS.elapsed, line: true, dashed: true },
          { label: t("dashboard.col.target_line"), data: rows.map(() => 100), color: COLORS.target, line: true },
        ],
        horizontal: true,
        percent: true,
        height: Math.max(220, rows.length * 34 + 70),
      }}
      table={{
        head: [t("dashboard.col.indicator"), t("dashboard.col.actual"), t("dashboard.col.target"), t("dashboard.col.percent"), t("dashboard.col.elapsed")],
        rows: rows.map((r) => ({
          key: r.code,
          label: localName(locale, r.name_zh, r.name_en),
          cells: [
            formatIndicatorValue(r.actualToDate, r.unit, locale, t) || dash,
            formatIndicatorValue(r.target, r.unit, locale, t),
            r.percent === null ? dash : formatPercent(r.percent, locale, t),
            formatPercent(r.expected * 100, locale, t),
          ],
        })),
      }}
    />
  );
}

function RatingFigure({ ratings, fileTag }: { ratings: Data["ratings"]; fileTag: string }) {
  const { t, locale } = useI18n();
  if (!ratings.period) return <p className="empty">{t("dashboard.no_period")}</p>;
  const title = t("dashboard.chart.ratings", { period: periodName(ratings.period, locale) });
  const rows = ratings.rows.map((r) => ({ ...r, label: `${r.code} ${localName(locale, r.title_zh, r.title_en)}` }));
  const levels = [
    { key: "green", label: t("dashboard.rating.green"), color: COLORS.green },
    { key: "yellow", label: t("dashboard.rating.yellow"), color: COLORS.yellow },
    { key: "red", label: t("dashboard.rating.red"), color: COLORS.red },
    { key: "unrated", label: t("dashboard.rating.unrated"), color: COLORS.grey },
  ] as const;
  const rated = rows.reduce((s, r) => s + r.green + r.yellow + r.red, 0);
  return (
    <ChartFigure
      id="chart-ratings"
      title={title}
      fileName={fileNameOf(t("dashboard.file_prefix"), title, fileTag)}
      note={rated === 0 ? t("dashboard.note.no_ratings") : t("dashboard.note.ratings")}
      spec={{
        labels: rows.map((r) => axisLabel(r.label, locale)),
        series: levels.map((l) => ({ label: l.label, data: rows.map((r) => r[l.key]), color: l.color, stack: "ratings" })),
        horizontal: true,
        stacked: true,
        integer: true,
        height: Math.max(200, rows.length * 40 + 70),
      }}
      table={{
        head: [t("dashboard.col.pillar"), ...levels.map((l) => l.label)],
        rows: rows.map((r) => ({ key: r.code, label: r.label, cells: levels.map((l) => formatNumber(r[l.key], locale)) })),
      }}
    />
  );
}

function RankingFigure({ ranking, fileTag }: { ranking: Data["ranking"]; fileTag: string }) {
  const { t, locale } = useI18n();
  const title = t("dashboard.chart.ranking", { kind: t(`periods.kind.${ranking.kind}`) });
  const rows = ranking.rows.map((r) => ({ ...r, label: localName(locale, r.name_zh, r.name_en) }));
  const pct = (v: number | null) => (v === null ? null : round1(v * 100));
  const cell = (v: number | null, done: number, due: number) =>
    v === null ? t("monitoring.rate_none") : t("dashboard.rate_cell", { rate: formatPercent(v * 100, locale, t), done: formatNumber(done, locale), due: formatNumber(due, locale) });
  return (
    <ChartFigure
      id="chart-ranking"
      title={title}
      fileName={fileNameOf(t("dashboard.file_prefix"), title, fileTag)}
      note={t("dashboard.note.ranking")}
      empty={t("monitoring.no_units")}
      spec={{
        labels: rows.map((r) => axisLabel(r.label, locale)),
        series: [
          { label: t("monitoring.completeness"), data: rows.map((r) => pct(r.completeness)), color: COLORS.brand },
          { label: t("monitoring.timeliness"), data: rows.map((r) => pct(r.timeliness)), color: COLORS.teal },
        ],
        horizontal: true,
        percent: true,
        height: Math.max(220, rows.length * 36 + 70),
      }}
      table={{
        head: [t("monitoring.unit"), t("monitoring.completeness"), t("monitoring.timeliness")],
        rows: rows.map((r) => ({
          key: String(r.id),
          label: r.label,
          cells: [cell(r.completeness, r.submittedCount, r.dueCount), cell(r.timeliness, r.onTimeCount, r.dueCount)],
        })),
      }}
    />
  );
}

/** Every figure of the plan-wide dashboard. */
export function DashboardFigures({ data }: { data: Data }) {
  const { t, locale } = useI18n();
  const fileTag = fileNameOf(
    data.params.period ? data.params.period : rangeText(data.range, t, locale),
    data.unit ? localName(locale, data.unit.name_zh, data.unit.name_en) : null,
    data.country?.name,
  );
  return (
    <>
      <TotalsLine totals={data.activities.totals} />
      <ActivityFigures activities={data.activities} fileTag={fileTag} />
      <section className="dash-section" aria-labelledby="dash-progress">
        <h2 id="dash-progress">{t("dashboard.section.progress")}</h2>
        <div className="chart-grid chart-grid-wide">
          <IndicatorFigure indicators={data.indicators} fileTag={fileTag} />
          <RatingFigure ratings={data.ratings} fileTag={fileTag} />
        </div>
      </section>
      <section className="dash-section" aria-labelledby="dash-reporting">
        <h2 id="dash-reporting">{t("dashboard.section.reporting")}</h2>
        <div className="chart-grid chart-grid-wide">
          <RankingFigure ranking={data.ranking} fileTag={fileTag} />
        </div>
      </section>
    </>
  );
}

/** What the figures cover: the time range, the unit, the country. */
export function ScopeLine({ data }: { data: Pick<Data, "range" | "unit" | "country"> }) {
  const { t, locale } = useI18n();
  return (
    <p className="dash-scope" id="dash-scope">
      {t("dashboard.scope", {
        range: rangeText(data.range, t, locale),
        unit: data.unit ? localName(locale, data.unit.name_zh, data.unit.name_en) : t("dashboard.scope.all_units"),
        country: data.country ? data.country.name : t("dashboard.scope.all_countries"),
      })}
    </p>
  );
}

/** How the figures are counted, in words. */
export function DashboardDefinitions() {
  const { t } = useI18n();
  return (
    <details className="mon-definitions dash-definitions">
      <summary>{t("dashboard.definitions")}</summary>
      <ul>
        <li>{t("dashboard.definitions.activities")}</li>
        <li>{t("dashboard.definitions.groups")}</li>
        <li>{t("dashboard.definitions.indicators")}</li>
        <li>{t("dashboard.definitions.ratings")}</li>
        <li>{t("dashboard.definitions.ranking")}</li>
      </ul>
    </details>
  );
}

// A plan item's indicators over the reporting periods: each one's % of its plan target at the end of every
// period so far, with the share of the plan's time elapsed as a dashed line.
import type { SerializeFrom } from "@remix-run/node";
import { localName } from "~/i18n";
import { periodName } from "~/i18n/periods";
import type { planItemIndicatorTrend } from "~/presenters/dashboard.server";
import { useI18n } from "~/utils/i18n-hooks";
import { formatPercent } from "../IndicatorProgressTable";
import { COLORS, ChartFigure, PALETTE, shortLabel } from "./ChartFigure";

type Trend = SerializeFrom<Awaited<ReturnType<typeof planItemIndicatorTrend>>>;

const round1 = (n: number) => Math.round(n * 10) / 10;

export function IndicatorTrendChart({ trend, planCode }: { trend: Trend; planCode: string }) {
  const { t, locale } = useI18n();
  if (trend.series.length === 0 || trend.periods.length === 0) return null;
  const title = `${planCode} ${t("dashboard.trend.title")}`;
  const dash = t("indicators.none");
  const name = (s: Trend["series"][number]) => localName(locale, s.name_zh, s.name_en);
  return (
    <section className="plan-indicator-trend">
      <ChartFigure
        id="chart-indicator-trend"
        title={title}
        fileName={`${t("dashboard.file_prefix")}_${planCode}_${t("dashboard.trend.title")}`.replace(/[\\/:*?"<>|\s]+/g, "")}
        note={t("dashboard.trend.note")}
        spec={{
          kind: "line",
          labels: trend.periods.map((p) => periodName(p, locale)),
          series: [
            ...trend.series.map((s, i) => ({
              label: shortLabel(localName(locale, s.name_zh, s.name_en), locale === "en" ? 36 : 20),
              data: s.points.map((p) => (p.percent === null ? null : round1(p.percent))),
              color: PALETTE[i % PALETTE.length]!,
            })),
            { label: t("dashboard.col.elapsed"), data: trend.periods.map((p) => round1(p.elapsed * 100)), color: COLORS.elapsed, dashed: true },
          ],
          percent: true,
          height: 280,
        }}
        table={{
          head: [t("dashboard.col.period"), ...trend.series.map(name), t("dashboard.col.elapsed")],
          rows: trend.periods.map((p, i) => ({
            key: p.code,
            label: periodName(p, locale),
            cells: [
              ...trend.series.map((s) => {
                const percent = s.points[i]?.percent ?? null;
                return percent === null ? dash : formatPercent(percent, locale, t);
              }),
              formatPercent(p.elapsed * 100, locale, t),
            ],
          })),
        }}
      />
    </section>
  );
}

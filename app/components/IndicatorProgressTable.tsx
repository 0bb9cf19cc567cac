// Indicators with their progress for one period: baseline, plan target, period target, actuals and % against the
// share of the plan's time elapsed. Used on the indicators page and on a plan item's page.
import { Link } from "@remix-run/react";
import { type Locale, type Translate, localName } from "~/i18n";
import { formatNumber, formatWan } from "~/i18n/format";
import { type IndicatorUnit, UNIT_KEYS } from "~/schemas/indicator";
import type { IndicatorProgress } from "~/services/indicator-progress.server";
import { useI18n } from "~/utils/i18n-hooks";
import { FEN_PER_WAN } from "~/utils/money";
import { TableWrap } from "./TableWrap";

export interface IndicatorProgressRow {
  indicator: {
    id: number;
    code: string;
    name_zh: string;
    name_en: string;
    unit: string;
    direction: string;
    measure: string;
    baseline_year: number;
    plan_item_code: string;
    plan_item_title_zh: string;
    plan_item_title_en: string;
  };
  progress: IndicatorProgress;
}

/** A value with its unit: "105对" / "105 pairs", money as 万元 with two decimals. Empty for null. */
export function formatIndicatorValue(value: number | null | undefined, unit: string, locale: Locale, t: Translate): string {
  if (value === null || value === undefined) return "";
  if (unit === "万元") return formatWan(Math.round(value * FEN_PER_WAN), locale);
  const key = UNIT_KEYS[unit as IndicatorUnit];
  const number = formatNumber(Math.round(value * 100) / 100, locale);
  if (!key) return `${number} ${unit}`;
  return t(value === 1 ? `indicators.value_one.${key}` : `indicators.value.${key}`, { value: number });
}

/** "42.5%": one decimal; empty for null. */
export function formatPercent(percent: number | null | undefined, locale: Locale, t: Translate): string {
  if (percent === null || percent === undefined) return "";
  return t("indicators.percent", { value: formatNumber(Math.round(percent * 10) / 10, locale) });
}

export function IndicatorProgressTable({
  rows,
  showPlanItem = true,
  canEdit = false,
}: {
  rows: IndicatorProgressRow[];
  showPlanItem?: boolean;
  canEdit?: boolean;
}) {
  const { t, locale } = useI18n();
  if (rows.length === 0) return <p className="empty">{t("indicators.empty")}</p>;
  const dash = t("indicators.none");
  return (
    <TableWrap label={t("indicators.table_label")}>
      <table className="ledger indicator-table">
        <thead>
          <tr>
            <th scope="col">{t("indicators.col.name")}</th>
            {showPlanItem ? <th scope="col">{t("indicators.col.plan_item")}</th> : null}
            <th scope="col" className="num">{t("indicators.col.baseline")}</th>
            <th scope="col" className="num">{t("indicators.col.target")}</th>
            <th scope="col" className="num">{t("indicators.col.period_target")}</th>
            <th scope="col" className="num">{t("indicators.col.to_date")}</th>
            <th scope="col" className="num">{t("indicators.col.in_period")}</th>
            <th scope="col" className="num">{t("indicators.col.percent")}</th>
            <th scope="col" className="num">{t("indicators.col.expected")}</th>
            {canEdit ? <th scope="col">{t("indicators.col.actions")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ indicator: i, progress: p }) => {
            const expectedPercent = p.expected * 100;
            const behind = p.percent !== null && p.percent < expectedPercent;
            const value = (v: number | null) => (v === null ? dash : formatIndicatorValue(v, i.unit, locale, t));
            return (
              <tr key={i.id}>
                <td className="title-cell">
                  <Link to={`/indicators/${i.id}`}>{localName(locale, i.name_zh, i.name_en)}</Link>
                  <div className="muted indicator-kind">
                    {t(`indicators.measure_short.${i.measure}`)} · {t(`indicators.direction_short.${i.direction}`)}
                  </div>
                </td>
                {showPlanItem ? (
                  <td>
                    <Link to={`/plan/${i.plan_item_code}`}>
                      {i.plan_item_code} {localName(locale, i.plan_item_title_zh, i.plan_item_title_en)}
                    </Link>
                  </td>
                ) : null}
                <td className="num">
                  {t("indicators.baseline_with_year", { value: value(p.baseline), year: i.baseline_year })}
                </td>
                <td className="num">{value(p.target)}</td>
                <td className="num">
                  {value(p.periodTarget)}
                  {p.periodPercent !== null ? (
                    <div className="muted">{t("indicators.period_percent", { value: formatPercent(p.periodPercent, locale, t) })}</div>
                  ) : null}
                </td>
                <td className="num">{value(p.actualToDate)}</td>
                <td className="num">{value(p.actualInPeriod)}</td>
                <td className={behind ? "num indicator-behind" : "num"} title={behind ? t("indicators.behind") : undefined}>
                  {p.percent === null ? dash : formatPercent(p.percent, locale, t)}
                </td>
                <td className="num">{formatPercent(expectedPercent, locale, t)}</td>
                {canEdit ? (
                  <td>
                    <Link to={`/indicators/${i.id}/edit`}>{t("indicators.edit_link")}</Link>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

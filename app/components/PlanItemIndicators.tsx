// A plan item's indicators with their progress, as a section of the plan item's page.
import { Link } from "@remix-run/react";
import { periodName } from "~/i18n/periods";
import { useI18n } from "~/utils/i18n-hooks";
import { IndicatorProgressTable, type IndicatorProgressRow } from "./IndicatorProgressTable";

export function PlanItemIndicators({
  period,
  rows,
}: {
  period: { code: string; kind: string; year: number; seq: number } | null;
  rows: IndicatorProgressRow[];
}) {
  const { t, locale } = useI18n();
  if (!period || rows.length === 0) return null;
  return (
    <section className="plan-indicators">
      <h2>{t("indicators.on_plan_item", { period: periodName(period, locale) })}</h2>
      <IndicatorProgressTable rows={rows} showPlanItem={rows.some((r) => r.indicator.plan_item_code !== rows[0]!.indicator.plan_item_code)} />
      <p>
        <Link to={`/indicators?period=${encodeURIComponent(period.code)}`}>{t("indicators.see_all")}</Link>
      </p>
    </section>
  );
}

// GET /indicators/count?… — the live count beside the indicator form: what the 口径 in the query counts for the
// chosen unit and period, as the sentence the form shows. Administrators only (they are the ones defining).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { formatNumber } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { localName } from "~/i18n";
import { isRegisterMeasure } from "~/domain/sister-cities";
import { previewCounting } from "~/services/indicator-form.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requestTranslator } from "~/utils/locale.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "indicator.define");
  const { t, locale } = await requestTranslator(request, user);
  const result = await previewCounting(db, new URL(request.url).searchParams);
  if (!result.ok) return json({ text: null, errors: result.errors }, { status: 400, headers: { "Cache-Control": "no-store" } });
  const f = result.figures;
  const number = (n: number, digits = 0) => formatNumber(Number(n.toFixed(digits)), locale);
  const unit = localName(locale, result.unit.name_zh, result.unit.name_en);
  const period = periodName(result.period, locale);
  // a register measure counts relationships: what the sister-city register changed in the period
  const text = isRegisterMeasure(new URL(request.url).searchParams.get("computation"))
    ? t("sister_cities.counting_preview", { unit, period, value: number(f.value) })
    : t("indicators.counting.preview", {
        unit,
        period,
        activities: number(f.activities),
        delegations: number(f.delegations),
        participants: number(f.participants),
        funding: number(f.fundingWan, 2),
        value: number(f.value, 2),
      });
  return json({ text, errors: null }, { headers: { "Cache-Control": "no-store" } });
}

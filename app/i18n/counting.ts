// An indicator's 口径 in words, for the pages that show what a figure counts (the indicator page, the form, the
// evaluation's reasons).
import type { IndicatorCounting } from "~/schemas/indicator-counting";
import { countryName } from "~/utils/countries";
import { joinList } from "./format";
import { EXCHANGE_YEARS, isRegisterMeasure } from "~/domain/sister-cities";
import type { Locale, Translate } from "./index";

export function countingSummary(counting: IndicatorCounting, t: Translate, locale: Locale, computation?: string | null): string {
  if (isRegisterMeasure(computation)) {
    const countries = counting.countries.length ? joinList(counting.countries.map((code) => countryName(code, locale)), locale) : t("indicators.counting.any_country");
    return t("sister_cities.counting_summary", { countries, years: EXCHANGE_YEARS });
  }
  const types = counting.types.length ? joinList(counting.types.map((type) => t(`activity.type.${type}`)), locale) : t("indicators.counting.any_type");
  const statuses = joinList(counting.statuses.map((status) => t(`activity.status.${status}`)), locale);
  const items =
    counting.items.scope === "list"
      ? t("indicators.counting.summary_items_list", { codes: joinList(counting.items.codes, locale) })
      : t(`indicators.counting.item_scope.${counting.items.scope}`);
  const countries = counting.countries.length
    ? joinList(counting.countries.map((code) => countryName(code, locale)), locale)
    : t("indicators.counting.any_country");
  return t("indicators.counting.summary", { types, statuses, items, countries });
}

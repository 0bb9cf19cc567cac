// The one-line confirmation after an indicator is saved ("?notice=created"), like the activity pages' Notice.
import { useSearchParams } from "@remix-run/react";
import { useI18n } from "~/utils/i18n-hooks";

const NOTICES = {
  created: "indicators.created",
  saved: "indicators.saved",
  value_saved: "indicators.value_saved",
} as const;

export function IndicatorNotice() {
  const [params] = useSearchParams();
  const { t } = useI18n();
  const key = NOTICES[params.get("notice") as keyof typeof NOTICES];
  if (!key) return null;
  return (
    <p className="notice" role="status">
      {t(key)}
    </p>
  );
}

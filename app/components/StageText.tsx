// A sister-city relationship's stage, with its date at the precision a document gives it, and its end.
import { formatPartialDate } from "~/i18n/format";
import { useI18n } from "~/utils/i18n-hooks";

/** A stage with its date (at the precision known), or its end. */
export function StageText({ stage, date, ended }: { stage: string; date: string | null; ended: string | null }) {
  const { t, locale } = useI18n();
  return (
    <>
      <span className={`stage-tag stage-${stage}`}>{t(`sister_cities.stage.${stage}`)}</span>
      {date ? <span className="nowrap"> {formatPartialDate(date, locale)}</span> : <span className="muted"> {t("sister_cities.no_date")}</span>}
      {ended ? <div className="muted">{t("sister_cities.ended_on", { date: formatPartialDate(ended, locale) })}</div> : null}
    </>
  );
}

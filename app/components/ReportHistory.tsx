// A report's history: every transition with who, when and the reasons given.
import { localName } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { useI18n } from "~/utils/i18n-hooks";

export function ReportHistory({
  entries,
}: {
  entries: {
    id: number;
    at: string;
    action: string;
    user_name: string | null;
    changes: Record<string, unknown>;
    /** a return's reasons per plan item, each with its item */
    itemReasons: { code: string; title_zh: string; title_en: string; reason: string }[];
  }[];
}) {
  const { t, locale } = useI18n();
  const shown = entries.filter((e) => e.action !== "report.save");
  if (shown.length === 0) return <p className="muted">{t("activity.history_empty")}</p>;
  return (
    <ol className="history">
      {shown.map((e) => {
        const reason = typeof e.changes.reason === "string" ? e.changes.reason : "";
        return (
          <li key={e.id}>
            <strong>{t(`reports.history.${e.action}`)}</strong> · {formatDateTime(e.at, locale)} · {e.user_name ?? t("activity.system")}
            {reason ? <div>{reason}</div> : null}
            {e.itemReasons.length ? (
              <ul>
                {e.itemReasons.map((r, i) => (
                  <li key={i} data-code={r.code}>
                    {t("reports.history.item_reason", { code: r.code, title: localName(locale, r.title_zh, r.title_en), reason: r.reason })}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

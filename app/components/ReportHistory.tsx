// A report's history: every transition with who, when and the reasons given.
import { formatDateTime } from "~/i18n/format";
import { useI18n } from "~/utils/i18n-hooks";

export function ReportHistory({
  entries,
}: {
  entries: { id: number; at: string; action: string; user_name: string | null; changes: Record<string, unknown> }[];
}) {
  const { t, locale } = useI18n();
  const shown = entries.filter((e) => e.action !== "report.save");
  if (shown.length === 0) return <p className="muted">{t("activity.history_empty")}</p>;
  return (
    <ol className="history">
      {shown.map((e) => {
        const reason = typeof e.changes.reason === "string" ? e.changes.reason : "";
        const items = (e.changes.items && typeof e.changes.items === "object" ? e.changes.items : {}) as Record<string, string>;
        return (
          <li key={e.id}>
            <strong>{t(`reports.history.${e.action}`)}</strong> · {formatDateTime(e.at, locale)} · {e.user_name ?? t("activity.system")}
            {reason ? <div>{reason}</div> : null}
            {Object.values(items).length ? (
              <ul>
                {Object.values(items).map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

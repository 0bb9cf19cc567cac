// An activity's change history: who did what, when, and for edits each changed field before → after.
import { formatDateTime, formatNumber, formatWan, joinList } from "~/i18n/format";
import type { MessageKey } from "~/i18n";
import { useI18n } from "~/utils/i18n-hooks";

const FIELD_LABELS: Record<string, MessageKey> = {
  organization_id: "activity.organization",
  title: "activity.title",
  type: "activity.type",
  status: "activity.status",
  start_date: "activity.start_date",
  end_date: "activity.end_date",
  primary_plan_item: "activity.primary_plan_item",
  plan_items: "activity.plan_items",
  countries: "activity.countries",
  counterpart_body: "activity.counterpart_body",
  location: "activity.location",
  delegations_count: "activity.delegations_count",
  participants_count: "activity.participants_count",
  funding_cny_fen: "activity.funding",
  funding_source: "activity.funding_source",
  outcome: "activity.outcome",
  evidence: "activity.evidence",
  partners: "activity.partners",
  merged_from: "activity.merged_from",
  merged_into: "activity.merged_into",
  not_duplicate_of: "activity.not_duplicate_of",
  counterparts: "counterparts.activity.history_field",
};

/** The entries whose changes are listed field by field. */
const LISTS_CHANGES = new Set(["activity.update", "activity.merge", "activity.merged", "activity.not_duplicate"]);

export interface HistoryEntry {
  id: number;
  at: string;
  action: string;
  user_name: string | null;
  changes: Record<string, unknown>;
}

export function ActivityHistory({
  entries,
  countryNames,
  unitNames,
  counterpartNames = {},
}: {
  entries: HistoryEntry[];
  countryNames: Record<string, string>;
  unitNames: Record<string, string>;
  /** the counterpart register's bodies by id, named in the reader's language */
  counterpartNames?: Record<string, string>;
}) {
  const { t, locale } = useI18n();
  if (entries.length === 0) return <p className="muted">{t("activity.history_empty")}</p>;

  const show = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === "") return t("activity.none");
    if (field === "organization_id") return unitNames[String(value)] ?? String(value);
    if (field === "type") return t(`activity.type.${value}`);
    if (field === "status") return t(`activity.status.${value}`);
    if (field === "funding_cny_fen") return formatWan(Number(value), locale);
    if (field === "delegations_count" || field === "participants_count") return formatNumber(Number(value), locale);
    if (field === "countries" && Array.isArray(value)) return joinList(value.map((c) => countryNames[c] ?? c), locale) || t("activity.none");
    // 配合单位: units by id, departments by name
    if (field === "partners" && Array.isArray(value)) {
      return joinList(value.map((p) => (typeof p === "number" ? (unitNames[String(p)] ?? String(p)) : String(p))), locale) || t("activity.none");
    }
    if (field === "counterparts" && Array.isArray(value)) {
      return joinList(value.map((id) => counterpartNames[String(id)] ?? String(id)), locale) || t("activity.none");
    }
    if (Array.isArray(value)) return joinList(value.map(String), locale) || t("activity.none");
    return String(value);
  };

  return (
    <ol className="history">
      {entries.map((entry) => {
        const changed = LISTS_CHANGES.has(entry.action) ? Object.entries(entry.changes) : [];
        return (
          <li key={entry.id}>
            <div>
              <strong>{t(`history.${entry.action}`)}</strong> · {formatDateTime(entry.at, locale)} ·{" "}
              {entry.user_name ?? t("activity.system")}
            </div>
            {changed.length ? (
              <table className="diff">
                <thead>
                  <tr>
                    <th scope="col">{t("history.field")}</th>
                    <th scope="col">{t("history.before")}</th>
                    <th scope="col">{t("history.after")}</th>
                  </tr>
                </thead>
                <tbody>
                  {changed.map(([field, pair]) => {
                    const [before, after] = Array.isArray(pair) ? pair : [undefined, pair];
                    return (
                      <tr key={field}>
                        <th scope="row">{FIELD_LABELS[field] ? t(FIELD_LABELS[field]) : field}</th>
                        <td>{show(field, before)}</td>
                        <td>{show(field, after)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

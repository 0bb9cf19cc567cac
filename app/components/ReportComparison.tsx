// A resubmitted report beside the version the reviewer returned: per plan item, each changed field as it was
// returned and as it is now.
import { localName } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import type { NarrativeField } from "~/domain/reporting";
import { useI18n } from "~/utils/i18n-hooks";

const FIELD_LABELS = {
  progress: "reports.progress",
  problems: "reports.problems",
  next_steps: "reports.next_steps",
  coordination: "reports.coordination",
} as const satisfies Record<NarrativeField, string>;

export interface Comparison {
  returnedAt: string;
  items: { planItemId: number; code: string; title_zh: string; title_en: string; changes: { field: NarrativeField; before: string; after: string }[] }[];
}

export function ReportComparison({ comparison }: { comparison: Comparison }) {
  const { t, locale } = useI18n();
  return (
    <section className="card report-comparison" id="report-comparison" aria-labelledby="comparison-title">
      <h2 id="comparison-title">{t("reports.compare.title")}</h2>
      <p className="muted">{t("reports.compare.intro", { date: formatDateTime(comparison.returnedAt, locale) })}</p>
      {comparison.items.length === 0 ? <p className="empty">{t("reports.compare.none")}</p> : null}
      {comparison.items.map((item) => (
        <div key={item.planItemId} className="comparison-item" data-code={item.code}>
          <h3>
            {item.code} {localName(locale, item.title_zh, item.title_en)}
          </h3>
          <div className="table-wrap">
            <table className="ledger comparison">
              <thead>
                <tr>
                  <th scope="col">{t("reports.compare.field")}</th>
                  <th scope="col">{t("reports.compare.before")}</th>
                  <th scope="col">{t("reports.compare.after")}</th>
                </tr>
              </thead>
              <tbody>
                {item.changes.map((c) => (
                  <tr key={c.field} data-field={c.field}>
                    <th scope="row">{t(FIELD_LABELS[c.field])}</th>
                    <td className="prewrap compare-before">{c.before ? <del>{c.before}</del> : <span className="muted">{t("reports.compare.empty")}</span>}</td>
                    <td className="prewrap compare-after">{c.after ? <ins>{c.after}</ins> : <span className="muted">{t("reports.compare.empty")}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </section>
  );
}

// Beside a drafted progress report: which of its figures come from approved reports (frozen when approved) and
// which are still unreviewed, per plan item, with links to the unreviewed activities to check them.
import { Link } from "@remix-run/react";
import { localName } from "~/i18n";
import { formatDate } from "~/i18n/format";
import { useI18n } from "~/utils/i18n-hooks";

export interface DraftSourcesData {
  counted: number;
  approved: number;
  unreviewed: number;
  sections: {
    code: string;
    title_zh: string;
    title_en: string;
    approved: number;
    unreviewed: { id: number; title: string }[];
    carried: { id: number; title: string }[];
  }[];
}

export function DraftSources({
  sources,
  approvedReports,
  reportStatus,
}: {
  sources: DraftSourcesData;
  approvedReports: { name_zh: string; name_en: string; approvedOn: string }[];
  reportStatus: string;
}) {
  const { t, locale } = useI18n();
  const none = t("drafts.sources.none");
  return (
    <section className="card draft-sources" aria-labelledby="draft-sources-heading">
      <h2 id="draft-sources-heading">{t("drafts.sources.title")}</h2>
      <p id="draft-sources-summary">
        {t("drafts.sources.summary", { counted: sources.counted, approved: sources.approved, unreviewed: sources.unreviewed })}{" "}
        {t("drafts.sources.report_status", { status: t(`reports.status.${reportStatus}`) })}
      </p>
      {approvedReports.length ? (
        <p className="muted">
          {t("drafts.sources.approved_reports")}
          {approvedReports
            .map((r) => t("drafts.sources.approved_report", { unit: localName(locale, r.name_zh, r.name_en), date: formatDate(r.approvedOn, locale) }))
            .join(t("drafts.item.sep"))}
        </p>
      ) : null}
      {sources.sections.length ? (
        <div className="table-wrap">
          <table className="ledger">
            <thead>
              <tr>
                <th scope="col">{t("drafts.sources.col.item")}</th>
                <th scope="col" className="num">{t("drafts.sources.col.approved")}</th>
                <th scope="col">{t("drafts.sources.col.unreviewed")}</th>
                <th scope="col">{t("drafts.sources.col.carried")}</th>
              </tr>
            </thead>
            <tbody>
              {sources.sections.map((s) => (
                <tr key={s.code} data-code={s.code}>
                  <td>
                    {s.code} {localName(locale, s.title_zh, s.title_en)}
                  </td>
                  <td className="num">{s.approved}</td>
                  <td>
                    {s.unreviewed.length
                      ? s.unreviewed.map((a, i) => (
                          <span key={a.id}>
                            {i ? t("drafts.item.sep") : ""}
                            <Link to={`/activities/${a.id}`}>{a.title}</Link>
                          </span>
                        ))
                      : none}
                  </td>
                  <td>
                    {s.carried.length
                      ? s.carried.map((a, i) => (
                          <span key={a.id}>
                            {i ? t("drafts.item.sep") : ""}
                            <Link to={`/activities/${a.id}`}>{a.title}</Link>
                          </span>
                        ))
                      : none}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

import { Link } from "@remix-run/react";
import { formatDateRange, formatNumber, formatWan, joinList } from "~/i18n/format";
import { localName } from "~/i18n";
import { useI18n } from "~/utils/i18n-hooks";
import { TableWrap } from "./TableWrap";

export interface ActivityTableRow {
  id: number;
  title: string;
  type: string;
  status: string;
  start_date: string;
  end_date: string;
  organization_name_zh: string;
  organization_name_en: string;
  organization_path?: string;
  counterpart_body: string;
  delegations_count: number | null;
  participants_count: number | null;
  funding_cny_fen: number | null;
  deleted_at?: string | null;
  planItems: { code: string; title_zh: string; title_en: string; primary: boolean }[];
  countries: string[];
}

export function ActivityTable({
  rows,
  countryNames,
  extraColumn,
  involvingPath,
  select,
}: {
  rows: ActivityTableRow[];
  countryNames: Record<string, string>;
  /** the unit the list is filtered to: a row it does not lead is one it co-operates on (配合) */
  involvingPath?: string | null;
  extraColumn?: { header: string; cell: (row: ActivityTableRow) => React.ReactNode };
  /** rows that can be ticked, their checkboxes belonging to the form with this id (closing planned activities) */
  select?: { form: string; ids: number[] };
}) {
  const { t, locale } = useI18n();
  if (rows.length === 0) return <p className="empty">{t("activities.empty")}</p>;
  return (
    <TableWrap label={t("activities.table_label")}>
      <table className="ledger activity-list">
        <thead>
          <tr>
            {select ? (
              <th scope="col" className="select-cell">
                <span className="visually-hidden">{t("bulk.close.select_column")}</span>
              </th>
            ) : null}
            <th scope="col">{t("activity.dates")}</th>
            <th scope="col">{t("activity.title")}</th>
            <th scope="col">{t("activity.type")}</th>
            <th scope="col">{t("activity.primary_plan_item")}</th>
            <th scope="col">{t("activity.organization")}</th>
            <th scope="col">{t("activity.countries")}</th>
            <th scope="col" className="num">
              {t("activity.delegations_count")}/{t("activity.participants_count")}
            </th>
            <th scope="col" className="num">
              {t("activity.funding")}
            </th>
            <th scope="col">{t("activity.status")}</th>
            {extraColumn ? <th scope="col">{extraColumn.header}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const primary = row.planItems.find((p) => p.primary);
            return (
              <tr key={row.id}>
                {select ? (
                  <td className="select-cell">
                    {select.ids.includes(row.id) ? (
                      <label className="row-select">
                        <input type="checkbox" name="activity" value={row.id} form={select.form} />
                        <span className="visually-hidden">{t("bulk.close.select", { title: row.title })}</span>
                      </label>
                    ) : null}
                  </td>
                ) : null}
                <td className="dates-cell">{formatDateRange(row.start_date, row.end_date, locale)}</td>
                <td className="title-cell">
                  <Link to={`/activities/${row.id}`}>{row.title}</Link>
                </td>
                <td className="type-cell" data-label={t("activity.type")}>
                  {t(`activity.type.${row.type}`)}
                </td>
                <td className="item-cell" data-label={t("activity.primary_plan_item")}>
                  {primary ? (
                    <Link to={`/plan/${primary.code}`} title={localName(locale, primary.title_zh, primary.title_en)}>
                      {primary.code} {localName(locale, primary.title_zh, primary.title_en)}
                    </Link>
                  ) : null}
                  {row.planItems.length > 1 ? <span className="muted"> +{row.planItems.length - 1}</span> : null}
                </td>
                <td className="unit-cell">
                  {localName(locale, row.organization_name_zh, row.organization_name_en)}
                  {involvingPath && row.organization_path && !row.organization_path.startsWith(involvingPath) ? (
                    <>
                      {" "}
                      <span className="badge partner-badge">{t("activity.partner_badge")}</span>
                    </>
                  ) : null}
                </td>
                <td className="countries-cell" data-label={t("activity.countries")}>
                  {row.countries.length ? joinList(row.countries.map((c) => countryNames[c] ?? c), locale) : null}
                </td>
                <td className="num counts-cell" data-label={`${t("activity.delegations_count")}/${t("activity.participants_count")}`}>
                  {row.delegations_count !== null ? t("activity.batches", { count: formatNumber(row.delegations_count, locale) }) : ""}
                  {row.delegations_count !== null && row.participants_count !== null ? " " : ""}
                  {row.participants_count !== null ? t("activity.people", { count: formatNumber(row.participants_count, locale) }) : ""}
                </td>
                <td className="num nowrap funding-cell" data-label={t("activity.funding")}>
                  {row.funding_cny_fen !== null ? formatWan(row.funding_cny_fen, locale) : null}
                </td>
                <td className="status-cell">
                  <span className={`status status-${row.status}`}>{t(`activity.status.${row.status}`)}</span>
                </td>
                {extraColumn ? (
                  <td className="extra-cell" data-label={extraColumn.header}>
                    {extraColumn.cell(row)}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

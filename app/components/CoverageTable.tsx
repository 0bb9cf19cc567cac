// Plan items (under their pillar and section headings) × columns (units or countries): how many live activities
// each pair has. Empty cells are the point of the page, so they stand out; a number opens the activities it counts.
import { Link } from "@remix-run/react";
import { Fragment } from "react";
import { localName } from "~/i18n";
import { formatNumber } from "~/i18n/format";
import { useI18n } from "~/utils/i18n-hooks";
import { TableWrap } from "./TableWrap";

export interface CoverageRow {
  id: number;
  code: string;
  kind: string;
  depth: number;
  title_zh: string;
  title_en: string;
  loggable: boolean;
}

export interface CoverageColumn {
  key: string;
  label: string;
  /** the activity list's parameter that narrows to this column ("unit=12", "country=LA"); none: no link */
  param?: [string, string];
  /** a tooltip for a cell, instead of the default */
  cellTitle?: (rowId: number) => string | undefined;
}

export function CoverageTable({
  caption,
  rows,
  columns,
  counts,
  totals,
  listParams,
}: {
  caption: string;
  rows: CoverageRow[];
  columns: CoverageColumn[];
  counts: Record<string, Record<string, number>>;
  /** a "total" column, when given */
  totals?: Record<string, number>;
  /** the date range and type to carry into the activity list */
  listParams: [string, string][];
}) {
  const { t, locale } = useI18n();
  const href = (code: string, extra?: [string, string]) => {
    const search = new URLSearchParams([["item", code], ...(extra ? [extra] : []), ...listParams]);
    return `/activities?${search.toString()}`;
  };
  const cell = (row: CoverageRow, n: number, extra: [string, string] | undefined, linkable: boolean, title?: string) => {
    if (!n) {
      return (
        <td className="num coverage-empty" title={t("monitoring.coverage.empty_title")}>
          <span className="monitoring-sr">0</span>
        </td>
      );
    }
    const text = formatNumber(n, locale);
    return (
      <td className="num">
        {linkable ? (
          <Link to={href(row.code, extra)} title={title ?? t("monitoring.coverage.cell_title", { count: text })}>
            {text}
          </Link>
        ) : (
          <span title={title}>{text}</span>
        )}
      </td>
    );
  };
  const span = columns.length + (totals ? 2 : 1);
  return (
    <TableWrap label={caption}>
      <table className="ledger coverage">
        <caption className="monitoring-sr">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("monitoring.coverage.item")}</th>
            {columns.map((c) => (
              <th scope="col" key={c.key} className="num coverage-col">
                {c.label}
              </th>
            ))}
            {totals ? (
              <th scope="col" className="num">
                {t("monitoring.coverage.total")}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const title = `${row.code} ${localName(locale, row.title_zh, row.title_en)}`;
            if (!row.loggable) {
              return (
                <tr key={row.id} className={`coverage-group kind-${row.kind}`}>
                  <th scope="colgroup" colSpan={span} className={`depth-${Math.min(row.depth, 3)}`}>
                    {title}
                  </th>
                </tr>
              );
            }
            const own = counts[String(row.id)] ?? {};
            const total = totals?.[String(row.id)] ?? 0;
            return (
              <tr key={row.id} className={totals && !total ? "coverage-none" : undefined}>
                <th scope="row" className={`depth-${Math.min(row.depth, 3)}`}>
                  <Link to={`/plan/${row.code}`}>{title}</Link>
                </th>
                {columns.map((c) => (
                  <Fragment key={c.key}>{cell(row, own[c.key] ?? 0, c.param, c.param !== undefined, c.cellTitle?.(row.id))}</Fragment>
                ))}
                {totals ? cell(row, total, undefined, true) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

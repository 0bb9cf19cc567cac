// Units × reporting periods: each cell the report's state (and whether it is overdue or came late), each row the
// unit's completeness and timeliness. A cell opens that unit's report for that period. The periods come as the
// loader orders them (newest first on /monitoring); the unit column and the two rate columns stay in view while the
// table scrolls sideways, so a unit's rates never leave the screen on a narrow one.
import { Link } from "@remix-run/react";
import type { PeriodKind } from "~/models/reporting-period.server";
import type { CellStatus } from "~/domain/reporting";
import { type MessageKey, localName } from "~/i18n";
import { formatDate, formatNumber } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { useI18n } from "~/utils/i18n-hooks";

export const STATUS_LABELS: Record<CellStatus, MessageKey> = {
  none: "reports.status.none",
  draft: "reports.status.draft",
  submitted: "reports.status.submitted",
  returned: "reports.status.returned",
  approved: "reports.status.approved",
};

export const PERIOD_KIND_LABELS: Record<PeriodKind, MessageKey> = {
  quarter: "periods.kind.quarter",
  half: "periods.kind.half",
  year: "periods.kind.year",
};

export interface MatrixCellView {
  periodId: number;
  periodCode: string;
  dueDate: string;
  status: CellStatus;
  overdue: boolean;
  lateSubmission: boolean;
  onTime: boolean;
  firstSubmittedOn: string | null;
}

export interface MatrixRowView {
  unit: { id: number; name_zh: string; name_en: string; depth: number; kind: string };
  cells: MatrixCellView[];
  dueCount: number;
  submittedCount: number;
  onTimeCount: number;
  overdueCount: number;
  completeness: number | null;
  timeliness: number | null;
  late: boolean;
}

export function formatRate(rate: number | null, locale: string): string {
  if (rate === null) return "";
  return new Intl.NumberFormat(locale === "en" ? "en" : "zh-CN", { style: "percent", maximumFractionDigits: 0 }).format(rate);
}

function Rate({ rate, done, due }: { rate: number | null; done: number; due: number }) {
  const { t, locale } = useI18n();
  if (rate === null) {
    return <span title={t("monitoring.rate_none_title")}>{t("monitoring.rate_none")}</span>;
  }
  return (
    <span title={t("monitoring.rate_detail", { done: formatNumber(done, locale), due: formatNumber(due, locale) })}>
      {formatRate(rate, locale)}
    </span>
  );
}

export function SubmissionMatrix({
  periods,
  rows,
  selectForm,
}: {
  periods: { id: number; code: string; kind: string; year: number; seq: number; due_date: string }[];
  rows: MatrixRowView[];
  /** the id of the form that approves ticked reports: submitted cells get a checkbox belonging to it (reviewers) */
  selectForm?: string;
}) {
  const { t, locale } = useI18n();
  if (rows.length === 0) return <p className="empty">{t("monitoring.no_units")}</p>;
  if (periods.length === 0) return <p className="empty">{t("monitoring.no_periods")}</p>;
  return (
    <div className="table-wrap">
      <table className="ledger matrix">
        <thead>
          <tr>
            <th scope="col" className="mon-unit">{t("monitoring.unit")}</th>
            {periods.map((p) => (
              <th scope="col" key={p.id} title={t("monitoring.due_title", { due: formatDate(p.due_date, locale) })}>
                {periodName(p, locale)}
              </th>
            ))}
            <th scope="col" className="num mon-rate mon-rate-completeness">
              {t("monitoring.completeness")}
            </th>
            <th scope="col" className="num mon-rate mon-rate-timeliness">
              {t("monitoring.timeliness")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const unitName = localName(locale, row.unit.name_zh, row.unit.name_en);
            return (
              <tr key={row.unit.id} className={row.late ? "late-unit" : undefined}>
                <th scope="row" className={`mon-unit unit-cell depth-${Math.min(row.unit.depth, 3)}`}>
                  {unitName}
                  {row.late ? (
                    <span
                      className="mon-flag mon-flag-late"
                      title={t("monitoring.late_unit_title", { count: formatNumber(row.overdueCount, locale) })}
                    >
                      {t("monitoring.late_unit")}
                    </span>
                  ) : null}
                </th>
                {row.cells.map((cell, i) => {
                  const period = periods[i]!;
                  const due = formatDate(cell.dueDate, locale);
                  const title = cell.overdue
                    ? t("monitoring.overdue_title", { due })
                    : cell.firstSubmittedOn
                      ? t(cell.lateSubmission ? "monitoring.late_submission_title" : "monitoring.on_time_title", {
                          due,
                          date: formatDate(cell.firstSubmittedOn, locale),
                        })
                      : t("monitoring.due_title", { due });
                  const classes = ["mon-cell", `mon-cell-${cell.status}`, cell.overdue ? "mon-cell-overdue" : "", cell.lateSubmission ? "mon-cell-late" : ""];
                  return (
                    <td key={cell.periodId} className={classes.filter(Boolean).join(" ")}>
                      <Link
                        to={`/reports/${row.unit.id}/${encodeURIComponent(cell.periodCode)}`}
                        title={`${unitName} · ${periodName(period, locale)} · ${title}`}
                      >
                        <span className={`mon-status mon-status-${cell.status}`}>{t(STATUS_LABELS[cell.status])}</span>
                        {cell.overdue ? <span className="mon-flag mon-flag-late">{t("monitoring.overdue")}</span> : null}
                        {!cell.overdue && cell.lateSubmission ? (
                          <span className="mon-flag mon-flag-warn">{t("monitoring.late_submission")}</span>
                        ) : null}
                      </Link>
                      {selectForm && cell.status === "submitted" ? (
                        <label className="mon-select">
                          <input type="checkbox" name="report" value={`${row.unit.id}:${cell.periodCode}`} form={selectForm} />
                          <span className="visually-hidden">
                            {t("bulk.approve.select", { unit: unitName, period: periodName(period, locale) })}
                          </span>
                        </label>
                      ) : null}
                    </td>
                  );
                })}
                <td className="num mon-rate mon-rate-completeness">
                  <Rate rate={row.completeness} done={row.submittedCount} due={row.dueCount} />
                </td>
                <td className="num mon-rate mon-rate-timeliness">
                  <Rate rate={row.timeliness} done={row.onTimeCount} due={row.dueCount} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

// Building blocks of the A4 print views: the toolbar (shown on screen, never printed), the header block of 工作台账
// style documents, the activity table with repeating headers, the figures by activity type, and the slot where
// the dashboards' charts will go.
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { localName } from "~/i18n";
import { formatDateRange, formatNumber, formatWan, joinList } from "~/i18n/format";
import { ACTIVITY_TYPES } from "~/schemas/activity";
import { useI18n } from "~/utils/i18n-hooks";

export function PrintToolbar({ back, backLabel }: { back: string; backLabel: string }) {
  const { t } = useI18n();
  return (
    <div className="print-toolbar no-print">
      <button type="button" className="primary" onClick={() => window.print()}>
        {t("drafts.print.button")}
      </button>
      <Link to={back}>{backLabel}</Link>
      <span className="muted">{t("drafts.print.hint")}</span>
    </div>
  );
}

/** The block of labelled fields at the top of a printed report (填报单位, 报告期, 状态 …). */
export function PrintHeaderBlock({ rows }: { rows: { label: string; value: ReactNode }[] }) {
  return (
    <table className="print-header-block">
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td>{r.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface PrintActivityRow {
  id: number;
  title: string;
  type: string;
  status: string;
  organization_id: number;
  start_date: string;
  end_date: string;
  organization_name_zh: string;
  organization_name_en: string;
  counterpart_body: string;
  delegations_count: number | null;
  participants_count: number | null;
  funding_cny_fen: number | null;
  countries: string[];
}

/** Activities as the foreign-affairs ledgers print them: 序号 · 名称 · 类型 · 日期 · 对方 · 批次/人次 · 金额 · 状态. */
export function PrintActivityTable({
  rows,
  countryNames,
  showUnit = true,
}: {
  rows: PrintActivityRow[];
  countryNames: Record<string, string>;
  /** the 填报单位 column, needed only when the rows come from more than one unit */
  showUnit?: boolean;
}) {
  const { t, locale } = useI18n();
  return (
    <table className="print-table" tabIndex={0}>
      <thead>
        <tr>
          <th scope="col" className="num">{t("drafts.print.col.no")}</th>
          <th scope="col">{t("activity.title")}</th>
          <th scope="col">{t("activity.type")}</th>
          <th scope="col">{t("activity.dates")}</th>
          <th scope="col">{t("drafts.print.col.counterpart")}</th>
          <th scope="col" className="num">{t("drafts.print.col.people")}</th>
          <th scope="col" className="num">{t("drafts.print.col.funding")}</th>
          <th scope="col" className="nowrap">{t("activity.status")}</th>
          {showUnit ? <th scope="col">{t("activity.organization")}</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((a, i) => {
          const counterpart = [joinList(a.countries.map((c) => countryNames[c] ?? c), locale), a.counterpart_body].filter(Boolean).join(" · ");
          const people = [
            a.delegations_count !== null ? t("drafts.print.delegations", { count: formatNumber(a.delegations_count, locale) }) : "",
            a.participants_count !== null ? t("drafts.print.people", { count: formatNumber(a.participants_count, locale) }) : "",
          ]
            .filter(Boolean)
            .join(" / ");
          return (
            <tr key={a.id}>
              <td className="num">{i + 1}</td>
              <td>{a.title}</td>
              <td className="nowrap">{t(`activity.type.${a.type}`)}</td>
              <td className="nowrap">{formatDateRange(a.start_date, a.end_date, locale)}</td>
              <td>{counterpart}</td>
              <td className="num nowrap">{people}</td>
              <td className="num nowrap">{a.funding_cny_fen !== null ? formatWan(a.funding_cny_fen, locale) : ""}</td>
              <td className="nowrap">{t(`activity.status.${a.status}`)}</td>
              {showUnit ? <td>{localName(locale, a.organization_name_zh, a.organization_name_en)}</td> : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export interface PrintTally {
  count: number;
  fundingFen: number;
  byType: Record<string, { count: number; delegations: number; participants: number; fundingFen: number; funded: number }>;
}

/** The figures of a tally by activity type: 活动数 · 批次 · 人次 · 金额, with a total row. */
export function PrintTallyTable({ tally, caption }: { tally: PrintTally; caption?: string }) {
  const { t, locale } = useI18n();
  const n = (v: number) => formatNumber(v, locale);
  const types = ACTIVITY_TYPES.filter((type) => (tally.byType[type]?.count ?? 0) > 0);
  if (tally.count === 0) return <p className="empty">{t("drafts.print.no_activities")}</p>;
  return (
    <table className="print-table print-tally" tabIndex={0}>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          <th scope="col">{t("activity.type")}</th>
          <th scope="col" className="num">{t("drafts.print.col.count")}</th>
          <th scope="col" className="num">{t("activity.delegations_count")}</th>
          <th scope="col" className="num">{t("activity.participants_count")}</th>
          <th scope="col" className="num">{t("drafts.print.col.funding")}</th>
        </tr>
      </thead>
      <tbody>
        {types.map((type) => {
          const x = tally.byType[type]!;
          return (
            <tr key={type}>
              <th scope="row">{t(`activity.type.${type}`)}</th>
              <td className="num">{n(x.count)}</td>
              <td className="num">{x.delegations ? n(x.delegations) : ""}</td>
              <td className="num">{x.participants ? n(x.participants) : ""}</td>
              <td className="num">{x.fundingFen ? formatWan(x.fundingFen, locale) : ""}</td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t("drafts.print.total")}</th>
          <td className="num">{n(tally.count)}</td>
          <td className="num">{n(types.reduce((s, type) => s + tally.byType[type]!.delegations, 0))}</td>
          <td className="num">{n(types.reduce((s, type) => s + tally.byType[type]!.participants, 0))}</td>
          <td className="num">{tally.fundingFen ? formatWan(tally.fundingFen, locale) : ""}</td>
        </tr>
      </tfoot>
    </table>
  );
}


/**
 * The block an office signs at the end of a printed report: 填报单位（盖章）, 单位负责人, 填报人, 联系电话, 填报日期.
 * What the app knows is filled in (the unit, the date of submission); the rest is written by hand on paper.
 */
export function PrintSignatureBlock({ unit, date }: { unit: string; date: string | null }) {
  const { t } = useI18n();
  const field = (key: string, value: string | null = null) => (
    <div key={key}>
      {t(`print.signature.${key}`)}
      {value ? <span className="filled"> {value}</span> : null}
    </div>
  );
  return (
    <section className="print-signature" aria-label={t("print.signature.title")}>
      {field("unit", unit)}
      {field("leader")}
      {field("reporter")}
      {field("phone")}
      {field("date", date)}
    </section>
  );
}

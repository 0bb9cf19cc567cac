import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useLocation } from "@remix-run/react";
import { FilterForm, FilterSelect } from "~/components/FilterForm";
import { MonitoringNav } from "~/components/MonitoringNav";
import { PERIOD_KIND_LABELS, SubmissionMatrix } from "~/components/SubmissionMatrix";
import { localName } from "~/i18n";
import { formatDate, formatNumber } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { loadSubmissionMatrixPage, todayInChina } from "~/presenters/monitoring.server";
import { mayExportAllUnits, provinceLedgers } from "~/services/ledger-export.server";
import { can, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "monitoring.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await loadSubmissionMatrixPage(db, new URL(request.url).searchParams, todayInChina());
  const submitted = page.matrix.rows.reduce((n, row) => n + row.cells.filter((c) => c.status === "submitted").length, 0);
  return json(
    {
      ...page,
      canExportAllUnits: mayExportAllUnits(user),
      provinces: await provinceLedgers(db, user),
      canApprove: can(user, "report.review") && submitted > 0,
      submitted,
    },
    { status: page.status },
  );
}

export default function MonitoringPage() {
  const { params, invalid, matrix, choices, canExportAllUnits, provinces, canApprove, submitted } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const { pathname, search } = useLocation();
  const query = new URLSearchParams(search);
  const approved = query.get("notice") === "bulk_approved" ? Number(query.get("approved")) || 0 : 0;
  query.delete("notice");
  query.delete("approved");
  const back = `${pathname}${query.size ? `?${query}` : ""}`;
  const { totals } = matrix;
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("monitoring.title")}</h1>
        <MonitoringNav />
      </div>
      <p className="muted">{t("monitoring.intro")}</p>
      <FilterForm>
        <FilterSelect
          label={t("monitoring.filter.kind")}
          name="kind"
          value={params.kind}
          all={false}
          invalid={invalid.includes("kind")}
          options={choices.kinds.map((k) => ({ value: k, label: t(PERIOD_KIND_LABELS[k]) }))}
        />
        <FilterSelect
          label={t("monitoring.filter.year")}
          name="year"
          value={params.year}
          invalid={invalid.includes("year")}
          options={choices.years.map((y) => ({ value: y, label: String(y) }))}
        />
        <FilterSelect
          label={t("monitoring.filter.unit")}
          name="unit"
          value={params.unit}
          invalid={invalid.includes("unit")}
          options={choices.units.map((u) => ({ value: u.id, label: localName(locale, u.name_zh, u.name_en), depth: u.depth }))}
        />
      </FilterForm>
      <p className="total" aria-live="polite">
        {t("monitoring.summary", {
          units: formatNumber(totals.unitCount, locale),
          late: formatNumber(totals.lateUnitCount, locale),
          due: formatNumber(totals.dueCount, locale),
          done: formatNumber(totals.submittedCount, locale),
          onTime: formatNumber(totals.onTimeCount, locale),
        })}{" "}
        {t("monitoring.as_of", { date: formatDate(matrix.today, locale) })}
      </p>
      {approved > 0 ? (
        <p className="notice" role="status">
          {t("bulk.approve.done", { count: formatNumber(approved, locale) })}
        </p>
      ) : null}
      {canApprove ? (
        <Form id="bulk-approve" method="get" action="/monitoring/approve" className="bulk-bar">
          <input type="hidden" name="back" value={back} />
          <span className="muted">{t("bulk.approve.hint", { count: formatNumber(submitted, locale) })}</span>
          <button type="submit" className="primary">
            {t("bulk.approve.open")}
          </button>
        </Form>
      ) : null}
      <SubmissionMatrix periods={matrix.periods} rows={matrix.rows} selectForm={canApprove ? "bulk-approve" : undefined} />
      <ExportLinks
        periods={matrix.periods}
        unit={choices.units.find((u) => u.id === params.unit) ?? null}
        provinces={provinces}
        allUnits={canExportAllUnits}
      />
      <details className="mon-definitions">
        <summary>{t("monitoring.legend")}</summary>
        <ul>
          <li>{t("monitoring.definitions.overdue")}</li>
          <li>{t("monitoring.definitions.late_submission")}</li>
          <li>{t("monitoring.definitions.completeness")}</li>
          <li>{t("monitoring.definitions.timeliness")}</li>
          <li>{t("monitoring.definitions.late_unit")}</li>
        </ul>
      </details>
    </div>
  );
}

/**
 * The documents of what the page shows, for each period in view: the 工作台账 of the unit chosen in the filter; for
 * the secretariat's roles the province-wide and the all-units ones; and the period's evaluation workbook.
 */
function ExportLinks({
  periods,
  unit,
  provinces,
  allUnits,
}: {
  periods: { id: number; code: string; kind: string; year: number; seq: number }[];
  unit: { id: number; name_zh: string; name_en: string } | null;
  /** the provinces whose ledgers are offered (those who may not export all units get none) */
  provinces: { id: number; name_zh: string; name_en: string }[];
  allUnits: boolean;
}) {
  const { t, locale } = useI18n();
  if (periods.length === 0 || (!unit && !allUnits)) return null;
  const unitName = unit ? localName(locale, unit.name_zh, unit.name_en) : null;
  return (
    <section className="mon-exports" aria-labelledby="mon-exports-title">
      <h2 id="mon-exports-title">{t("exports.links.title")}</h2>
      <p className="muted">{unitName ? t("exports.links.unit_hint", { unit: unitName }) : t("exports.links.all_hint")}</p>
      <ul>
        {periods.map((p) => (
          <li key={p.id} className="export-links">
            <strong>{periodName(p, locale)}</strong>
            {unit && unitName ? (
              <a href={`/exports/ledger.xlsx?period=${p.code}&unit=${unit.id}`} download>
                {t("exports.link.ledger_of", { unit: unitName })}
              </a>
            ) : null}
            {provinces
              .filter((province) => province.id !== unit?.id)
              .map((province) => (
                <a key={province.id} href={`/exports/ledger.xlsx?period=${p.code}&unit=${province.id}`} download>
                  {t("exports.link.ledger_of", { unit: localName(locale, province.name_zh, province.name_en) })}
                </a>
              ))}
            {allUnits ? (
              <a href={`/exports/ledger.xlsx?period=${p.code}`} download>
                {t("exports.link.ledger_all")}
              </a>
            ) : null}
            <a href={`/exports/evaluation.xlsx?period=${p.code}`} download title={t("exports.link.evaluation_hint")}>
              {t("exports.link.evaluation")}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

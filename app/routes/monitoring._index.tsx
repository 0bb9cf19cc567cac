import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { MonitoringNav } from "~/components/MonitoringNav";
import { PERIOD_KIND_LABELS, SubmissionMatrix } from "~/components/SubmissionMatrix";
import { localName } from "~/i18n";
import { formatDate, formatNumber } from "~/i18n/format";
import { loadSubmissionMatrixPage, todayInChina } from "~/presenters/monitoring.server";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "monitoring.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const page = await loadSubmissionMatrixPage(db, new URL(request.url).searchParams, todayInChina());
  return json(page, { status: page.status });
}

const indent = (depth: number) => "\u3000".repeat(Math.max(0, depth));

export default function MonitoringPage() {
  const { params, invalid, matrix, choices } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const location = useLocation();
  const problem = (key: string) =>
    invalid.includes(key) ? (
      <span className="field-error" role="alert">
        {t("filter.invalid")}
      </span>
    ) : null;
  const { totals } = matrix;
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("monitoring.title")}</h1>
        <MonitoringNav />
      </div>
      <p className="muted">{t("monitoring.intro")}</p>
      <Form method="get" className="filters" aria-label={t("filter.title")} key={location.search}>
        <label>
          {t("monitoring.filter.kind")}
          <select name="kind" defaultValue={params.kind}>
            {choices.kinds.map((k) => (
              <option key={k} value={k}>
                {t(PERIOD_KIND_LABELS[k])}
              </option>
            ))}
          </select>
          {problem("kind")}
        </label>
        <label>
          {t("monitoring.filter.year")}
          <select name="year" defaultValue={params.year ?? ""}>
            <option value="">{t("filter.all")}</option>
            {choices.years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
          {problem("year")}
        </label>
        <label>
          {t("monitoring.filter.unit")}
          <select name="unit" defaultValue={params.unit ?? ""}>
            <option value="">{t("filter.all")}</option>
            {choices.units.map((u) => (
              <option key={u.id} value={u.id}>
                {indent(u.depth)}
                {localName(locale, u.name_zh, u.name_en)}
              </option>
            ))}
          </select>
          {problem("unit")}
        </label>
        <div className="filter-actions">
          <button type="submit" className="primary">
            {t("filter.apply")}
          </button>
          <Link to={location.pathname}>{t("filter.reset")}</Link>
        </div>
      </Form>
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
      <SubmissionMatrix periods={matrix.periods} rows={matrix.rows} />
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

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FieldError, useFieldErrorIds } from "~/components/FieldError";
import { INDICATOR_NOTICES, Notice } from "~/components/Notice";
import { formatIndicatorValue, formatPercent } from "~/components/IndicatorProgressTable";
import { localName } from "~/i18n";
import { formatDateTime } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { getIndicator, listIndicatorValues, upsertIndicatorValue } from "~/models/indicator.server";
import { listOrganizations, organizationDepth } from "~/models/organization.server";
import { findApprovedReportCovering } from "~/models/period-report.server";
import { getPeriodByCode, listPeriods } from "~/models/reporting-period.server";
import { indicatorProgressByPeriod } from "~/services/indicator-progress.server";
import { UNIT_KEYS, type IndicatorUnit, type FieldErrors, INDICATOR_LIMITS } from "~/schemas/indicator";
import { parseIndicatorValueForm, periodKindFrom } from "~/services/indicator-form.server";
import { type SessionUser, can, forbidden, notFound, requireUser, withinUnit } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { countingSummary } from "~/i18n/counting";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { requireId } from "~/utils/params.server";
import { TableWrap } from "~/components/TableWrap";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, undefined, data ? { zh: data.indicator.name_zh, en: data.indicator.name_en } : undefined);

/** Units enter values for themselves and the units below them; some roles see every unit's values. */
const mayEnter = (user: SessionUser) => can(user, "indicator.enter");
const seesAllValues = (user: SessionUser) => can(user, "indicator.see_all_values");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const indicator = await getIndicator(db, requireId(params.id));
  if (!indicator) throw notFound();
  const kind = periodKindFrom(new URL(request.url).searchParams.get("kind"));
  const today = new Date().toISOString().slice(0, 10);
  const periods = await listPeriods(db, kind);
  const series = await indicatorProgressByPeriod(db, indicator.id, periods);
  const entered = indicator.source === "entered";
  const values = entered
    ? await listIndicatorValues(db, indicator.id, seesAllValues(user) ? {} : { organizationPath: user.organization_path })
    : [];
  const canEnter = entered && mayEnter(user);
  const units = canEnter
    ? (await listOrganizations(db))
        .filter((o) => withinUnit(user, o.path))
        .map((o) => ({
          id: o.id,
          name_zh: o.name_zh,
          name_en: o.name_en,
          depth: organizationDepth(o.path) - organizationDepth(user.organization_path),
        }))
    : [];
  return json({
    indicator,
    kind,
    rows: series.map(({ period, progress }) => ({
      period: { code: period.code, kind: period.kind, year: period.year, seq: period.seq },
      started: period.start_date <= today,
      progress,
    })),
    values,
    seesAll: seesAllValues(user),
    canEdit: can(user, "indicator.define"),
    canEnter,
    entry: {
      units,
      defaultUnit: user.organization_id,
      periods: periods
        .filter((p) => !p.closed_at && p.start_date <= today)
        .map((p) => ({ code: p.code, kind: p.kind, year: p.year, seq: p.seq })),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!mayEnter(user)) throw forbidden();
  const indicator = await getIndicator(db, requireId(params.id));
  if (!indicator) throw notFound();
  const form = parseIndicatorValueForm(await request.formData());

  // The unit is an authorization question, not a field problem: another unit's value is refused outright.
  const unitId = Number(form.values.organization_id);
  if (Number.isInteger(unitId) && unitId > 0) {
    const unit = await db.selectFrom("organizations").select("path").where("id", "=", unitId).executeTakeFirst();
    if (!unit || !withinUnit(user, unit.path)) throw forbidden();
  }
  if (indicator.source !== "entered") {
    return json({ errors: { form: "indicators.errors.not_entered" } as FieldErrors, values: form.values }, { status: 400 });
  }
  if (!form.ok) return json({ errors: form.errors, values: form.values }, { status: 400 });

  const period = await getPeriodByCode(db, form.input.periodCode);
  const errors: FieldErrors = {};
  if (!period) errors.period = "indicators.errors.period";
  else if (period.closed_at) errors.period = "indicators.errors.period_closed";
  else if (period.start_date > new Date().toISOString().slice(0, 10)) errors.period = "indicators.errors.period_not_started";
  else {
    const unit = await db.selectFrom("organizations").select("path").where("id", "=", form.input.organizationId).executeTakeFirstOrThrow();
    // What an approved report covered stays as approved.
    if (await findApprovedReportCovering(db, unit.path, period.end_date)) errors.period = "indicators.errors.frozen";
  }
  if (!period || Object.keys(errors).length) return json({ errors, values: form.values }, { status: 400 });

  await upsertIndicatorValue(
    db,
    {
      indicatorId: indicator.id,
      periodId: period.id,
      organizationId: form.input.organizationId,
      value: form.input.value,
      sourceNote: form.input.sourceNote,
    },
    user.id,
  );
  return redirect(`/indicators/${indicator.id}?notice=value_saved`);
}

export default function IndicatorPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t, locale } = useI18n();
  const { indicator: i } = data;
  const value = (v: number | null) => (v === null ? t("indicators.none") : formatIndicatorValue(v, i.unit, locale, t));
  const percent = (p: number | null) => (p === null ? t("indicators.none") : formatPercent(p, locale, t));
  const errors: FieldErrors = actionData?.errors ?? {};
  const entryValues: Record<string, string> = actionData?.values ?? {};
  const { errId, aria } = useFieldErrorIds(errors);

  const definition: [string, React.ReactNode][] = [
    [t("indicators.field.code"), <code key="code">{i.code}</code>],
    [
      t("indicators.field.plan_item"),
      <Link key="item" to={`/plan/${i.plan_item_code}`}>
        {i.plan_item_code} {localName(locale, i.plan_item_title_zh, i.plan_item_title_en)}
      </Link>,
    ],
    [t("indicators.field.unit"), t(`indicators.unit.${UNIT_KEYS[i.unit as IndicatorUnit] ?? "items"}`)],
    [t("indicators.field.direction"), t(`indicators.direction.${i.direction}`)],
    [t("indicators.field.measure"), t(`indicators.measure.${i.measure}`)],
    [
      t("indicators.field.source"),
      <>
        {t(`indicators.source.${i.source}`)}
        {i.source === "computed" && i.computation ? (
          <>
            {" · "}
            {t(`indicators.computation.${i.computation}`)}
            <div>{countingSummary(i.counting, t, locale, i.computation)}</div>
            <div className="muted">{t("indicators.computation_note")}</div>
          </>
        ) : null}
      </>,
    ],
    [t("indicators.col.baseline"), t("indicators.baseline_with_year", { value: value(i.baseline_value), year: i.baseline_year })],
    [
      t("indicators.col.target"),
      <>
        {value(i.target_value)}
        <div className="muted">{t("indicators.plan_target_note")}</div>
      </>,
    ],
  ];

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label="breadcrumb">
        <Link to="/indicators">{t("indicators.back")}</Link>
      </nav>
      <div className="page-head">
        <h1>{localName(locale, i.name_zh, i.name_en)}</h1>
        {data.canEdit ? (
          <div className="actions">
            <Link to={`/indicators/${i.id}/edit`} className="button">
              {t("indicators.edit_link")}
            </Link>
          </div>
        ) : null}
      </div>
      {locale === "zh-CN" ? (
        <p className="title-en" lang="en">
          {i.name_en}
        </p>
      ) : null}
      <Notice messages={INDICATOR_NOTICES} />

      <section>
        <h2>{t("indicators.definition")}</h2>
        <dl className="details">
          {definition.map(([label, content]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{content}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section>
        <h2>{t("indicators.progress_by_period")}</h2>
        <p className="period-kinds">
          {t("indicators.field.period_kind")}{" "}
          {(["half", "quarter", "year"] as const).map((kind) =>
            kind === data.kind ? (
              <strong key={kind}>{t(`indicators.kind.${kind}`)}</strong>
            ) : (
              <Link key={kind} to={`?kind=${kind}`}>
                {t(`indicators.kind.${kind}`)}
              </Link>
            ),
          )}
        </p>
        {data.rows.length === 0 ? (
          <p className="empty">{t("indicators.no_periods")}</p>
        ) : (
          <TableWrap label={t("indicators.table_label")}>
            <table className="ledger indicator-table">
              <thead>
                <tr>
                  <th scope="col">{t("indicators.col.period")}</th>
                  <th scope="col" className="num">{t("indicators.col.period_target")}</th>
                  <th scope="col" className="num">{t("indicators.col.in_period")}</th>
                  <th scope="col" className="num">{t("indicators.col.to_date")}</th>
                  <th scope="col" className="num">{t("indicators.col.period_percent")}</th>
                  <th scope="col" className="num">{t("indicators.col.percent")}</th>
                  <th scope="col" className="num">{t("indicators.col.expected")}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map(({ period, started, progress: p }) => (
                  <tr key={period.code}>
                    <th scope="row">{periodName(period, locale)}</th>
                    <td className="num">{value(p.periodTarget)}</td>
                    {started ? (
                      <>
                        <td className="num">{value(p.actualInPeriod)}</td>
                        <td className="num">{value(p.actualToDate)}</td>
                        <td className="num">{percent(p.periodPercent)}</td>
                        <td
                          className={p.percent !== null && p.percent < p.expected * 100 ? "num indicator-behind" : "num"}
                        >
                          {percent(p.percent)}
                        </td>
                      </>
                    ) : (
                      <td className="muted" colSpan={4}>
                        {t("indicators.not_started")}
                      </td>
                    )}
                    <td className="num">{formatPercent(p.expected * 100, locale, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>

      {i.source === "entered" ? (
        <section>
          <h2>{t("indicators.values")}</h2>
          {!data.seesAll ? <p className="muted">{t("indicators.values_own_only")}</p> : null}
          {data.values.length === 0 ? (
            <p className="empty">{t("indicators.values_empty")}</p>
          ) : (
            <TableWrap label={t("indicators.values")}>
              <table className="ledger">
                <thead>
                  <tr>
                    <th scope="col">{t("indicators.col.period")}</th>
                    <th scope="col">{t("indicators.field.unit_org")}</th>
                    <th scope="col" className="num">{t("indicators.field.value")}</th>
                    <th scope="col">{t("indicators.field.source_note")}</th>
                    <th scope="col">{t("indicators.entered_by")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.values.map((row) => (
                    <tr key={row.id}>
                      <td>{periodName({ kind: row.period_kind, year: row.period_year, seq: row.period_seq }, locale)}</td>
                      <td>{localName(locale, row.organization_name_zh, row.organization_name_en)}</td>
                      <td className="num">{value(row.value)}</td>
                      <td className="prewrap">{row.source_note}</td>
                      <td>
                        {row.entered_by_name ?? t("indicators.none")}
                        <div className="muted">{formatDateTime(row.entered_at, locale)}</div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}

          {data.canEnter ? (
            <>
              <h2>{t("indicators.enter")}</h2>
              <p className="muted">{t("indicators.enter_hint")}</p>
              {actionData?.errors ? (
                <p className="form-error" role="alert">
                  {errors.form ? t(errors.form) : t("indicators.form_errors")}
                </p>
              ) : null}
              <Form method="post" className="form activity-form indicator-value-form" noValidate>
                <label>
                  {t("indicators.field.unit_org")} *
                  <select
                    name="organization_id"
                    defaultValue={entryValues.organization_id ?? String(data.entry.defaultUnit)}
                    {...aria("organization_id")}
                  >
                    {data.entry.units.map((u) => (
                      <option key={u.id} value={u.id}>
                        {"\u3000".repeat(Math.max(0, u.depth))}
                        {localName(locale, u.name_zh, u.name_en)}
                      </option>
                    ))}
                  </select>
                  <FieldError id={errId("organization_id")} error={errors.organization_id} />
                </label>
                <label>
                  {t("indicators.field.period")} *
                  <select
                    name="period"
                    defaultValue={entryValues.period ?? data.entry.periods[data.entry.periods.length - 1]?.code ?? ""}
                    {...aria("period")}
                  >
                    {data.entry.periods.map((p) => (
                      <option key={p.code} value={p.code}>
                        {periodName(p, locale)}
                      </option>
                    ))}
                  </select>
                  <FieldError id={errId("period")} error={errors.period} />
                </label>
                <label>
                  {t("indicators.field.value")} *
                  <input name="value" inputMode="decimal" defaultValue={entryValues.value ?? ""} {...aria("value")} />
                  <FieldError id={errId("value")} error={errors.value} />
                </label>
                <label className="wide">
                  {t("indicators.field.source_note")} *
                  <textarea
                    name="source_note"
                    rows={2}
                    maxLength={INDICATOR_LIMITS.sourceNote + 50}
                    placeholder={t("indicators.field.source_note_hint")}
                    defaultValue={entryValues.source_note ?? ""}
                    {...aria("source_note")}
                  />
                  <FieldError id={errId("source_note")} error={errors.source_note} />
                </label>
                <div className="form-actions wide">
                  <button type="submit" className="primary" disabled={busy}>
                    {t("indicators.enter_submit")}
                  </button>
                </div>
              </Form>
            </>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

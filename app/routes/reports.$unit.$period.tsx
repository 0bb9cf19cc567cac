import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ActivityTable } from "~/components/ActivityTable";
import { EvidenceFiles } from "~/components/EvidenceFiles";
import { Notice } from "~/components/Notice";
import { ReportHistory } from "~/components/ReportHistory";
import { localName } from "~/i18n";
import { formatDate, formatDateTime } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { listReportFiles } from "~/models/evidence-file.server";
import { listPlanItems } from "~/models/plan-item.server";
import { countryChoices } from "~/presenters/countries.server";
import { loadReportPage, requireReportContext } from "~/presenters/period-report.server";
import { repeatedFieldErrors } from "~/schemas/form";
import { COMMITMENT_OUTCOMES, parseReportForm, parseReviewForm } from "~/schemas/period-report";
import {
  type ReportAction,
  approveReport,
  reopenReport,
  returnReport,
  saveReport,
  submitReport,
} from "~/services/report-workflow.server";
import { type SessionUser, can, forbidden, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, "reports.title", data ? `${data.unit.name_zh} ${data.period.code}` : undefined);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = await loadReportPage(db, user, params.unit, params.period);
  const files = await listReportFiles(db, page.unit.id, page.period.id);
  return json({
    ...page,
    countryNames: countryChoices(await getLocale(request, user)).countryNames,
    files: files.map((f) => ({ id: f.id, name: f.name, content_type: f.content_type, size_bytes: f.size_bytes })),
  });
}

/** Whether the user's role and unit allow the action at all (the report's state is checked by the workflow). */
function mayAttempt(user: SessionUser, unitPath: string, intent: ReportAction): boolean {
  const unit = { organization_path: unitPath };
  if (intent === "save") return can(user, "report.save", unit);
  if (intent === "submit") return can(user, "report.submit", unit);
  return can(user, "report.review", unit);
}

const REPORT_NOTICES = {
  saved: "reports.saved",
  submitted: "reports.submitted",
  returned: "reports.returned",
  approved: "reports.approved",
  reopened: "reports.reopened",
  file_added: "evidence.added",
  file_deleted: "evidence.deleted",
} as const;

const NOTICE: Record<ReportAction, keyof typeof REPORT_NOTICES> = {
  save: "saved",
  submit: "submitted",
  return: "returned",
  approve: "approved",
  reopen: "reopened",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { unit, period } = await requireReportContext(db, params.unit, params.period);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "") as ReportAction;
  // own keys only: "intent=constructor" must not pass for a real action
  if (!Object.hasOwn(NOTICE, intent)) return json({ error: "reports.errors.bad_intent", errors: {} }, { status: 400 });
  if (!mayAttempt(user, unit.path, intent)) throw forbidden();
  // a crafted body with two intents, versions or narratives for one field: neither copy is taken
  const repeated = repeatedFieldErrors(form, ["item_ids", "commitment_ids"]);
  if (Object.keys(repeated).length) return json({ error: "activities.form_errors", errors: repeated }, { status: 400 });

  let result;
  if (intent === "save" || intent === "submit") {
    const parsed = parseReportForm(form);
    const loggable = new Set((await listPlanItems(db)).filter((p) => p.loggable === 1).map((p) => p.id));
    if (parsed.items.some((i) => !loggable.has(i.planItemId))) parsed.errors.extra_item = "errors.plan_item";
    if (Object.keys(parsed.errors).length) {
      return json({ error: "activities.form_errors", errors: parsed.errors }, { status: 400 });
    }
    result = await saveReport(db, user, unit, period, {
      version: Number(form.get("version")) || 0,
      items: parsed.items,
      commitments: parsed.commitments,
    });
    if (result.ok && intent === "submit") result = await submitReport(db, user, unit, period);
  } else if (intent === "return") {
    const parsed = parseReviewForm(form);
    if (Object.keys(parsed.errors).length) return json({ error: "activities.form_errors", errors: parsed.errors }, { status: 400 });
    result = await returnReport(db, user, unit, period, parsed);
  } else if (intent === "approve") {
    result = await approveReport(db, user, unit, period);
  } else {
    result = await reopenReport(db, user, unit, period, String(form.get("reopen_reason") ?? ""));
  }
  if (!result.ok) return json({ error: result.error, errors: {} }, { status: result.status });
  return redirect(`/reports/${unit.id}/${period.code}?notice=${NOTICE[intent]}`);
}

function Narrative({ label, name, value, editable, error }: { label: string; name: string; value: string; editable: boolean; error?: string }) {
  const { t } = useI18n();
  if (!editable) {
    return value ? (
      <div className="narrative">
        <h4>{label}</h4>
        <p className="prewrap">{value}</p>
      </div>
    ) : null;
  }
  return (
    <label className="narrative">
      {label}
      <textarea name={name} rows={3} defaultValue={value} aria-invalid={error ? true : undefined} />
      {error ? <span className="field-error" role="alert">{t(error)}</span> : null}
    </label>
  );
}

export default function ReportPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useI18n();
  const busy = useNavigation().state !== "idle";
  const { report, can, unit, period } = data;
  const status = report?.status ?? "none";
  const editable = can.save;
  const errors = (actionData?.errors ?? {}) as Record<string, string | undefined>;
  const unitName = localName(locale, unit.name_zh, unit.name_en);
  return (
    <div className="page report">
      <nav className="breadcrumb" aria-label="breadcrumb">
        <Link to="/reports">{t("reports.title")}</Link>
      </nav>
      <Notice messages={REPORT_NOTICES} />
      <div className="page-head">
        <h1>{t("reports.heading", { unit: unitName, period: periodName(period, locale) })}</h1>
        <div className="actions">
          <span className={`status report-${status}`}>{t(`reports.status.${status}`)}</span>
          {data.late ? <span className="status report-late">{t(status === "none" || status === "draft" ? "reports.late" : "reports.late_submitted")}</span> : null}
          <Link to={`/reports/${unit.id}/${period.code}/print`}>{t("drafts.print_link")}</Link>
          <Link to={`/drafts?unit=${unit.id}&period=${period.code}`}>{t("drafts.link_from_report")}</Link>
          <a href={`/exports/report.docx?unit=${unit.id}&period=${period.code}&lang=${locale === "en" ? "en" : "zh"}`} download>{t("drafts.docx.link_from_report")}</a>
        </div>
      </div>
      <p className="muted">
        {t("reports.due")}: {formatDate(period.due_date, locale)}
        {period.closed_at ? ` · ${t("reports.closed")}` : ""}
      </p>
      <p className="export-links">
        <a href={`/exports/ledger.xlsx?unit=${unit.id}&period=${period.code}`} download title={t("exports.link.ledger_hint")}>{t("exports.link.ledger")}</a>
      </p>
      {actionData?.error ? (
        <p className="form-error" role="alert" id="report-error">
          {t(actionData.error)}
        </p>
      ) : null}
      {status === "returned" ? (
        <div className="warning" role="status" id="returned-banner">
          <p>{t("reports.returned_banner", { reason: report?.returnReason ?? "" })}</p>
          {data.sections.some((s) => s.returnReason) ? <p>{t("reports.returned_items")}</p> : null}
        </div>
      ) : null}
      {status === "approved" && data.approvedAt ? (
        <p className="notice" id="approved-banner">{t("reports.approved_banner", { date: formatDateTime(data.approvedAt, locale) })}</p>
      ) : null}
      {status === "submitted" && report?.submittedAt ? (
        <p className="notice">{t("reports.submitted_banner", { date: formatDateTime(report.submittedAt, locale) })}</p>
      ) : null}

      <Form method="post" className="report-form">
        <input type="hidden" name="version" value={report?.version ?? 0} />
        {data.commitments.length ? (
          <section className="card">
            <h2>{t("reports.commitments")}</h2>
            <p className="muted">{t("reports.commitments_note")}</p>
            <table className="ledger">
              <tbody>
                {data.commitments.map((c) => (
                  <tr key={c.sourceItemId}>
                    <td className="title-cell">
                      <strong>{c.code}</strong> {localName(locale, c.title_zh, c.title_en)}
                      <p className="prewrap">{c.nextSteps}</p>
                    </td>
                    <td>
                      {editable ? (
                        <>
                          <input type="hidden" name="commitment_ids" value={c.sourceItemId} />
                          <select name={`outcome_${c.sourceItemId}`} defaultValue={c.outcome ?? ""} aria-label={t("reports.commitments")}>
                            <option value="">{t("reports.commitment.choose")}</option>
                            {COMMITMENT_OUTCOMES.map((o) => (
                              <option key={o} value={o}>
                                {t(`reports.commitment.${o}`)}
                              </option>
                            ))}
                          </select>
                          <input name={`note_${c.sourceItemId}`} defaultValue={c.note} placeholder={t("reports.commitment_note")} aria-label={t("reports.commitment_note")} />
                        </>
                      ) : (
                        <>
                          {c.outcome ? t(`reports.commitment.${c.outcome}`) : "—"} {c.note}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}

        <h2>
          {t("reports.narratives")} · {t("reports.activities", { count: data.activityCount })}
        </h2>
        <p className="muted">{t("reports.activities_note")}</p>
        {data.sections.length === 0 ? <p className="empty">{t("reports.no_activities")}</p> : null}
        {data.sections.map((s) => (
          <section key={s.code} className={`card report-item${s.returnReason ? " returned" : ""}`} data-code={s.code}>
            <h3>
              <Link to={`/plan/${s.code}`}>
                {s.code} {localName(locale, s.title_zh, s.title_en)}
              </Link>
            </h3>
            <input type="hidden" name="item_ids" value={s.planItemId} />
            {s.returnReason ? (
              <p className="form-error item-return" role="alert">
                {t("reports.item_return_reason")}：{s.returnReason}
              </p>
            ) : null}
            {s.activities.length ? <ActivityTable rows={s.activities} countryNames={data.countryNames} /> : null}
            <div className="narratives">
              <Narrative label={t("reports.progress")} name={`progress_${s.planItemId}`} value={s.progress} editable={editable} error={errors[`progress_${s.planItemId}`]} />
              <Narrative label={t("reports.problems")} name={`problems_${s.planItemId}`} value={s.problems} editable={editable} error={errors[`problems_${s.planItemId}`]} />
              <Narrative label={t("reports.next_steps")} name={`next_steps_${s.planItemId}`} value={s.nextSteps} editable={editable} error={errors[`next_steps_${s.planItemId}`]} />
              <Narrative label={t("reports.coordination")} name={`coordination_${s.planItemId}`} value={s.coordination} editable={editable} error={errors[`coordination_${s.planItemId}`]} />
            </div>
            {can.return ? (
              <label className="narrative">
                {t("reports.item_return_reason")}
                <textarea name={`return_${s.planItemId}`} rows={2} />
              </label>
            ) : null}
          </section>
        ))}

        {editable ? (
          <section className="card">
            <h3>{t("reports.add_item")}</h3>
            <label>
              <span className="muted">{t("reports.add_item_hint")}</span>
              <select name="extra_item" defaultValue="">
                <option value="">—</option>
                {data.addable.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.code} {localName(locale, p.title_zh, p.title_en)}
                  </option>
                ))}
              </select>
              {errors.extra_item ? <span className="field-error">{t(errors.extra_item)}</span> : null}
            </label>
            <div className="narratives">
              <Narrative label={t("reports.progress")} name="progress_extra" value="" editable />
              <Narrative label={t("reports.problems")} name="problems_extra" value="" editable />
              <Narrative label={t("reports.next_steps")} name="next_steps_extra" value="" editable />
              <Narrative label={t("reports.coordination")} name="coordination_extra" value="" editable />
            </div>
          </section>
        ) : null}

        <div className="form-actions report-actions">
          {can.save ? (
            <button type="submit" name="intent" value="save" disabled={busy}>
              {t("reports.save")}
            </button>
          ) : null}
          {can.submit ? (
            <button type="submit" name="intent" value="submit" className="primary" disabled={busy}>
              {t("reports.submit")}
            </button>
          ) : null}
          {can.return ? (
            <div className="review">
              <label className="narrative">
                {t("reports.return_reason")}
                <textarea name="reason" rows={2} aria-invalid={errors.reason ? true : undefined} />
              </label>
              <button type="submit" name="intent" value="return" className="danger" disabled={busy}>
                {t("reports.return")}
              </button>
              <button type="submit" name="intent" value="approve" className="primary" disabled={busy}>
                {t("reports.approve")}
              </button>
            </div>
          ) : null}
          {can.reopen ? (
            <div className="review">
              <label className="narrative">
                {t("reports.reopen_reason")}
                <textarea name="reopen_reason" rows={2} />
              </label>
              <button type="submit" name="intent" value="reopen" className="danger" disabled={busy}>
                {t("reports.reopen")}
              </button>
            </div>
          ) : null}
        </div>
      </Form>

      <section className="card" id="evidence">
        <h2>{t("evidence.report_files")}</h2>
        <EvidenceFiles
          files={data.files}
          uploadAction={can.save ? `/files?unit=${unit.id}&period=${period.code}` : null}
          mayChange={can.save}
          note={status === "approved" ? "evidence.frozen_note" : null}
        />
      </section>

      <h2>{t("reports.history")}</h2>
      <ReportHistory entries={data.history} />
    </div>
  );
}

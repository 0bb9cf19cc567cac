import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { ReportComparison } from "~/components/ReportComparison";
import { useUnsavedWarning } from "~/components/unsaved-warning";
import { ActivityTable } from "~/components/ActivityTable";
import { EvidenceFiles } from "~/components/EvidenceFiles";
import { Notice } from "~/components/Notice";
import { ReportHistory } from "~/components/ReportHistory";
import { localName } from "~/i18n";
import { formatDate, formatDateTime, joinList } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { listReportFiles } from "~/models/evidence-file.server";
import { listPlanItems } from "~/models/plan-item.server";
import { countryChoices } from "~/presenters/countries.server";
import { loadReportPage, requireReportContext } from "~/presenters/period-report.server";
import { getReportFor } from "~/models/period-report.server";
import { repeatedFieldErrors } from "~/schemas/form";
import { COMMITMENT_OUTCOMES, parseReportForm, parseReviewForm } from "~/schemas/period-report";
import {
  type ConfirmKind,
  type ReportAction,
  type WorkflowResult,
  approveReport,
  handoverReport,
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
  pageTitle(matches, "reports.title", data ? { zh: data.unit.name_zh, en: data.unit.name_en, after: data.period.code } : undefined);

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
  if (intent === "handover") return can(user, "report.handover", unit);
  if (intent === "submit") return can(user, "report.submit", unit);
  return can(user, "report.review", unit);
}

const REPORT_NOTICES = {
  saved: "reports.saved",
  handed_over: "reports.handed_over",
  submitted: "reports.submitted",
  returned: "reports.returned",
  approved: "reports.approved",
  reopened: "reports.reopened",
  file_added: "evidence.added",
  file_deleted: "evidence.deleted",
} as const;

const NOTICE: Record<ReportAction, keyof typeof REPORT_NOTICES> = {
  save: "saved",
  handover: "handed_over",
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

  // sign-off, approval and return run only when the person confirmed them (confirm=yes, posted by the page's
  // confirmation panel); a first press answers with that panel, having saved what the form carried
  const confirmation = { confirmed: form.get("confirm") === "yes", early: form.get("confirm_early") === "yes" };
  let result: WorkflowResult;
  if (intent === "save" || intent === "submit" || intent === "handover") {
    const parsed = parseReportForm(form);
    const loggable = new Set((await listPlanItems(db)).filter((p) => p.loggable === 1).map((p) => p.id));
    if (parsed.items.some((i) => !loggable.has(i.planItemId))) parsed.errors.extra_item = "errors.plan_item";
    if (Object.keys(parsed.errors).length) {
      return json({ error: "activities.form_errors", errors: parsed.errors }, { status: 400 });
    }
    const version = Number(form.get("version")) || 0;
    if (intent === "save" || parsed.items.length || parsed.commitments.length) {
      result = await saveReport(db, user, unit, period, { version, items: parsed.items, commitments: parsed.commitments });
    } else {
      // the confirmation panel carries no narratives: it confirms the version the leader was shown
      const report = await getReportFor(db, unit.id, period.id);
      result = (report?.version ?? 0) === version ? { ok: true, reportId: report?.id ?? 0 } : { ok: false, status: 409, error: "reports.errors.stale" };
    }
    if (result.ok && intent === "handover") result = await handoverReport(db, user, unit, period);
    if (result.ok && intent === "submit") result = await submitReport(db, user, unit, period, confirmation);
  } else if (intent === "return") {
    const parsed = parseReviewForm(form);
    if (Object.keys(parsed.errors).length) return json({ error: "activities.form_errors", errors: parsed.errors }, { status: 400 });
    result = await returnReport(db, user, unit, period, parsed, confirmation);
  } else if (intent === "approve") {
    result = await approveReport(db, user, unit, period, confirmation);
  } else {
    result = await reopenReport(db, user, unit, period, String(form.get("reopen_reason") ?? ""));
  }
  if (!result.ok) {
    const errors: Record<string, string> = {};
    if (result.missing?.length) {
      const byCode = new Map((await listPlanItems(db)).map((p) => [p.code, p.id]));
      for (const code of result.missing) errors[`progress_${byCode.get(code)}`] = "reports.errors.progress_required";
    }
    const confirm = result.confirm ? await confirmationOf(result.confirm, form, unit.id, period.id) : null;
    // a question is not an error: the page answers 200 with the confirmation panel, having done nothing
    return json({ error: result.error, errors, missing: result.missing ?? [], confirm }, { status: confirm ? 200 : result.status });
  }
  return redirect(`/reports/${unit.id}/${period.code}?notice=${NOTICE[intent]}`);
}

/** What the confirmation panel posts again: the step, the report's version and, for a return, the reasons. */
async function confirmationOf(ask: { kind: ConfirmKind; early: boolean }, form: FormData, unitId: number, periodId: number) {
  const report = await getReportFor(db, unitId, periodId);
  const fields: [string, string][] = [];
  if (ask.kind === "return") {
    for (const [name, value] of form.entries()) {
      if (typeof value === "string" && (name === "reason" || name === "item_ids" || /^return_\d+$/.test(name))) fields.push([name, value]);
    }
  }
  return { ...ask, version: report?.version ?? 0, fields };
}

const CONFIRM_TEXT: Record<ConfirmKind, { question: "reports.confirm.submit" | "reports.confirm.approve" | "reports.confirm.return"; button: "reports.confirm.submit_button" | "reports.confirm.approve_button" | "reports.confirm.return_button" }> = {
  submit: { question: "reports.confirm.submit", button: "reports.confirm.submit_button" },
  approve: { question: "reports.confirm.approve", button: "reports.confirm.approve_button" },
  return: { question: "reports.confirm.return", button: "reports.confirm.return_button" },
};

/** The second step of a sign-off, approval or return: says what will happen and posts again with confirm=yes. */
type ConfirmData = { kind: ConfirmKind; early: boolean; version: number; fields: [string, string][] };

function ConfirmPanel({ confirm, cancelTo }: { confirm: ConfirmData; cancelTo: string }) {
  const { t } = useI18n();
  const text = CONFIRM_TEXT[confirm.kind];
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: "center" });
    ref.current?.querySelector<HTMLElement>("input[type=checkbox], button")?.focus({ preventScroll: true });
  }, []);
  const reasons = confirm.fields.filter(([name, value]) => name !== "item_ids" && value.trim() !== "");
  return (
    <Form method="post" ref={ref} className="card confirm-panel" id="confirm-panel" role="alertdialog" aria-labelledby="confirm-title">
      <h2 id="confirm-title">{t(text.question)}</h2>
      {reasons.length ? (
        <ul>
          {reasons.map(([name, value]) => (
            <li key={name} className="prewrap">{value}</li>
          ))}
        </ul>
      ) : null}
      <input type="hidden" name="version" value={confirm.version} />
      <input type="hidden" name="confirm" value="yes" />
      {confirm.fields.map(([name, value], i) => (
        <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
      ))}
      {confirm.early ? (
        <label className="confirm-early">
          <input type="checkbox" name="confirm_early" value="yes" required /> {t("reports.confirm.early")}
        </label>
      ) : null}
      <div className="form-actions">
        <button type="submit" name="intent" value={confirm.kind} className={confirm.kind === "return" ? "danger" : "primary"}>
          {t(text.button)}
        </button>
        <Link to={cancelTo} className="button">{t("reports.confirm.cancel")}</Link>
      </div>
    </Form>
  );
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
  const formRef = useRef<HTMLFormElement>(null);
  useUnsavedWarning(formRef, t("reports.unsaved"));
  const refused = actionData as { confirm?: ConfirmData | null; missing?: string[] } | undefined;
  const confirm = refused?.confirm ?? null;
  const missing = refused?.missing ?? [];
  const here = `/reports/${unit.id}/${period.code}`;
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
          {missing?.length ? ` ${joinList(missing, locale)}` : null}
          {confirm ? (
            <>
              {" "}
              <a href="#confirm-panel">{t("reports.confirm.go")}</a>
            </>
          ) : null}
        </p>
      ) : null}
      {data.readyAt && status === "returned" ? (
        <p className="notice" id="fixed-banner">{t("reports.fixed_banner", { date: formatDateTime(data.readyAt, locale) })}</p>
      ) : data.readyAt ? (
        <p className="notice" id="ready-banner">{t("reports.ready_banner", { date: formatDateTime(data.readyAt, locale) })}</p>
      ) : null}
      {status === "returned" && !data.readyAt ? (
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

      {data.comparison ? <ReportComparison comparison={data.comparison} /> : null}

      <Form method="post" className="report-form" ref={formRef}>
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
                {t("label.colon", { label: t("reports.item_return_reason") })}
                {s.returnReason}
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
          {can.handover ? (
            <button type="submit" name="intent" value="handover" className="primary" disabled={busy}>
              {t(data.readyAt ? "reports.handover_again" : "reports.handover")}
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
      {confirm ? <ConfirmPanel key={`${confirm.kind}-${confirm.version}`} confirm={confirm} cancelTo={here} /> : null}

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

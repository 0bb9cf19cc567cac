import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { formatDate, formatDateRange } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import {
  generatePeriods,
  getPeriod,
  listPeriods,
  setPeriodClosed,
  setPeriodDueDate,
} from "~/models/reporting-period.server";
import { isoDateOk } from "~/schemas/activity";
import { repeatedFieldErrors } from "~/schemas/form";
import { PERIOD_KINDS, narrativeText } from "~/schemas/period-report";
import { notFound, requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "periods.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "period.manage");
  return json({ periods: await listPeriods(db) });
}

/** Digits only: "0x10", "1e1", "-3" or " " are no number of years or days (z.coerce would take the first two). */
const wholeNumber = (message: string) =>
  z.string({ required_error: message, invalid_type_error: message }).trim().regex(/^\d{1,6}$/, message).transform(Number);

const generateSchema = z.object({
    kind: z.enum(["quarter", "half", "year"], { errorMap: () => ({ message: "errors.choose" }) }),
    from_year: wholeNumber("periods.errors.years").pipe(z.number().min(2023, "periods.errors.years").max(2030, "periods.errors.years")),
    to_year: wholeNumber("periods.errors.years").pipe(z.number().min(2023, "periods.errors.years").max(2030, "periods.errors.years")),
  due_days: wholeNumber("periods.errors.due_days").pipe(z.number().max(120, "periods.errors.due_days")),
});

const reasonSchema = narrativeText.pipe(z.string().min(1, "periods.errors.reason"));

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "period.manage");
  const formData = await request.formData();
  const repeated = repeatedFieldErrors(formData);
  if (Object.keys(repeated).length) return json({ errors: repeated, periodId: null }, { status: 400 });
  const form = Object.fromEntries(formData) as Record<string, string>;
  const intent = form.intent;
  if (intent === "generate") {
    const parsed = generateSchema.safeParse(form);
    const errors: Record<string, string> = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    // checked beside the schema, so it shows in the same round as the other fields' problems
    if (Number(form.from_year) > Number(form.to_year)) errors.to_year ??= "periods.errors.years";
    if (!parsed.success || Object.keys(errors).length) return json({ errors, periodId: null }, { status: 400 });
    const created = await generatePeriods(
      db,
      { kind: parsed.data.kind, fromYear: parsed.data.from_year, toYear: parsed.data.to_year, dueDays: parsed.data.due_days },
      user.id,
    );
    return redirect(`/admin/periods?created=${created.length}`);
  }
  const period = /^[1-9]\d{0,9}$/.test(form.period_id ?? "") ? await getPeriod(db, Number(form.period_id)) : undefined;
  if (!period) throw notFound();
  if (intent === "close" || intent === "reopen") {
    const reason = reasonSchema.safeParse(form.reason ?? "");
    if (!reason.success) return json({ errors: { reason: reason.error.issues[0]!.message }, periodId: period.id }, { status: 400 });
    await setPeriodClosed(db, period.id, intent === "close", reason.data, user.id);
    return redirect("/admin/periods?saved=1");
  }
  if (intent === "due") {
    const due = (form.due_date ?? "").trim();
    if (!isoDateOk(due) || due < period.end_date) return json({ errors: { due_date: "periods.errors.due_date" }, periodId: period.id }, { status: 400 });
    await setPeriodDueDate(db, period.id, due, user.id);
    return redirect("/admin/periods?saved=1");
  }
  return json({ errors: { intent: "reports.errors.bad_intent" }, periodId: null }, { status: 400 });
}

export default function PeriodsPage() {
  const { periods } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t, locale } = useI18n();
  const errors = (actionData?.errors ?? {}) as Record<string, string | undefined>;
  const err = (field: string, periodId: number | null = null) =>
    errors[field] && (actionData?.periodId ?? null) === periodId ? (
      <span className="field-error" role="alert">
        {t(errors[field]!)}
      </span>
    ) : null;
  return (
    <div className="page">
      <h1>{t("periods.title")}</h1>
      {params.get("created") ? <p className="notice">{t("periods.generated", { count: params.get("created")! })}</p> : null}
      {params.get("saved") ? <p className="notice">{t("periods.saved")}</p> : null}
      <Form method="post" className="filters">
        <input type="hidden" name="intent" value="generate" />
        <label>
          {t("periods.kind")}
          <select name="kind" defaultValue="half">
            {PERIOD_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`periods.kind.${k}`)}
              </option>
            ))}
          </select>
          {err("kind")}
        </label>
        <label>
          {t("periods.from_year")}
          <input name="from_year" defaultValue="2024" inputMode="numeric" />
          {err("from_year")}
        </label>
        <label>
          {t("periods.to_year")}
          <input name="to_year" defaultValue="2027" inputMode="numeric" />
          {err("to_year")}
        </label>
        <label>
          {t("periods.due_days")}
          <input name="due_days" defaultValue="15" inputMode="numeric" />
          {err("due_days")}
        </label>
        <div className="filter-actions">
          <button type="submit" className="primary">
            {t("periods.generate")}
          </button>
        </div>
      </Form>
      <div className="table-wrap">
        <table className="ledger">
          <thead>
            <tr>
              <th scope="col">{t("periods.name")}</th>
              <th scope="col">{t("periods.dates")}</th>
              <th scope="col">{t("periods.due")}</th>
              <th scope="col">{t("periods.state")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {periods.map((p) => (
              <tr key={p.id} data-period={p.code}>
                <td>{periodName(p, locale)}</td>
                <td>{formatDateRange(p.start_date, p.end_date, locale)}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="due" />
                    <input type="hidden" name="period_id" value={p.id} />
                    <input type="date" name="due_date" defaultValue={p.due_date} aria-label={`${t("periods.set_due")} ${p.code}`} />
                    <button type="submit" className="small">
                      {t("periods.set_due")}
                    </button>
                    {err("due_date", p.id)}
                  </Form>
                  <span className="muted">{formatDate(p.due_date, locale)}</span>
                </td>
                <td>{p.closed_at ? t("periods.closed") : t("periods.open")}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value={p.closed_at ? "reopen" : "close"} />
                    <input type="hidden" name="period_id" value={p.id} />
                    <input name="reason" placeholder={t("periods.reason")} aria-label={`${t("periods.reason")} ${p.code}`} />
                    <button type="submit" className="small">
                      {p.closed_at ? t("periods.reopen") : t("periods.close")}
                    </button>
                    {err("reason", p.id)}
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

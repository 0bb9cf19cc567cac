import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { type MessageKey, localName } from "~/i18n";
import { formatDate, formatDateTime, formatNumber, joinList } from "~/i18n/format";
import { periodName } from "~/i18n/periods";
import { listLatePeriods } from "~/models/period-report.server";
import { getPeriodByCode } from "~/models/reporting-period.server";
import { todayInChina } from "~/presenters/monitoring.server";
import { type InboxItem, type InboxKind, inboxFor } from "~/services/inbox.server";
import { remindLateUnits } from "~/services/reminders.server";
import { can, requirePermission, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";

type Audience = "unit" | "reviewer" | "viewer";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "inbox.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const locale = await getLocale(request, user);
  const today = todayInChina();
  const items = await inboxFor(db, user, today, locale);
  const audience: Audience = can(user, "report.own_units") ? "unit" : can(user, "report.review") ? "reviewer" : "viewer";
  const latePeriods = can(user, "report.remind") ? await listLatePeriods(db, today) : [];
  return json({ today, audience, items, latePeriods });
}

/** 催报: the reviewer reminds every unit late for one period; each gets a notice in its inbox. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "report.remind");
  const form = await request.formData();
  if (form.get("intent") !== "remind" || form.getAll("period").length !== 1) {
    return json({ error: "reports.errors.bad_intent", errors: {} }, { status: 400 });
  }
  const code = String(form.get("period"));
  const period = /^[\dA-Z-]{4,10}$/.test(code) ? await getPeriodByCode(db, code) : undefined;
  if (!period) return json({ error: "inbox.remind.bad_period", errors: { period: "inbox.remind.bad_period" } }, { status: 404 });
  const result = await remindLateUnits(db, user, period, todayInChina());
  if (!result.ok) return json({ error: result.error, errors: { period: result.error } }, { status: result.status });
  return redirect(`/inbox?notice=reminded&units=${result.units}&period=${encodeURIComponent(period.code)}`);
}

const KIND_HEADINGS: Record<InboxKind, MessageKey> = {
  returned: "inbox.kind.returned",
  to_submit: "inbox.kind.to_submit",
  overdue: "inbox.kind.overdue",
  deadline: "inbox.kind.deadline",
  approved: "inbox.kind.approved",
  to_review: "inbox.kind.to_review",
  late_units: "inbox.kind.late_units",
};

const INTROS: Record<Audience, MessageKey> = {
  unit: "inbox.intro.unit",
  reviewer: "inbox.intro.reviewer",
  viewer: "inbox.intro.viewer",
};

function ItemRow({ item }: { item: InboxItem }) {
  const { t, locale } = useI18n();
  return (
    <li className={`inbox-item inbox-${item.kind}${item.step !== null ? ` inbox-step-${item.step}` : ""}`}>
      <time dateTime={item.date} className="inbox-date">
        {formatDate(item.date, locale)}
      </time>
      <span className="inbox-message">
        {item.step !== null ? (
          <span className="mon-flag mon-flag-warn">{item.step === 0 ? t("inbox.step_today") : t("inbox.step", { days: item.step })}</span>
        ) : null}{" "}
        {item.message}
      </span>
      <Link to={item.link} className="inbox-link">
        {item.kind === "late_units" || item.kind === "approved" ? t("inbox.view") : t("inbox.open")}
      </Link>
    </li>
  );
}

/** A unit's overdue reports: one line (the latest, how many, the latest reminder) that opens to every period. */
function OverdueGroup({ items }: { items: InboxItem[] }) {
  const { t, locale } = useI18n();
  const latest = items[0]!;
  const reminded = items.map((i) => i.remindedOn).filter((d): d is string => d !== null).sort().at(-1);
  return (
    <li className="inbox-item inbox-overdue inbox-unit-group" data-unit={latest.unitId ?? undefined}>
      <details>
        <summary>
          <span className="inbox-message">
            <strong>{latest.unitName}</strong>{" "}
            {t(items.length === 1 ? "inbox.group.overdue_one" : "inbox.group.overdue", {
              count: formatNumber(items.length, locale),
              period: latest.periodName ?? "",
              due: formatDate(latest.date, locale),
              days: formatNumber(Math.abs(latest.daysLeft ?? 0), locale),
            })}
            {reminded ? <span className="mon-flag mon-flag-warn inbox-reminded">{t("inbox.group.reminded", { date: formatDate(reminded, locale) })}</span> : null}
          </span>
        </summary>
        <ul className="inbox-list inbox-sublist">
          {items.map((item) => (
            <ItemRow key={item.key} item={item} />
          ))}
        </ul>
      </details>
    </li>
  );
}

export default function InboxPage() {
  const { items, audience, latePeriods } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useI18n();
  const [params] = useSearchParams();
  const reminded = params.get("notice") === "reminded" && /^\d{1,6}$/.test(params.get("units") ?? "") ? Number(params.get("units")) : 0;
  // the items come sorted by kind (see inboxFor); a group per kind, in that order
  const groups: { kind: InboxKind; items: typeof items }[] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last?.kind === item.kind) last.items.push(item);
    else groups.push({ kind: item.kind, items: [item] });
  }
  /** overdue items per unit, in the order of each unit's newest overdue report */
  const perUnit = (list: typeof items) => {
    const byUnit = new Map<number | null, typeof items>();
    for (const item of list) byUnit.set(item.unitId, [...(byUnit.get(item.unitId) ?? []), item]);
    return [...byUnit.values()];
  };
  return (
    <div className="page narrow">
      <h1>{t("inbox.title")}</h1>
      {reminded ? (
        <p className="notice" role="status" id="reminded-notice">
          {t("inbox.remind.done", { count: formatNumber(reminded, locale) })}
        </p>
      ) : null}
      <p className="muted">{t(INTROS[audience as Audience])}</p>
      {actionData?.error ? (
        <p className="form-error" role="alert">
          {t(actionData.error as MessageKey)}
        </p>
      ) : null}
      {groups.length === 0 && latePeriods.length === 0 ? <p className="empty">{t("inbox.empty")}</p> : null}
      {groups.map((group) => (
        <section key={group.kind} aria-labelledby={`inbox-${group.kind}`} className="inbox-group" id={`inbox-group-${group.kind}`}>
          <h2 id={`inbox-${group.kind}`}>
            {t(KIND_HEADINGS[group.kind])}{" "}
            <span className="count muted">({group.kind === "overdue" ? t("inbox.group.units", { count: perUnit(group.items).length }) : group.items.length})</span>
          </h2>
          <ul className="inbox-list">
            {group.kind === "overdue"
              ? perUnit(group.items).map((unitItems) => <OverdueGroup key={unitItems[0]!.key} items={unitItems} />)
              : group.items.map((item) => <ItemRow key={item.key} item={item} />)}
          </ul>
        </section>
      ))}
      {latePeriods.length ? (
        <section aria-labelledby="inbox-remind" className="inbox-group" id="inbox-remind-section">
          <h2 id="inbox-remind">{t("inbox.remind.title")}</h2>
          <p className="muted">{t("inbox.remind.intro")}</p>
          <ul className="inbox-list">
            {latePeriods.map((p) => {
              const names = p.units.slice(0, 6).map((u) => localName(locale, u.name_zh, u.name_en));
              return (
                <li key={p.id} className="inbox-item inbox-remind" data-period={p.code}>
                  <time dateTime={p.due_date} className="inbox-date">
                    {formatDate(p.due_date, locale)}
                  </time>
                  <span className="inbox-message">
                    {t("inbox.remind.line", {
                      period: periodName(p, locale),
                      due: formatDate(p.due_date, locale),
                      count: formatNumber(p.units.length, locale),
                      units: joinList(names, locale) + (p.units.length > names.length ? t("inbox.and_more") : ""),
                    })}
                    {p.lastRemindedAt ? <span className="muted"> {t("inbox.remind.last", { date: formatDateTime(p.lastRemindedAt, locale) })}</span> : null}
                  </span>
                  <Form method="post" className="inbox-remind-form">
                    <input type="hidden" name="intent" value="remind" />
                    <input type="hidden" name="period" value={p.code} />
                    <button type="submit">{t("inbox.remind.button", { count: formatNumber(p.units.length, locale) })}</button>
                  </Form>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { MessageKey } from "~/i18n";
import { formatDate } from "~/i18n/format";
import { todayInChina } from "~/presenters/monitoring.server";
import { type InboxKind, inboxFor } from "~/services/inbox.server";
import { can, requireUser } from "~/utils/auth.server";
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
  return json({ today, audience, items });
}

const KIND_HEADINGS: Record<InboxKind, MessageKey> = {
  returned: "inbox.kind.returned",
  to_submit: "inbox.kind.to_submit",
  overdue: "inbox.kind.overdue",
  deadline: "inbox.kind.deadline",
  to_review: "inbox.kind.to_review",
  late_units: "inbox.kind.late_units",
};

const INTROS: Record<Audience, MessageKey> = {
  unit: "inbox.intro.unit",
  reviewer: "inbox.intro.reviewer",
  viewer: "inbox.intro.viewer",
};

export default function InboxPage() {
  const { items, audience } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  // the items come sorted by kind (see inboxFor); a group per kind, in that order
  const groups: { kind: InboxKind; items: typeof items }[] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last?.kind === item.kind) last.items.push(item);
    else groups.push({ kind: item.kind, items: [item] });
  }
  return (
    <div className="page narrow">
      <h1>{t("inbox.title")}</h1>
      <p className="muted">{t(INTROS[audience as Audience])}</p>
      {groups.length === 0 ? <p className="empty">{t("inbox.empty")}</p> : null}
      {groups.map((group) => (
        <section key={group.kind} aria-labelledby={`inbox-${group.kind}`} className="inbox-group">
          <h2 id={`inbox-${group.kind}`}>
            {t(KIND_HEADINGS[group.kind])} <span className="count muted">({group.items.length})</span>
          </h2>
          <ul className="inbox-list">
            {group.items.map((item) => (
              <li key={item.key} className={`inbox-item inbox-${item.kind}${item.step !== null ? ` inbox-step-${item.step}` : ""}`}>
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
                  {item.kind === "late_units" ? t("inbox.view") : t("inbox.open")}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

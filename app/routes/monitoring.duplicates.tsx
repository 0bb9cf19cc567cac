import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MonitoringNav } from "~/components/MonitoringNav";
import { Notice } from "~/components/Notice";
import { Pagination } from "~/components/Pagination";
import { DUPLICATE_RULE_KEY } from "~/domain/duplicates";
import { type MessageKey, localName } from "~/i18n";
import { formatDateRange, formatNumber } from "~/i18n/format";
import { type DuplicateActivity, dismissDuplicate, loadDuplicatesPage, mergeDuplicate } from "~/services/duplicates.server";
import { badRequest, requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "duplicates.title");

const NOTICES: Record<string, MessageKey> = { dismissed: "duplicates.dismissed" };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "duplicates.resolve");
  const page = Number(new URL(request.url).searchParams.get("page") ?? "1");
  return json(await loadDuplicatesPage(db, Number.isInteger(page) ? page : 1));
}

const id = (value: FormDataEntryValue | null) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : null;
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "duplicates.resolve");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "merge") {
    const keep = id(form.get("keep"));
    const duplicate = id(form.get("duplicate"));
    if (!keep || !duplicate) throw badRequest();
    const result = await mergeDuplicate(db, keep, duplicate, user);
    if (result.status === "ok") return redirect(`/activities/${keep}?notice=merged`);
    if (result.status === "frozen") {
      const params = { period: result.report.period_code, unit: result.report.organization_name_zh };
      return json({ error: "duplicates.frozen" as MessageKey, params }, { status: 409 });
    }
    return json({ error: "duplicates.not_a_pair" as MessageKey, params: {} }, { status: 409 });
  }
  if (intent === "dismiss") {
    const a = id(form.get("a"));
    const b = id(form.get("b"));
    if (!a || !b) throw badRequest();
    if (await dismissDuplicate(db, a, b, user)) return redirect("/monitoring/duplicates?notice=dismissed");
    return json({ error: "duplicates.not_a_pair" as MessageKey, params: {} }, { status: 409 });
  }
  throw badRequest();
}

export default function DuplicatesPage() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t, locale } = useI18n();
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t("duplicates.title")}</h1>
        <MonitoringNav />
      </div>
      <Notice messages={NOTICES} />
      {answer && "error" in answer ? (
        <p className="form-error" role="alert">
          {t(answer.error, answer.params)}
        </p>
      ) : null}
      <p className="muted">{t(DUPLICATE_RULE_KEY)}</p>
      <p className="total" aria-live="polite">
        {t("duplicates.total", { count: formatNumber(data.total, locale) })}
      </p>
      {data.pairs.length === 0 ? <p className="empty">{t("duplicates.none")}</p> : null}
      <ol className="dup-pairs">
        {data.pairs.map(({ a, b }) => (
          <li key={`${a.id}-${b.id}`} className="dup-pair">
            <div className="dup-sides">
              <Side activity={a} />
              <Side activity={b} />
            </div>
            <PairActions a={a} b={b} />
          </li>
        ))}
      </ol>
      <Pagination page={data.page} pageSize={data.pageSize} total={data.total} />
    </div>
  );
}

function Side({ activity: a }: { activity: DuplicateActivity }) {
  const { t, locale } = useI18n();
  return (
    <article className="dup-side" aria-label={localName(locale, a.organization_name_zh, a.organization_name_en)}>
      <h2>
        <Link to={`/activities/${a.id}`}>{a.title}</Link>
      </h2>
      <dl className="details compact">
        <div>
          <dt>{t("activity.organization")}</dt>
          <dd>{localName(locale, a.organization_name_zh, a.organization_name_en)}</dd>
        </div>
        <div>
          <dt>{t("activity.dates")}</dt>
          <dd>{formatDateRange(a.start_date, a.end_date, locale)}</dd>
        </div>
        <div>
          <dt>{t("activity.type")}</dt>
          <dd>{t(`activity.type.${a.type}`)}</dd>
        </div>
        <div>
          <dt>{t("activity.counterpart_body")}</dt>
          <dd>{a.counterpart_body}</dd>
        </div>
        <div>
          <dt>{t("activity.delegations_count")}/{t("activity.participants_count")}</dt>
          <dd>
            {a.delegations_count !== null ? t("activity.batches", { count: formatNumber(a.delegations_count, locale) }) : t("activity.none")}
            {" · "}
            {a.participants_count !== null ? t("activity.people", { count: formatNumber(a.participants_count, locale) }) : t("activity.none")}
          </dd>
        </div>
      </dl>
    </article>
  );
}

function PairActions({ a, b }: { a: DuplicateActivity; b: DuplicateActivity }) {
  const { t, locale } = useI18n();
  const busy = useNavigation().state === "submitting";
  const unit = (x: DuplicateActivity) => localName(locale, x.organization_name_zh, x.organization_name_en);
  const merge = (keep: DuplicateActivity, duplicate: DuplicateActivity) => (
    <Form
      method="post"
      onSubmit={(e) => {
        if (!confirm(t("duplicates.merge_confirm", { keep: unit(keep), other: unit(duplicate) }))) e.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value="merge" />
      <input type="hidden" name="keep" value={keep.id} />
      <input type="hidden" name="duplicate" value={duplicate.id} />
      <button type="submit" className="primary" disabled={busy}>
        {t("duplicates.merge_keep", { unit: unit(keep) })}
      </button>
    </Form>
  );
  return (
    <div className="dup-actions">
      {merge(a, b)}
      {merge(b, a)}
      <Form method="post">
        <input type="hidden" name="intent" value="dismiss" />
        <input type="hidden" name="a" value={a.id} />
        <input type="hidden" name="b" value={b.id} />
        <button type="submit" disabled={busy}>
          {t("duplicates.dismiss")}
        </button>
      </Form>
    </div>
  );
}

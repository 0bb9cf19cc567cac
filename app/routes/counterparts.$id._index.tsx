import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { ActivityTimeline } from "~/components/ActivityTimeline";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FieldError } from "~/components/FieldError";
import { Notice } from "~/components/Notice";
import { TIMELINE_CATEGORIES } from "~/domain/counterparts";
import type { MessageKey } from "~/i18n";
import { formatDate, formatDateTime, formatNumber, joinList } from "~/i18n/format";
import { getCounterpart, mergeCounterparts } from "~/models/counterpart.server";
import { loadCounterpartPage } from "~/presenters/counterpart-page.server";
import { mergeSchema } from "~/schemas/counterpart";
import { fieldErrors } from "~/schemas/activity";
import { notFound, requirePermission, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";
import { requireId } from "~/utils/params.server";
import { SisterCitiesOfBody } from "~/components/SisterCitiesOfBody";
import { relationshipsOfBody } from "~/presenters/sister-city-register.server";
import { todayInChina } from "~/utils/china-time";
import { canManageSisterCity } from "~/utils/permissions";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "counterparts.title", data?.body.fullName);

const NOTICES: Record<string, MessageKey> = {
  merged: "counterparts.notice.merged",
  saved: "counterparts.notice.saved",
  redirected: "counterparts.notice.redirected",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = requireId(params.id);
  const locale = await getLocale(request, user);
  const page = await loadCounterpartPage(db, id, user, locale);
  if (page.kind === "not_found") throw notFound();
  // an entry merged into another answers with that one
  if (page.kind === "merged") throw redirect(`/counterparts/${page.into}?notice=redirected`);
  const { kind: _, ...data } = page;
  // its sister-city relationships with our units (docs/decisions/015-sister-city-register.md)
  const sisterCities = await relationshipsOfBody(db, id, locale, todayInChina());
  return json({ ...data, sisterCities, canAddSisterCity: canManageSisterCity(user) });
}

/** Merges another entry (the duplicate) into this one. Reviewers and administrators only. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "counterpart.merge");
  const id = requireId(params.id);
  const kept = await getCounterpart(db, id);
  if (!kept || kept.merged_into !== null) throw notFound();
  const parsed = mergeSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ errors: fieldErrors(parsed.error) }, { status: 400 });
  const result = await mergeCounterparts(db, id, parsed.data.duplicate_id, user.id);
  switch (result.status) {
    case "ok":
      return redirect(`/counterparts/${id}?notice=merged`);
    case "same":
      return json({ errors: { duplicate_id: "counterparts.merge.same" } }, { status: 400 });
    case "other_country":
      return json({ errors: { duplicate_id: "counterparts.merge.other_country" } }, { status: 400 });
    default:
      return json({ errors: { duplicate_id: "counterparts.merge.not_found" } }, { status: 400 });
  }
}

export default function CounterpartPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t, locale } = useI18n();
  const { body } = data;
  const none = <span className="muted">{t("counterparts.none")}</span>;
  const errors: Record<string, string | undefined> = actionData?.errors ?? {};
  return (
    <div className="page narrow">
      <p className="breadcrumb">
        <Link to="/counterparts">{t("counterparts.back")}</Link>
      </p>
      <Notice messages={NOTICES} />
      <div className="page-head">
        <h1>{body.fullName}</h1>
        {data.canEdit ? (
          <div className="actions">
            <Link to={`/counterparts/${body.id}/edit`} className="button">
              {t("counterparts.edit_button")}
            </Link>
          </div>
        ) : null}
      </div>
      <dl className="details">
        <div>
          <dt>{t("counterparts.country")}</dt>
          <dd>{body.country}</dd>
        </div>
        <div>
          <dt>{t("counterparts.level")}</dt>
          <dd>{t(`counterparts.level.${body.level}`)}</dd>
        </div>
        <div>
          <dt>{t("counterparts.name_zh")}</dt>
          <dd lang="zh-CN">{body.name_zh}</dd>
        </div>
        <div>
          <dt>{t("counterparts.name_en")}</dt>
          <dd lang="en">{body.name_en || none}</dd>
        </div>
        <div>
          <dt>{t("counterparts.name_local")}</dt>
          <dd>{body.name_local || none}</dd>
        </div>
        <div>
          <dt>{t("counterparts.aliases")}</dt>
          <dd>{body.aliases.length ? joinList(body.aliases, locale) : none}</dd>
        </div>
        <div>
          <dt>{t("counterparts.last_contact")}</dt>
          <dd>
            {data.lastContact ? (
              <Link to={`/activities/${data.lastContact.id}`}>
                {t("counterparts.last_contact_value", { date: formatDate(data.lastContact.date, locale), title: data.lastContact.title })}
              </Link>
            ) : (
              <span className="muted">{t("counterparts.last_contact_none")}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("counterparts.units")}</dt>
          <dd>
            {data.units.length ? (
              <ul className="plain-list">
                {data.units.map((u) => (
                  <li key={u.id}>
                    {u.name}
                    <span className="muted">
                      {" · "}
                      {[u.lead ? t("counterparts.units_lead", { count: formatNumber(u.lead, locale) }) : "", u.partner ? t("counterparts.units_partner", { count: formatNumber(u.partner, locale) }) : ""]
                        .filter(Boolean)
                        .join(t("counterparts.list_sep"))}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <span className="muted">{t("counterparts.units_none")}</span>
            )}
          </dd>
        </div>
      </dl>

      <SisterCitiesOfBody relationships={data.sisterCities} bodyId={body.id} canAdd={data.canAddSisterCity} />

      <h2>{t("counterparts.timeline")}</h2>
      <p className="muted">{t("counterparts.timeline_intro")}</p>
      <p className="timeline-counts">
        {TIMELINE_CATEGORIES.map((c) => (
          <span key={c} className={`timeline-tag timeline-${c}`}>
            {t(`counterparts.category.${c}`)} {formatNumber(data.counts[c], locale)}
          </span>
        ))}
      </p>
      <ActivityTimeline activities={data.timeline} empty={t("counterparts.timeline_empty")} />

      {data.canMerge ? (
        <section className="card merge-form">
          <h2>{t("counterparts.merge.title")}</h2>
          <p className="muted">{t("counterparts.merge.intro")}</p>
          {data.mergeCandidates.length ? (
            <Form method="post" className="form">
              <label>
                {t("counterparts.merge.duplicate")}
                <select name="duplicate_id" defaultValue="" aria-invalid={errors.duplicate_id ? true : undefined}>
                  <option value="">—</option>
                  {data.mergeCandidates.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.label}
                    </option>
                  ))}
                </select>
                <FieldError id="merge-duplicate-error" error={errors.duplicate_id} />
              </label>
              <label className="check">
                <input type="checkbox" name="confirm" value="yes" />
                {t("counterparts.merge.confirm")}
              </label>
              <FieldError id="merge-confirm-error" error={errors.confirm} />
              <div className="form-actions">
                <button type="submit" className="danger" disabled={busy}>
                  {t("counterparts.merge.submit")}
                </button>
              </div>
            </Form>
          ) : (
            <p className="muted">{t("counterparts.merge.none")}</p>
          )}
        </section>
      ) : null}

      <h2>{t("counterparts.history")}</h2>
      {data.history.length ? (
        <ol className="history">
          {data.history.map((h) => (
            <li key={h.id}>
              <strong>{t(`history.${h.action}`)}</strong> · {formatDateTime(h.at, locale)} · {h.user_name ?? t("activity.system")}
              <HistoryDetail changes={h.changes} action={h.action} bodyNames={data.bodyNames} />
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{t("counterparts.history_empty")}</p>
      )}
    </div>
  );
}

const FIELD_KEYS: Record<string, MessageKey> = {
  country_code: "counterparts.country",
  level: "counterparts.level",
  name_zh: "counterparts.name_zh",
  name_en: "counterparts.name_en",
  name_local: "counterparts.name_local",
  aliases: "counterparts.aliases",
};

/** What one history entry changed, in words. */
function HistoryDetail({ action, changes, bodyNames }: { action: string; changes: Record<string, unknown>; bodyNames: Record<string, string> }) {
  const { t, locale } = useI18n();
  const nameOf = (b: unknown) => {
    const id = (b as { id?: number } | undefined)?.id;
    return id !== undefined ? (bodyNames[String(id)] ?? String(id)) : "";
  };
  let text = "";
  if (action === "counterpart.alias_add") text = t("counterparts.history.alias", { name: String(changes.alias ?? "") });
  else if (action === "counterpart.merge") {
    const moved = Array.isArray(changes.activities) ? changes.activities.length : 0;
    text = t("counterparts.history.merged", { name: nameOf(changes.merged), count: formatNumber(moved, locale) });
  } else if (action === "counterpart.merged_into") text = t("counterparts.history.merged_into", { name: nameOf(changes.merged_into) });
  else if (action === "counterpart.update") {
    text = t("counterparts.history.changed", {
      fields: joinList(
        Object.keys(changes).map((f) => (FIELD_KEYS[f] ? t(FIELD_KEYS[f]) : f)),
        locale,
      ),
    });
  }
  return text ? <div className="muted">{text}</div> : null;
}

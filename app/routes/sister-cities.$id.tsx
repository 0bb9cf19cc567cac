import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActivityTimeline } from "~/components/ActivityTimeline";
import { Notice } from "~/components/Notice";
import { SisterCityForm } from "~/components/SisterCityForm";
import { StageText } from "~/components/StageText";
import type { MessageKey } from "~/i18n";
import { formatDate, formatDateTime, formatPartialDate, joinList } from "~/i18n/format";
import { getSisterCity, updateSisterCityStage } from "~/models/sister-city.server";
import { loadSisterCityPage } from "~/presenters/sister-city-register.server";
import { parseSisterCityStage } from "~/services/sister-city-form.server";
import { forbidden, notFound, requireUser } from "~/utils/auth.server";
import { todayInChina } from "~/utils/china-time";
import { db } from "~/utils/db.server";
import { useI18n } from "~/utils/i18n-hooks";
import { getLocale } from "~/utils/locale.server";
import { pageTitle } from "~/utils/meta";
import { requireId } from "~/utils/params.server";
import { canManageSisterCity } from "~/utils/permissions";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, "sister_cities.title", data ? `${data.relationship.unit} – ${data.relationship.body}` : undefined);

const NOTICES: Record<string, MessageKey> = {
  created: "sister_cities.notice.created",
  saved: "sister_cities.notice.saved",
  unchanged: "sister_cities.notice.unchanged",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = requireId(params.id);
  const locale = await getLocale(request, user);
  const page = await loadSisterCityPage(db, id, user, locale, todayInChina());
  if (!page) throw notFound();
  return json(page);
}

/** Advances a relationship's stage (or corrects its dates and documents, or records its end). */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = requireId(params.id);
  const row = await getSisterCity(db, id);
  if (!row) throw notFound();
  if (!canManageSisterCity(user, { organization_path: row.organization_path })) throw forbidden();
  const parsed = parseSisterCityStage(await request.formData(), todayInChina());
  if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await updateSisterCityStage(db, id, parsed.fields, user.id);
  if (result === "not_found") throw notFound();
  return redirect(`/sister-cities/${id}?notice=${result === "ok" ? "saved" : "unchanged"}`);
}

export default function SisterCityPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useI18n();
  const r = data.relationship;
  return (
    <div className="page narrow">
      <p className="breadcrumb">
        <Link to="/sister-cities">{t("sister_cities.back")}</Link>
      </p>
      <Notice messages={NOTICES} />
      <h1>
        {r.unit} – {r.body}
      </h1>
      <dl className="details">
        <div>
          <dt>{t("sister_cities.col.unit")}</dt>
          <dd>{r.unit}</dd>
        </div>
        <div>
          <dt>{t("sister_cities.col.body")}</dt>
          <dd>
            <Link to={`/counterparts/${r.counterpart_id}`}>{r.body}</Link>
          </dd>
        </div>
        <div>
          <dt>{t("sister_cities.col.stage")}</dt>
          <dd>
            <StageText stage={r.stage} date={r.stage_on} ended={r.ended_on} />
          </dd>
        </div>
        <div>
          <dt>{t("sister_cities.col.class")}</dt>
          <dd>
            {r.classification ? (
              <>
                <span className={`class-tag class-${r.classification}`}>{t(`sister_cities.class.${r.classification}`)}</span>
                <div className="muted">{t(`sister_cities.class_reason.${r.classification}`, { years: data.years })}</div>
              </>
            ) : (
              <span className="muted">{t("sister_cities.class.none")}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("sister_cities.col.last_exchange")}</dt>
          <dd>{r.lastExchange ? formatDate(r.lastExchange, locale) : <span className="muted">{t("sister_cities.never")}</span>}</dd>
        </div>
        {data.note ? (
          <div>
            <dt>{t("sister_cities.field.note")}</dt>
            <dd className="prewrap">{data.note}</dd>
          </div>
        ) : null}
      </dl>

      <h2>{t("sister_cities.stages")}</h2>
      <ol className="stages">
        {data.stages.map((s) => (
          <li key={s.stage} className={s.reached ? "stage-reached" : "stage-ahead"}>
            <strong>{t(`sister_cities.stage.${s.stage}`)}</strong>
            {" · "}
            {s.reached ? (
              s.date ? formatPartialDate(s.date, locale) : <span className="muted">{t("sister_cities.no_date")}</span>
            ) : (
              <span className="muted">{t("sister_cities.not_reached")}</span>
            )}
            {s.document || s.url ? (
              <div>
                {s.url ? (
                  <a href={s.url} rel="noopener noreferrer">
                    {s.document || s.url}
                  </a>
                ) : (
                  s.document
                )}
              </div>
            ) : null}
          </li>
        ))}
      </ol>

      <h2>{t("sister_cities.exchanges", { years: data.years })}</h2>
      <p className="muted">{t("sister_cities.exchanges_intro", { from: formatDate(data.window.from, locale), to: formatDate(data.window.today, locale) })}</p>
      <ActivityTimeline activities={data.exchanges} empty={t("sister_cities.exchanges_empty")} />

      {data.canManage ? (
        <section className="card">
          <h2>{t("sister_cities.stage_form")}</h2>
          <p className="muted">{t("sister_cities.stage_form_intro")}</p>
          {actionData?.errors ? (
            <p className="form-error" role="alert">
              {t("activities.form_errors")}
            </p>
          ) : null}
          <SisterCityForm values={actionData?.values ?? data.values} errors={actionData?.errors} submitLabel={t("sister_cities.save_stage")} showEnd />
        </section>
      ) : null}

      <h2>{t("sister_cities.history")}</h2>
      {data.history.length ? (
        <ol className="history">
          {data.history.map((h) => (
            <li key={h.id}>
              <strong>{t(`history.${h.action}`)}</strong> · {formatDateTime(h.at, locale)} · {h.user_name ?? t("activity.system")}
              <HistoryDetail changes={h.changes} />
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{t("sister_cities.history_empty")}</p>
      )}
    </div>
  );
}

const FIELD_KEYS: Record<string, MessageKey> = {
  stage: "sister_cities.field.stage",
  consensus_on: "sister_cities.history.consensus_on",
  consensus_document: "sister_cities.history.consensus_document",
  consensus_url: "sister_cities.history.consensus_url",
  letter_of_intent_on: "sister_cities.history.letter_of_intent_on",
  letter_of_intent_document: "sister_cities.history.letter_of_intent_document",
  letter_of_intent_url: "sister_cities.history.letter_of_intent_url",
  established_on: "sister_cities.history.established_on",
  established_document: "sister_cities.history.established_document",
  established_url: "sister_cities.history.established_url",
  ended_on: "sister_cities.field.ended_on",
  note: "sister_cities.field.note",
  counterpart_id: "sister_cities.field.body",
};

/** What an update changed: the stage moved (from → to) and the other fields by name. */
function HistoryDetail({ changes }: { changes: Record<string, unknown> }) {
  const { t, locale } = useI18n();
  const stage = Array.isArray(changes.stage) ? (changes.stage as [string, string]) : null;
  const others = Object.keys(changes).filter((k) => k !== "stage" && Array.isArray(changes[k]));
  if (!stage && !others.length) return null;
  return (
    <div className="muted">
      {stage ? t("sister_cities.history.stage", { from: t(`sister_cities.stage.${stage[0]}`), to: t(`sister_cities.stage.${stage[1]}`) }) : null}
      {stage && others.length ? t("counterparts.list_sep") : null}
      {others.length ? t("sister_cities.history.changed", { fields: joinList(others.map((f) => (FIELD_KEYS[f] ? t(FIELD_KEYS[f]) : f)), locale) }) : null}
    </div>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActivityForm } from "~/components/ActivityForm";
import { createActivity, getActivity } from "~/models/activity.server";
import { getOrganization } from "~/models/organization.server";
import { unlessFrozen } from "~/services/freeze.server";
import { activityFormOptions, newActivityValues, parseActivityForm, searchOnly } from "~/services/activity-form.server";
import { requireCan, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import type { CounterpartQuestion } from "~/schemas/counterpart";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { getLocale } from "~/utils/locale.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "activities.new");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  requireCan(user, "activity.create", { organization_path: user.organization_path });
  const locale = await getLocale(request, user);
  const url = new URL(request.url);
  const item = url.searchParams.get("item") ?? "";
  // ?copy=<id>: "copy as new"; ?after=<id>: the one just saved by "save and log another"
  const copy = await activityNamed(url.searchParams.get("copy"));
  const after = await activityNamed(url.searchParams.get("after"));
  return json({
    options: await activityFormOptions(db, user, locale),
    values: newActivityValues(user, { copy, after, item }),
    copiedFrom: copy ? { id: copy.id, title: copy.title } : null,
    saved: after ? { id: after.id, title: after.title } : null,
  });
}

/** The live activity an id names, or null (a stale or malformed link starts an empty form rather than failing). */
async function activityNamed(id: string | null) {
  if (!id || !/^[1-9]\d{0,9}$/.test(id)) return null;
  const activity = await getActivity(db, Number(id));
  return activity && !activity.deleted_at ? activity : null;
}

const NO_QUESTIONS: CounterpartQuestion[] = [];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  requireCan(user, "activity.create", { organization_path: user.organization_path });
  const formData = await request.formData();
  const search = searchOnly(formData);
  if (search) return json({ errors: {}, values: search, questions: NO_QUESTIONS });
  const form = await parseActivityForm(db, formData, user);
  if (!form.ok) return json({ errors: form.errors, values: form.values, questions: form.questions }, { status: 400 });
  const unit = (await getOrganization(db, form.input.organizationId))!;
  const created = await unlessFrozen([{ organizationPath: unit.path, dates: [form.input.startDate] }], (guard) =>
    createActivity(db, form.input, user.id, { guard }),
  );
  if (created.frozen) return json({ errors: { start_date: "reports.frozen" }, values: form.values, questions: NO_QUESTIONS }, { status: 409 });
  if (formData.get("intent") === "save_another") return redirect(`/activities/new?after=${created.result}`);
  return redirect(`/activities/${created.result}?notice=created`);
}

export default function NewActivityPage() {
  const { options, values, copiedFrom, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useI18n();
  return (
    <div className="page narrow">
      <h1>{t("activities.new")}</h1>
      {saved && !actionData ? (
        <p className="notice" role="status">
          {t("entry.saved_another", { title: saved.title })} <Link to={`/activities/${saved.id}`}>{t("entry.view_saved")}</Link>
        </p>
      ) : null}
      {copiedFrom ? (
        <p className="muted">
          {t("entry.copied_from", { title: copiedFrom.title })} <Link to={`/activities/${copiedFrom.id}`}>{t("entry.view_saved")}</Link>
        </p>
      ) : null}
      {actionData?.errors && Object.keys(actionData.errors).length ? (
        <p className="form-error" role="alert">
          {t("activities.form_errors")}
        </p>
      ) : null}
      <ActivityForm
        // a fresh form for each activity: after "save and log another" (or a copy) the page stays mounted, and its
        // inputs would otherwise keep what was typed for the one just saved
        key={`${saved?.id ?? ""}:${copiedFrom?.id ?? ""}`}
        values={actionData?.values ?? values}
        errors={actionData?.errors}
        questions={actionData?.questions}
        options={options}
        submitLabel={t("activities.save")}
        another
        focusTitle
      />
    </div>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActivityForm } from "~/components/ActivityForm";
import { formatDateTime } from "~/i18n/format";
import { getActivity, updateActivity } from "~/models/activity.server";
import { getOrganization } from "~/models/organization.server";
import { requireNotFrozen, unlessFrozen } from "~/services/freeze.server";
import { activityFormOptions, activityToFormValues, parseActivityForm, searchOnly } from "~/services/activity-form.server";
import { notFound, requireCan, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import type { CounterpartQuestion } from "~/schemas/counterpart";
import { useI18n } from "~/utils/i18n-hooks";
import { pageTitle } from "~/utils/meta";
import { getLocale } from "~/utils/locale.server";
import { requireId } from "~/utils/params.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "activities.edit");

async function requireEditable(request: Request, idParam: string | undefined) {
  const user = await requireUser(request);
  const activity = await getActivity(db, requireId(idParam));
  if (!activity) throw notFound();
  requireCan(user, "activity.edit", activity);
  return { user, activity };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, activity } = await requireEditable(request, params.id);
  if (activity.deleted_at) throw notFound();
  await requireNotFrozen(db, activity.organization_path, [activity.start_date]);
  const locale = await getLocale(request, user);
  return json({
    id: activity.id,
    version: activity.version,
    values: activityToFormValues(activity),
    options: await activityFormOptions(db, user, locale),
  });
}

const NO_QUESTIONS: CounterpartQuestion[] = [];

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, activity } = await requireEditable(request, params.id);
  const formData = await request.formData();
  const version = Number(formData.get("version"));
  const search = searchOnly(formData);
  if (search) return json({ errors: {}, values: search, questions: NO_QUESTIONS, stale: null, baseVersion: Number.isInteger(version) && version > 0 ? version : activity.version });
  const form = await parseActivityForm(db, formData, user, activity);
  if (!Number.isInteger(version) || version < 1) throw json({ reason: "bad_request" }, { status: 400 });
  // The form keeps the version the user started from, whatever happens meanwhile: a second click on a stale
  // copy is refused again instead of overwriting what someone else saved.
  if (!form.ok) return json({ errors: form.errors, values: form.values, questions: form.questions, stale: null, baseVersion: version }, { status: 400 });

  // Neither the activity as it is nor as it would become may fall in an approved report.
  const target = (await getOrganization(db, form.input.organizationId))!;
  const saved = await unlessFrozen(
    [
      { organizationPath: activity.organization_path, dates: [activity.start_date] },
      { organizationPath: target.path, dates: [form.input.startDate] },
    ],
    (guard) => updateActivity(db, activity.id, version, form.input, user.id, guard),
  );
  if (saved.frozen) {
    return json({ errors: { start_date: "reports.frozen" }, values: form.values, questions: NO_QUESTIONS, stale: null, baseVersion: version }, { status: 409 });
  }
  const result = saved.result;
  if (result.status === "not_found") throw notFound();
  if (result.status === "stale") {
    const current = await getActivity(db, activity.id);
    return json(
      {
        errors: {},
        values: form.values,
        questions: NO_QUESTIONS,
        stale: { by: current?.updated_by_name ?? null, at: current?.updated_at ?? "", deleted: !!current?.deleted_at },
        baseVersion: version,
      },
      { status: 409 },
    );
  }
  return redirect(`/activities/${activity.id}?notice=saved`);
}

export default function EditActivityPage() {
  const { id, version, values, options } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useI18n();
  const stale = actionData?.stale;
  return (
    <div className="page narrow">
      <h1>{t("activities.edit")}</h1>
      {stale ? (
        <div className="form-error" role="alert" id="stale-warning">
          <p>
            {t(stale.deleted ? "activities.stale_deleted" : "activities.stale", {
              name: stale.by ?? t("activity.system"),
              time: formatDateTime(stale.at, locale),
            })}
          </p>
          <p>
            <a href={`/activities/${id}`} target="_blank" rel="noopener">
              {t("activities.stale_view")}
            </a>
            {" · "}
            <Link to={`/activities/${id}/edit`} reloadDocument>
              {t("activities.stale_reload")}
            </Link>
          </p>
        </div>
      ) : actionData?.errors && Object.keys(actionData.errors).length ? (
        <p className="form-error" role="alert">
          {t("activities.form_errors")}
        </p>
      ) : null}
      <ActivityForm
        values={actionData?.values ?? values}
        errors={actionData?.errors}
        questions={actionData?.questions}
        options={options}
        version={actionData?.baseVersion ?? version}
        submitLabel={t("activities.save")}
      />
      <p>
        <Link to={`/activities/${id}`}>{t("activities.cancel")}</Link>
      </p>
    </div>
  );
}
